using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using DataShareAdmin.Core.Retention;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Blob storage in memory for the sweep: objects by container, legal holds and failures injected per object, soft
/// delete as the account reports it, and every delete recorded so tests can see exactly what was touched.
/// </summary>
internal sealed class MemoryRetentionStorage : IRetentionStorage
{
    public string AccountName { get; set; } = "contosodata";

    public string Endpoint => Core.Storage.StorageEndpoint.Key(new Uri($"https://{AccountName}.blob.core.windows.net"), AccountName);

    /// <summary>Container → blob name → size (snapshots are "name@snap").</summary>
    public ConcurrentDictionary<string, ConcurrentDictionary<string, long>> Containers { get; } = new();

    public HashSet<string> LegalHolds { get; } = new();

    public ConcurrentBag<string> Deleted { get; } = new();

    public string SoftDelete { get; set; } = "Off";

    public int? SoftDeleteDays { get; set; }

    public Action<string>? OnDelete { get; set; }

    /// <summary>Every listing asked for, as "container|prefix" (the prefix as listed), in order.</summary>
    public ConcurrentQueue<string> Listings { get; } = new();

    public void Add(string container, string name, long size = 10) =>
        Containers.GetOrAdd(container, _ => new ConcurrentDictionary<string, long>())[name] = size;

    public IHoldingStore Open(HoldingLocation location) => new Store(this, location);

    public string ReadSoftDelete(out int? retentionDays, CancellationToken cancellationToken)
    {
        retentionDays = SoftDeleteDays;
        return SoftDelete;
    }

    private sealed class Store : IHoldingStore, IContainerListing
    {
        private readonly MemoryRetentionStorage storage;
        private readonly HoldingLocation location;

        public Store(MemoryRetentionStorage storage, HoldingLocation location)
        {
            this.storage = storage;
            this.location = location;
        }

        public string? Absence => null;

        public IEnumerable<HeldObject> List(CancellationToken cancellationToken) => ListContainer(location.Prefix, cancellationToken);

        public IEnumerable<HeldObject> ListContainer(string? prefix, CancellationToken cancellationToken)
        {
            storage.Listings.Enqueue(location.Container + "|" + prefix);
            if (!storage.Containers.TryGetValue(location.Container!, out var blobs))
            {
                yield break;
            }

            foreach (var (name, size) in blobs.OrderBy(b => b.Key, StringComparer.Ordinal).ToList())
            {
                var baseName = name.Split('@')[0];
                if (baseName.StartsWith(prefix ?? string.Empty, StringComparison.Ordinal))
                {
                    yield return new HeldObject { Name = baseName, Snapshot = name.Contains('@') ? name.Split('@')[1] : null, Size = size };
                }
            }
        }

        public System.Threading.Tasks.Task<DeleteAnswer> DeleteAsync(HeldObject item, CancellationToken cancellationToken) =>
            System.Threading.Tasks.Task.FromResult(Delete(item));

        private DeleteAnswer Delete(HeldObject item)
        {
            // As the blob store does: a name is deleted only when proved inside the holding.
            if (!BlobNames.IsInside(item.Name, location.Prefix, out var why))
            {
                return DeleteAnswer.Unsafe(item, why);
            }

            var key = item.Snapshot is null ? item.Name : item.Name + "@" + item.Snapshot;
            storage.OnDelete?.Invoke(key);
            if (storage.LegalHolds.Contains(key))
            {
                return new DeleteAnswer(DeleteResult.Blocked, "BlobImmutableDueToLegalHold");
            }

            if (!storage.Containers.TryGetValue(location.Container!, out var blobs))
            {
                // The container went with a holding of all of it, as a real one answers 404.
                return DeleteAnswer.Gone;
            }

            storage.Deleted.Add(location.Container + "/" + key);
            if (item.Snapshot is null)
            {
                // Deleting a base blob takes its snapshots with it.
                foreach (var snapshot in blobs.Keys.Where(k => k.StartsWith(item.Name + "@", StringComparison.Ordinal)).ToList())
                {
                    blobs.TryRemove(snapshot, out _);
                }
            }

            return blobs.TryRemove(key, out _) ? DeleteAnswer.Deleted : DeleteAnswer.Gone;
        }

        public void Finish(CancellationToken cancellationToken)
        {
            if (location.Prefix is null)
            {
                storage.Containers.TryRemove(location.Container!, out _);
            }
        }
    }
}

