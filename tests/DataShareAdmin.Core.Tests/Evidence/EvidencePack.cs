using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using DataShareAdmin.Core.Evidence;

namespace DataShareAdmin.Core.Tests.Evidence;

/// <summary>A pack's entries in order, to change one and zip them again (as someone who edits a pack would).</summary>
internal sealed class EvidencePack
{
    public EvidencePack(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Entries.Add((entry.FullName, copy.ToArray()));
        }
    }

    public List<(string Name, byte[] Content)> Entries { get; } = new();

    public string Root => Entries[0].Name.Split('/')[0];

    public byte[] this[string bagPath]
    {
        get => Entries.Single(e => e.Name == Root + "/" + bagPath).Content;
        set
        {
            var i = Entries.FindIndex(e => e.Name == Root + "/" + bagPath);
            if (i < 0)
            {
                Entries.Add((Root + "/" + bagPath, value));
            }
            else
            {
                Entries[i] = (Entries[i].Name, value);
            }
        }
    }

    public string Text(string bagPath) => Encoding.UTF8.GetString(this[bagPath]);

    public void Remove(string bagPath) => Entries.RemoveAll(e => e.Name == Root + "/" + bagPath);

    public byte[] Zip()
    {
        var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in Entries)
            {
                using var stream = archive.CreateEntry(name).Open();
                stream.Write(content, 0, content.Length);
            }
        }

        return output.ToArray();
    }

    /// <summary>Makes the manifests, Payload-Oxum and tag manifest agree with the files again: what a forger would do.</summary>
    public void Rebag()
    {
        var payload = Entries.Where(e => e.Name.StartsWith(Root + "/data/", StringComparison.Ordinal)).ToList();
        this["manifest-sha512.txt"] = Encoding.UTF8.GetBytes(string.Concat(payload.Select(p => EvidenceBag.Sha512(p.Content) + "  " + p.Name.Substring(Root.Length + 1) + "\n")));
        var info = Text("bag-info.txt").Split('\n').Where(l => l.Length > 0 && !l.StartsWith("Payload-Oxum:", StringComparison.Ordinal))
            .Append($"Payload-Oxum: {payload.Sum(p => (long)p.Content.Length)}.{payload.Count}");
        this["bag-info.txt"] = Encoding.UTF8.GetBytes(string.Join("\n", info) + "\n");
        var tags = new[] { "bagit.txt", "bag-info.txt", "manifest-sha512.txt" };
        this["tagmanifest-sha512.txt"] = Encoding.UTF8.GetBytes(string.Concat(tags.Select(t => EvidenceBag.Sha512(this[t]) + "  " + t + "\n")));
    }

    public static EvidenceTestResult Verify(byte[] zip) => EvidenceVerifier.Verify(new MemoryStream(zip), "pack.zip");
}
