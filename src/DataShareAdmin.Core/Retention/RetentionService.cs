using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using DataShareAdmin.Core.Agreements;
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
}

/// <summary>
/// Holdings and their retention: registering them, planning what is due (no storage I/O), sweeping (delete, list
/// again to verify, record), and the recipient organisations' confirmations. Safety before speed: nothing is deleted
/// before its day, only holdings found by their stored identity are touched, and a holding is marked destroyed only
/// after a listing finds it empty.
/// </summary>
public sealed class RetentionService
{
    private const string Activity = "Retention sweep";

    /// <summary>Objects kept from the measuring listing for deleting from, over all holdings of one sweep.</summary>
    private const int ListingCacheObjects = 200_000;

    /// <summary>The longest blob soft-delete retention Azure allows.</summary>
    private const int MaxSoftDeleteDays = 365;

    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly AuditIdentity identity;
    private readonly AgreementService agreements;
    private readonly PolicyService policy;

    public RetentionService(IDataShareRegister register, ShareCalendar calendar, IClock clock, AuditIdentity identity, AgreementService agreements, PolicyService policy)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.identity = identity;
        this.agreements = agreements;
        this.policy = policy;
    }

    /// <summary>
    /// Takes an ended agreement's directory access away during a sweep (set when the session is connected to the
    /// directory); returns what it removed, for the destruction records.
    /// </summary>
    public Func<string, IOperationHost, string?>? AccessRevoker { get; set; }

    /// <summary>Registers a place that holds an agreement's data; null when the host declined.</summary>
    public DataShareHolding? Register(string agreementId, string location, IOperationHost host)
    {
        var agreement = agreements.Get(agreementId);
        var parsed = HoldingLocation.Parse(location);
        if (parsed.Kind == HoldingKind.LocalFolder && register.Info.Location.StartsWith(parsed.Location + Path.DirectorySeparatorChar, StringComparison.OrdinalIgnoreCase))
        {
            throw new DataShareException("HoldingContainsRegister", DataShareErrorCategory.InvalidArgument,
                $"'{parsed.Location}' holds the register itself ({register.Info.Location}); a sweep would delete it. Register the folder the extract is in.", location);
        }

        foreach (var held in register.ListHeldHoldings())
        {
            if (!parsed.Overlaps(HoldingLocation.Of(held)))
            {
                continue;
            }

            if (!string.Equals(held.AgreementId, agreement.Id, StringComparison.OrdinalIgnoreCase))
            {
                throw new DataShareException("HoldingOverlapsAnotherAgreement", DataShareErrorCategory.InvalidArgument,
                    $"'{parsed.Location}' overlaps holding {held.Id} ({held.Location}) of agreement {held.AgreementId}: a sweep of one would delete the other's data.", location);
            }

            if (string.Equals(held.Location, parsed.Location, StringComparison.Ordinal))
            {
                throw new DataShareException("HoldingExists", DataShareErrorCategory.ResourceExists,
                    $"'{parsed.Location}' is already holding {held.Id} of agreement {held.AgreementId}.", location);
            }
        }

        var holding = new DataShareHolding
        {
            Id = Ids.NewHoldingId(),
            AgreementId = agreement.Id,
            Kind = parsed.Kind,
            Location = parsed.Location,
            StorageAccount = parsed.Account,
            Container = parsed.Container,
            Prefix = parsed.Prefix,
            DueOn = TransferRules.AgreementDueOn(agreement),
            RegisteredAt = clock.UtcNow,
            RegisteredBy = identity.User,
        };
        if (!host.ShouldProcess(parsed.Location, $"Register as a holding of agreement {agreement.Id}, due for deletion on {DateText.FormatDate(holding.DueOn)}"))
        {
            return null;
        }

        register.InsertHolding(holding, new AuditEvent("Holding.Register", "Holding", holding.Id, new Dictionary<string, string?>
        {
            ["AgreementId"] = agreement.Id,
            ["Kind"] = holding.Kind.ToString(),
            ["Location"] = holding.Location,
            ["DueOn"] = DateText.FormatDate(holding.DueOn),
        }));
        host.WriteVerbose($"Registered {holding.Location} as holding {holding.Id} of agreement {agreement.Id}, due on {DateText.FormatDate(holding.DueOn)}.");
        return holding;
    }

    public DataShareHolding Get(string id)
    {
        var normalised = Ids.Normalise(Ids.HoldingPrefix, id);
        var holding = (normalised is null ? null : register.FindHolding(normalised))
            ?? throw new DataShareException("HoldingNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no holding '{id}'. Get-DataShareHolding lists them.", id);
        return WithDueOn(holding, new Dictionary<string, DataShareAgreement>(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Holdings of an agreement (or all), with their effective due day; destroyed ones only when asked.</summary>
    public IEnumerable<DataShareHolding> Find(string? agreementId, bool includeDestroyed)
    {
        var agreement = agreementId is null ? null : agreements.Get(agreementId).Id;
        var cache = new Dictionary<string, DataShareAgreement>(StringComparer.OrdinalIgnoreCase);
        foreach (var holding in agreement is null && !includeDestroyed ? register.ListHeldHoldings() : register.ListHoldings(agreement))
        {
            if (includeDestroyed || holding.State != HoldingState.Destroyed)
            {
                yield return WithDueOn(holding, cache);
            }
        }
    }

    /// <summary>
    /// The holdings due on <paramref name="asOf"/> (today when null), in the order of the due day they were registered with: pure planning from the register,
    /// no storage I/O. A holding is never in the plan before its own due day.
    /// </summary>
    public IEnumerable<RetentionPlanItem> Plan(DateTime? asOf)
    {
        var day = (asOf ?? calendar.Today).Date;
        var cache = new Dictionary<string, DataShareAgreement>(StringComparer.OrdinalIgnoreCase);
        foreach (var holding in register.ListHeldHoldings())
        {
            var agreement = Agreement(holding.AgreementId, cache);
            var due = RetentionRules.DueOn(holding, agreement);
            if (due > day)
            {
                continue;
            }

            yield return new RetentionPlanItem
            {
                HoldingId = holding.Id,
                AgreementId = holding.AgreementId,
                Kind = holding.Kind,
                Location = holding.Location,
                DueOn = due,
                AsOf = day,
                Reason = RetentionRules.Reason(holding, agreement, due),
            };
        }
    }

    /// <summary>Ended agreements whose holdings fell due more than the policy's days ago and whose destruction nobody has confirmed.</summary>
    public IEnumerable<DataShareAgreement> OverdueConfirmations(DateTime? asOf)
    {
        var day = (asOf ?? calendar.Today).Date;
        var days = policy.Number(PolicyCatalogue.DestructionConfirmationDays);
        HashSet<string>? confirmed = null;
        foreach (var agreement in register.ListAgreements())
        {
            if (agreement.DestroyedOn is not null || RetentionRules.ConfirmationDueBy(agreement, days) >= day)
            {
                continue;
            }

            // Every confirmation in one read, once one is needed (one request on a Table register, not one per agreement).
            confirmed ??= new HashSet<string>(register.ListConfirmations().Select(c => c.AgreementId), StringComparer.OrdinalIgnoreCase);
            if (!confirmed.Contains(agreement.Id))
            {
                yield return agreement;
            }
        }
    }

    /// <summary>Records the recipient organisation's confirmation that it destroyed its copies; null when the host declined.</summary>
    public DestructionConfirmation? Confirm(string agreementId, string confirmedBy, DateTime confirmedOn, string? evidence, IOperationHost host)
    {
        var agreement = agreements.Get(agreementId);
        var by = (confirmedBy ?? string.Empty).Trim();
        if (by.Length == 0)
        {
            throw new DataShareException("DestructionConfirmationInvalid", DataShareErrorCategory.InvalidArgument, "-ConfirmedBy names who confirmed it, e.g. the organisation's data protection officer.", agreementId);
        }

        var day = ShareCalendar.DateOf(confirmedOn);
        if (day > calendar.Today)
        {
            throw new DataShareException("DestructionConfirmationInvalid", DataShareErrorCategory.InvalidArgument,
                $"-ConfirmedOn {DateText.FormatDate(day)} is in the future.", agreementId);
        }

        if (day < agreement.StartsOn)
        {
            throw new DataShareException("DestructionConfirmationInvalid", DataShareErrorCategory.InvalidArgument,
                $"-ConfirmedOn {DateText.FormatDate(day)} is before agreement {agreement.Id} started ({DateText.FormatDate(agreement.StartsOn)}).", agreementId);
        }

        if (agreement.Status is not (AgreementStatus.Ended or AgreementStatus.Destroyed))
        {
            throw new DataShareException("DestructionConfirmationTooEarly", DataShareErrorCategory.InvalidOperation,
                $"Agreement {agreement.Id} is {agreement.Status}: it ends on {DateText.FormatDate(agreement.EndsOn)}, and the organisation confirms destruction after that.", agreement.Id);
        }

        if (register.FindConfirmation(agreement.Id) is { } existing)
        {
            throw new DataShareException("DestructionAlreadyConfirmed", DataShareErrorCategory.ResourceExists,
                $"Agreement {agreement.Id}'s destruction was already confirmed by {existing.ConfirmedBy} on {DateText.FormatDate(existing.ConfirmedOn)}.", agreement.Id);
        }

        var confirmation = new DestructionConfirmation
        {
            AgreementId = agreement.Id,
            ConfirmedBy = by,
            ConfirmedOn = day,
            Evidence = string.IsNullOrWhiteSpace(evidence) ? null : evidence!.Trim(),
            RecordedAt = clock.UtcNow,
            RecordedBy = identity.User,
        };
        if (!host.ShouldProcess($"agreement {agreement.Id}", $"Record that {by} confirmed on {DateText.FormatDate(day)} the destruction of the organisation's copies"))
        {
            return null;
        }

        register.InsertConfirmation(confirmation, new AuditEvent("Agreement.ConfirmDestruction", "Agreement", agreement.Id, new Dictionary<string, string?>
        {
            ["ConfirmedBy"] = confirmation.ConfirmedBy,
            ["ConfirmedOn"] = DateText.FormatDate(confirmation.ConfirmedOn),
            ["Evidence"] = confirmation.Evidence,
        }));
        MarkDestroyedIfComplete(agreement.Id, host);
        return confirmation;
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

        if (register.Info.IsReadOnly)
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

        var sweepLock = register.TryLockSweep() ?? throw new DataShareException("SweepAlreadyRunning", DataShareErrorCategory.ResourceUnavailable,
            $"Another retention sweep is running against the register {register.Info.Location}; this one has not started. Run it again when that one has finished.", register.Info.Location)
        { IsTerminating = true };
        return Run(sweepLock, day, options, storageFor, host, reportError);
    }

    /// <summary>The sweep itself, holding the lock until the last record is out; records come out as they are written.</summary>
    private IEnumerable<DestructionRecord> Run(IDisposable sweepLock, DateTime day, SweepOptions options, Func<string, IRetentionStorage?> storageFor, IOperationHost host, Action<DataShareException> reportError)
    {
        using var held = sweepLock;
        var plan = Plan(day).ToList();
        if (options.HoldingIds is not null)
        {
            var wanted = new HashSet<string>(options.HoldingIds.Select(id => id.Trim()), StringComparer.OrdinalIgnoreCase);
            foreach (var missing in wanted.Where(id => !plan.Any(p => string.Equals(p.HoldingId, id, StringComparison.OrdinalIgnoreCase))))
            {
                reportError(NotDue(missing, day));
            }

            plan = plan.Where(p => wanted.Contains(p.HoldingId)).ToList();
        }

        if (plan.Count == 0)
        {
            host.WriteVerbose($"Nothing to sweep: no holding is due on {DateText.FormatDate(day)}, or every due holding is already destroyed.");
            yield break;
        }

        // Measure first (listing only), so limits are checked before anything is deleted.
        // The measuring listing is kept for deleting from, up to a bounded number of objects in all (memory stays flat
        // for any holding size: a larger holding is listed again when its turn comes). Whatever appears after it was
        // taken is caught by the verification listing and deleted in a second round.
        var candidates = new List<(RetentionPlanItem Item, DataShareHolding Holding, IHoldingStore Store, IRetentionStorage? Storage)>();
        foreach (var item in plan)
        {
            host.CancellationToken.ThrowIfCancellationRequested();
            var holding = register.FindHolding(item.HoldingId)!;
            IRetentionStorage? storage = null;
            if (holding.Kind != HoldingKind.LocalFolder)
            {
                storage = storageFor(holding.StorageAccount ?? string.Empty);
                if (storage is null)
                {
                    reportError(new DataShareException("SweepStorageNotConnected", DataShareErrorCategory.ResourceUnavailable,
                        $"Holding {holding.Id} ({holding.Location}) is in storage account {holding.StorageAccount}, which this session is not connected to; it stays due. Connect-DataShareStorage to it and sweep again.", holding.Id));
                    continue;
                }
            }

            candidates.Add((item, holding, storage?.Open(HoldingLocation.Of(holding)) ?? new LocalFolderStore(holding.Location), storage));
        }

        // Measure the holdings side by side (listing only); results and errors are reported in plan order.
        host.WriteProgress(Activity, $"Measuring {candidates.Count} holding(s)", -1, completed: false);
        var cacheBudget = (long)ListingCacheObjects;
        var measured = new (long Objects, long Bytes, List<HeldObject>? Listed, Exception? Error)[candidates.Count];
        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(options.ThrottleLimit, 8), CancellationToken = host.CancellationToken }, n =>
        {
            long objects = 0, bytes = 0;
            var cached = Interlocked.Read(ref cacheBudget) > 0 ? new List<HeldObject>() : null;
            try
            {
                foreach (var listed in candidates[n].Store.List(host.CancellationToken))
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

                measured[n] = (objects, bytes, cached, null);
            }
            catch (Exception ex) when (IsStorageFailure(ex))
            {
                measured[n] = (0, 0, null, ex);
            }
        });

        var work = new List<(RetentionPlanItem Item, DataShareHolding Holding, IHoldingStore Store, IRetentionStorage? Storage, long Objects, long Bytes, List<HeldObject>? Listed)>();
        for (var n = 0; n < candidates.Count; n++)
        {
            var (item, holding, store, storage) = candidates[n];
            if (measured[n].Error is { } failure)
            {
                reportError(StoreFailed(holding, "listing", failure));
                continue;
            }

            work.Add((item, holding, store, storage, measured[n].Objects, measured[n].Bytes, measured[n].Listed));
        }

        CheckLimits(work.Count, work.Sum(w => w.Bytes), options.Force);

        var softDelete = new Dictionary<string, (string State, int? Days)>(StringComparer.OrdinalIgnoreCase);
        var touched = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var accessRemoved = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

        // One pool of deletes across holdings: the next holding's deletes start while the last ones of the one before
        // are still in flight, and each holding is verified and recorded, in order, once its own deletes are done.
        var slots = new SemaphoreSlim(options.ThrottleLimit, options.ThrottleLimit);
        var pending = new Queue<HoldingRun>();
        try
        {
            for (var i = 0; i < work.Count; i++)
            {
                var (item, holding, store, storage, objects, bytes, listedBefore) = work[i];
                if (!host.ShouldProcess(holding.Location, $"Delete {objects} object(s), {TransferService.Bytes(bytes)}, of agreement {holding.AgreementId} (due {DateText.FormatDate(item.DueOn)}: {item.Reason})"))
                {
                    continue;
                }

                var soft = ("Off", (int?)null);
                if (storage is not null && !softDelete.TryGetValue(storage.AccountName, out soft))
                {
                    soft = (storage.ReadSoftDelete(out var days, host.CancellationToken), days);
                    softDelete[storage.AccountName] = soft;
                }

                // Access goes the same night as the data, and before it: once per ended agreement, when connected.
                if (AccessRevoker is not null && !accessRemoved.TryGetValue(holding.AgreementId, out _))
                {
                    var agreement = register.FindAgreement(holding.AgreementId);
                    accessRemoved[holding.AgreementId] = agreement is not null && AgreementRules.StatusOn(agreement, day) is AgreementStatus.Ended or AgreementStatus.Destroyed
                        ? AccessRevoker(holding.AgreementId, host)
                        : null;
                }

                var run = new HoldingRun(holding, store, listedBefore, soft, clock.UtcNow)
                {
                    AccessRemoved = accessRemoved.TryGetValue(holding.AgreementId, out var access) ? access : null,
                };
                var status = $"{holding.Location} ({i + 1} of {work.Count})";
                var percent = i * 100 / work.Count;
                host.WriteProgress(Activity, status, percent, completed: false);
                run.Error = Dispatch(run, listedBefore ?? store.List(host.CancellationToken), slots, host.CancellationToken,
                    deleted => host.WriteProgress(Activity, $"{status}: {deleted} deleted", percent, completed: false));
                pending.Enqueue(run);

                while (pending.Count > 0 && pending.Peek().Tasks.All(t => t.IsCompleted))
                {
                    var record = Complete(pending.Dequeue(), day, slots, host, reportError);
                    if (record is not null)
                    {
                        touched.Add(record.AgreementId);
                        yield return record;
                    }
                }
            }

            while (pending.Count > 0)
            {
                var record = Complete(pending.Dequeue(), day, slots, host, reportError);
                if (record is not null)
                {
                    touched.Add(record.AgreementId);
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

        host.WriteProgress(Activity, "Done", 100, completed: true);
        foreach (var agreementId in touched)
        {
            MarkDestroyedIfComplete(agreementId, host);
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

    /// <summary>One holding on its way through the sweep: its deletes in flight and what they came to.</summary>
    private sealed class HoldingRun
    {
        public HoldingRun(DataShareHolding holding, IHoldingStore store, IReadOnlyList<HeldObject>? listedBefore, (string State, int? Days) soft, DateTimeOffset started)
        {
            Holding = holding;
            Store = store;
            ListedBefore = listedBefore;
            Soft = soft;
            Started = started;
        }

        public DataShareHolding Holding { get; }

        public IHoldingStore Store { get; }

        public IReadOnlyList<HeldObject>? ListedBefore { get; }

        public (string State, int? Days) Soft { get; }

        public DateTimeOffset Started { get; }

        /// <summary>What directory access was taken away for the holding's ended agreement before its data went.</summary>
        public string? AccessRemoved { get; set; }

        public Tally Tally { get; } = new();

        public List<Task> Tasks { get; } = new();

        /// <summary>A listing failure while dispatching; the deletes already started still finish.</summary>
        public DataShareException? Error { get; set; }
    }

    /// <summary>Starts a delete for every listed object, at most the pool's size in flight across all holdings.</summary>
    private static DataShareException? Dispatch(HoldingRun run, IEnumerable<HeldObject> objects, SemaphoreSlim slots, CancellationToken token, Action<long> progress)
    {
        IEnumerator<HeldObject> listing;
        try
        {
            listing = objects.GetEnumerator();
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            return StoreFailed(run.Holding, "listing", ex);
        }

        using (listing)
        {
            while (true)
            {
                try
                {
                    if (!listing.MoveNext())
                    {
                        return null;
                    }
                }
                catch (Exception ex) when (IsStorageFailure(ex))
                {
                    return StoreFailed(run.Holding, "listing", ex);
                }

                while (!slots.Wait(250, token))
                {
                    progress(Interlocked.Read(ref run.Tally.Deleted));
                }

                run.Tasks.Add(DeleteOne(run.Store, listing.Current, slots, run.Tally, token));
            }
        }
    }

    /// <summary>
    /// Waits for a holding's deletes, lists it again (a second round for anything written after the measuring
    /// listing), removes the emptied container or folder, and writes the destruction record. Null when the holding
    /// failed (reported) or was stopped.
    /// </summary>
    private DestructionRecord? Complete(HoldingRun run, DateTime day, SemaphoreSlim slots, IOperationHost host, Action<DataShareException> reportError)
    {
        var token = host.CancellationToken;
        try
        {
            Task.WaitAll(run.Tasks.ToArray(), token);
        }
        catch (AggregateException ex) when (ex.InnerException is OperationCanceledException)
        {
            throw ex.InnerException;
        }

        if (run.Error is not null)
        {
            reportError(run.Error);
            return null;
        }

        try
        {
            return Record(run, day, slots, host);
        }
        catch (DataShareException ex) when (!ex.IsTerminating)
        {
            reportError(ex);
            return null;
        }
    }

    private static void WaitQuietly(List<Task> tasks)
    {
        try
        {
            Task.WaitAll(tasks.ToArray());
        }
        catch (AggregateException)
        {
            // Cancelled deletes: the holding stays due and the next sweep finishes it.
        }
    }

    private DestructionRecord Record(HoldingRun run, DateTime day, SemaphoreSlim slots, IOperationHost host)
    {
        var (holding, store, listedBefore, soft, started, tally) = (run.Holding, run.Store, run.ListedBefore, run.Soft, run.Started, run.Tally);
        var token = host.CancellationToken;

        // Verify: list again. Only an empty listing makes the holding destroyed.
        long remaining;
        try
        {
            remaining = store.List(token).LongCount();
            if (remaining > 0 && listedBefore is not null && tally.Blocked == 0 && tally.Failed == 0)
            {
                // Objects written after the measuring listing: a second round over a fresh listing, then verify again.
                var again = new HoldingRun(holding, store, null, soft, started);
                var error = Dispatch(again, store.List(token), slots, token, _ => { });
                Task.WaitAll(again.Tasks.ToArray(), token);
                if (error is not null)
                {
                    throw error;
                }

                Interlocked.Add(ref tally.Deleted, again.Tally.Deleted);
                Interlocked.Add(ref tally.Bytes, again.Tally.Bytes);
                Interlocked.Add(ref tally.Blocked, again.Tally.Blocked);
                Interlocked.Add(ref tally.Failed, again.Tally.Failed);
                Interlocked.CompareExchange(ref tally.BlockReason, again.Tally.BlockReason, null);
                Interlocked.CompareExchange(ref tally.Failure, again.Tally.Failure, null);
                remaining = store.List(token).LongCount();
            }

            if (remaining == 0)
            {
                store.Finish(token);
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            throw StoreFailed(holding, "verifying", ex);
        }

        var verified = remaining == 0;
        var (deleted, bytes, blocked, failed, blockReason, failure) = (tally.Deleted, tally.Bytes, tally.Blocked, tally.Failed, tally.BlockReason, tally.Failure);
        var outcome = verified ? DestructionOutcome.Destroyed : blocked > 0 ? DestructionOutcome.Blocked : DestructionOutcome.Incomplete;
        var finished = clock.UtcNow;
        var record = new DestructionRecord
        {
            Id = Ids.NewDestructionId(),
            HoldingId = holding.Id,
            AgreementId = holding.AgreementId,
            Location = holding.Location,
            Outcome = outcome,
            Reason = outcome switch
            {
                DestructionOutcome.Blocked => $"{blocked} object(s) kept by {blockReason}" + (failed > 0 ? $"; {failed} failed ({failure})" : string.Empty),
                DestructionOutcome.Incomplete => $"{remaining} object(s) left" + (failed > 0 ? $"; {failed} delete(s) failed ({failure})" : string.Empty),
                _ => null,
            },
            ObjectsDeleted = deleted,
            BytesDeleted = bytes,
            ObjectsRemaining = remaining,
            Verified = verified,
            SoftDelete = soft.State,
            RecoverableUntil = verified && soft.Days is { } days ? finished.AddDays(days) : null,
            StartedAt = started,
            FinishedAt = finished,
            Operator = identity.User,
            Machine = identity.Machine,
            AsOf = day,
            AccessRemoved = run.AccessRemoved,
        };

        Conflicts.Retry(_ =>
        {
            var current = register.FindHolding(holding.Id)!;
            if (verified)
            {
                current.State = HoldingState.Destroyed;
                current.DestroyedAt = finished;
            }

            register.InsertDestruction(record, current, new AuditEvent("Holding.Destroy", "Holding", holding.Id, new Dictionary<string, string?>
            {
                ["AgreementId"] = record.AgreementId,
                ["Location"] = record.Location,
                ["Outcome"] = record.Outcome.ToString(),
                ["Reason"] = record.Reason,
                ["ObjectsDeleted"] = record.ObjectsDeleted.ToString(CultureInfo.InvariantCulture),
                ["BytesDeleted"] = record.BytesDeleted.ToString(CultureInfo.InvariantCulture),
                ["ObjectsRemaining"] = record.ObjectsRemaining.ToString(CultureInfo.InvariantCulture),
                ["Verified"] = record.Verified ? "true" : "false",
                ["SoftDelete"] = record.SoftDelete,
                ["RecoverableUntil"] = record.RecoverableUntil is null ? null : DateText.FormatInstant(record.RecoverableUntil.Value),
                ["DestructionId"] = record.Id,
                ["AccessRemoved"] = record.AccessRemoved,
            }));
            return true;
        });

        if (outcome == DestructionOutcome.Blocked)
        {
            host.WriteWarning($"Holding {holding.Id} ({holding.Location}) is blocked: {record.Reason}. It stays due; the other holdings go on.");
        }
        else if (outcome == DestructionOutcome.Incomplete)
        {
            host.WriteWarning($"Holding {holding.Id} ({holding.Location}) is not yet gone: {record.Reason}. It stays due; the next sweep goes on from here.");
        }

        host.WriteVerbose($"Holding {holding.Id}: {record.Outcome}, {deleted} object(s) and {TransferService.Bytes(bytes)} deleted, verified {(verified ? "gone" : "NOT gone")}.");
        return record;
    }

    /// <summary>
    /// An ended agreement is destroyed when every holding is verified gone and the organisation has confirmed its own
    /// copies are gone — and, where soft delete keeps deleted data recoverable, not before that ends.
    /// </summary>
    private void MarkDestroyedIfComplete(string agreementId, IOperationHost host)
    {
        var agreement = register.FindAgreement(agreementId);
        if (agreement is null || agreement.DestroyedOn is not null || AgreementRules.StatusOn(agreement, calendar.Today) != AgreementStatus.Ended
            || register.FindConfirmation(agreement.Id) is null || register.ListHoldings(agreement.Id).Any(h => h.State != HoldingState.Destroyed))
        {
            return;
        }

        var records = register.ListDestructions(agreement.Id).Where(r => r.Verified).ToList();
        var day = calendar.Today;
        foreach (var record in records)
        {
            // Soft delete that could not be read is taken at its longest (365 days): never Destroyed too early.
            var until = record.SoftDelete == "Unknown" ? record.FinishedAt.AddDays(MaxSoftDeleteDays) : record.RecoverableUntil;
            if (until is { } last && calendar.DayOf(last).AddDays(1) > day)
            {
                day = calendar.DayOf(last).AddDays(1);
            }
        }

        if (records.Any(r => r.SoftDelete == "Unknown"))
        {
            host.WriteWarning($"Agreement {agreement.Id}: whether soft delete keeps its deleted data recoverable could not be read, so it counts as Destroyed only from {DateText.FormatDate(day)}, after the longest soft-delete period (365 days).");
        }

        Conflicts.Retry(_ =>
        {
            var current = register.FindAgreement(agreement.Id)!;
            current.DestroyedOn = day;
            current.ModifiedAt = clock.UtcNow;
            register.UpdateAgreement(current, new AuditEvent("Agreement.Destroyed", "Agreement", current.Id, new Dictionary<string, string?>
            {
                ["DestroyedOn"] = DateText.FormatDate(day),
                ["Holdings"] = records.Count.ToString(CultureInfo.InvariantCulture),
            }));
            return true;
        });
        host.WriteVerbose($"Agreement {agreement.Id} is Destroyed from {DateText.FormatDate(day)}.");
    }

    private DataShareHolding WithDueOn(DataShareHolding holding, Dictionary<string, DataShareAgreement> cache)
    {
        holding.DueOn = RetentionRules.DueOn(holding, Agreement(holding.AgreementId, cache));
        return holding;
    }

    private DataShareAgreement Agreement(string id, Dictionary<string, DataShareAgreement> cache)
    {
        if (!cache.TryGetValue(id, out var agreement))
        {
            agreement = register.FindAgreement(id) ?? throw new DataShareException("AgreementNotFound", DataShareErrorCategory.ObjectNotFound, $"Agreement {id} is not in the register.", id);
            cache[id] = agreement;
        }

        return agreement;
    }

    /// <summary>What one holding's deletes came to; updated from many deletes at once.</summary>
    private sealed class Tally
    {
#pragma warning disable SA1401, CA1051 // Fields, so Interlocked can update them.
        public long Deleted;
        public long Bytes;
        public long Blocked;
        public long Failed;
        public string? BlockReason;
        public string? Failure;
#pragma warning restore SA1401, CA1051
    }

    /// <summary>One delete, asynchronous so that -ThrottleLimit deletes are really in flight, whatever the thread pool.</summary>
    private static async Task DeleteOne(IHoldingStore store, HeldObject target, SemaphoreSlim slots, Tally tally, CancellationToken token)
    {
        try
        {
            var answer = await store.DeleteAsync(target, token).ConfigureAwait(false);
            if (answer.Result == DeleteResult.Blocked)
            {
                Interlocked.Increment(ref tally.Blocked);
                Interlocked.CompareExchange(ref tally.BlockReason, answer.Reason, null);
            }
            else
            {
                Interlocked.Increment(ref tally.Deleted);
                Interlocked.Add(ref tally.Bytes, target.Size);
            }
        }
        catch (Exception ex) when (IsStorageFailure(ex))
        {
            Interlocked.Increment(ref tally.Failed);
            Interlocked.CompareExchange(ref tally.Failure, ex is RequestFailedException rf ? $"{rf.Status} {rf.ErrorCode} on {target}" : ex.Message, null);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>A failure of storage or the file system (after the SDK's own retries), as opposed to a bug.</summary>
    public static bool IsStorageFailure(Exception ex) => ex switch
    {
        RequestFailedException or IOException or UnauthorizedAccessException or TimeoutException or System.Net.Http.HttpRequestException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsStorageFailure),
        _ => false,
    };

    private static DataShareException NotDue(string holdingId, DateTime day) =>
        new("HoldingNotDue", DataShareErrorCategory.InvalidOperation,
            $"Holding {holdingId} is not due on {DateText.FormatDate(day)} (not yet due, already destroyed, or not in the register); it was not touched.", holdingId);

    private static DataShareException StoreFailed(DataShareHolding holding, string what, Exception ex) =>
        new("SweepStorageFailed", DataShareErrorCategory.ResourceUnavailable,
            $"Holding {holding.Id} ({holding.Location}) failed while {what}: {(ex is RequestFailedException rf ? rf.Status + " " + rf.ErrorCode : ex.Message)}. It stays due; the next sweep goes on from where this one stopped.",
            holding.Id, ex);
}
