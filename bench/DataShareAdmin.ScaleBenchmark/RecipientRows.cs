using System;
using System.Diagnostics;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.ScaleBenchmark;

/// <summary>N people, each a recipient on agreement DS00001, inserted in one transaction in the register's own formats (no audit entries).</summary>
internal static class RecipientRows
{
    public static double Seed(string path, int count)
    {
        var started = Stopwatch.GetTimestamp();
        using var connection = RegisterRows.Open(path);
        using var transaction = connection.BeginTransaction();
        using var people = RegisterRows.Insert(connection, transaction, "people", "id", "name", "email", "normalised_email", "created_at", "version");
        using var recipients = RegisterRows.Insert(connection, transaction, "recipients", "id", "agreement_id", "person_id", "role", "added_at", "added_by", "version");
        var at = RegisterRows.Instant(DateTime.UtcNow.Date.AddDays(-100));
        for (var i = 0; i < count; i++)
        {
            var person = RegisterRows.SequentialId("PE-", (ulong)i * 0x2545F4914F6CDUL);
            var email = $"person{i}@example.org";
            RegisterRows.Run(people, person, $"Person {i}", email, email, at, 1L);
            RegisterRows.Run(recipients, RegisterRows.SequentialId("RC-", (ulong)i * 0x2545F4914F6CDUL), "DS00001", person, "Analyst", at, RegisterRows.Officer, 1L);
        }

        transaction.Commit();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
