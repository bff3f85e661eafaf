using System;
using System.IO;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// A file a cmdlet writes whole or not at all (reports, evidence packs, a person's data): the path resolved on the
/// file system, its folder present, and only ever nothing or a regular file replaced (never a device such as
/// /dev/null, a pipe, a socket, a link or a folder); written beside the target and moved into place in one step.
/// Errors are "&lt;Noun&gt;PathInvalid", "&lt;Noun&gt;FileExists" and "&lt;Noun&gt;WriteFailed".
/// </summary>
internal sealed class FileTarget
{
    private readonly string noun;
    private readonly string what;

    private FileTarget(string path, string noun, string what, bool ownerOnly)
    {
        Path = path;
        this.noun = noun;
        this.what = what;
        OwnerOnly = ownerOnly;
    }

    /// <summary>Whether the file is made readable by its owner only (it holds personal data).</summary>
    public bool OwnerOnly { get; }

    /// <summary>The full file-system path.</summary>
    public string Path { get; }

    /// <summary>
    /// <paramref name="path"/> as a full file-system path, relative to PowerShell's current location; a NUL, a drive
    /// that does not exist or another provider's path is "&lt;Noun&gt;PathInvalid".
    /// </summary>
    public static string ResolvePath(SessionState session, string path, string noun, string what)
    {
        if (path.IndexOf('\0') >= 0)
        {
            throw new DataShareException(noun + "PathInvalid", DataShareErrorCategory.InvalidArgument,
                $"The path '{path.Replace('\0', '?')}' contains a NUL character (shown as ?), which no file name can hold.", path);
        }

        string target;
        ProviderInfo provider;
        try
        {
            target = session.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
        }
        catch (System.Management.Automation.DriveNotFoundException ex)
        {
            throw new DataShareException(noun + "PathInvalid", DataShareErrorCategory.ObjectNotFound, $"'{path}' is on a drive that does not exist.", path, ex);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or ProviderNotFoundException or ItemNotFoundException)
        {
            throw new DataShareException(noun + "PathInvalid", DataShareErrorCategory.InvalidArgument, $"'{path}' is not a path {what} can be written to: {ex.Message}", path, ex);
        }

        if (provider.Name != "FileSystem")
        {
            throw new DataShareException(noun + "PathInvalid", DataShareErrorCategory.InvalidArgument, $"'{path}' is not a file-system path.", path);
        }

        return target;
    }

    /// <summary>
    /// Resolves <paramref name="path"/>; <paramref name="noun"/> begins the error ids (e.g. "Report"), and
    /// <paramref name="what"/> names the file in messages (e.g. "a report").
    /// </summary>
    public static FileTarget Resolve(SessionState session, string path, bool force, string noun, string what, bool ownerOnly = false)
    {
        var target = ResolvePath(session, path, noun, what);
        var folder = System.IO.Path.GetDirectoryName(target);
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            throw new DataShareException(noun + "PathInvalid", DataShareErrorCategory.ObjectNotFound,
                $"The folder '{folder}' does not exist, so '{System.IO.Path.GetFileName(target)}' cannot be written there. Create the folder first, or give a path in an existing one.", target);
        }

        var file = new FileTarget(target, noun, what, ownerOnly);
        var existing = Core.Files.FileKinds.Of(target);
        file.RequireReplaceable(existing);
        if (existing == Core.Files.FileKind.RegularFile && !force)
        {
            throw new DataShareException(noun + "FileExists", DataShareErrorCategory.ResourceExists, $"'{target}' already exists. Use -Force to replace it.", target);
        }

        return file;
    }

    /// <summary>Writes the file through <paramref name="write"/>: a failure or Ctrl+C never leaves half a file, and the old one stays until the new one takes its place.</summary>
    public T Write<T>(Func<Stream, T> write)
    {
        var partial = Path + ".partial-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        T result;
        try
        {
            using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                if (OwnerOnly)
                {
                    // Before the first byte: no one else can open it while it is written, or after.
                    Core.Files.PrivateFiles.Restrict(partial);
                }

                result = write(stream);
            }

            // Looked at again just before: only ever a regular file is replaced, never a device, pipe or link.
            var now = Core.Files.FileKinds.Of(Path);
            RequireReplaceable(now);
            if (now == Core.Files.FileKind.RegularFile)
            {
                File.Replace(partial, Path, null);
            }
            else
            {
                File.Move(partial, Path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(partial);
            throw new DataShareException(noun + "WriteFailed", DataShareErrorCategory.WriteError, $"'{Path}' could not be written: {ex.Message}", Path, ex);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }

        return result;
    }

    /// <summary>Nothing there, or a regular file: anything else (a device such as /dev/null, a pipe, a socket, a link) is refused.</summary>
    private void RequireReplaceable(Core.Files.FileKind kind)
    {
        if (kind is Core.Files.FileKind.Missing or Core.Files.FileKind.RegularFile)
        {
            return;
        }

        throw new DataShareException(noun + "PathInvalid", DataShareErrorCategory.InvalidArgument,
            kind == Core.Files.FileKind.Directory
                ? $"'{Path}' is a folder: give the file's name."
                : $"'{Path}' is {Core.Files.FileKinds.Describe(kind)}, not a regular file: {what} only ever replaces a regular file, with -Force or without. Give the path of a file.",
            Path);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
