using System;
using System.Collections.Generic;

namespace DataShareAdmin;

/// <summary>One entry of the hash-chained audit log.</summary>
public sealed class AuditEntry
{
    private ReadableDictionary details = new();

    public long Sequence { get; set; }

    /// <summary>UTC, to the millisecond (the precision every backend keeps).</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>The user who made the change.</summary>
    public string Actor { get; set; } = string.Empty;

    /// <summary>The machine the change was made from.</summary>
    public string Machine { get; set; } = string.Empty;

    /// <summary>What was done, e.g. Agreement.Create.</summary>
    public string Action { get; set; } = string.Empty;

    public string TargetType { get; set; } = string.Empty;

    public string TargetId { get; set; } = string.Empty;

    /// <summary>Each changed field's value (reads as "Name=value; Name=value", as Export-Csv writes it).</summary>
    public IReadOnlyDictionary<string, string> Details { get => details; set => details = ReadableDictionary.Of(value); }

    public string PreviousHash { get; set; } = string.Empty;

    public string Hash { get; set; } = string.Empty;

    /// <summary>
    /// Why this entry cannot be read as the module wrote it (the storage was changed around the module), or null.
    /// Such an entry shows what could be read; Test-DataShareAuditLog reports the log broken at it.
    /// </summary>
    public string? Problem { get; set; }

    public override string ToString() => Sequence + " " + Action + " " + TargetId;
}

/// <summary>What a change asks the register to append to the audit log; the register completes time, actor and chain.</summary>
public sealed class AuditEvent
{
    public AuditEvent(string action, string targetType, string targetId, IDictionary<string, string?>? details = null)
    {
        Action = action;
        TargetType = targetType;
        TargetId = targetId;
        var copy = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (details is not null)
        {
            foreach (var pair in details)
            {
                if (pair.Value is not null)
                {
                    copy[pair.Key] = pair.Value;
                }
            }
        }

        Details = copy;
    }

    public string Action { get; }

    public string TargetType { get; }

    public string TargetId { get; }

    public IReadOnlyDictionary<string, string> Details { get; }
}

/// <summary>The last entry's sequence and hash, kept apart from the entries so a cut-off tail shows.</summary>
public sealed class AuditHead
{
    public long Sequence { get; set; }

    public string Hash { get; set; } = string.Empty;

    /// <summary>Why the stored head cannot be read as the module wrote it, or null.</summary>
    public string? Problem { get; set; }

    /// <summary>The form to write down elsewhere and pass back to Test-DataShareAuditLog -ExpectedHead.</summary>
    public override string ToString() => Sequence + ":" + Hash;
}

/// <summary>The result of checking the audit chain.</summary>
public sealed class AuditLogTestResult
{
    public bool IsIntact { get; set; }

    public long EntryCount { get; set; }

    public long HeadSequence { get; set; }

    public string HeadHash { get; set; } = string.Empty;

    /// <summary><c>sequence:hash</c>, to record somewhere the register's writers cannot reach.</summary>
    public string Head { get; set; } = string.Empty;

    /// <summary>The first entry that does not verify, when the chain is broken.</summary>
    public long? FirstBadSequence { get; set; }

    /// <summary>What is wrong, in words, when the chain is broken.</summary>
    public string? Problem { get; set; }

    public string Register { get; set; } = string.Empty;

    public DateTimeOffset CheckedAt { get; set; }
}
