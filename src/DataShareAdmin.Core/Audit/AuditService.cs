using System;
using System.Collections.Generic;

namespace DataShareAdmin.Core.Audit;

/// <summary>Reads and checks the audit log.</summary>
public sealed class AuditService
{
    private readonly IDataShareRegister register;
    private readonly Time.IClock clock;

    public AuditService(IDataShareRegister register, Time.IClock clock)
    {
        this.register = register;
        this.clock = clock;
    }

    /// <summary>Entries in sequence order, filtered; streamed from the register.</summary>
    public IEnumerable<AuditEntry> Read(long fromSequence, Func<AuditEntry, bool>? filter)
    {
        foreach (var entry in register.ReadAuditLog(Math.Max(1, fromSequence)))
        {
            if (filter is null || filter(entry))
            {
                yield return entry;
            }
        }
    }

    public AuditLogTestResult Test(string? expectedHead)
    {
        var expected = expectedHead is null ? null : AuditVerifier.ParseHead(expectedHead);
        var result = AuditVerifier.Verify(register.ReadAuditLog(1), register.ReadAuditHead(), expected);
        result.Register = register.Info.ToString();
        result.CheckedAt = clock.UtcNow;
        return result;
    }
}
