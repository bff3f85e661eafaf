using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Azure.Data.Tables;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// The Table register's audit log: one row per entry under <c>au!&lt;sequence&gt;</c>, and the head under
/// <c>auhead</c>. A row is read as an entry only when it is exactly the row the module writes for that entry: the same
/// properties, of the same types, the details split the same way, under its own key. Anything else (a property
/// removed, added or retyped, text cut at other places) is an entry changed outside the module.
/// </summary>
public sealed partial class TableRegister
{
    private static readonly HashSet<string> SystemProperties = new(StringComparer.Ordinal) { "PartitionKey", "RowKey", "Timestamp", "odata.etag" };

    public void AppendAudit(AuditEvent audit) => Write(audit, _ => new Ops());

    public IEnumerable<AuditEntry> ReadAuditLog(long fromSequence)
    {
        // Every row in the log's key range is read from the start (rows numbered below 1 or keyed out of form sort
        // anywhere in it), and kept when its number is in range.
        var from = fromSequence <= 0 ? Prefix("au") : Key("au", Sequence(fromSequence));
        foreach (var entity in Query($"PartitionKey eq '{Quote(partition)}' and RowKey ge '{Quote(from)}' and RowKey lt '{Quote(End(Prefix("au")))}'"))
        {
            var entry = Entry(entity);
            if (entry.Sequence >= fromSequence)
            {
                yield return entry;
            }
        }
    }

    public AuditHead? ReadAuditHead() => Get("auhead") is { } head ? HeadOf(head) : null;

    private TableEntity HeadRow(long sequence, string hash) => new(partition, "auhead") { ["Sequence"] = sequence, ["Hash"] = hash };

    /// <summary>The head a new entry chains onto; one that cannot be read stops the write.</summary>
    private static AuditHead? WritableHead(TableEntity? row)
    {
        if (row is null)
        {
            return null;
        }

        var head = HeadOf(row);
        AuditStoredForm.RequireChainable(head);
        return head;
    }

    private static AuditHead HeadOf(TableEntity row)
    {
        var problems = new List<string>();
        var sequence = row.TryGetValue("Sequence", out var value) && value is long number ? number : 0;
        if (value is not long)
        {
            problems.Add("its sequence is missing or not a whole number");
        }

        var hash = StoredText(row, "Hash", problems);
        if (hash is null)
        {
            problems.Add("its hash is missing");
        }

        problems.AddRange(row.Keys.Where(k => !SystemProperties.Contains(k) && k is not ("Sequence" or "Hash")).Select(k => $"it has a property '{k}' the module does not write"));
        return new AuditHead { Sequence = sequence, Hash = hash ?? string.Empty, Problem = problems.Count == 0 ? null : string.Join("; ", problems) };
    }

    private TableEntity EntryRow(AuditEntry entry)
    {
        AuditStoredForm.RequireReadable(entry);
        var row = new TableEntity(partition, Key("au", Sequence(entry.Sequence)))
        {
            ["Kind"] = "Audit",
            ["Sequence"] = entry.Sequence,
            ["At"] = DateText.FormatInstant(entry.Timestamp),
            ["Actor"] = entry.Actor,
            ["Machine"] = entry.Machine,
            ["Action"] = entry.Action,
            ["TargetType"] = entry.TargetType,
            ["TargetId"] = entry.TargetId,
            ["PreviousHash"] = entry.PreviousHash,
            ["Hash"] = entry.Hash,
        };
        Put(row, "Details", AuditStoredForm.FormatDetails(entry.Details));
        return row;
    }

    private AuditEntry Entry(TableEntity row)
    {
        var stored = new StoredAuditEntry();
        var problems = stored.Problems;
        if (row.TryGetValue("Sequence", out var value) && value is long sequence)
        {
            stored.Sequence = sequence;
        }
        else
        {
            // Where the row sits in the log is the best number left to report it under.
            problems.Add("its sequence is missing or not a whole number");
            stored.Sequence = long.TryParse(row.RowKey.Substring(Math.Min(row.RowKey.Length, 3)), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var keyed) ? keyed : 0;
        }

        stored.Timestamp = StoredText(row, "At", problems);
        stored.Actor = StoredText(row, "Actor", problems);
        stored.Machine = StoredText(row, "Machine", problems);
        stored.Action = StoredText(row, "Action", problems);
        stored.TargetType = StoredText(row, "TargetType", problems);
        stored.TargetId = StoredText(row, "TargetId", problems);
        stored.PreviousHash = StoredText(row, "PreviousHash", problems);
        stored.Hash = StoredText(row, "Hash", problems);
        stored.Details = StoredDetails(row, problems);

        var entry = AuditStoredForm.Read(stored);
        if (entry.Problem is null)
        {
            try
            {
                entry.Problem = Difference(row, EntryRow(entry));
            }
            catch (DataShareException ex)
            {
                entry.Problem = ex.Message;
            }
        }

        return entry;
    }

    /// <summary>How a stored row differs from the row the module writes for the entry it holds, or null when it does not.</summary>
    private static string? Difference(TableEntity row, TableEntity expected)
    {
        var problems = new List<string>();
        if (!string.Equals(row.RowKey, expected.RowKey, StringComparison.Ordinal))
        {
            problems.Add($"its row key '{row.RowKey}' is not the one the module writes for it ('{expected.RowKey}')");
        }

        foreach (var property in expected.Keys.Where(k => !SystemProperties.Contains(k)))
        {
            if (!row.TryGetValue(property, out var stored))
            {
                problems.Add($"its property '{property}' is missing");
            }
            else if (!Equals(stored, expected[property]))
            {
                problems.Add($"its property '{property}' is not stored as the module writes it");
            }
        }

        problems.AddRange(row.Keys.Where(k => !SystemProperties.Contains(k) && !expected.ContainsKey(k)).Select(k => $"it has a property '{k}' the module does not write"));
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>A property's text; a property of another type is shown as text, with a problem.</summary>
    private static string? StoredText(TableEntity row, string name, List<string> problems)
    {
        if (!row.TryGetValue(name, out var value) || value is null)
        {
            return null;
        }

        if (value is string text)
        {
            return text;
        }

        problems.Add($"{name} is stored as {value.GetType().Name}, not as text");
        return value is byte[] bytes ? AuditStoredForm.DecodeUtf8(bytes, name, problems) : Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    /// <summary>The details' text put back together from its parts as they are; how it was split is checked against the module's split afterwards.</summary>
    private static string? StoredDetails(TableEntity row, List<string> problems)
    {
        var parts = row.TryGetValue("DetailsParts", out var count) && count is int number && number is > 0 and <= 15 ? number : 1;
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < parts; i++)
        {
            var part = StoredText(row, i == 0 ? "Details" : "Details_" + i.ToString(CultureInfo.InvariantCulture), problems);
            if (part is null)
            {
                return i == 0 ? null : text.ToString();
            }

            text.Append(part);
        }

        return text.ToString();
    }
}
