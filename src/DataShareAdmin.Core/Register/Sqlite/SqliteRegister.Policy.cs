using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>Policy settings: only those changed from their defaults are stored.</summary>
public sealed partial class SqliteRegister
{
    public IEnumerable<PolicyValue> ReadPolicy() => Query("SELECT * FROM policy ORDER BY name", ReadPolicyValue);

    public PolicyValue? FindPolicy(string name)
    {
        foreach (var value in Query("SELECT * FROM policy WHERE name = $name COLLATE NOCASE", ReadPolicyValue, ("$name", name)))
        {
            return value;
        }

        return null;
    }

    private static PolicyValue ReadPolicyValue(SqliteDataReader r) => new()
    {
        Name = Text(r, "name")!,
        Value = Text(r, "value")!,
        ModifiedAt = DateText.ParseInstant(Text(r, "modified_at")!),
        ModifiedBy = Text(r, "modified_by")!,
    };

    public void WritePolicy(string name, string? expected, string? value, AuditEvent audit) => Write(audit, transaction =>
    {
        // Read again inside the write transaction (which holds the write lock), so the audit entry's Before is true.
        string? stored;
        using (var read = Command(transaction, "SELECT value FROM policy WHERE name = $name", ("$name", name)))
        {
            stored = read.ExecuteScalar() as string;
        }

        if (!string.Equals(stored, expected, StringComparison.Ordinal))
        {
            throw new RegisterConflictException($"Policy setting '{name}' was changed by another writer.");
        }

        if (value is null)
        {
            Execute(transaction, "DELETE FROM policy WHERE name = $name", ("$name", name));
            return;
        }

        Execute(transaction, """
            INSERT INTO policy (name, value, modified_at, modified_by) VALUES ($name, $value, $at, $by)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, modified_at = excluded.modified_at, modified_by = excluded.modified_by
            """, ("$name", name), ("$value", value), ("$at", DateText.FormatInstant(clock.UtcNow)), ("$by", identity.User));
    });

    private void RestorePolicy(SqliteTransaction transaction, PolicyValue v) =>
        Execute(transaction, "INSERT INTO policy (name, value, modified_at, modified_by) VALUES ($name, $value, $at, $by)",
            ("$name", v.Name), ("$value", v.Value), ("$at", DateText.FormatInstant(v.ModifiedAt)), ("$by", v.ModifiedBy));
}
