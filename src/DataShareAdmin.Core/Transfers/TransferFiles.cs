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

/// <summary>The files New-DataShareTransfer -Path names: files as given, and every file under a folder.</summary>
internal static class TransferFiles
{
    /// <summary>Files as given, and every file under a folder (its name relative to the folder); no name twice.</summary>
    public static List<SourceFile> Resolve(IReadOnlyList<string> paths, IOperationHost host)
    {
        if (paths.Count == 0)
        {
            throw new DataShareException("TransferNoFiles", DataShareErrorCategory.InvalidArgument, "Give -Path: the files or folders to send.", null);
        }

        var files = new List<SourceFile>();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                Add(path, System.IO.Path.GetFileName(path));
            }
            else if (Directory.Exists(path))
            {
                var inFolder = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal).ToList();
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
                throw new DataShareException("TransferFileNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no file or folder '{path}'.", path);
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

    private static string RelativeName(string folder, string file)
    {
        var root = System.IO.Path.GetFullPath(folder).TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
        var full = System.IO.Path.GetFullPath(file);
        return full.Substring(root.Length).Replace(System.IO.Path.DirectorySeparatorChar, '/');
    }
}
