using System;
using System.Collections.Generic;

namespace DataShareAdmin.Core.Audit;

/// <summary>
/// Walks the chain from the first entry and reports the first one that does not verify. Pure: it takes the
/// entries and the stored head, so it runs the same over any backend.
/// </summary>
/// <remarks>
/// What it cannot prove: someone able to rewrite the whole log and its head can produce a new chain that
/// verifies. Record the head (<c>sequence:hash</c>) somewhere the register's writers cannot change and pass it
/// back as the expected head; only then is a rewrite detectable.
/// </remarks>
public static class AuditVerifier
{
    public static AuditLogTestResult Verify(IEnumerable<AuditEntry> entries, AuditHead? storedHead, AuditHead? expectedHead = null)
    {
        var result = new AuditLogTestResult
        {
            IsIntact = true,
            HeadSequence = storedHead?.Sequence ?? 0,
            HeadHash = storedHead?.Hash ?? string.Empty,
            Head = storedHead?.ToString() ?? "0:",
        };

        long expectedSequence = 1;
        var previousHash = AuditChain.GenesisHash;
        long count = 0;

        // After the first break the rest is only counted: EntryCount is the whole log as stored.
        foreach (var entry in entries)
        {
            count++;
            if (!result.IsIntact)
            {
                continue;
            }

            var problem = Check(entry, expectedSequence, previousHash, expectedHead, out var badSequence);
            if (problem is not null)
            {
                Broken(result, badSequence, problem);
                continue;
            }

            previousHash = entry.Hash;
            expectedSequence++;
        }

        result.EntryCount = count;
        if (!result.IsIntact)
        {
            return result;
        }

        var lastSequence = expectedSequence - 1;
        var lastHead = lastSequence == 0 ? "0:" : lastSequence + ":" + previousHash;

        if (storedHead is null)
        {
            if (lastSequence > 0)
            {
                return Broken(result, lastSequence, "The stored head of the log is missing, so a removed tail could not be detected.");
            }
        }
        else if (storedHead.Problem is not null)
        {
            return Broken(result, Math.Max(1, lastSequence), $"The stored head of the log cannot be read as it was written ({storedHead.Problem}).");
        }
        else if (storedHead.Sequence > lastSequence)
        {
            return Broken(result, lastSequence + 1,
                $"The log has been cut short: the stored head records entry {storedHead.Sequence} but the last entry is {lastSequence}.");
        }
        else if (storedHead.Sequence < lastSequence || !string.Equals(storedHead.Hash, previousHash, StringComparison.Ordinal))
        {
            return Broken(result, Math.Max(1, Math.Min(storedHead.Sequence + 1, lastSequence)),
                $"The stored head ({storedHead}) does not match the last entry ({lastHead}).");
        }

        if (expectedHead is not null && expectedHead.Sequence > lastSequence)
        {
            return Broken(result, lastSequence + 1,
                $"The log ends at entry {lastSequence}, before the head recorded elsewhere ({expectedHead}): entries have been removed.");
        }

        return result;
    }

    /// <summary>What is wrong with the entry found where entry <paramref name="expectedSequence"/> belongs, or null.</summary>
    private static string? Check(AuditEntry entry, long expectedSequence, string previousHash, AuditHead? expectedHead, out long badSequence)
    {
        badSequence = entry.Sequence;
        if (entry.Sequence < 1)
        {
            return $"Entry {entry.Sequence} is numbered below 1, which the module never writes: a row was added to the log or renumbered outside the module.";
        }

        if (entry.Sequence != expectedSequence)
        {
            if (entry.Sequence < expectedSequence)
            {
                return $"Entry {entry.Sequence} appears out of order after entry {expectedSequence - 1}.";
            }

            badSequence = expectedSequence;
            return $"Entry {expectedSequence} is missing: the next entry found is {entry.Sequence}.";
        }

        if (entry.Problem is not null)
        {
            return $"Entry {entry.Sequence} cannot be read as it was written: {entry.Problem}. It has been changed outside the module.";
        }

        if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
        {
            return $"Entry {entry.Sequence} does not follow the entry before it (previous hash differs): an entry was removed, replaced or reordered.";
        }

        if (!string.Equals(AuditChain.ComputeHash(entry), entry.Hash, StringComparison.Ordinal))
        {
            return $"Entry {entry.Sequence} has been altered: its content no longer matches its hash.";
        }

        if (expectedHead is not null && entry.Sequence == expectedHead.Sequence
            && !string.Equals(entry.Hash, expectedHead.Hash, StringComparison.OrdinalIgnoreCase))
        {
            return $"Entry {entry.Sequence} differs from the head recorded elsewhere ({expectedHead}): the log has been rewritten from this entry on.";
        }

        return null;
    }

    /// <summary>Parses the <c>sequence:hash</c> form that Test-DataShareAuditLog prints.</summary>
    public static AuditHead ParseHead(string text)
    {
        var colon = text?.IndexOf(':') ?? -1;
        if (text is null || colon <= 0 || !long.TryParse(text.Substring(0, colon), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var sequence))
        {
            throw new DataShareException("AuditHeadInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{text}' is not an audit head. Pass the Head that Test-DataShareAuditLog printed, in the form <sequence>:<hash>.", text);
        }

        var hash = text.Substring(colon + 1).Trim();
        if (sequence > 0 ? hash.Length != 64 || !IsHex(hash) : hash.Length != 0)
        {
            throw new DataShareException("AuditHeadInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{text}' is not an audit head: after ':' comes the 64-character SHA-256 hash of that entry (nothing for the empty log, '0:').", text);
        }

        return new AuditHead { Sequence = sequence, Hash = hash.ToLowerInvariant() };
    }

    private static bool IsHex(string text)
    {
        foreach (var c in text)
        {
            if (!Uri.IsHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static AuditLogTestResult Broken(AuditLogTestResult result, long sequence, string problem)
    {
        result.IsIntact = false;
        result.FirstBadSequence = sequence;
        result.Problem = problem;
        return result;
    }
}
