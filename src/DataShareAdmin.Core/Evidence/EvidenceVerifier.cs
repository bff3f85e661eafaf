using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace DataShareAdmin.Core.Evidence;

/// <summary>
/// Checks an evidence pack from the pack alone (an auditor has no register): the zip's entries, the bag's declaration,
/// every SHA-512 of both manifests, that the manifest and the payload list the same files, the Payload-Oxum, and the
/// audit entries' chain up to the head the pack records. Everything is read in memory: nothing is ever extracted, so
/// an entry named <c>../x</c> or <c>/etc/x</c> is a finding, never a file written. It never throws on a bad pack.
/// </summary>
public static class EvidenceVerifier
{
    /// <summary>More than this in one entry is not an evidence pack (a zip bomb is a finding, not memory exhausted).</summary>
    public const long MaxEntryBytes = 512L * 1024 * 1024;

    private static readonly Regex ManifestLine = new("^([0-9a-f]{128})  ([^\\r\\n]+)$", RegexOptions.CultureInvariant);

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static EvidenceTestResult Verify(Stream pack, string path)
    {
        var result = new EvidenceTestResult { Path = path };
        var problems = new List<EvidenceProblem>();
        try
        {
            Check(pack, result, problems);
        }
        catch (InvalidDataException ex)
        {
            problems.Add(Problem("EvidenceZipCorrupt", null, "The file is not a readable zip archive: " + ex.Message));
        }

        result.Problems = ReadableList<EvidenceProblem>.Of(problems);
        result.CheckedAt = DateTimeOffset.UtcNow;
        result.IsValid = problems.Count == 0;
        return result;
    }

    private static void Check(Stream pack, EvidenceTestResult result, List<EvidenceProblem> problems)
    {
        using var zip = new ZipArchive(pack, ZipArchiveMode.Read, leaveOpen: true);
        var files = ReadEntries(zip, problems);
        var declarations = files.Keys.Where(k => k == EvidenceBag.DeclarationFile || (k.EndsWith("/" + EvidenceBag.DeclarationFile, StringComparison.Ordinal) && k.IndexOf('/') == k.Length - EvidenceBag.DeclarationFile.Length - 1)).ToList();
        if (declarations.Count != 1)
        {
            problems.Add(Problem("EvidenceBagDeclarationMissing", EvidenceBag.DeclarationFile, declarations.Count == 0
                ? "The pack holds no bagit.txt at its top or in its one top folder: it is not a BagIt bag."
                : "The pack holds more than one bag (" + string.Join(", ", declarations) + ")."));
            return;
        }

        var root = declarations[0].Substring(0, declarations[0].Length - EvidenceBag.DeclarationFile.Length);
        var bag = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var pair in files)
        {
            if (!pair.Key.StartsWith(root, StringComparison.Ordinal))
            {
                problems.Add(Problem("EvidenceEntryOutsideBag", pair.Key, $"The entry is outside the bag's folder '{root}'."));
                continue;
            }

            bag[pair.Key.Substring(root.Length)] = pair.Value;
        }

        if (!string.Equals(Text(bag[EvidenceBag.DeclarationFile]), EvidenceBag.Declaration, StringComparison.Ordinal))
        {
            problems.Add(Problem("EvidenceBagDeclarationInvalid", EvidenceBag.DeclarationFile, "bagit.txt is not the declaration of a BagIt 1.0 bag with UTF-8 tag files."));
        }

