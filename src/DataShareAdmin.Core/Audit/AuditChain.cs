using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Audit;

/// <summary>
/// The audit log's hash chain. Each entry's hash covers a canonical text of its fields and the previous entry's
/// hash, so editing, removing or reordering an entry breaks every hash after it. The canonical text depends only
/// on the entry's values, never on how a backend stores them, so a register copied between backends still verifies.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private const string FormatVersion = "dsa-audit-v1";

    /// <summary>Fills in sequence, previous hash and hash for an entry that follows <paramref name="head"/>.</summary>
    public static AuditEntry Chain(AuditEntry entry, AuditHead? head)
    {
        entry.Sequence = (head?.Sequence ?? 0) + 1;
        entry.PreviousHash = head?.Hash ?? GenesisHash;
        entry.Timestamp = DateText.Truncate(entry.Timestamp);
        entry.Hash = ComputeHash(entry);
        return entry;
    }

    /// <summary>The entry <paramref name="audit"/> becomes when made by <paramref name="user"/> on <paramref name="machine"/> at <paramref name="at"/>, after <paramref name="head"/>.</summary>
    public static AuditEntry Chain(AuditEvent audit, DateTimeOffset at, string user, string machine, AuditHead? head) => Chain(new AuditEntry
    {
        Timestamp = at,
        Actor = user,
        Machine = machine,
        Action = audit.Action,
        TargetType = audit.TargetType,
        TargetId = audit.TargetId,
        Details = audit.Details,
    }, head);

    public static string ComputeHash(AuditEntry entry)
    {
        using var sha = SHA256.Create();
        var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(CanonicalText(entry)));
        var builder = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            builder.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>A JSON array of the fields in a fixed order, details sorted by key (ordinal).</summary>
    internal static string CanonicalText(AuditEntry entry)
    {
        var text = new StringBuilder(256);
        text.Append('[');
        AppendString(text, FormatVersion).Append(',');
        text.Append(entry.Sequence.ToString(CultureInfo.InvariantCulture)).Append(',');
        AppendString(text, DateText.FormatInstant(entry.Timestamp)).Append(',');
        AppendString(text, entry.Actor).Append(',');
        AppendString(text, entry.Machine).Append(',');
        AppendString(text, entry.Action).Append(',');
        AppendString(text, entry.TargetType).Append(',');
        AppendString(text, entry.TargetId).Append(',');
        text.Append('{');
        var keys = new List<string>(entry.Details.Keys);
        keys.Sort(StringComparer.Ordinal);
        for (var i = 0; i < keys.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            AppendString(text, keys[i]).Append(':');
            AppendString(text, entry.Details[keys[i]]);
        }

        text.Append("},");
        AppendString(text, entry.PreviousHash);
        text.Append(']');
        return text.ToString();
    }

    private static StringBuilder AppendString(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"');
    }
}
