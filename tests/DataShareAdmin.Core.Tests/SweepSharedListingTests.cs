using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DataShareAdmin.Core.Retention;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Due prefix holdings sharing a container are measured by one listing of it and verified by one more: each listed
/// name goes to the one due holding whose prefix it starts with, a name under no due prefix (another agreement's, a
/// sibling like p/ab beside p/a/, escapes and look-alikes) is neither deleted nor counted, verification still catches
/// what was written meanwhile, and the shared listing gives way to listings holding by holding when it reads too much
/// that is not due.
/// </summary>
public sealed class SweepSharedListingTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 8, 1, 9, 0, 0, TimeSpan.Zero);
    private const string Account = "https://contosodata.blob.core.windows.net/";

    /// <summary>Names beside the due prefixes p/a/, p/b/, p/c/ that none of them holds, however they might be read.</summary>
    private static readonly string[] NotDue =
    {
        "p/ab/keep.csv", "p/a", "p/a%2Fkeep.csv", "p/a\\keep.csv", "p/\u00e1/keep.csv", "p/a\u0301/keep.csv", "p/a\uFF0Fkeep.csv",
        "p/A/keep.csv", "p/b%2F..%2Fa/keep.csv", "q/a/keep.csv", "p/\U0001F600/keep.csv",
    };

    private readonly TestRegister test = new(Now);
    private readonly FakeHost host = new();
    private readonly MemoryRetentionStorage storage = new();
    private readonly List<DataShareException> errors = new();

    public SweepSharedListingTests()
    {
        // DS1 ended 30 June, kept 10 days: due 11 July. DS2 runs to the end of the year.
        foreach (var (id, ends) in new[] { ("DS1", "2026-06-30"), ("DS2", "2026-12-31") })
        {
            var agreement = Samples.Agreement(id, "2026-01-01", ends);
            agreement.RetentionDays = 10;
            Engine.Agreements.Create(agreement, host);
            Engine.Agreements.Approve(id, "DSAP-" + id, new DateTime(2026, 1, 1), Samples.Decision(), host);
        }
    }

    private DataShareEngine Engine => test.Engine;

    private DataShareHolding Hold(string agreementId, string location) => Engine.Retention.Register(agreementId, location, host)!;

    private List<DestructionRecord> Sweep(SweepOptions? options = null)
    {
        // Output only from this thread, as a cmdlet's host requires: measuring runs side by side on others.
        host.PipelineThread = Environment.CurrentManagedThreadId;
        try
        {
            return Engine.Retention.Sweep(options ?? new SweepOptions(), account => account == storage.AccountName ? storage : null, host, errors.Add).ToList();
        }
        finally
        {
            host.PipelineThread = null;
        }
    }

    private List<string> ListingsOf(string container) => storage.Listings.Where(l => l.StartsWith(container + "|", StringComparison.Ordinal)).ToList();

    /// <summary>Due p/a/, p/b/, p/c/ of DS1 in "share", two blobs each; DS2 holds p/ab/; the names of <see cref="NotDue"/> beside them.</summary>
    private Dictionary<string, DataShareHolding> ThreeDueBesideOthers()
    {
        var due = new Dictionary<string, DataShareHolding>(StringComparer.Ordinal);
        foreach (var p in new[] { "a", "b", "c" })
        {
            due[p] = Hold("DS1", $"{Account}share/p/{p}/");
            storage.Add("share", $"p/{p}/1.csv", 10);
            storage.Add("share", $"p/{p}/sub/2.csv", 5);
        }

        Hold("DS2", Account + "share/p/ab/");
        foreach (var name in NotDue)
        {
            storage.Add("share", name, 1);
        }

        return due;
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 6)]
    public void Due_prefixes_in_one_container_are_measured_and_verified_by_one_listing_and_nothing_beside_them_is_touched(bool share, int listings)
    {
        var due = ThreeDueBesideOthers();
        var solo = Hold("DS1", Account + "solo/x/");
        storage.Add("solo", "x/1.csv", 3);

        var records = Sweep(new SweepOptions { ShareListings = share });

        Assert.Empty(errors);
        Assert.Equal(4, records.Count);
        Assert.All(records, r => Assert.Equal((DestructionOutcome.Destroyed, true, 0L), (r.Outcome, r.Verified, r.ObjectsRemaining)));
        foreach (var (p, holding) in due)
        {
            var record = records.Single(r => r.HoldingId == holding.Id);
            Assert.Equal((2L, 15L), (record.ObjectsDeleted, record.BytesDeleted));
            Assert.Equal(HoldingState.Destroyed, Engine.Register.FindHolding(holding.Id)!.State);
        }

        Assert.Equal((1L, 3L), records.Where(r => r.HoldingId == solo.Id).Select(r => (r.ObjectsDeleted, r.BytesDeleted)).Single());
        Assert.Equal(NotDue.OrderBy(n => n, StringComparer.Ordinal), storage.Containers["share"].Keys.OrderBy(n => n, StringComparer.Ordinal));
        Assert.All(storage.Deleted, d => Assert.Matches("^(share/p/[abc]/|solo/x/)", d));
        Assert.Equal(7, storage.Deleted.Count);

        // The request count: one measuring and one verifying listing for the container, under the common prefix p/.
        Assert.Equal(listings, ListingsOf("share").Count);
        if (share)
        {
            Assert.All(ListingsOf("share"), l => Assert.Equal("share|p/", l));
            Assert.Contains(host.Verbose, v => v.Contains("one listing measured 6 object(s) of 3 due holding(s); 10 name(s) under no due prefix", StringComparison.Ordinal));
        }

        Assert.Equal(new[] { "solo|x/", "solo|x/" }, ListingsOf("solo"));
    }

    [Fact]
    public void A_name_under_a_due_prefix_whose_dot_segments_lead_to_a_sibling_is_refused_by_its_own_holding()
    {
        var due = ThreeDueBesideOthers();
        storage.Add("share", "p/a/../ab/keep.csv", 1);

        var records = Sweep();

        var a = records.Single(r => r.HoldingId == due["a"].Id);
        Assert.Equal((DestructionOutcome.Incomplete, false, 2L, 1L), (a.Outcome, a.Verified, a.ObjectsDeleted, a.ObjectsRemaining));
        Assert.Contains("'p/a/../ab/keep.csv'", a.Reason, StringComparison.Ordinal);
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(due["a"].Id)!.State);
        Assert.All(records.Where(r => r.HoldingId != due["a"].Id), r => Assert.Equal(DestructionOutcome.Destroyed, r.Outcome));
        Assert.Contains("p/a/../ab/keep.csv", storage.Containers["share"].Keys);
        Assert.Contains("p/ab/keep.csv", storage.Containers["share"].Keys);
        Assert.Equal(2, ListingsOf("share").Count);
    }

    [Fact]
    public void The_shared_verification_catches_a_blob_written_under_a_due_prefix_during_the_sweep()
    {
        var due = ThreeDueBesideOthers();
        var once = 0;
        storage.OnDelete = _ =>
        {
            if (Interlocked.Exchange(ref once, 1) == 0)
            {
                storage.Add("share", "p/c/written-meanwhile.csv", 7);
                storage.Add("share", "p/ab/written-meanwhile.csv", 7);
            }
        };

        var records = Sweep();

        Assert.Empty(errors);
        Assert.All(records, r => Assert.Equal((DestructionOutcome.Destroyed, true), (r.Outcome, r.Verified)));
        Assert.Equal((3L, 22L), records.Where(r => r.HoldingId == due["c"].Id).Select(r => (r.ObjectsDeleted, r.BytesDeleted)).Single());
        Assert.DoesNotContain("p/c/written-meanwhile.csv", storage.Containers["share"].Keys);
        Assert.Contains("p/ab/written-meanwhile.csv", storage.Containers["share"].Keys);

        // Shared measuring and verifying, then the one holding that had more is listed by itself to verify its second round.
        Assert.Equal(new[] { "share|p/", "share|p/", "share|p/c/" }, ListingsOf("share"));
    }

    [Fact]
    public void The_shared_listing_gives_way_to_listings_holding_by_holding_when_it_reads_more_outside_names_than_allowed()
    {
        var due = ThreeDueBesideOthers();
        for (var i = 0; i < 20; i++)
        {
            storage.Add("share", $"p/ab/other-{i:00}.csv", 1);
        }

        // In name order the listing reads p/A/keep.csv, p/a and p/a%2Fkeep.csv (none due) before p/a/1.csv: the third is
        // more than 0 due + 2 allowed.
        var records = Sweep(new SweepOptions { OutsideNamesAllowed = 2 });

        Assert.Empty(errors);
        Assert.All(records, r => Assert.Equal((DestructionOutcome.Destroyed, 2L), (r.Outcome, r.ObjectsDeleted)));
        Assert.Equal(3, records.Count);
        Assert.Equal(21, storage.Containers["share"].Keys.Count(k => k.StartsWith("p/ab/", StringComparison.Ordinal)));
        Assert.Equal(NotDue.Length + 20, storage.Containers["share"].Count);
        Assert.Contains(host.Verbose, v => v.Contains("the shared measuring listing read 3 name(s) under no due prefix against 0 due, more than the 2 allowed", StringComparison.Ordinal));
        var listings = ListingsOf("share");
        Assert.Equal("share|p/", listings[0]);
        Assert.Equal(new[] { "share|p/a/", "share|p/a/", "share|p/b/", "share|p/b/", "share|p/c/", "share|p/c/" }, listings.Skip(1).OrderBy(l => l, StringComparer.Ordinal));
        Assert.All(due.Values, h => Assert.Equal(HoldingState.Destroyed, Engine.Register.FindHolding(h.Id)!.State));
    }

    [Fact]
    public void The_shared_verification_gives_way_when_names_outside_the_due_prefixes_grow_during_the_sweep()
    {
        ThreeDueBesideOthers();
        var once = 0;
        storage.OnDelete = _ =>
        {
            if (Interlocked.Exchange(ref once, 1) == 0)
            {
                for (var i = 0; i < 20; i++)
                {
                    storage.Add("share", $"p/ab/new-{i:00}.csv", 1);
                }
            }
        };

        // The measuring listing read the 10 names of NotDue under p/ (never more than 8 over the due ones read so far);
        // verifying reads 30, and gives way at the 19th, more than 10 + 8.
        var records = Sweep(new SweepOptions { OutsideNamesAllowed = 8 });

        Assert.Empty(errors);
        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal((DestructionOutcome.Destroyed, true), (r.Outcome, r.Verified)));
        Assert.Contains(host.Verbose, v => v.Contains("the shared verifying listing read 19 name(s) under no due prefix", StringComparison.Ordinal));
        Assert.Equal(new[] { "share|p/", "share|p/" }, ListingsOf("share").Take(2));
        Assert.Equal(new[] { "share|p/a/", "share|p/b/", "share|p/c/" }, ListingsOf("share").Skip(2).OrderBy(l => l, StringComparer.Ordinal));
        Assert.Equal(20, storage.Containers["share"].Keys.Count(k => k.StartsWith("p/ab/new-", StringComparison.Ordinal)));
    }

    [Fact]
    public void Nested_or_whole_container_due_holdings_are_never_listed_together()
    {
        // DS1 may hold p/a/ and p/a/sub/ (one agreement's overlap): a name under both would belong to two holdings.
        var outer = Hold("DS1", Account + "share/p/a/");
        var inner = Hold("DS1", Account + "share/p/a/sub/");
        Hold("DS1", Account + "share/p/b/");
        storage.Add("share", "p/a/1.csv");
        storage.Add("share", "p/a/sub/2.csv");
        storage.Add("share", "p/b/3.csv");
        Hold("DS1", Account + "whole");
        Hold("DS1", Account + "whole/p/x/");
        storage.Add("whole", "p/x/4.csv");
        storage.Add("whole", "5.csv");

        var records = Sweep();

        Assert.Empty(errors);
        Assert.Equal(5, records.Count);
        Assert.Equal(6, ListingsOf("share").Count);
        Assert.Equal(4, ListingsOf("whole").Count);
        Assert.DoesNotContain("share|p/", ListingsOf("share"));
        Assert.Equal(DestructionOutcome.Destroyed, records.Single(r => r.HoldingId == outer.Id).Outcome);
        Assert.Equal(DestructionOutcome.Destroyed, records.Single(r => r.HoldingId == inner.Id).Outcome);
        Assert.Empty(storage.Containers["share"]);
    }

    [Fact]
    public void Blocked_declined_and_held_holdings_of_a_container_neither_hold_up_nor_widen_the_others()
    {
        var due = ThreeDueBesideOthers();
        var d = Hold("DS1", Account + "share/p/d/");
        storage.Add("share", "p/d/1.csv", 4);
        storage.LegalHolds.Add("p/a/1.csv");
        Engine.Holds.Add(new RetentionHoldRequest { HoldingId = due["c"].Id, Reason = "complaint under investigation", ApprovedBy = "Dana Officer", Until = new DateTime(2026, 12, 1) }, host);
        host.ApproveTarget = target => !target.EndsWith("/p/b/", StringComparison.Ordinal);

        var records = Sweep();

        Assert.Empty(errors);
        Assert.Equal(new[] { due["a"].Id, d.Id }.OrderBy(i => i), records.Select(r => r.HoldingId).OrderBy(i => i));
        Assert.Equal((DestructionOutcome.Blocked, 1L, 1L), records.Where(r => r.HoldingId == due["a"].Id).Select(r => (r.Outcome, r.ObjectsDeleted, r.ObjectsRemaining)).Single());
        Assert.Equal((DestructionOutcome.Destroyed, true, 1L), records.Where(r => r.HoldingId == d.Id).Select(r => (r.Outcome, r.Verified, r.ObjectsDeleted)).Single());
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(due["a"].Id)!.State);

        // The declined holding and the one under a retention hold are untouched; only a and d were deleted from.
        Assert.Contains("p/b/1.csv", storage.Containers["share"].Keys);
        Assert.Contains("p/c/1.csv", storage.Containers["share"].Keys);
        Assert.All(storage.Deleted, x => Assert.Matches("^share/p/[ad]/", x));
        Assert.Equal(new[] { "share|p/", "share|p/" }, ListingsOf("share"));
        Assert.DoesNotContain(host.Asked, a => a.StartsWith("Delete ", StringComparison.Ordinal) && a.EndsWith("/p/c/", StringComparison.Ordinal));
        Assert.Contains(host.Asked, a => a.StartsWith("Delete 2 object(s)", StringComparison.Ordinal) && a.EndsWith("/p/b/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dry_run_measures_a_container_with_one_listing_and_deletes_nothing()
    {
        ThreeDueBesideOthers();

        Assert.Empty(Sweep(new SweepOptions { DryRun = true }));

        Assert.Empty(errors);
        Assert.Empty(storage.Deleted);
        Assert.Equal(new[] { "share|p/" }, ListingsOf("share"));
        Assert.Equal(3, host.Asked.Count(a => a.StartsWith("Delete 2 object(s)", StringComparison.Ordinal)));
    }

    public void Dispose() => test.Dispose();
}