        var payload = bag.Where(p => p.Key.StartsWith(EvidenceBag.PayloadFolder, StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        result.PayloadFiles = payload.Count;
        CheckManifest(bag, EvidenceBag.ManifestFile, payload, "EvidenceManifestMissing", problems);
        var tagFiles = bag.Where(p => !p.Key.StartsWith(EvidenceBag.PayloadFolder, StringComparison.Ordinal) && p.Key != EvidenceBag.TagManifestFile)
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        CheckManifest(bag, EvidenceBag.TagManifestFile, tagFiles, "EvidenceTagManifestMissing", problems);

        var info = ReadInfo(bag, problems);
        result.BaggingDate = info.TryGetValue("Bagging-Date", out var date) ? date : null;
        CheckOxum(info, payload, problems);
        foreach (var required in new[] { EvidenceService.IndexFile, EvidenceService.SummaryFile })
        {
            if (!payload.ContainsKey(EvidenceBag.PayloadFolder + required))
            {
                problems.Add(Problem("EvidencePayloadFileMissing", EvidenceBag.PayloadFolder + required, "An evidence pack always holds this file, and this one does not."));
            }
        }

        if (payload.TryGetValue(EvidenceBag.PayloadFolder + EvidenceService.IndexFile, out var index))
        {
            info.TryGetValue(EvidenceService.AuditHeadLabel, out var recordedHead);
            EvidenceIndexCheck.Check(index, recordedHead, result, problems);
        }
    }

    /// <summary>Every entry's bytes by name; unsafe, duplicate, oversized and unreadable entries are findings and are left out.</summary>
    private static Dictionary<string, byte[]> ReadEntries(ZipArchive zip, List<EvidenceProblem> problems)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in zip.Entries)
        {
            seen[entry.FullName] = seen.TryGetValue(entry.FullName, out var n) ? n + 1 : 1;
        }

        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName;
            if (seen[name] > 1)
            {
                problems.Add(Problem("EvidenceEntryDuplicate", name, "The zip holds more than one entry with this name (compared without regard to case): which one an unzip tool keeps is up to the tool."));
                continue;
            }

            if (UnsafeName(name) is { } why)
            {
                problems.Add(Problem("EvidenceEntryNameUnsafe", name, why + " It was not read, and nothing is ever extracted."));
                continue;
            }

            if (name.EndsWith("/", StringComparison.Ordinal))
            {
                continue;
            }

            if (entry.Length > MaxEntryBytes)
            {
                problems.Add(Problem("EvidenceEntryTooLarge", name, $"The entry unpacks to {entry.Length} bytes, more than an evidence pack ever holds ({MaxEntryBytes})."));
                continue;
            }

