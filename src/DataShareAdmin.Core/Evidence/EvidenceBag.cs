using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace DataShareAdmin.Core.Evidence;

/// <summary>
/// A BagIt bag (RFC 8493) in a zip: <c>&lt;root&gt;/bagit.txt</c>, <c>bag-info.txt</c>, the payload under
/// <c>data/</c>, <c>manifest-sha512.txt</c> over every payload file and <c>tagmanifest-sha512.txt</c> over every
/// other tag file. Text is UTF-8 with LF line ends; manifest lines are <c>&lt;hex&gt;␠␠&lt;path&gt;</c>, the form
/// <c>sha512sum -c</c> reads, so a pack can be checked by hand with standard tools.
/// </summary>
public static class EvidenceBag
{
    public const string Declaration = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";

    public const string DeclarationFile = "bagit.txt";

    public const string InfoFile = "bag-info.txt";

    public const string ManifestFile = "manifest-sha512.txt";

    public const string TagManifestFile = "tagmanifest-sha512.txt";

    public const string PayloadFolder = "data/";

    private static readonly UTF8Encoding Utf8 = new(false);

    /// <summary>Writes the bag into <paramref name="output"/> as a zip whose one top folder is <paramref name="root"/>.</summary>
    public static void Write(Stream output, string root, IReadOnlyList<(string Path, byte[] Content)> payload, IReadOnlyList<(string Label, string Value)> info, DateTimeOffset at)
    {
        var manifest = new StringBuilder();
        long octets = 0;
        foreach (var (path, content) in payload)
        {
            manifest.Append(Sha512(content)).Append("  ").Append(PayloadFolder).Append(path).Append('\n');
            octets += content.Length;
        }

        var infoText = new StringBuilder();
        foreach (var (label, value) in info)
        {
            infoText.Append(label).Append(": ").Append(OneLine(value)).Append('\n');
        }

        infoText.Append("Payload-Oxum: ").Append(octets.ToString(CultureInfo.InvariantCulture)).Append('.')
            .Append(payload.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');

        var tags = new List<(string Path, byte[] Content)>
        {
            (DeclarationFile, Utf8.GetBytes(Declaration)),
            (InfoFile, Utf8.GetBytes(infoText.ToString())),
            (ManifestFile, Utf8.GetBytes(manifest.ToString())),
        };
        var tagManifest = new StringBuilder();
        foreach (var (path, content) in tags)
        {
            tagManifest.Append(Sha512(content)).Append("  ").Append(path).Append('\n');
        }

        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (path, content) in tags)
        {
            Add(zip, root + "/" + path, content, at);
        }

        foreach (var (path, content) in payload)
        {
            Add(zip, root + "/" + PayloadFolder + path, content, at);
        }

        Add(zip, root + "/" + TagManifestFile, Utf8.GetBytes(tagManifest.ToString()), at);
    }

    /// <summary>The lower-case hex SHA-512 of <paramref name="content"/>.</summary>
    public static string Sha512(byte[] content)
    {
        using var sha = SHA512.Create();
        var digest = sha.ComputeHash(content);
        var text = new StringBuilder(digest.Length * 2);
        foreach (var b in digest)
        {
            text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>A bag-info value on one line: line breaks and other control characters become spaces.</summary>
    private static string OneLine(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(char.IsControl(c) ? ' ' : c);
        }

        return text.ToString().Trim();
    }

    private static void Add(ZipArchive zip, string name, byte[] content, DateTimeOffset at)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = at;
        using var stream = entry.Open();
        stream.Write(content, 0, content.Length);
    }
}
