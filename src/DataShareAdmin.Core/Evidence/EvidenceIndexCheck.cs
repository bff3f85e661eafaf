using System;
using System.Collections.Generic;
using System.Text.Json;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Evidence;

/// <summary>
/// Checks the index (data/evidence.json): strict JSON with no key twice in an object, a schema version this module
/// reads, and the audit entries: each entry's hash recomputed with the audit log's own hashing, each link following
/// the one before, no sequence missing or repeated, ending at the head recorded in the index and in bag-info.txt.
/// </summary>
internal static class EvidenceIndexCheck
{
    private const string Entry = EvidenceBag.PayloadFolder + EvidenceService.IndexFile;

    public static void Check(byte[] index, string? recordedHead, EvidenceTestResult result, List<EvidenceProblem> problems)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(index, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            problems.Add(EvidenceVerifier.Problem("EvidenceIndexInvalid", Entry, "The index is not valid JSON: " + ex.Message));
            return;
        }

        using (document)
        {
            if (DuplicateKey(document.RootElement) is { } duplicate)
            {
                problems.Add(EvidenceVerifier.Problem("EvidenceIndexDuplicateKey", Entry, $"The index names '{duplicate}' twice in one object: a reader could take either value."));
                return;
            }

            try
            {
                CheckContent(document.RootElement, recordedHead, result, problems);
            }
            catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException or FormatException)
            {
                problems.Add(EvidenceVerifier.Problem("EvidenceIndexInvalid", Entry, "The index does not have the shape of schema version 1: " + ex.Message));
            }
        }
    }

    private static void CheckContent(JsonElement root, string? recordedHead, EvidenceTestResult result, List<EvidenceProblem> problems)
    {
        if (root.GetProperty("schema").GetString() != EvidenceDocument.SchemaName || root.GetProperty("schemaVersion").GetInt32() != EvidenceDocument.CurrentSchemaVersion)
        {
            problems.Add(EvidenceVerifier.Problem("EvidenceSchemaUnsupported", Entry, $"The index is not '{EvidenceDocument.SchemaName}' version {EvidenceDocument.CurrentSchemaVersion}, the one this module reads."));
            return;
        }

        result.AgreementId = root.GetProperty("agreement").GetProperty("id").GetString();
        var audit = root.GetProperty("audit");
        var head = audit.GetProperty("head");
        var headSequence = head.GetProperty("sequence").GetInt64();
        var headHash = head.GetProperty("hash").GetString() ?? string.Empty;
        result.AuditHead = headSequence + ":" + headHash;
        if (!string.Equals(recordedHead, result.AuditHead, StringComparison.Ordinal))
        {
            problems.Add(EvidenceVerifier.Problem("EvidenceAuditHeadMismatch", Entry, $"The index records the audit head {result.AuditHead}, and bag-info.txt records {recordedHead ?? "none"}."));
        }

        // Entries (recomputed) and gaps (taken as given) in one sequence: each item covers From..To and ends with Hash.
        var chain = new SortedDictionary<long, (long To, string? Previous, string Hash)>();
        foreach (var item in audit.GetProperty("entries").EnumerateArray())
        {
            var entry = ToEntry(item);
            result.AuditEntries++;
            if (!string.Equals(AuditChain.ComputeHash(entry), entry.Hash, StringComparison.Ordinal))
            {
                problems.Add(EvidenceVerifier.Problem("EvidenceAuditEntryAltered", Entry, $"Audit entry {entry.Sequence} has been altered: its fields no longer give its hash."));
            }

            if (!Add(chain, entry.Sequence, entry.Sequence, entry.PreviousHash, entry.Hash, problems))
            {
                return;
            }
        }

        foreach (var item in audit.GetProperty("gaps").EnumerateArray())
        {
            if (!Add(chain, item.GetProperty("fromSequence").GetInt64(), item.GetProperty("toSequence").GetInt64(), null, Required(item, "lastHash"), problems))
            {
                return;
            }
        }

        if (result.AuditEntries == 0)
        {
            problems.Add(EvidenceVerifier.Problem("EvidenceAuditChainBroken", Entry, "The index holds no audit entry about the agreement: every agreement has at least the one that created it."));
            return;
        }

        long expected = 1;
        var previous = AuditChain.GenesisHash;
        foreach (var item in chain)
        {
            if (item.Key != expected)
            {
                problems.Add(EvidenceVerifier.Problem("EvidenceAuditChainBroken", Entry, item.Key > expected
                    ? $"Audit entry {expected} is missing: the pack goes on at {item.Key}. An entry was removed."
                    : $"Audit entry {item.Key} is given twice (in an entry or a gap)."));
                return;
            }

            // A gap's own previous hash is not in the pack; an entry's must be the hash of what comes before it.
            if (item.Value.Previous is not null && !string.Equals(item.Value.Previous, previous, StringComparison.Ordinal))
            {
                problems.Add(EvidenceVerifier.Problem("EvidenceAuditChainBroken", Entry, $"Audit entry {item.Key} does not follow entry {item.Key - 1} (its previous hash differs): an entry was removed, replaced or reordered."));
                return;
            }

            previous = item.Value.Hash;
            expected = item.Value.To + 1;
        }

        if (expected - 1 != headSequence || !string.Equals(previous, headHash, StringComparison.Ordinal))
        {
            problems.Add(EvidenceVerifier.Problem("EvidenceAuditChainBroken", Entry, $"The pack's entries end at {expected - 1} ({previous}), not at the head it records ({result.AuditHead}): entries at the end were removed."));
        }
    }

    private static bool Add(SortedDictionary<long, (long To, string? Previous, string Hash)> chain, long from, long to, string? previous, string hash, List<EvidenceProblem> problems)
    {
        if (from < 1 || to < from || chain.ContainsKey(from))
        {
            problems.Add(EvidenceVerifier.Problem("EvidenceAuditChainBroken", Entry, $"Audit entry {from} is given more than once, or a run of entries is numbered wrongly ({from} to {to})."));
            return false;
        }

        chain[from] = (to, previous, hash);
        return true;
    }

    private static AuditEntry ToEntry(JsonElement item)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in item.GetProperty("details").EnumerateObject())
        {
            details[pair.Name] = pair.Value.GetString() ?? throw new FormatException($"detail '{pair.Name}' is not text");
        }

        return new AuditEntry
        {
            Sequence = item.GetProperty("sequence").GetInt64(),
            Timestamp = DateText.ParseInstant(Required(item, "timestamp")),
            Actor = Required(item, "actor"),
            Machine = Required(item, "machine"),
            Action = Required(item, "action"),
            TargetType = Required(item, "targetType"),
            TargetId = Required(item, "targetId"),
            Details = details,
            PreviousHash = Required(item, "previousHash"),
            Hash = Required(item, "hash"),
        };
    }

    private static string Required(JsonElement item, string name) =>
        item.GetProperty(name).GetString() ?? throw new FormatException($"'{name}' is null");

    /// <summary>The first key found twice in one object, anywhere in the document; null when there is none.</summary>
    private static string? DuplicateKey(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!names.Add(property.Name))
                    {
                        return property.Name;
                    }

                    if (DuplicateKey(property.Value) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (DuplicateKey(item) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
