using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.Time;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Retention;
/// <summary>How Invoke-DataShareRetentionSweep was asked to run.</summary>
public sealed class SweepOptions
{
    /// <summary>The day to sweep for; today when null. A later day is refused: a sweep never deletes early.</summary>
    public DateTime? AsOf { get; set; }

    /// <summary>Go on even when the sweep is larger than the policy's limits.</summary>
    public bool Force { get; set; }

    /// <summary>Deletes in flight at once.</summary>
    public int ThrottleLimit { get; set; } = 16;

    /// <summary>Only these holdings (plan items piped in); every due holding when null.</summary>
    public IReadOnlyList<string>? HoldingIds { get; set; }

    /// <summary>
    /// A dry run (-WhatIf): measure and say what would be deleted, delete and record nothing. It needs no sweep lock
    /// and works on a read-only register, such as a backup copy.
    /// </summary>
    public bool DryRun { get; set; }

    /// <summary>
    /// Whether several due prefix holdings in one container are measured and verified by one listing of the container
    /// (under their longest common prefix) rather than one listing each. Always on outside tests.
    /// </summary>
    internal bool ShareListings { get; set; } = true;

    /// <summary>
    /// How many more names outside every due prefix than due names a shared listing may read before it is given up
    /// for listings holding by holding: one page of a blob listing (5,000 names), so a shared listing never reads more
    /// than twice what is due and one page.
    /// </summary>
    internal long OutsideNamesAllowed { get; set; } = 5_000;
}

/// <summary>
/// The sweep: plan, open each due holding safely, measure (listing only), check the policy's limits, then delete
/// holding by holding through one pool of deletes, verify by listing again and record. Holdings, the plan and
/// confirmations are <see cref="RetentionService"/>'s; this is only the act of deleting.
/// </summary>
public sealed partial class RetentionSweep
{
    private const string Activity = "Retention sweep";

    /// <summary>Objects kept from the measuring listing for deleting from, over all holdings of one sweep.</summary>
    private const int ListingCacheObjects = 200_000;

    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly AuditIdentity identity;
    private readonly PolicyService policy;
    private readonly RetentionService retention;
    private readonly Func<string, IOperationHost, string?>? accessRevoker;

