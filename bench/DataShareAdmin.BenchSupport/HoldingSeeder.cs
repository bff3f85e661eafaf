using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace DataShareAdmin.BenchSupport;

/// <summary>What the holdings seeder wrote.</summary>
public sealed class HoldingSeedReport
{
    public int Rows { get; set; }

    public int Agreements { get; set; }

    /// <summary>Agreements whose holdings fall due on or before the day given to the seeder.</summary>
    public int EndedAgreements { get; set; }

    /// <summary>Holdings whose agreement's due day is on or before that day: what Get-DataShareRetentionPlan -AsOf that day returns.</summary>
    public long Due { get; set; }

    public double Milliseconds { get; set; }

    public long FileBytes { get; set; }
}

/// <summary>
/// Fills a register that already has its agreements (made by the module, or by the recipients seeder) with N
/// BlobPrefix holdings spread round-robin over those agreements, directly with Microsoft.Data.Sqlite in ONE
/// transaction. Through the module every holding would be an audited transaction with an overlap scan of all held
/// holdings (hours for a million); the rows use the register's own column formats but carry no audit entries.
/// Deterministic: the same agreements, count and day give the same rows.
/// </summary>
public static class HoldingSeeder
{
    private const string Account = "benchstore";

    /// <summary>
    /// Seeds <paramref name="count"/> holdings; a holding counts as due when its agreement's due day (the day after it
    /// ends plus its retention days) is on or before <paramref name="dueBy"/>.
    /// </summary>
    public static HoldingSeedReport Seed(string path, int count, DateTime dueBy)
    {
        var started = Stopwatch.GetTimestamp();
        var report = new HoldingSeedReport { Rows = count };
        using (var connection = RegisterRows.Open(path))
        {
            RegisterRows.CheckEmpty(connection, path, "bench/DataShareAdmin.BenchSupport/HoldingSeeder.cs", "holdings");
            RegisterRows.Execute(connection, "PRAGMA cache_size = -262144"); // 256 MiB for this connection: the index inserts stay in memory.

            var agreements = AgreementDueDays(connection);
            report.Agreements = agreements.Count;
            report.EndedAgreements = agreements.FindAll(a => a.DueOn <= dueBy.Date).Count;
            if (agreements.Count == 0)
            {
                throw new BenchmarkException($"{path} has no agreements: make them before seeding holdings.");
            }

            using var transaction = connection.BeginTransaction();
            using var insert = RegisterRows.Insert(connection, transaction, "holdings",
                "id", "agreement_id", "kind", "location", "account", "container", "prefix", "transfer_id", "due_on", "registered_at", "registered_by", "state",
                "destroyed_at", "identity", "version");
            var registeredAt = dueBy.Date.AddDays(-500);
            for (var i = 0; i < count; i++)
            {
                var a = i % agreements.Count;
                var (agreementId, dueOn) = agreements[a];
                var container = string.Create(CultureInfo.InvariantCulture, $"share-{a:000}");
                var prefix = string.Create(CultureInfo.InvariantCulture, $"extract-{i:0000000}/");
                RegisterRows.Run(insert,
                    RegisterRows.SequentialId("HD-", (ulong)i * 0x2545F4914F6CDUL), agreementId, "BlobPrefix", $"https://{Account}.blob.core.windows.net/{container}/{prefix}",
                    Account, container, prefix, null, RegisterRows.Date(dueOn), RegisterRows.Instant(registeredAt.AddSeconds(i * 13L % (400L * 86400))), RegisterRows.Officer,
                    "Held", null, $"blob:{Account}/{container}/{prefix}", 1L);
                if (dueOn <= dueBy.Date)
                {
                    report.Due++;
                }
            }

            transaction.Commit();

            // Fold the write-ahead log into the file, so the child's read-only connection starts from a plain database.
            RegisterRows.Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }

        report.Milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        report.FileBytes = new FileInfo(path).Length;
        return report;
    }

    /// <summary>
    /// Each agreement of the register at <paramref name="path"/> and the day its holdings fall due (the day after it
    /// ends plus its retention days, as TransferRules.AgreementDueOn), by id.
    /// </summary>
    public static List<(string Id, DateTime DueOn)> AgreementDueDays(string path)
    {
        using var connection = RegisterRows.Open(path);
        return AgreementDueDays(connection);
    }

    private static List<(string Id, DateTime DueOn)> AgreementDueDays(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        var agreements = new List<(string Id, DateTime DueOn)>();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT id, ends_on, retention_days FROM agreements ORDER BY id";
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            var endsOn = DateTime.ParseExact(reader.GetString(1), "yyyy-MM-dd", CultureInfo.InvariantCulture);
            agreements.Add((reader.GetString(0), endsOn.AddDays(1 + reader.GetInt64(2))));
        }

        return agreements;
    }
}
