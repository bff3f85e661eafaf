using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.Core.Audit;

/// <summary>Reads and checks the audit log.</summary>
public sealed class AuditService
{
    private readonly IDataShareRegister register;
    private readonly Time.IClock clock;

    private readonly int progressEvery;

    public AuditService(IDataShareRegister register, Time.IClock clock, int progressEvery = 5000)
    {
        this.register = register;
        this.clock = clock;
        this.progressEvery = progressEvery;
    }

    /// <summary>
    /// Entries numbered <paramref name="fromSequence"/> or more (<see cref="long.MinValue"/> for every stored row), in
    /// sequence order, filtered; streamed from the register. An entry changed outside the module is read as far as it
    /// can be, with <see cref="AuditEntry.Problem"/> saying what could not be.
    /// </summary>
    public IEnumerable<AuditEntry> Read(long fromSequence, Func<AuditEntry, bool>? filter)
    {
        foreach (var entry in register.ReadAuditLog(fromSequence))
        {
            if (filter is null || filter(entry))
            {
                yield return entry;
            }
        }
    }

    /// <summary>The error that goes with an entry read with a problem: shown, but not as it was written.</summary>
    public static DataShareException Unreadable(AuditEntry entry) => new("AuditEntryUnreadable", DataShareErrorCategory.InvalidData,
        $"Audit entry {entry.Sequence} cannot be read as it was written: {entry.Problem}. It is shown with what could be read. The audit log has been changed outside the module: run Test-DataShareAuditLog.",
        entry.Sequence);

    /// <summary>Checks the whole chain, reporting progress and stopping when the host cancels.</summary>
    public AuditLogTestResult Test(string? expectedHead, IOperationHost host)
    {
        var expected = expectedHead is null ? null : AuditVerifier.ParseHead(expectedHead);
        var head = register.ReadAuditHead();
        // Every stored row, whatever its number: a row numbered below 1 is part of what is checked.
        var result = AuditVerifier.Verify(WithProgress(register.ReadAuditLog(long.MinValue), head?.Sequence ?? 0, host), head, expected);
        if (result.IsIntact && result.EntryCount == 0 && HoldsRecords() is { } kind)
        {
            // Every record is written with its audit entry, so an empty log beside one was removed outside the module.
            result.IsIntact = false;
            result.FirstBadSequence = 1;
            result.Problem = $"The audit log is empty, yet the register holds {kind}, each written with an audit entry: the log has been removed outside the module.";
        }

        result.Register = register.Info.ToString();
        result.CheckedAt = clock.UtcNow;
        return result;
    }

    /// <summary>The first kind of record the register holds, or null for a register with none.</summary>
    private string? HoldsRecords()
    {
        if (register.ListOrganisations().Any())
        {
            return "organisations";
        }

        if (register.ListAgreements().Any())
        {
            return "agreements";
        }

        if (register.ListPeople().Any())
        {
            return "people";
        }

        return register.ListHoldings(null).Any() ? "holdings" : null;
    }

    private IEnumerable<AuditEntry> WithProgress(IEnumerable<AuditEntry> entries, long expected, IOperationHost host)
    {
        const string activity = "Checking the audit log";
        long read = 0;
        try
        {
            foreach (var entry in entries)
            {
                host.CancellationToken.ThrowIfCancellationRequested();
                if (++read % progressEvery == 0)
                {
                    host.WriteProgress(activity, $"{read} of {expected} entries", expected > 0 ? (int)Math.Min(99, read * 100 / expected) : -1, completed: false);
                }

                yield return entry;
            }
        }
        finally
        {
            if (read >= progressEvery)
            {
                host.WriteProgress(activity, $"{read} entries checked", 100, completed: true);
            }
        }
    }
}
