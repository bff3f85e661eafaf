using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// The SQLite register's audit log: entries appended in the write's transaction, and read back exactly as stored.
/// A column's value is taken only as UTF-8 text (SQLite also holds bytes, numbers and invalid UTF-8 in a TEXT
/// column), and every row is read, whatever its number, so a change made with an SQLite tool shows.
/// </summary>
public sealed partial class SqliteRegister
{
    private const string InsertAuditSql = """
        INSERT INTO audit_log (sequence, timestamp, actor, machine, action, target_type, target_id, details, previous_hash, hash)
        VALUES ($sequence, $timestamp, $actor, $machine, $action, $type, $target, $details, $previous, $hash)
        """;

    private const string SelectAuditSql =
        "SELECT sequence, timestamp, actor, machine, action, target_type, target_id, details, previous_hash, hash FROM audit_log";

    private static readonly string[] AuditColumns = { "timestamp", "actor", "machine", "action", "target_type", "target_id", "details", "previous_hash", "hash" };

    public void AppendAudit(AuditEvent audit) => Write(audit, _ => { });

    public IEnumerable<AuditEntry> ReadAuditLog(long fromSequence) =>
        Query(SelectAuditSql + " WHERE sequence >= $from ORDER BY sequence", ReadAuditEntry, ("$from", fromSequence));

    public AuditHead? ReadAuditHead() => First(Query("SELECT sequence, hash FROM audit_head WHERE id = 1", ReadHead));

    private static (string Name, object? Value)[] AuditParameters(AuditEntry entry)
    {
        AuditStoredForm.RequireReadable(entry);
        return new (string, object?)[]
        {
            ("$sequence", entry.Sequence), ("$timestamp", DateText.FormatInstant(entry.Timestamp)), ("$actor", entry.Actor),
            ("$machine", entry.Machine), ("$action", entry.Action), ("$type", entry.TargetType), ("$target", entry.TargetId),
            ("$details", AuditStoredForm.FormatDetails(entry.Details)), ("$previous", entry.PreviousHash), ("$hash", entry.Hash),
        };
    }

    private static void AppendAudit(SqliteConnection connection, SqliteTransaction transaction, IClock clock, AuditIdentity identity, AuditEvent audit)
    {
        AuditHead? head = null;
        using (var command = Command(connection, transaction, "SELECT sequence, hash FROM audit_head WHERE id = 1"))
        using (var reader = command.ExecuteReader())
        {
            if (reader.Read())
            {
                head = ReadHead(reader);
            }
        }

        AuditStoredForm.RequireChainable(head);

        var entry = AuditChain.Chain(audit, clock.UtcNow, identity.User, identity.Machine, head);

        using var insert = Command(connection, transaction, InsertAuditSql + """
            ;
            INSERT INTO audit_head (id, sequence, hash) VALUES (1, $sequence, $hash)
                ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash;
            """, AuditParameters(entry));
        insert.ExecuteNonQuery();
    }

    private static AuditEntry ReadAuditEntry(SqliteDataReader r)
    {
        var stored = new StoredAuditEntry { Sequence = r.GetInt64(0) };
        var values = new string?[AuditColumns.Length];
        for (var i = 0; i < AuditColumns.Length; i++)
        {
            values[i] = StoredText(r, i + 1, AuditColumns[i], stored.Problems);
        }

        stored.Timestamp = values[0];
        stored.Actor = values[1];
        stored.Machine = values[2];
        stored.Action = values[3];
        stored.TargetType = values[4];
        stored.TargetId = values[5];
        stored.Details = values[6];
        stored.PreviousHash = values[7];
        stored.Hash = values[8];
        return AuditStoredForm.Read(stored);
    }

    private static AuditHead ReadHead(SqliteDataReader r)
    {
        var problems = new List<string>();
        long sequence = 0;
        if (r.GetFieldType(0) == typeof(long))
        {
            sequence = r.GetInt64(0);
        }
        else
        {
            problems.Add("its sequence is not a whole number");
        }

        var hash = StoredText(r, 1, "its hash", problems);
        return new AuditHead { Sequence = sequence, Hash = hash ?? string.Empty, Problem = problems.Count == 0 ? null : string.Join("; ", problems) };
    }

    /// <summary>A column's text exactly as stored: null (with a problem) unless it is text, and a problem unless it is valid UTF-8.</summary>
    private static string? StoredText(SqliteDataReader r, int ordinal, string column, List<string> problems)
    {
        if (r.IsDBNull(ordinal))
        {
            problems.Add($"{column} is missing");
            return null;
        }

        var type = r.GetFieldType(ordinal);
        var bytes = r.GetFieldValue<byte[]>(ordinal);
        var text = AuditStoredForm.DecodeUtf8(bytes, column, problems);
        if (type != typeof(string))
        {
            problems.Add($"{column} is stored as {(type == typeof(byte[]) ? "bytes" : "a number")}, not as text");
        }

        return text;
    }

    private void RestoreAuditEntry(SqliteTransaction transaction, AuditEntry e) => Execute(transaction, InsertAuditSql, AuditParameters(e));

    private void RestoreAuditHead(SqliteTransaction transaction, AuditHead? head)
    {
        if (head is not null)
        {
            AuditStoredForm.RequireReadable(head);
            Execute(transaction, "INSERT INTO audit_head (id, sequence, hash) VALUES (1, $sequence, $hash)", ("$sequence", head.Sequence), ("$hash", head.Hash));
        }
    }
}
