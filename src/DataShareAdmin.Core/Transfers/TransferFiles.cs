using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DataShareAdmin.Core.Transfers;

/// <summary>A file to send: where it is, the blob name it gets, and its size when it was found.</summary>
internal sealed class SourceFile
{
    public string Path { get; set; } = string.Empty;

    public string BlobName { get; set; } = string.Empty;

    public long Size { get; set; }
}

/// <summary>
/// The files New-DataShareTransfer -Path names: files as given, and every file under a folder. Links are never
/// followed, neither named nor found inside a folder: a link can lead outside the extract, or be pointed elsewhere
/// between the check and the read, so the extract is exactly the files that are in it.
/// </summary>
internal static class TransferFiles
{
    /// <summary>Files as given, and every file under a folder (its name relative to the folder); no name twice, no link.</summary>
    public static List<SourceFile> Resolve(IReadOnlyList<string> paths, IOperationHost host)
    {
        if (paths.Count == 0)
        {
            throw new DataShareException("TransferNoFiles", DataShareErrorCategory.InvalidArgument, "Give -Path: the files or folders to send.", null);
        }

        var files = new List<SourceFile>();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var given in paths)
        {
            // A trailing separator would make the system follow a link to a folder before it could be seen as one.
            var path = given.Length > 1 ? given.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar) : given;
            RefuseLink(new FileInfo(path));
            if (File.Exists(path))
            {
                Add(path, System.IO.Path.GetFileName(path));
            }
            else if (Directory.Exists(path))
            {
                var inFolder = FilesUnder(path).OrderBy(p => p, StringComparer.Ordinal).ToList();
                if (inFolder.Count == 0)
                {
                    throw new DataShareException("TransferNoFiles", DataShareErrorCategory.InvalidArgument, $"The folder '{path}' has no files to send.", path);
                }

                foreach (var file in inFolder)
                {
                    Add(file, RelativeName(path, file));
                }
            }
            else
            {
                throw new DataShareException("TransferFileNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no file or folder '{given}'.", given);
            }
        }

        return files;

        void Add(string file, string name)
        {
            if (names.TryGetValue(name, out var other))
            {
                throw new DataShareException("TransferFileNameDuplicate", DataShareErrorCategory.InvalidArgument,
                    $"'{file}' and '{other}' would both be sent as '{name}'. Rename one, or send them in separate transfers.", file);
            }

            names[name] = file;
            var size = new FileInfo(file).Length;
            if (size == 0)
            {
                host.WriteWarning($"'{file}' is empty (0 bytes); it is sent as it is. Check the extract is complete.");
            }

            files.Add(new SourceFile { Path = file, BlobName = name, Size = size });
        }
    }

    /// <summary>Refuses a file or folder that is a symbolic link or junction (a dangling one too), naming where it points.</summary>
    public static void RefuseLink(FileSystemInfo entry)
    {
#if NET6_0_OR_GREATER
        var target = entry.LinkTarget;
#else
        // Only the net8.0 build ships (in Dependencies/); this one exists for the cmdlets to compile against.
        var target = entry.Exists && (entry.Attributes & FileAttributes.ReparsePoint) != 0 ? "(a link)" : null;
#endif
        if (target is not null)
        {
            throw new DataShareException("TransferPathIsLink", DataShareErrorCategory.InvalidArgument,
                $"'{entry.FullName}' is a link to '{target}'. New-DataShareTransfer never follows links, which can lead outside the extract or be pointed elsewhere while the files are read: send the file or folder it points to by its own path, or copy it into the extract.",
                entry.FullName);
        }
    }

    /// <summary>Every file under a folder, walking its sub-folders without following any link.</summary>
    private static IEnumerable<string> FilesUnder(string folder)
    {
        var pending = new Stack<DirectoryInfo>();
        pending.Push(new DirectoryInfo(folder));
        while (pending.Count > 0)
        {
            foreach (var entry in pending.Pop().EnumerateFileSystemInfos())
            {
                RefuseLink(entry);
                if (entry is DirectoryInfo directory)
                {
                    pending.Push(directory);
                }
                else
                {
                    yield return entry.FullName;
                }
            }
        }
    }

    private static string RelativeName(string folder, string file)
    {
        var root = System.IO.Path.GetFullPath(folder).TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
        var full = System.IO.Path.GetFullPath(file);
        return full.Substring(root.Length).Replace(System.IO.Path.DirectorySeparatorChar, '/');
    }
}
