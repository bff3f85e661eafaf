using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using Microsoft.Data.Sqlite;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.SweepBenchmark;

/// <summary>What went into a seeded register.</summary>
internal sealed class SeedReport
{
    public int Rows { get; set; }

    public int Agreements { get; set; }

    public int EndedAgreements { get; set; }

    /// <summary>Holdings whose agreement's due day has passed: what Get-DataShareRetentionPlan must return.</summary>
    public long Due { get; set; }

    public double Milliseconds { get; set; }

    public long FileBytes { get; set; }
}

/// <summary>
/// Fills a register whose schema and agreements the module has just made (the init-register child) with N BlobPrefix
/// holdings spread round-robin over its agreements, directly with Microsoft.Data.Sqlite in ONE transaction. Through
/// the module every holding would be an audited transaction with an overlap scan of all held holdings (hours for a
/// million); the rows use the register's own column formats but carry no audit entries, so a seeded register is a
/// benchmark fixture, not a register to keep. Deterministic: the same count gives the same rows.
/// </summary>
internal static class HoldingSeeder
{
    private const int ExpectedSchemaVersion = 4;
    private const int ApplicationId = 0x44534131;
    private const string CrockfordAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string Account = "benchstore";
    private const string Officer = @"CORP\bench.officer";

    public static SeedReport Seed(string path, int count)
    {
        var started = Stopwatch.GetTimestamp();
        var report = new SeedReport { Rows = count };
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, ForeignKeys = true };
        using (var connection = new SqliteConnection(builder.ToString()))
        {
            connection.Open();
            CheckSchema(connection, path);
            Execute(connection, "PRAGMA cache_size = -262144"); // 256 MiB for this connection: the index inserts stay in memory.

            // The agreements the module created, and the day each one's holdings fall due (the day after it ends plus its retention days).
            var agreements = new List<(string Id, string DueOn, bool Due)>();
            var today = DateTime.UtcNow.Date;
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT id, ends_on, retention_days FROM agreements ORDER BY id";
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    var endsOn = DateTime.ParseExact(reader.GetString(1), "yyyy-MM-dd", CultureInfo.InvariantCulture);
                    var dueOn = endsOn.AddDays(1 + reader.GetInt64(2));
                    agreements.Add((reader.GetString(0), dueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), dueOn <= today.AddDays(-2)));
                }
            }

            report.Agreements = agreements.Count;
            report.EndedAgreements = agreements.FindAll(a => a.Due).Count;
            if (agreements.Count == 0)
            {
                throw new BenchmarkException($"{path} has no agreements: the init-register child should have made them.");
            }

            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            var columns = new[] { "id", "agreement_id", "kind", "location", "account", "container", "prefix", "transfer_id", "due_on", "registered_at", "registered_by", "state", "destroyed_at", "identity", "version" };
            var names = new string[columns.Length];
            for (var i = 0; i < columns.Length; i++)
            {
                names[i] = "$p" + i.ToString(CultureInfo.InvariantCulture);
                insert.Parameters.Add(new SqliteParameter(names[i], DBNull.Value));
            }

            insert.CommandText = $"INSERT INTO holdings ({string.Join(", ", columns)}) VALUES ({string.Join(", ", names)})";
            insert.Prepare();
            var registeredAt = today.AddDays(-500);
            for (var i = 0; i < count; i++)
            {
                var a = i % agreements.Count;
                var (agreementId, dueOn, due) = agreements[a];
                var container = string.Create(CultureInfo.InvariantCulture, $"share-{a:000}");
                var prefix = string.Create(CultureInfo.InvariantCulture, $"extract-{i:0000000}/");
                var at = registeredAt.AddSeconds(i * 13L % (400L * 86400));
                Set(insert,
                    HoldingId(i), agreementId, "BlobPrefix", $"https://{Account}.blob.core.windows.net/{container}/{prefix}", Account, container, prefix, null, dueOn,
                    at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), Officer, "Held", null, $"blob:{Account}/{container}/{prefix}", 1L);
                insert.ExecuteNonQuery();
                if (due)
                {
                    report.Due++;
                }
            }

            transaction.Commit();

            // Fold the write-ahead log into the file, so the child's read-only connection starts from a plain database.
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }

        report.Milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        report.FileBytes = new FileInfo(path).Length;
        return report;
    }

    /// <summary>The module made this file moments ago: make sure it is a current-schema register with no holdings yet.</summary>
    private static void CheckSchema(SqliteConnection connection, string path)
    {
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        var application = Convert.ToInt32(Scalar(connection, "PRAGMA application_id"), CultureInfo.InvariantCulture);
        var rows = Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM holdings"), CultureInfo.InvariantCulture);
        if (version != ExpectedSchemaVersion || application != ApplicationId || rows != 0)
        {
            throw new BenchmarkException(
                $"{path} is not an empty schema-{ExpectedSchemaVersion} register (user_version {version}, application_id 0x{application:X8}, {rows} holdings): "
                + "the seeder writes schema-4 holdings columns directly; update bench/DataShareAdmin.SweepBenchmark/HoldingSeeder.cs with the schema.");
        }
    }

    /// <summary>'HD-' and ten Crockford base-32 characters, as the module's own ids; distinct for distinct i (an odd multiplier is a bijection modulo 2^50).</summary>
    private static string HoldingId(int i)
    {
        var value = (ulong)i * 0x2545F4914F6CDUL & ((1UL << 50) - 1);
        return string.Create(13, value, (span, v) =>
        {
            span[0] = 'H';
            span[1] = 'D';
            span[2] = '-';
            for (var k = 12; k >= 3; k--)
            {
                span[k] = CrockfordAlphabet[(int)(v & 31)];
                v >>= 5;
            }
        });
    }

    private static void Set(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
