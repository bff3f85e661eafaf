using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DataShareAdmin.Core.Retention;

/// <summary>
/// The facts about the machine that decide which folders are protected: whether paths are Windows paths, the OS and
/// program folders, the user's home, the temporary folder, how links resolve. <see cref="Current"/> reads them from
/// the running machine; tests build one for the other platform, so Windows and Unix rules are both tested anywhere.
/// </summary>
public sealed class FolderPlatform
{
    public bool IsWindows { get; set; }

    /// <summary>Folders that are the operating system's or installed programs': neither they nor anything inside them is a holding.</summary>
    public IReadOnlyList<string> SystemFolders { get; set; } = Array.Empty<string>();

    /// <summary>Folders that hold other folders (home parents, temp, mount points): they are not holdings themselves; a folder inside may be.</summary>
    public IReadOnlyList<string> SharedFolders { get; set; } = Array.Empty<string>();

    /// <summary>Folders whose direct children are users' homes (/home, /Users, C:\Users).</summary>
    public IReadOnlyList<string> HomeParents { get; set; } = Array.Empty<string>();

    /// <summary>Home folders known by name (the current user's, /root): never a holding themselves.</summary>
    public IReadOnlyList<string> Homes { get; set; } = Array.Empty<string>();

    /// <summary>The module's own folder: nothing inside it is a holding, and neither is a folder holding it.</summary>
    public string? ModuleFolder { get; set; }

    /// <summary>Resolves symbolic links in a full path, as far as it exists (the identity where links cannot be read).</summary>
    public Func<string, string> ResolveLinks { get; set; } = path => path;

    public static FolderPlatform Current()
    {
        var windows = Path.DirectorySeparatorChar == '\\';
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var module = Path.GetDirectoryName(typeof(FolderPlatform).Assembly.Location);
        if (module is not null && string.Equals(Path.GetFileName(module), "Dependencies", StringComparison.OrdinalIgnoreCase))
        {
            // The engine loads from the module's Dependencies folder: the module is the folder above it.
            module = Path.GetDirectoryName(module);
        }

        string Special(Environment.SpecialFolder folder) => Environment.GetFolderPath(folder);
        var temp = Path.GetTempPath();
        return windows
            ? new FolderPlatform
            {
                IsWindows = true,
                SystemFolders = NonEmpty(Special(Environment.SpecialFolder.Windows), Special(Environment.SpecialFolder.ProgramFiles),
                    Special(Environment.SpecialFolder.ProgramFilesX86), Special(Environment.SpecialFolder.System)),
                SharedFolders = NonEmpty(Special(Environment.SpecialFolder.CommonApplicationData), Path.GetDirectoryName(home.TrimEnd('\\')), temp,
                    Environment.GetEnvironmentVariable("PUBLIC")),
                HomeParents = NonEmpty(Path.GetDirectoryName(home.TrimEnd('\\'))),
                Homes = NonEmpty(home),
                ModuleFolder = module,
                ResolveLinks = LocalFolderStore.ResolveLinks,
            }
            : new FolderPlatform
            {
                IsWindows = false,
                SystemFolders = UnixSystemFolders,
                SharedFolders = UnixSharedFolders.Concat(NonEmpty(temp)).ToList(),
                HomeParents = new[] { "/home", "/Users", "/var/home" },
                Homes = NonEmpty(home, "/root", "/var/root"),
                ModuleFolder = module,
                ResolveLinks = LocalFolderStore.ResolveLinks,
            };
    }

    internal static readonly IReadOnlyList<string> UnixSystemFolders = new[]
    {
        "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc", "/run", "/sbin", "/sys", "/usr",
        "/var/lib", "/var/log", "/var/cache", "/var/spool", "/var/mail", "/var/db", "/snap",
        "/System", "/Library", "/Applications", "/private/etc", "/private/var/db", "/cores",
    };

    internal static readonly IReadOnlyList<string> UnixSharedFolders = new[]
    {
        "/home", "/Users", "/tmp", "/var", "/var/tmp", "/opt", "/srv", "/mnt", "/media", "/Volumes", "/private", "/private/tmp",
        "/private/var", "/Users/Shared",
    };

    private static List<string> NonEmpty(params string?[] folders) => folders.Where(f => !string.IsNullOrWhiteSpace(f)).Select(f => f!).ToList();
}

/// <summary>
/// Folders that can never be a holding, because a sweep deletes a holding's folder and everything in it: file-system
/// roots, the operating system's and programs' folders (and anything inside them), folders that hold other people's
/// folders (home parents, temp, mount points), a user's home itself (a folder inside a home is fine), the folder the
/// register file is in and every folder above it, and the module's own folder. The one list, in one place.
/// </summary>
public static class ProtectedFolders
{
    /// <summary>
    /// Why <paramref name="folder"/> (a full path) is protected, or null when it may be a holding. The path is compared
    /// as written (".." and "." resolved, trailing separators dropped, no %-decoding) and with its links resolved: a
    /// link to /etc is /etc.
    /// </summary>
    public static string? Why(string folder, FolderPlatform platform, string? registerFile)
    {
        var written = Normalise(folder, platform);
        var resolved = Normalise(platform.ResolveLinks(written), platform);
        return WhyOne(written, platform, registerFile) ?? (Same(written, resolved, platform) ? null : WhyOne(resolved, platform, registerFile) is { } why ? $"it leads through a link to {resolved}, and {why}" : null);
    }