    /// <param name="accessRevoker">
    /// Takes an ended agreement's directory access away during a sweep (when the session is connected to the
    /// directory); returns what it removed, for the destruction records.
    /// </param>
    public RetentionSweep(IDataShareRegister register, ShareCalendar calendar, IClock clock, AuditIdentity identity, PolicyService policy,
        RetentionService retention, Func<string, IOperationHost, string?>? accessRevoker)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.identity = identity;
        this.policy = policy;
        this.retention = retention;
        this.accessRevoker = accessRevoker;
    }

    /// <summary>
    /// Sweeps the due holdings: for each, with the host's permission, deletes every object, lists again, and records
    /// what happened. Returns the destruction records as they are written. Problems with one holding are reported
    /// through <paramref name="reportError"/> and the others go on.
    /// </summary>
    public IEnumerable<DestructionRecord> Sweep(SweepOptions options, Func<string, IRetentionStorage?> storageFor, IOperationHost host, Action<DataShareException> reportError)
    {
        var today = calendar.Today;
        var day = (options.AsOf ?? today).Date;
        if (day > today)
        {
            throw new DataShareException("SweepAsOfInFuture", DataShareErrorCategory.InvalidArgument,
                $"-AsOf {DateText.FormatDate(day)} is after today ({DateText.FormatDate(today)}): a sweep never deletes before a holding's day. Use Get-DataShareRetentionPlan -AsOf to look ahead.", day);
        }

        if (register.Info.IsReadOnly && !options.DryRun)
        {
            // Refused before anything is deleted: deleting data whose destruction cannot be recorded would leave no proof.
            throw new DataShareException("SweepRegisterReadOnly", DataShareErrorCategory.PermissionDenied,
                $"The register {register.Info.Location} is open read-only, so destruction records could not be written; nothing was deleted. Connect without -ReadOnly.", register.Info.Location)
            { IsTerminating = true };
        }

        if (options.ThrottleLimit is < 1 or > 256)
        {
            throw new DataShareException("SweepThrottleLimitInvalid", DataShareErrorCategory.InvalidArgument, "-ThrottleLimit is from 1 to 256.", options.ThrottleLimit);
        }

        // A dry run changes nothing, so it neither waits for nor blocks a real sweep, and leaves no lock behind.
        var sweepLock = options.DryRun ? NoLock.Instance : register.TryLockSweep() ?? throw new DataShareException("SweepAlreadyRunning", DataShareErrorCategory.ResourceUnavailable,
            $"Another retention sweep is running against the register {register.Info.Location}; this one has not started. Run it again when that one has finished.", register.Info.Location)
        { IsTerminating = true };
        return Run(sweepLock, day, options, storageFor, host, reportError);
    }

    /// <summary>The sweep itself, holding the lock until the last record is out; records come out as they are written.</summary>
    private IEnumerable<DestructionRecord> Run(IDisposable sweepLock, DateTime day, SweepOptions options, Func<string, IRetentionStorage?> storageFor, IOperationHost host, Action<DataShareException> reportError)
    {
        using var held = sweepLock;
        var plan = Due(day, options, reportError);
        if (plan.Count == 0)
        {
            host.WriteVerbose($"Nothing to sweep: no holding is due on {DateText.FormatDate(day)}, or every due holding is already destroyed.");
            yield break;
        }

        // Measure first (listing only), so limits are checked before anything is deleted.
        var work = Measure(Open(plan, storageFor, host, reportError), options, host, reportError);
        CheckLimits(work.Count, work.Sum(w => w.Bytes), options.Force);

        var touched = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var record in DeleteAll(work, day, options, host, reportError))
        {
            touched.Add(record.AgreementId);
            yield return record;
        }

        host.WriteProgress(Activity, "Done", 100, completed: true);
        foreach (var agreementId in touched)
        {
            retention.MarkDestroyedIfComplete(agreementId, host);
        }
    }

    /// <summary>The plan for the day, narrowed to the holdings piped in (each one asked for but not due is reported).</summary>
    private List<RetentionPlanItem> Due(DateTime day, SweepOptions options, Action<DataShareException> reportError)
    {
        var all = retention.Plan(day, reportError).ToList();
        var plan = all.Where(p => p.State == RetentionPlanState.Due).ToList();
        if (options.HoldingIds is null)
        {
            return plan;
        }

        // Sets on both sides: matching n piped ids against a plan of m holdings is n + m lookups, not n × m comparisons.
        var wanted = new HashSet<string>(options.HoldingIds.Select(id => id.Trim()), StringComparer.OrdinalIgnoreCase);
        var held = all.Where(p => p.State == RetentionPlanState.Held).ToDictionary(p => p.HoldingId, StringComparer.OrdinalIgnoreCase);
        var planned = new HashSet<string>(plan.Select(p => p.HoldingId), StringComparer.OrdinalIgnoreCase);
        foreach (var missing in wanted.Where(id => !planned.Contains(id)))
        {
            reportError(held.TryGetValue(missing, out var kept) ? HeldBack(kept.HoldingId, kept.Reason) : NotDue(missing, day));
        }

        return plan.Where(p => wanted.Contains(p.HoldingId)).ToList();
    }

    /// <summary>Each planned holding with the store it is swept through, when it is shown safe to sweep (the rest reported).</summary>
    private List<Candidate> Open(List<RetentionPlanItem> plan, Func<string, IRetentionStorage?> storageFor, IOperationHost host, Action<DataShareException> reportError)
    {
        var candidates = new List<Candidate>();

        // One read of the held holdings serves every planned one and the folder checks; a holding that is no longer
        // held since the plan was made is read by its id, as before.
        var held = register.ListHeldHoldings().ToDictionary(h => h.Id, StringComparer.OrdinalIgnoreCase);
        var folders = HeldFolders(held.Values);
        foreach (var item in plan)
        {
            host.CancellationToken.ThrowIfCancellationRequested();
            var holding = held.TryGetValue(item.HoldingId, out var found) ? found : register.FindHolding(item.HoldingId)!;

            // Read again after the plan: a hold placed since then still keeps the holding.
            if (RetentionRules.IsHeld(holding, item.AsOf))
            {
                reportError(HeldBack(holding.Id, RetentionRules.HoldText(holding)));
                continue;
            }

            try
            {
                if (OpenHolding(holding, storageFor, folders, reportError) is { } opened)
                {
                    candidates.Add(new Candidate(item, holding, opened.Store, opened.Storage));
                }
            }
            catch (DataShareException ex) when (!ex.IsTerminating)
            {
                reportError(ex);
            }
            catch (Exception ex) when (RetentionService.IsRecordProblem(ex))
            {
                reportError(RetentionService.NotPlanned(holding, ex));
            }
        }

        return candidates;
    }

    /// <summary>
    /// Lists the holdings side by side (listing only); results and errors are reported in plan order. Due prefix
    /// holdings sharing a container are measured by one listing of it (see <see cref="GroupListings"/>), and come out
    /// next to each other. The measuring listing is kept for deleting from, up to a bounded number of objects in all
    /// (memory stays flat for any holding size: a larger holding is listed again when its turn comes). Whatever
    /// appears after it was taken is caught by the verification listing and deleted in a second round.
    /// </summary>
    private List<Candidate> Measure(List<Candidate> candidates, SweepOptions options, IOperationHost host, Action<DataShareException> reportError)
    {
        host.WriteProgress(Activity, $"Measuring {candidates.Count} holding(s)", -1, completed: false);
        var cacheBudget = (long)ListingCacheObjects;
        var failures = new Exception?[candidates.Count];
        var index = new Dictionary<Candidate, int>();
        for (var n = 0; n < candidates.Count; n++)
        {
            index[candidates[n]] = n;
        }

        // One unit of listing work per group, and one per holding listed on its own.
        var groups = GroupListings(candidates, options);
        var units = groups.Select(g => g.Members.Select(m => index[m]).ToArray())
            .Concat(candidates.Where(c => c.Group is null).Select(c => new[] { index[c] })).ToList();
        var notes = new List<string>?[units.Count];
        Parallel.For(0, units.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(options.ThrottleLimit, 8), CancellationToken = host.CancellationToken }, u =>
        {
            var unit = units[u];
            if (candidates[unit[0]].Group is { } group)
            {
                if (MeasureShared(group, ref cacheBudget, host.CancellationToken, notes[u] = new List<string>()))
                {
                    return;
                }

                foreach (var member in group.Members)
                {
                    member.Group = null;
                }
            }

            foreach (var n in unit)
            {
                failures[n] = MeasureOne(candidates[n], ref cacheBudget, host.CancellationToken);
            }
        });

        foreach (var note in notes.Where(n => n is not null).SelectMany(n => n!))
        {
            host.WriteVerbose(note);
        }

        var work = new List<Candidate>();
        var placed = new HashSet<ListingGroup>();
        for (var n = 0; n < candidates.Count; n++)
        {
            if (failures[n] is { } failure)
            {
                reportError(StoreFailed(candidates[n].Holding, "listing", failure));
                continue;
            }

            if (candidates[n].Group is not { } group)
            {
                work.Add(candidates[n]);
            }
            else if (placed.Add(group))
            {
                // The group's holdings together, where its first one is in the plan: one verifying listing follows them.
                work.AddRange(group.Members);
            }
        }

        return work;
    }

    /// <summary>Measures one holding by its own listing; the storage failure, if it failed.</summary>
    private static Exception? MeasureOne(Candidate candidate, ref long cacheBudget, CancellationToken token)
    {
        long objects = 0, bytes = 0;
        var cached = Interlocked.Read(ref cacheBudget) > 0 ? new List<HeldObject>() : null;
        try
        {
            foreach (var listed in candidate.Store.List(token))
            {
                objects++;
                bytes += listed.Size;
                if (cached is not null && Interlocked.Decrement(ref cacheBudget) >= 0)
                {
                    cached.Add(listed);
                }
                else
                {
                    cached = null;
                }
            }

            candidate.Measured(objects, bytes, cached);
            return null;
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            return ex;
        }
    }

    /// <summary>
    /// One pool of deletes across holdings: the next holding's deletes start while the last ones of the one before
    /// are still in flight, and each holding is verified and recorded, in order, once its own deletes are done.
    /// </summary>
    private IEnumerable<DestructionRecord> DeleteAll(List<Candidate> work, DateTime day, SweepOptions options, IOperationHost host, Action<DataShareException> reportError)
    {
        var starter = new HoldingStarter(this, day, host);
        var slots = new SemaphoreSlim(options.ThrottleLimit, options.ThrottleLimit);
        var pending = new Queue<HoldingRun>();
        try
        {
            for (var i = 0; i < work.Count; i++)
            {
                var next = work[i];
                if (!host.ShouldProcess(next.Holding.Location, $"Delete {next.Objects} object(s), {TransferService.Bytes(next.Bytes)}, of agreement {next.Holding.AgreementId} (due {DateText.FormatDate(next.Item.DueOn)}: {next.Item.Reason})")
                    || options.DryRun)
                {
                    // Not started: the rest of its listing group need not wait for it.
                    if (next.Group is { } group)
                    {
                        foreach (var record in Settle(group, null, day, slots, host, reportError))
                        {
                            yield return record;
                        }
                    }

                    continue;
                }

                var run = starter.Start(next);
                var status = $"{next.Holding.Location} ({i + 1} of {work.Count})";
                var percent = i * 100 / work.Count;
                host.WriteProgress(Activity, status, percent, completed: false);
                run.Error = Dispatch(run, next.Listed ?? next.Store.List(host.CancellationToken), slots, host.CancellationToken,
                    deleted => host.WriteProgress(Activity, $"{status}: {deleted} deleted", percent, completed: false));
                pending.Enqueue(run);

                while (pending.Count > 0 && pending.Peek().Tasks.All(t => t.IsCompleted))
                {
                    foreach (var record in Complete(pending.Dequeue(), day, slots, host, reportError))
                    {
                        yield return record;
                    }
                }
            }

            while (pending.Count > 0)
            {
                foreach (var record in Complete(pending.Dequeue(), day, slots, host, reportError))
                {
                    yield return record;
                }
            }
        }
        finally
        {
            // Stopped (Ctrl+C): let the deletes in flight end before the pool goes; unrecorded holdings stay due.
            foreach (var run in pending)
            {
                WaitQuietly(run.Tasks);
            }

            slots.Dispose();
        }
    }

    /// <summary>
    /// The store to sweep a holding through, once it is shown safe to: a blob holding only through a connection to
    /// exactly its own endpoint (scheme, host, port, account), a folder only if it is no other agreement's place,
    /// however links make paths look. Null when it is not, and that is reported; nothing is recorded for it.
    /// </summary>
    private (IHoldingStore Store, IRetentionStorage? Storage)? OpenHolding(
        DataShareHolding holding, Func<string, IRetentionStorage?> storageFor, List<(DataShareHolding Holding, string Path)> folders, Action<DataShareException> reportError)
    {
        if (holding.Kind == HoldingKind.LocalFolder)
        {
            if (FolderProblem(holding, folders) is { } why)
            {
                reportError(Unsafe(holding, why));
                return null;
            }

            return (new LocalFolderStore(holding.Location), null);
        }

        var location = HoldingLocation.Of(holding);
        var storage = storageFor(holding.StorageAccount ?? string.Empty);
        if (storage is null)
        {
            reportError(new DataShareException("SweepStorageNotConnected", DataShareErrorCategory.ResourceUnavailable,
                $"Holding {holding.Id} ({holding.Location}) is in storage account {holding.StorageAccount}, which this session is not connected to; it stays due. Connect-DataShareStorage to it and sweep again.", holding.Id));
            return null;
        }

        if (!string.Equals(location.Endpoint, storage.Endpoint, StringComparison.Ordinal))
        {
            // The same account name on another endpoint (an emulator, another cloud, a typing slip) is another place:
            // listing there would find nothing and "verify" a destruction that never happened.
            reportError(new DataShareException("SweepStorageNotConnected", DataShareErrorCategory.ResourceUnavailable,
                $"Holding {holding.Id} ({holding.Location}) is on the storage endpoint {location.Endpoint}, but this session is connected to {storage.Endpoint}: the same account name on another endpoint. It stays due and nothing was recorded for it. Connect-DataShareStorage to {location.Endpoint} and sweep again.", holding.Id));
            return null;
        }

        return (storage.Open(location), storage);
    }

    /// <summary>Every held folder holding with its path as the file system resolves it (links followed), read once per sweep.</summary>
    private static List<(DataShareHolding Holding, string Path)> HeldFolders(IEnumerable<DataShareHolding> held)
    {
        var folders = new List<(DataShareHolding, string)>();
        foreach (var holding in held)
        {
            if (holding.Kind == HoldingKind.LocalFolder)
            {
                folders.Add((holding, Resolved(holding.Location)));
            }
        }

        return folders;
    }

    /// <summary>
    /// Why a folder holding must not be swept: through a link it is (or is inside, or around) a folder another
    /// agreement holds, or the register's own folder. Registration compares paths as written; this compares places.
    /// </summary>
    private string? FolderProblem(DataShareHolding holding, List<(DataShareHolding Holding, string Path)> folders)
    {
        var mine = Resolved(holding.Location);
        foreach (var (other, theirs) in folders)
        {
            if (!string.Equals(other.AgreementId, holding.AgreementId, StringComparison.OrdinalIgnoreCase)
                && (LocalFolderStore.IsWithin(mine, theirs) || LocalFolderStore.IsWithin(theirs, mine)))
            {
                return $"through a link, its folder is {mine}, which is the place of holding {other.Id} ({other.Location}) of agreement {other.AgreementId}, or contains it or lies inside it: sweeping it would delete another agreement's data";
            }
        }

        var registerFile = register.Info.Location;
        if (Path.IsPathRooted(registerFile) && !registerFile.Contains("://") && LocalFolderStore.IsWithin(Resolved(registerFile), mine))
        {
            return $"through a link, its folder is {mine}, which holds the register itself ({registerFile})";
        }

        return null;
    }

    /// <summary>A folder's path with its links resolved; as written when the file system cannot say (its own sweep reports why).</summary>
    private static string Resolved(string path)
    {
        try
        {
            return LocalFolderStore.ResolveLinks(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return path;
        }
    }

    private void CheckLimits(int holdings, long bytes, bool force)
    {
        var maxHoldings = policy.Number(PolicyCatalogue.SweepMaxHoldings);
        var maxGiB = policy.Number(PolicyCatalogue.SweepMaxGiB);
        if (!force && (holdings > maxHoldings || bytes > maxGiB * (1L << 30)))
        {
            throw new DataShareException("SweepLimitExceeded", DataShareErrorCategory.LimitsExceeded,
                $"This sweep would delete {holdings} holding(s) and {TransferService.Bytes(bytes)}, more than policy allows in one run ({maxHoldings} holdings, {maxGiB} GiB: SweepMaxHoldings, SweepMaxGiB). Nothing was deleted. Check the plan (Get-DataShareRetentionPlan), then run again with -Force.",
                null) { IsTerminating = true };
        }
    }

    /// <summary>What a dry run holds instead of the sweep lock.</summary>
    private sealed class NoLock : IDisposable
    {
        public static readonly NoLock Instance = new();

        public void Dispose()
        {
        }
    }
}
