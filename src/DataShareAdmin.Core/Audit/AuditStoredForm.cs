using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Audit;

/// <summary>
/// An audit entry as a backend stores it: the text of each column, taken as it is, and what the backend itself
/// found wrong with the row (a column of the wrong type, bytes that are not UTF-8, a property missing or added).
/// </summary>
internal sealed class StoredAuditEntry
{
    public long Sequence { get; set; }

    public string? Timestamp { get; set; }

    public string? Actor { get; set; }

    public string? Machine { get; set; }

    public string? Action { get; set; }

    public string? TargetType { get; set; }

    public string? TargetId { get; set; }

    public string? Details { get; set; }

    public string? PreviousHash { get; set; }

    public string? Hash { get; set; }

    public List<string> Problems { get; } = new();
}

/// <summary>
/// The one text form of an audit entry's time and details in every backend, and the strict reading of it back. The
/// hash covers values, not their stored form, so a value stored in another form (a time written differently, details
/// re-spaced, re-ordered, re-escaped or with a key twice) would still verify: reading accepts only the exact form the
/// module writes, and anything else is an entry changed outside the module. Reading never throws on stored data.
/// </summary>
public static class AuditStoredForm
{
    /// <summary>The stored text of an entry's details: a JSON object of text values, keys in ordinal order.</summary>
    /// <exception cref="DataShareException">AuditDetailsDuplicateKey or AuditDetailsInvalid: the details could not be read back as given.</exception>
    public static string FormatDetails(IReadOnlyDictionary<string, string> details)
    {
        var text = Serialize(details);
        var parsed = ParseDetails(text, new List<string>(), out var duplicate);
        if (duplicate is not null)
        {
            throw new DataShareException("AuditDetailsDuplicateKey", DataShareErrorCategory.InvalidData,
                $"The audit entry's details would be stored with the key '{Shorten(duplicate)}' twice (keys that differ only in characters that are not valid Unicode). Nothing was changed.", duplicate);
        }

        foreach (var pair in details)
        {
            if (!parsed.TryGetValue(pair.Key, out var value) || !string.Equals(value, pair.Value, StringComparison.Ordinal))
            {
                throw new DataShareException("AuditDetailsInvalid", DataShareErrorCategory.InvalidData,
                    $"The audit entry's detail '{pair.Key}' holds text that cannot be stored as given (characters that are not valid Unicode). Nothing was changed.", null);
            }
        }

        return text;
    }

    /// <summary>Refuses to store an entry that was not read as it was written (copying it would launder the change).</summary>
    public static void RequireReadable(AuditEntry entry)
    {
        if (entry.Problem is not null || entry.Sequence < 1)
        {
            throw new DataShareException("AuditEntryUnreadable", DataShareErrorCategory.InvalidData,
                $"Audit entry {entry.Sequence} cannot be read as it was written ({entry.Problem ?? "it is numbered below 1"}), so it is not copied: a copy would hide the change. Run Test-DataShareAuditLog on the source and restore it from a backup.",
                entry.Sequence);
        }
    }

    /// <summary>Refuses to copy a stored head that was not read as it was written.</summary>
    public static void RequireReadable(AuditHead head)
    {
        if (head.Problem is not null)
        {
            throw new DataShareException("AuditHeadUnreadable", DataShareErrorCategory.InvalidData,
                $"The audit log's stored head cannot be read as it was written ({head.Problem}), so it is not copied. Run Test-DataShareAuditLog on the source and restore it from a backup.", null);
        }
    }

    /// <summary>Refuses to chain a new entry onto a stored head that was not read as it was written.</summary>
    public static void RequireChainable(AuditHead? head)
    {
        if (head?.Problem is { } problem)
        {
            throw new DataShareException("AuditHeadUnreadable", DataShareErrorCategory.InvalidData,
                $"The audit log's stored head cannot be read as it was written ({problem}), so no entry can be chained onto it and nothing was changed. Run Test-DataShareAuditLog and restore the register from a backup.", null);
        }
    }

    /// <summary>The entry a stored row holds: every field that could be read, and <see cref="AuditEntry.Problem"/> for what could not.</summary>
    internal static AuditEntry Read(StoredAuditEntry stored)
    {
        var problems = new List<string>(stored.Problems);
        var entry = new AuditEntry
        {
            Sequence = stored.Sequence,
            Actor = Required(stored.Actor, "the user", problems),
            Machine = Required(stored.Machine, "the computer", problems),
            Action = Required(stored.Action, "the action", problems),
            TargetType = Required(stored.TargetType, "the target type", problems),
            TargetId = Required(stored.TargetId, "the target id", problems),
            PreviousHash = Required(stored.PreviousHash, "the previous hash", problems),
            Hash = Required(stored.Hash, "the hash", problems),
        };

        if (stored.Timestamp is null)
        {
            problems.Add("the time is missing");
        }
        else if (!TryParseInstant(stored.Timestamp, out var timestamp))
        {
            problems.Add($"the time '{Shorten(stored.Timestamp)}' is not a time");
        }
        else
        {
            entry.Timestamp = timestamp;
            if (!string.Equals(DateText.FormatInstant(timestamp), stored.Timestamp, StringComparison.Ordinal))
            {
                problems.Add($"the time '{Shorten(stored.Timestamp)}' is not in the form the module writes");
            }
        }

        if (stored.Details is null)
        {
            problems.Add("the details are missing");
        }
        else
        {
            var found = new List<string>();
            var details = ParseDetails(stored.Details, found, out _);
            if (found.Count == 0)
            {
                entry.Details = details;
                if (!string.Equals(Serialize(details), stored.Details, StringComparison.Ordinal))
                {
                    found.Add("the details are not in the form the module writes");
                }
            }

            problems.AddRange(found);
        }

        entry.Problem = problems.Count == 0 ? null : string.Join("; ", problems);
        return entry;
    }

    /// <summary>UTF-8 bytes decoded only when they are valid UTF-8; otherwise the text with replacement characters, and a problem.</summary>
    internal static string DecodeUtf8(byte[] bytes, string column, List<string> problems)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            problems.Add($"{column} holds bytes that are not UTF-8 text");
            return Encoding.UTF8.GetString(bytes);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string Serialize(IReadOnlyDictionary<string, string> details)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in details)
        {
            sorted[pair.Key] = pair.Value;
        }

        return JsonSerializer.Serialize(sorted);
    }

    /// <summary>A JSON object whose values are all text, each key once; anything else adds a problem and gives what was read so far.</summary>
    private static Dictionary<string, string> ParseDetails(string text, List<string> problems, out string? duplicate)
    {
        duplicate = null;
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problems.Add("the details are not a JSON object");
                return details;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    problems.Add($"the detail '{Shorten(key)}' is not text");
                    return details;
                }

                if (details.ContainsKey(key))
                {
                    duplicate = key;
                    problems.Add($"the detail '{Shorten(key)}' appears twice");
                    return details;
                }

                details[key] = reader.GetString()!;
            }

            if (reader.Read())
            {
                problems.Add("the details have more after their end");
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            problems.Add("the details are not valid JSON");
        }

        return details;
    }

    private static string Required(string? value, string what, List<string> problems)
    {
        if (value is null)
        {
            problems.Add(what + " is missing");
        }

        return value ?? string.Empty;
    }

    private static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        try
        {
            instant = DateText.ParseInstant(text);
            return true;
        }
        catch (FormatException)
        {
            instant = default;
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "…";
}