public sealed class RetentionServiceTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 8, 1, 9, 0, 0, TimeSpan.Zero);
    private const string Account = "https://contosodata.blob.core.windows.net/";

    private readonly TestRegister test = new(Now);
    private readonly FakeHost host = new();
    private readonly MemoryRetentionStorage storage = new();
    private readonly List<DataShareException> errors = new();

    public RetentionServiceTests()
    {
        // DS1 ended 30 June, kept 10 days: due 11 July. DS2 ends at the end of the year.
        Agreement("DS1", "2026-06-30", 10);
        Agreement("DS2", "2026-12-31", 30);
    }

    private DataShareEngine Engine => test.Engine;

    private void Agreement(string id, string ends, int retention)
    {
        var agreement = Samples.Agreement(id, "2026-01-01", ends);
        agreement.RetentionDays = retention;
        Engine.Agreements.Create(agreement, host);
        Engine.Agreements.Approve(id, "DSAP-" + id, new DateTime(2026, 1, 1), Samples.Decision(), host);
    }

    private DataShareHolding Hold(string agreementId, string location) => Engine.Retention.Register(agreementId, location, host)!;

    private List<DestructionRecord> Sweep(SweepOptions? options = null) =>
        Engine.Retention.Sweep(options ?? new SweepOptions(), account => account == storage.AccountName ? storage : null, host, errors.Add).ToList();

    [Fact]
    public void Holdings_are_due_with_their_agreement_and_the_plan_never_lists_one_early()
    {
        var ended = Hold("DS1", Account + "share-12/");
        var active = Hold("DS2", Account + "share-123/");

        Assert.Equal(new DateTime(2026, 7, 11), ended.DueOn);
        Assert.Empty(Engine.Retention.Plan(new DateTime(2026, 7, 10)));
        var item = Assert.Single(Engine.Retention.Plan(null));
        Assert.Equal((ended.Id, "DS1", new DateTime(2026, 7, 11), 21), (item.HoldingId, item.AgreementId, item.DueOn, item.DaysOverdue));
        Assert.Contains("ended on 2026-06-30; kept 10 day(s)", item.Reason, StringComparison.Ordinal);
        Assert.Equal(2, Engine.Retention.Plan(new DateTime(2027, 2, 1)).Count());
        Assert.Equal(active.Id, Engine.Retention.Plan(new DateTime(2027, 1, 31)).Last().HoldingId);

        // Moving the agreement's end moves its holdings.
        Samples.Vary(Engine, "DS1", new Agreements.AgreementChanges { EndsOn = new DateTime(2026, 9, 30) }, host);
        Assert.Empty(Engine.Retention.Plan(null));
    }

    [Fact]
    public void A_sweep_deletes_only_its_holdings_objects_verifies_and_records()
    {
        var due = Hold("DS1", Account + "share/ds1/");
        Hold("DS2", Account + "share/ds12/");
        storage.Add("share", "ds1/a.csv", 100);
        storage.Add("share", "ds1/sub/b.csv", 50);
        storage.Add("share", "ds1/sub/b.csv@2026-07-01T00:00:00Z", 50);
        storage.Add("share", "ds12/c.csv", 7);
        storage.Add("share", "ds1-not-mine.csv", 7);

        var record = Assert.Single(Sweep());

        Assert.Empty(errors);
        Assert.Equal((DestructionOutcome.Destroyed, true, 0L, due.Id, "DS1"), (record.Outcome, record.Verified, record.ObjectsRemaining, record.HoldingId, record.AgreementId));
        Assert.Equal(200, record.BytesDeleted);
        Assert.Equal(new[] { "ds1-not-mine.csv", "ds12/c.csv" }, storage.Containers["share"].Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(storage.Deleted, d => Assert.StartsWith("share/ds1/", d, StringComparison.Ordinal));
        Assert.Equal(HoldingState.Destroyed, Engine.Register.FindHolding(due.Id)!.State);
        Assert.Equal(("tester", "test-machine", "Off"), (record.Operator, record.Machine, record.SoftDelete));
        var audit = Engine.Register.ReadAuditLog(0).Last();
        Assert.Equal(("Holding.Destroy", due.Id, "true"), (audit.Action, audit.TargetId, audit.Details["Verified"]));
        Assert.Single(Engine.Register.ListDestructions("DS1"));

        // A finished sweep again does nothing, and says so.
        Assert.Empty(Sweep());
        Assert.Contains(host.Verbose, v => v.StartsWith("Nothing to sweep", StringComparison.Ordinal));
    }

    [Fact]
    public void A_legal_hold_blocks_one_holding_which_stays_due_while_the_others_go_on()
    {
        var held = Hold("DS1", Account + "hold-me/");
        var other = Hold("DS1", Account + "free/");
        storage.Add("hold-me", "a.csv");
        storage.Add("hold-me", "b.csv");
        storage.Add("free", "c.csv");
        storage.LegalHolds.Add("b.csv");

        var records = Sweep();

        var blocked = records.Single(r => r.HoldingId == held.Id);
        Assert.Equal((DestructionOutcome.Blocked, false, 1L, 1L), (blocked.Outcome, blocked.Verified, blocked.ObjectsDeleted, blocked.ObjectsRemaining));
        Assert.Contains("BlobImmutableDueToLegalHold", blocked.Reason, StringComparison.Ordinal);
        Assert.Equal(DestructionOutcome.Destroyed, records.Single(r => r.HoldingId == other.Id).Outcome);
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(held.Id)!.State);
        Assert.Contains(host.Warnings, w => w.Contains("blocked", StringComparison.Ordinal));
        Assert.Equal(new[] { held.Id }, Engine.Retention.Plan(null).Select(p => p.HoldingId));

        // The hold lifted, the next sweep finishes the job.
        storage.LegalHolds.Clear();
        var again = Sweep();
        Assert.True(again.Count == 1, string.Join("; ", errors.Select(e => e.ErrorId + " " + e.Message)) + " | " + string.Join("; ", host.Verbose));
        Assert.Equal(DestructionOutcome.Destroyed, again[0].Outcome);
    }

    [Fact]
    public void A_sweep_stopped_part_way_leaves_the_holding_due_and_the_next_one_finishes()
    {
        var holding = Hold("DS1", Account + "big/");
        for (var i = 0; i < 200; i++)
        {
            storage.Add("big", $"f{i:000}.csv");
        }

        var deletes = 0;
        storage.OnDelete = _ =>
        {
            if (Interlocked.Increment(ref deletes) == 50)
            {
                host.Cancellation.Cancel();
            }
        };
        Assert.ThrowsAny<OperationCanceledException>(() => Sweep(new SweepOptions { ThrottleLimit = 4 }));
        Assert.NotEmpty(storage.Containers["big"]);
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(holding.Id)!.State);
        Assert.Empty(Engine.Register.ListDestructions(null));

        storage.OnDelete = null;
        var cleanHost = new FakeHost();
        var record = Assert.Single(Engine.Retention.Sweep(new SweepOptions(), _ => storage, cleanHost, errors.Add));
        Assert.Equal((DestructionOutcome.Destroyed, true), (record.Outcome, record.Verified));
        Assert.False(storage.Containers.ContainsKey("big"));
    }

    [Fact]
    public void An_object_written_after_the_measuring_listing_is_deleted_in_a_second_round_before_verifying()
    {
        Hold("DS1", Account + "late/");
        storage.Add("late", "a.csv");
        storage.Add("late", "b.csv");
        var once = 0;
        storage.OnDelete = _ =>
        {
            if (Interlocked.Exchange(ref once, 1) == 0)
            {
                storage.Add("late", "written-meanwhile.csv");
            }
        };

        var record = Assert.Single(Sweep());

        Assert.Equal((DestructionOutcome.Destroyed, true, 3L), (record.Outcome, record.Verified, record.ObjectsDeleted));
        Assert.False(storage.Containers.ContainsKey("late"));
    }

    [Fact]
    public void What_if_deletes_nothing_and_records_nothing()
    {
        Hold("DS1", Account + "keep/");
        storage.Add("keep", "a.csv");
        host.Approve = false;
        var audit = test.AuditCount();

        Assert.Empty(Sweep());
        Assert.Single(storage.Containers["keep"]);
        Assert.Equal(audit, test.AuditCount());
        Assert.Single(host.Asked, a => a.StartsWith("Delete 1 object(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_future_day_a_running_sweep_and_a_sweep_over_the_limits_are_refused_before_anything_is_deleted()
    {
        Hold("DS1", Account + "box-a/");
        Hold("DS1", Account + "box-b/");
        storage.Add("box-a", "x.csv");
        storage.Add("box-b", "y.csv");

        var future = Assert.Throws<DataShareException>(() => Sweep(new SweepOptions { AsOf = new DateTime(2026, 8, 2) }));
        Assert.Equal(("SweepAsOfInFuture", DataShareErrorCategory.InvalidArgument), (future.ErrorId, future.Category));

        using (Engine.Register.TryLockSweep())
        {
            var running = Assert.Throws<DataShareException>(() => Sweep());
            Assert.Equal(("SweepAlreadyRunning", true), (running.ErrorId, running.IsTerminating));
        }

        Engine.Policy.Set("SweepMaxHoldings", "1", host);
        var limit = Assert.Throws<DataShareException>(() => Sweep());
        Assert.Equal(("SweepLimitExceeded", DataShareErrorCategory.LimitsExceeded), (limit.ErrorId, limit.Category));
        Assert.Empty(storage.Deleted);

        Assert.Equal(2, Sweep(new SweepOptions { Force = true }).Count);
    }

    [Fact]
    public void Only_piped_holdings_are_swept_and_one_not_due_is_an_error_that_touches_nothing()
    {
        var a = Hold("DS1", Account + "box-a/");
        var b = Hold("DS1", Account + "box-b/");
        var notDue = Hold("DS2", Account + "box-c/");
        storage.Add("box-a", "x.csv");
        storage.Add("box-b", "y.csv");
        storage.Add("box-c", "z.csv");

        var records = Sweep(new SweepOptions { HoldingIds = new[] { a.Id, notDue.Id } });

        Assert.Equal(new[] { a.Id }, records.Select(r => r.HoldingId));
        Assert.Equal("HoldingNotDue", Assert.Single(errors).ErrorId);
        Assert.True(storage.Containers.ContainsKey("box-b"));
        Assert.True(storage.Containers.ContainsKey("box-c"));
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(b.Id)!.State);
    }

    [Fact]
    public void Piped_ids_match_the_plan_whatever_their_case_or_spaces_and_each_unknown_one_is_reported_once()
    {
        var a = Hold("DS1", Account + "box-a/");
        var b = Hold("DS1", Account + "box-b/");
        storage.Add("box-a", "x.csv");
        storage.Add("box-b", "y.csv");

        var records = Sweep(new SweepOptions { HoldingIds = new[] { a.Id.ToLowerInvariant(), " " + a.Id + " ", b.Id, "HD-0000000000", "hd-0000000000" } });

        Assert.Equal(new[] { a.Id, b.Id }.OrderBy(i => i), records.Select(r => r.HoldingId).OrderBy(i => i));
        var unknown = Assert.Single(errors);
        Assert.Equal(("HoldingNotDue", "HD-0000000000"), (unknown.ErrorId, unknown.Target?.ToString()?.ToUpperInvariant()));
        Assert.All(new[] { a.Id, b.Id }, id => Assert.Equal(HoldingState.Destroyed, Engine.Register.FindHolding(id)!.State));
    }

    [Fact]
    public void A_holding_in_an_account_the_session_is_not_connected_to_is_reported_and_stays_due()
    {
        var elsewhere = Hold("DS1", "https://otheraccount.blob.core.windows.net/data/");
        Assert.Empty(Sweep());
        Assert.Equal("SweepStorageNotConnected", Assert.Single(errors).ErrorId);
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(elsewhere.Id)!.State);
    }

    [Fact]
    public void A_local_folder_is_deleted_file_by_file_verified_and_removed()
    {
        var folder = Path.Combine(test.Directory, "extract");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        File.WriteAllText(Path.Combine(folder, "a.csv"), "12345");
        File.WriteAllText(Path.Combine(folder, "sub", "b.csv"), "678");
        var sibling = Path.Combine(test.Directory, "extract2");
        Directory.CreateDirectory(sibling);
        File.WriteAllText(Path.Combine(sibling, "keep.csv"), "x");
        Hold("DS1", folder);
        Hold("DS2", sibling);

        var record = Assert.Single(Sweep());

        Assert.Equal((DestructionOutcome.Destroyed, 2L, 8L, true), (record.Outcome, record.ObjectsDeleted, record.BytesDeleted, record.Verified));
        Assert.False(Directory.Exists(folder));
        Assert.True(File.Exists(Path.Combine(sibling, "keep.csv")));
    }

    [Fact]
    public void Links_inside_a_folder_holding_are_not_followed_and_a_folder_that_cannot_be_reached_is_not_taken_for_destroyed()
    {
        var outside = Path.Combine(test.Directory, "elsewhere");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "precious.csv"), "keep me");
        var folder = Path.Combine(test.Directory, "extract");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "a.csv"), "x");
        Directory.CreateSymbolicLink(Path.Combine(folder, "linked-folder"), outside);
        File.CreateSymbolicLink(Path.Combine(folder, "linked-file.csv"), Path.Combine(outside, "precious.csv"));
        var unmounted = Path.Combine(test.Directory, "not-mounted", "share", "ds1");
        Hold("DS1", folder);
        var unreachable = Engine.Retention.Register("DS1", unmounted, host, allowMissing: true)!;

        var record = Assert.Single(Sweep());

        Assert.Equal((DestructionOutcome.Destroyed, 1L), (record.Outcome, record.ObjectsDeleted));
        Assert.False(Directory.Exists(folder));
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(outside, "precious.csv")));
        var error = Assert.Single(errors);
        Assert.Equal(("SweepStorageFailed", unreachable.Id), (error.ErrorId, error.Target));
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(unreachable.Id)!.State);

        // A folder not there whose parent is: nothing proves a destruction (it was never found), so it is NotFound,
        // not verified, and stays held for a person to look at.
        Directory.CreateDirectory(Path.Combine(test.Directory, "not-mounted", "share"));
        errors.Clear();
        var notFound = Assert.Single(Sweep());
        Assert.Equal((DestructionOutcome.NotFound, false, 0L), (notFound.Outcome, notFound.Verified, notFound.ObjectsDeleted));
        Assert.Empty(errors);
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(unreachable.Id)!.State);
    }

    [Fact]
    public void A_sweep_on_a_read_only_register_is_refused_before_anything_is_deleted()
    {
        Hold("DS1", Account + "box-a/");
        storage.Add("box-a", "x.csv");
        test.Engine.Dispose();
        using var readOnly = test.OpenEngine(readOnly: true);

        var error = Assert.Throws<DataShareException>(() => readOnly.Retention.Sweep(new SweepOptions(), _ => storage, host, errors.Add).ToList());

        Assert.Equal(("SweepRegisterReadOnly", DataShareErrorCategory.PermissionDenied), (error.ErrorId, error.Category));
        Assert.Empty(storage.Deleted);
    }

    [Fact]
    public void Registering_refuses_overlaps_with_other_agreements_secrets_the_register_itself_and_duplicates()
    {
        Hold("DS2", Account + "share/ds2/");
        var before = test.AuditCount();

        DataShareException Refused(string agreement, string location) =>
            Assert.Throws<DataShareException>(() => Engine.Retention.Register(agreement, location, host));

        Assert.Equal("HoldingOverlapsAnotherAgreement", Refused("DS1", Account + "share/").ErrorId);
        Assert.Equal("HoldingOverlapsAnotherAgreement", Refused("DS1", Account + "share/ds2/deeper/").ErrorId);
        Assert.Equal("HoldingExists", Refused("DS2", Account + "share/ds2").ErrorId);
        Assert.Equal("HoldingLocationHasQuery", Refused("DS1", Account + "share/x/?sv=2025&sig=abc").ErrorId);
        Assert.Equal("HoldingLocationHasCredentials", Refused("DS1", Account.Replace("https://", "https://user:pass@") + "share/x/").ErrorId);

        // A dot segment, written or %-escaped, would move the holding somewhere else once the URI is read: refused, never rewritten.
        foreach (var moved in new[] { "share/../other/", "share/%2E%2E/other/", "share/%2e%2E/other/", "share/pre/%2E%2E/x/", "share/./x/", "share/%2E/x/", "share/a%2Fb/", "share/a%5Cb/" })
        {
            Assert.Equal(("HoldingLocationInvalid", DataShareErrorCategory.InvalidArgument), (Refused("DS1", Account + moved).ErrorId, Refused("DS1", Account + moved).Category));
        }

        Assert.Equal("HoldingLocationProtected", Refused("DS1", test.Directory).ErrorId);
        Assert.Equal("HoldingLocationInvalid", Refused("DS1", "relative/folder").ErrorId);
        Assert.Equal("HoldingLocationInvalid", Refused("DS1", Account).ErrorId);
        Assert.Equal("HoldingLocationInvalid", Refused("DS1", "https://example.com/data/x/").ErrorId);
        Assert.Equal("AgreementNotFound", Refused("NOPE1", Account + "x/").ErrorId);
        Assert.Equal(before, test.AuditCount());

        // A look-alike prefix is a different place.
        Assert.NotNull(Engine.Retention.Register("DS1", Account + "share/ds22/", host));
    }

    [Fact]
    public void An_ended_agreement_is_destroyed_once_holdings_are_gone_and_confirmed_but_not_while_soft_delete_can_recover_them()
    {
        Hold("DS1", Account + "box-a/");
        storage.Add("box-a", "x.csv");
        storage.SoftDelete = "On (7 days)";
        storage.SoftDeleteDays = 7;

        var record = Assert.Single(Sweep());
        Assert.Equal(Now.AddDays(7), record.RecoverableUntil);
        Assert.Null(Engine.Register.FindAgreement("DS1")!.DestroyedOn);

        Assert.NotNull(Engine.Retention.Confirm("DS1", "Dr A. Officer, DPO", new DateTime(2026, 7, 20), "Letter ref 2026/77", host));

        var agreement = Engine.Agreements.Get("DS1");
        Assert.Equal(new DateTime(2026, 8, 9), agreement.DestroyedOn);
        Assert.Equal(AgreementStatus.Ended, agreement.Status);
        Assert.Equal(AgreementStatus.Destroyed, Engine.Agreements.Get("DS1", new DateTime(2026, 8, 9)).Status);
        Assert.Equal("Agreement.Destroyed", Engine.Register.ReadAuditLog(0).Last().Action);
    }

    [Fact]
    public void When_soft_delete_cannot_be_read_the_agreement_counts_as_destroyed_only_after_the_longest_period()
    {
        Hold("DS1", Account + "box-a/");
        storage.Add("box-a", "x.csv");
        storage.SoftDelete = "Unknown";
        Engine.Retention.Confirm("DS1", "DPO", new DateTime(2026, 7, 20), null, host);

        Assert.Equal("Unknown", Assert.Single(Sweep()).SoftDelete);

        // Taken at the longest soft-delete period: Destroyed only the day after 365 days have passed.
        Assert.Equal(new DateTime(2027, 8, 2), Engine.Register.FindAgreement("DS1")!.DestroyedOn);
        Assert.Contains(host.Warnings, w => w.Contains("could not be read", StringComparison.Ordinal) && w.Contains("365 days", StringComparison.Ordinal));
    }

    [Fact]
    public void Confirmations_are_checked_once_recorded_and_overdue_ones_are_listed()
    {
        Assert.Equal(new[] { "DS1" }, Engine.Retention.OverdueConfirmations(new DateTime(2026, 8, 11)).Select(a => a.Id));
        Assert.Empty(Engine.Retention.OverdueConfirmations(new DateTime(2026, 8, 10)));

        Assert.Equal("DestructionConfirmationInvalid", Assert.Throws<DataShareException>(() => Engine.Retention.Confirm("DS1", "DPO", new DateTime(2026, 8, 2), null, host)).ErrorId);
        Assert.Equal("DestructionConfirmationInvalid", Assert.Throws<DataShareException>(() => Engine.Retention.Confirm("DS1", "DPO", new DateTime(2025, 12, 1), null, host)).ErrorId);
        Assert.Equal("DestructionConfirmationInvalid", Assert.Throws<DataShareException>(() => Engine.Retention.Confirm("DS1", "  ", new DateTime(2026, 7, 2), null, host)).ErrorId);

        var early = Assert.Throws<DataShareException>(() => Engine.Retention.Confirm("DS2", "DPO", new DateTime(2026, 7, 2), null, host));
        Assert.Equal(("DestructionConfirmationTooEarly", DataShareErrorCategory.InvalidOperation), (early.ErrorId, early.Category));

        Engine.Retention.Confirm("DS1", "DPO", new DateTime(2026, 7, 2), null, host);
        Assert.Equal("DestructionAlreadyConfirmed", Assert.Throws<DataShareException>(() => Engine.Retention.Confirm("DS1", "DPO", new DateTime(2026, 7, 3), null, host)).ErrorId);
        Assert.Empty(Engine.Retention.OverdueConfirmations(new DateTime(2026, 9, 1)));

        // No holdings at all: the confirmation alone makes an ended agreement destroyed.
        Assert.Equal(Now.UtcDateTime.Date, Engine.Register.FindAgreement("DS1")!.DestroyedOn);
    }

    public void Dispose() => test.Dispose();
}
