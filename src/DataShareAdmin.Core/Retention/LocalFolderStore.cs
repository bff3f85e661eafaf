using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace DataShareAdmin.Core.Retention;

/// <summary>A holding that cannot be swept safely as it is (its folder is a link, or is another holding's place).</summary>
public sealed class HoldingUnsafeException : Exception
{
    public HoldingUnsafeException()
    {
    }

    public HoldingUnsafeException(string message)
        : base(message)
    {
    }

    public HoldingUnsafeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// A local folder holding: its files, deleted one by one, then the folder itself. No link is ever followed: not the
/// folder itself (refused), not a folder or file inside it (the link goes with the folder, what it points at stays),
/// and not a folder swapped for a link after the listing (each delete checks the path from the holding down).
/// </summary>
public sealed class LocalFolderStore : IHoldingStore
{
    private static readonly StringComparison PathComparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly string folder;

    public LocalFolderStore(string folder) => this.folder = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);

    public string? Absence { get; private set; }

    public IEnumerable<HeldObject> List(CancellationToken cancellationToken)
    {
        Absence = null;
        RefuseLink();
        if (File.Exists(folder))
        {
            // A file where the folder was registered: listing it as an absent folder would record a destruction that
            // did not happen, and deleting the file is not this holding's to do.
            throw new HoldingUnsafeException($"{folder} is a file, not a folder: nothing was deleted. Find out why a file is there; if the holding was registered wrongly, withdraw it (Remove-DataShareHolding)");
        }

        if (!Directory.Exists(folder))
        {
            // Gone is destroyed only if its parent is there to say so: an unmounted share must not read as empty.
            var parent = Path.GetDirectoryName(folder);
            if (parent is null || !Directory.Exists(parent))
            {
                throw new DirectoryNotFoundException($"Neither '{folder}' nor its parent folder can be reached (an unmounted share or a wrong path?).");
            }

            Absence = $"the folder {folder} is not there (its parent {parent} is)";
            yield break;
        }

        // Walk the tree without following symbolic links or junctions: a link inside a holding may point anywhere,
        // and only the link itself belongs to the holding (it goes when the folder is deleted).
        var pending = new Stack<string>();
        pending.Push(folder);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var directory = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(directory))
            {
                if (!IsLink(sub))
                {
                    pending.Push(sub);
                }
            }

            foreach (var file in Directory.EnumerateFiles(directory))
            {
                if (IsLink(file))
                {
                    continue;
                }

                long size;
                try
                {
                    size = new FileInfo(file).Length;
                }
                catch (FileNotFoundException)
                {
                    continue;
                }

                yield return new HeldObject { Name = file, Size = size };
            }
        }
    }

    public Task<DeleteAnswer> DeleteAsync(HeldObject item, CancellationToken cancellationToken)
    {
        // Proof before deleting: the file's path lies under the holding's folder, and no folder from the holding down
        // to it is a link now (one may have been swapped in since the listing), so the delete cannot land elsewhere.
        var path = Path.GetFullPath(item.Name);
        if (!path.StartsWith(folder + Path.DirectorySeparatorChar, PathComparison))
        {
            return Task.FromResult(DeleteAnswer.Unsafe(item, $"it is not inside {folder}"));
        }

        for (var directory = Path.GetDirectoryName(path); directory is not null && directory.Length >= folder.Length; directory = Path.GetDirectoryName(directory))
        {
            if (IsLink(directory))
            {
                return Task.FromResult(DeleteAnswer.Unsafe(item, $"the folder {directory} on its way is now a link, so the file was not deleted through it"));
            }
        }

        if (!File.Exists(path) && !IsLink(path))
        {
            return Task.FromResult(DeleteAnswer.Gone);
        }

        // A file that became a link since the listing: deleting removes the link itself, never what it points at (and
        // its attributes are left alone, as changing them would change the target's).
        if (!IsLink(path))
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }

        File.Delete(path);
        return Task.FromResult(DeleteAnswer.Deleted);
    }

    public void Finish(CancellationToken cancellationToken)
    {
        RefuseLink();
        if (Directory.Exists(folder))
        {
            // Recursive deletion removes links inside as links; it never descends through them.
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The folder with every link on its path resolved, as far as the path exists: two holdings are the same place
    /// when these overlap, however differently they were written.
    /// </summary>
    public static string ResolveLinks(string path)
    {
        var full = Path.GetFullPath(path);
#if NET
        for (var hops = 0; hops < 40; hops++)
        {
            var root = Path.GetPathRoot(full) ?? string.Empty;
            var parts = full.Substring(root.Length).Split(new[] { Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar }, StringSplitOptions.RemoveEmptyEntries);
            var current = root;
            string? relinked = null;
            for (var i = 0; i < parts.Length && relinked is null; i++)
            {
                var next = Path.Combine(current, parts[i]);
                if (new FileInfo(next).LinkTarget is { } target)
                {
                    // Start again from the link's target with the rest of the path: its own path may hold links too.
                    var rest = string.Join(Path.DirectorySeparatorChar.ToString(), parts, i + 1, parts.Length - i - 1);
                    relinked = Path.GetFullPath(Path.Combine(Path.GetFullPath(target, current), rest));
                }

                current = next;
            }

            if (relinked is null)
            {
                return full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            }

            full = relinked;
        }

        throw new IOException($"'{path}' goes through more than 40 links.");
#else
        // Links cannot be read on this target (the module runs the net8.0 build); the path is taken as written.
        return full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
#endif
    }

    /// <summary>True when <paramref name="inner"/> is <paramref name="outer"/> or a path inside it.</summary>
    public static bool IsWithin(string inner, string outer) =>
        string.Equals(inner, outer, PathComparison) || inner.StartsWith(outer.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, PathComparison);

    private void RefuseLink()
    {
        if (IsLink(folder))
        {
            throw new HoldingUnsafeException($"the folder {folder} is a link{LinkText(folder)}: a sweep never follows a link to delete what it points at. Register the folder it points at instead, if that is what holds the data");
        }
    }

    /// <summary>A symbolic link or junction (or any other reparse point), read without following it; false when nothing is there.</summary>
    private static bool IsLink(string path)
    {
        var info = new FileInfo(path);
#if NET
        if (info.LinkTarget is not null)
        {
            return true;
        }
#endif
        var attributes = info.Attributes;
        return (int)attributes != -1 && (attributes & FileAttributes.ReparsePoint) != 0;
    }

    private static string LinkText(string path) =>
#if NET
        new FileInfo(path).LinkTarget is { } target ? $" (to {target})" : string.Empty;
#else
        string.Empty;
#endif
}