    private static string? WhyOne(string path, FolderPlatform platform, string? registerFile)
    {
        if (IsRoot(path, platform))
        {
            return "it is a file-system root (a whole drive or share)";
        }

        foreach (var system in Forms(platform.SystemFolders, platform))
        {
            if (Within(path, system, platform))
            {
                return Same(path, system, platform) ? "it is an operating-system or program folder" : $"it is inside the operating-system or program folder {system}";
            }
        }

        if (platform.ModuleFolder is { } module && Forms(new[] { module }, platform).Any(m => Within(path, m, platform)))
        {
            return "it is inside the DataShareAdmin module's own folder";
        }

        if (Forms(platform.Homes, platform).Any(h => Same(path, h, platform))
            || Forms(platform.HomeParents, platform).Any(parent => Parent(path, platform) is { } up && Same(up, parent, platform)))
        {
            return "it is a user's home folder (a folder inside a home may be a holding; the home itself may not)";
        }

        if (Forms(platform.SharedFolders, platform).Any(s => Same(path, s, platform)))
        {
            return "it is a folder that holds other people's or programs' folders (a folder inside it may be a holding; it may not)";
        }

        if (registerFile is not null && Forms(new[] { registerFile }, platform).Any(r => Within(r, path, platform) && !Same(r, path, platform)))
        {
            return $"it holds the register itself ({registerFile}): a sweep would delete it";
        }

        if (platform.ModuleFolder is { } moduleFolder && Forms(new[] { moduleFolder }, platform).Any(m => Within(m, path, platform)))
        {
            return "it holds the DataShareAdmin module itself";
        }

        return null;
    }

    /// <summary>Each protected folder as written and with its links resolved (on macOS /etc is /private/etc).</summary>
    private static IEnumerable<string> Forms(IEnumerable<string> folders, FolderPlatform platform)
    {
        foreach (var folder in folders)
        {
            var written = Normalise(folder, platform);
            yield return written;
            string resolved;
            try
            {
                resolved = Normalise(platform.ResolveLinks(written), platform);
            }
            catch (IOException)
            {
                continue;
            }

            if (!Same(written, resolved, platform))
            {
                yield return resolved;
            }
        }
    }

    /// <summary>A full path with '.' and '..' resolved and no trailing separator, by text alone (nothing is decoded).</summary>
    public static string Normalise(string path, FolderPlatform platform)
    {
        var separator = platform.IsWindows ? '\\' : '/';
        var text = platform.IsWindows ? path.Replace('/', '\\') : path;
        var root = RootOf(text, platform);
        var parts = new List<string>();
        foreach (var part in (text.Length > root.Length ? text.Substring(root.Length) : string.Empty).Split(separator))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return root + string.Join(separator.ToString(), parts);
    }

    private static string RootOf(string path, FolderPlatform platform)
    {
        if (!platform.IsWindows)
        {
            return path.StartsWith("/", StringComparison.Ordinal) ? "/" : string.Empty;
        }

        if (path.Length >= 2 && char.IsLetter(path[0]) && path[1] == ':')
        {
            return path.Substring(0, 2) + "\\";
        }

        if (path.StartsWith("\\\\", StringComparison.Ordinal))
        {
            // \\server\share\ (or \\?\C:\): the server and share are the root.
            var parts = path.Substring(2).Split(new[] { '\\' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 2 && parts[0] == "?" && parts[1].Length == 2 && parts[1][1] == ':')
            {
                return "\\\\?\\" + parts[1] + "\\";
            }

            return "\\\\" + string.Join("\\", parts.Take(2)) + "\\";
        }

        return path.StartsWith("\\", StringComparison.Ordinal) ? "\\" : string.Empty;
    }

    private static bool IsRoot(string path, FolderPlatform platform) => Same(path, RootOf(path, platform), platform);

    private static string? Parent(string path, FolderPlatform platform)
    {
        var separator = platform.IsWindows ? '\\' : '/';
        var trimmed = path.TrimEnd(separator);
        var at = trimmed.LastIndexOf(separator);
        var root = RootOf(path, platform);
        return at < 0 ? null : at < root.Length ? root : trimmed.Substring(0, at);
    }

    private static bool Same(string a, string b, FolderPlatform platform) =>
        string.Equals(a.TrimEnd('/', '\\'), b.TrimEnd('/', '\\'), platform.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>True when <paramref name="inner"/> is <paramref name="outer"/> or inside it.</summary>
    private static bool Within(string inner, string outer, FolderPlatform platform)
    {
        var separator = platform.IsWindows ? "\\" : "/";
        return Same(inner, outer, platform)
            || inner.StartsWith(outer.TrimEnd('/', '\\') + separator, platform.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }
}