            try
            {
                files[name] = ReadAll(entry);
            }
            catch (InvalidDataException ex)
            {
                problems.Add(Problem("EvidenceEntryUnreadable", name, "The entry cannot be unpacked: " + ex.Message));
            }
        }

        return files;
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (copy.Length + read > MaxEntryBytes)
            {
                throw new InvalidDataException($"it unpacks to more than {MaxEntryBytes} bytes");
            }

            copy.Write(buffer, 0, read);
        }

        return copy.ToArray();
    }

    /// <summary>Why a name could escape a folder it was extracted into, or is not the form a bag uses; null when it is safe.</summary>
    internal static string? UnsafeName(string name)
    {
        if (name.Length == 0)
        {
            return "The entry has no name.";
        }

        if (name.IndexOf('\\') >= 0)
        {
            return "The name holds a backslash, which some tools take for a folder separator.";
        }

        if (name[0] == '/' || (name.Length >= 2 && name[1] == ':'))
        {
            return "The name is an absolute path.";
        }

        foreach (var c in name)
        {
            if (char.IsControl(c))
            {
                return "The name holds a control character.";
            }
        }

        var segments = name.TrimEnd('/').Split('/');
        foreach (var segment in segments)
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                return "The name holds an empty, '.' or '..' segment, which could reach outside the folder it is extracted into.";
            }
        }

        return null;
    }

    /// <summary>The manifest's lines, strictly in the form the module writes; each listed file present with that digest, and every file listed.</summary>
    private static void CheckManifest(Dictionary<string, byte[]> bag, string manifestName, Dictionary<string, byte[]> covered, string missingId, List<EvidenceProblem> problems)
    {
        if (!bag.TryGetValue(manifestName, out var manifest))
        {
            problems.Add(Problem(missingId, manifestName, $"The bag has no {manifestName}, so its files cannot be checked."));
            return;
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        var text = Text(manifest);
        if (text is null || (text.Length > 0 && !text.EndsWith("\n", StringComparison.Ordinal)))
        {
            problems.Add(Problem("EvidenceManifestLineInvalid", manifestName, "The manifest is not UTF-8 text whose every line ends with a line feed."));
            text = text is null ? string.Empty : text;
        }

        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0 && lineNumber == text.Split('\n').Length)
            {
                break;
            }

            var match = ManifestLine.Match(line);
            var path = match.Success ? DecodePath(match.Groups[2].Value) : null;
            if (path is null || UnsafeName(path) is not null)
            {
                problems.Add(Problem("EvidenceManifestLineInvalid", manifestName, $"Line {lineNumber} is not '<128 lower-case hex digits><two spaces><a safe relative path>'."));
                continue;
            }

            if (!listed.Add(path))
            {
                problems.Add(Problem("EvidenceManifestLineInvalid", manifestName, $"Line {lineNumber} lists '{path}' a second time."));
                continue;
            }

            if (!covered.TryGetValue(path, out var content))
            {
                problems.Add(Problem("EvidenceManifestFileMissing", path, $"{manifestName} lists this file, and the bag does not hold it{(bag.ContainsKey(path) ? " where this manifest covers" : string.Empty)}."));
                continue;
            }

            if (!string.Equals(EvidenceBag.Sha512(content), match.Groups[1].Value, StringComparison.Ordinal))
            {
                problems.Add(Problem("EvidenceDigestMismatch", path, $"The file's SHA-512 differs from the one {manifestName} records: it has been changed since the pack was made."));
            }
        }

        foreach (var path in covered.Keys)
        {
            if (!listed.Contains(path))
            {
                problems.Add(Problem("EvidenceFileNotInManifest", path, $"The bag holds this file, and {manifestName} does not list it: it was added after the pack was made."));
            }
        }
    }

    /// <summary>RFC 8493 percent-encodes only CR, LF and '%' in manifest paths; any other '%' is not a path the module writes.</summary>
    private static string? DecodePath(string text)
    {
        var path = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                path.Append(text[i]);
                continue;
            }

            var code = i + 2 < text.Length ? text.Substring(i + 1, 2).ToUpperInvariant() : string.Empty;
            switch (code)
            {
                case "0A": path.Append('\n'); break;
                case "0D": path.Append('\r'); break;
                case "25": path.Append('%'); break;
                default: return null;
            }

            i += 2;
        }

        return path.ToString();
    }

    private static Dictionary<string, string> ReadInfo(Dictionary<string, byte[]> bag, List<EvidenceProblem> problems)
    {
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!bag.TryGetValue(EvidenceBag.InfoFile, out var bytes))
        {
            problems.Add(Problem("EvidenceBagInfoInvalid", EvidenceBag.InfoFile, "The bag has no bag-info.txt."));
            return info;
        }

        var text = Text(bytes);
        var lines = text?.Split('\n') ?? Array.Empty<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (i == lines.Length - 1 && lines[i].Length == 0)
            {
                break;
            }

            var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
            if (colon <= 0 || lines[i].IndexOf('\r') >= 0)
            {
                problems.Add(Problem("EvidenceBagInfoInvalid", EvidenceBag.InfoFile, $"Line {i + 1} is not 'Label: value'."));
                continue;
            }

            var label = lines[i].Substring(0, colon);
            if (!info.ContainsKey(label))
            {
                info[label] = lines[i].Substring(colon + 2);
            }
            else if (label is "Payload-Oxum" or "Bagging-Date" or EvidenceService.AuditHeadLabel)
            {
                problems.Add(Problem("EvidenceBagInfoInvalid", EvidenceBag.InfoFile, $"'{label}' appears more than once."));
            }
        }

        foreach (var label in new[] { "Bagging-Date", "Payload-Oxum", EvidenceService.AuditHeadLabel, EvidenceService.PersonalDataLabel })
        {
            if (!info.ContainsKey(label))
            {
                problems.Add(Problem("EvidenceBagInfoInvalid", EvidenceBag.InfoFile, $"bag-info.txt has no '{label}' line."));
            }
        }

        return info;
    }

    private static void CheckOxum(Dictionary<string, string> info, Dictionary<string, byte[]> payload, List<EvidenceProblem> problems)
    {
        if (!info.TryGetValue("Payload-Oxum", out var oxum))
        {
            return;
        }

        var octets = payload.Values.Sum(v => (long)v.Length);
        var expected = octets.ToString(CultureInfo.InvariantCulture) + "." + payload.Count.ToString(CultureInfo.InvariantCulture);
        if (!string.Equals(oxum, expected, StringComparison.Ordinal))
        {
            problems.Add(Problem("EvidencePayloadOxumMismatch", EvidenceBag.InfoFile,
                $"Payload-Oxum records '{oxum}' (bytes.files), and the payload is {expected}: files were added, removed or changed in size."));
        }
    }

    /// <summary>The bytes as UTF-8 text, or null when they are not valid UTF-8 (or begin with a byte-order mark).</summary>
    internal static string? Text(byte[] bytes)
    {
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    internal static EvidenceProblem Problem(string id, string? entry, string message) => new() { Id = id, Entry = entry, Message = message };
}
