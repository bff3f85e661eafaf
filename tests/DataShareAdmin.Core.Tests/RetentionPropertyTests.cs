using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Retention;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Property-based tests of what retention may touch: holdings are matched by their stored parts, never by how names
/// look, and nothing is planned before its own day.
/// </summary>
public sealed class RetentionPropertyTests
{
    private static readonly string[] Segments = { "share", "share-1", "share-12", "share-123", "ds1", "ds12", "a", "ab" };

    private static string Prefix(int[] picks) => string.Concat(picks.Select(p => Segments[Math.Abs(p % Segments.Length)] + "/"));

    [Property(MaxTest = 500)]
    public Property Two_prefixes_overlap_exactly_when_one_is_a_whole_segment_path_inside_the_other(int[] first, int[] second, bool otherContainer)
    {
        var a = HoldingLocation.Parse("https://contosodata.blob.core.windows.net/data/" + Prefix(first));
        var b = HoldingLocation.Parse("https://contosodata.blob.core.windows.net/" + (otherContainer ? "data2" : "data") + "/" + Prefix(second));
        var segmentsA = Prefix(first).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var segmentsB = Prefix(second).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var shorter = Math.Min(segmentsA.Length, segmentsB.Length);
        var nested = segmentsA.Take(shorter).SequenceEqual(segmentsB.Take(shorter));
        return (a.Overlaps(b) == (!otherContainer && nested) && a.Overlaps(b) == b.Overlaps(a)).ToProperty();
    }

    [Property(MaxTest = 300)]
    public Property A_blob_belongs_to_a_holding_only_inside_its_own_account_container_and_prefix(int[] holdingPicks, int[] blobPicks, bool otherAccount, bool otherContainer)
    {
        var holding = HoldingLocation.Parse("https://contosodata.blob.core.windows.net/data/" + Prefix(holdingPicks));
        var blobName = Prefix(blobPicks) + "file.csv";
        var inside = holding.Contains(otherAccount ? "otheraccount" : "contosodata", otherContainer ? "data2" : "data", blobName);
        var expected = !otherAccount && !otherContainer && blobName.StartsWith(holding.Prefix ?? string.Empty, StringComparison.Ordinal)
            && (holding.Prefix is null || blobName.Split('/').Take(holding.Prefix.Count(c => c == '/')).SequenceEqual(holding.Prefix.TrimEnd('/').Split('/')));
        return (inside == expected).ToProperty();
    }

    [Property(MaxTest = 40)]
    public Property The_plan_holds_exactly_the_held_holdings_whose_own_day_has_come(byte[] endOffsets, byte[] retentions, byte probe)
    {
        using var test = new TestRegister(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var host = new FakeHost();
        var count = Math.Min(6, Math.Min(endOffsets.Length, retentions.Length));
        var expected = new Dictionary<string, DateTime>();
        for (var i = 0; i < count; i++)
        {
            var agreement = Samples.Agreement("DS" + i, "2025-01-01", new DateTime(2026, 1, 1).AddDays(endOffsets[i]).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            agreement.RetentionDays = retentions[i] % 60;
            test.Engine.Agreements.Create(agreement, host);
            var holding = test.Engine.Retention.Register("DS" + i, $"https://contosodata.blob.core.windows.net/data/share-{i}/", host)!;
            expected[holding.Id] = agreement.EndsOn.AddDays(1 + agreement.RetentionDays);
        }

        var day = new DateTime(2026, 1, 1).AddDays(probe * 2);
        var plan = test.Engine.Retention.Plan(day).ToList();
        var wanted = expected.Where(e => e.Value <= day).Select(e => e.Key).OrderBy(k => k, StringComparer.Ordinal);
        return (plan.Select(p => p.HoldingId).OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(wanted)
            && plan.All(p => p.DueOn <= day && p.DueOn == expected[p.HoldingId])).ToProperty();
    }

    [Property(MaxTest = 60)]
    public Property A_sweep_deletes_no_blob_outside_the_due_holdings_prefixes(int[] duePick, int[] otherPick, int[] blobPicks)
    {
        using var test = new TestRegister(new DateTimeOffset(2026, 8, 1, 12, 0, 0, TimeSpan.Zero));
        var host = new FakeHost();
        var ended = Samples.Agreement("DS1", "2026-01-01", "2026-06-30");
        ended.RetentionDays = 0;
        test.Engine.Agreements.Create(ended, host);
        test.Engine.Agreements.Create(Samples.Agreement("DS2", "2026-01-01", "2026-12-31"), host);
        var duePrefix = Prefix(duePick.Length == 0 ? new[] { 0 } : duePick);
        test.Engine.Retention.Register("DS1", "https://contosodata.blob.core.windows.net/data/" + duePrefix, host);
        var otherPrefix = Prefix(otherPick.Length == 0 ? new[] { 1 } : otherPick);
        try
        {
            test.Engine.Retention.Register("DS2", "https://contosodata.blob.core.windows.net/data/" + otherPrefix, host);
        }
        catch (DataShareException ex) when (ex.ErrorId == "HoldingOverlapsAnotherAgreement")
        {
            // Overlapping look-alikes are refused at registration: the sweep below must still touch only DS1's prefix.
        }

        var storage = new MemoryRetentionStorage();
        var names = new List<string>();
        for (var i = 0; i < Math.Min(blobPicks.Length, 12); i++)
        {
            var name = Prefix(new[] { blobPicks[i], blobPicks[(i + 1) % blobPicks.Length] }) + $"f{i}.csv";
            storage.Add("data", name);
            names.Add(name);
        }

        storage.Add("data", duePrefix + "always.csv");
        test.Engine.Retention.Sweep(new SweepOptions(), _ => storage, host, _ => { }).ToList();

        var left = storage.Containers.TryGetValue("data", out var blobs) ? blobs.Keys.ToHashSet() : new HashSet<string>();
        return (storage.Deleted.All(d => d.StartsWith("data/" + duePrefix, StringComparison.Ordinal))
            && names.All(n => n.StartsWith(duePrefix, StringComparison.Ordinal) ? !left.Contains(n) : left.Contains(n))
            && !left.Contains(duePrefix + "always.csv")).ToProperty();
    }
}
