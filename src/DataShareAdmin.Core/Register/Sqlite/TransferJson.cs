using System;
using System.Collections.Generic;
using System.Text.Json;

namespace DataShareAdmin.Core.Register;

/// <summary>A transfer's files and recipients stored as small JSON arrays: the same text in every backend. No link.</summary>
internal static class TransferJson
{
    private sealed class File
    {
        public string Name { get; set; } = string.Empty;

        public long Size { get; set; }

        public string Sha256 { get; set; } = string.Empty;
    }

    public static string WriteFiles(IEnumerable<TransferFile> files)
    {
        var list = new List<File>();
        foreach (var file in files)
        {
            // Only what identifies the file; TransferFile.Uri (the link) is deliberately not carried over.
            list.Add(new File { Name = file.Name, Size = file.Size, Sha256 = file.Sha256 });
        }

        return JsonSerializer.Serialize(list);
    }

    public static TransferFile[] ReadFiles(string json)
    {
        var files = JsonSerializer.Deserialize<List<File>>(json) ?? new List<File>();
        var result = new TransferFile[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            result[i] = new TransferFile { Name = files[i].Name, Size = files[i].Size, Sha256 = files[i].Sha256 };
        }

        return result;
    }

    public static string WriteIds(IEnumerable<string> ids) => JsonSerializer.Serialize(new List<string>(ids));

    public static string[] ReadIds(string json) => (JsonSerializer.Deserialize<List<string>>(json) ?? new List<string>()).ToArray();
}
