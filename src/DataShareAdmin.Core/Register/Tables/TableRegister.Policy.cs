using System;
using System.Collections.Generic;
using System.Linq;
using Azure.Data.Tables;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Register;

/// <summary>Policy settings (<c>pol!name</c>): only those changed from their defaults are stored.</summary>
public sealed partial class TableRegister
{
    public IEnumerable<PolicyValue> ReadPolicy() => Range(Prefix("pol")).Select(e => Read<PolicyValue>(e)!);

    public PolicyValue? FindPolicy(string name) => Read<PolicyValue>(Get(Key("pol", name.ToLowerInvariant())));

    public void WritePolicy(string name, string? expected, string? value, AuditEvent audit) => Write(audit, _ =>
    {
        // Read after the audit head, on every attempt: a writer that changed the setting since also moved the head, so
        // the transaction fails on the head and this is read again; the row's ETag guards it as well.
        var ops = new Ops();
        var key = Key("pol", name.ToLowerInvariant());
        var row = Get(key);
        if (!string.Equals(Read<PolicyValue>(row)?.Value, expected, StringComparison.Ordinal))
        {
            throw Conflict($"Policy setting '{name}' was changed by another writer.");
        }

        Func<Exception> changed = () => Conflict($"Policy setting '{name}' was changed by another writer.");
        if (value is null)
        {
            if (row is not null)
            {
                ops.Delete(key, row.ETag, changed);
            }

            return ops;
        }

        var entity = Row(key, "Policy", new PolicyValue { Name = name, Value = value, ModifiedAt = DateText.Truncate(clock.UtcNow), ModifiedBy = identity.User });
        if (row is null)
        {
            ops.Add(entity, changed);
        }
        else
        {
            ops.Replace(entity, row.ETag, changed);
        }

        return ops;
    });

    private IEnumerable<TableEntity> RestorePolicy(PolicyValue v) => new[] { Row(Key("pol", v.Name.ToLowerInvariant()), "Policy", v) };
}
