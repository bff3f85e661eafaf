using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Time;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Retention;
/// <summary>One holding through the sweep: its deletes, the verifying listing, and its destruction record.</summary>
public sealed partial class RetentionSweep
{
    /// <summary>A due holding opened for the sweep, and what the measuring listing found in it.</summary>
    private sealed class Candidate
    {
        public Candidate(RetentionPlanItem item, DataShareHolding holding, IHoldingStore store, IRetentionStorage? storage)
        {
            Item = item;
            Holding = holding;
            Store = store;
            Storage = storage;
        }

        public RetentionPlanItem Item { get; }

        public DataShareHolding Holding { get; }

        public IHoldingStore Store { get; }

        public IRetentionStorage? Storage { get; }

        public long Objects { get; private set; }

        public long Bytes { get; private set; }

        /// <summary>The measuring listing, kept for deleting from; null when it was too large to keep.</summary>
        public List<HeldObject>? Listed { get; private set; }

        /// <summary>The due holdings of the same container this one is listed with; null when it is listed on its own.</summary>
        public ListingGroup? Group { get; set; }

        public void Measured(long objects, long bytes, List<HeldObject>? listed) => (Objects, Bytes, Listed) = (objects, bytes, listed);
    }

    /// <summary>
    /// Starts holdings on their way, reading each storage account's soft delete once and taking each ended
    /// agreement's directory access away once, before its first holding's data goes (the same night, and first).
    /// </summary>
    private sealed class HoldingStarter
    {
        private readonly RetentionSweep sweep;
        private readonly DateTime day;
        private readonly IOperationHost host;
        private readonly Dictionary<string, (string State, int? Days)> softDelete = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, string?> accessRemoved = new(StringComparer.OrdinalIgnoreCase);

        public HoldingStarter(RetentionSweep sweep, DateTime day, IOperationHost host)
        {
            this.sweep = sweep;
            this.day = day;
            this.host = host;
        }

        public HoldingRun Start(Candidate candidate)
        {
            var (holding, storage) = (candidate.Holding, candidate.Storage);
            var soft = ("Off", (int?)null);
            if (storage is not null && !softDelete.TryGetValue(storage.AccountName, out soft))
            {
                soft = (storage.ReadSoftDelete(out var days, host.CancellationToken), days);
                softDelete[storage.AccountName] = soft;
            }

            if (sweep.accessRevoker is not null && !accessRemoved.TryGetValue(holding.AgreementId, out _))
            {
                var agreement = sweep.register.FindAgreement(holding.AgreementId);
                accessRemoved[holding.AgreementId] = agreement is not null && AgreementRules.StatusOn(agreement, day) is AgreementStatus.Ended or AgreementStatus.Destroyed
                    ? sweep.accessRevoker(holding.AgreementId, host)
                    : null;
            }

            return new HoldingRun(holding, candidate.Store, candidate.Listed, soft, sweep.clock.UtcNow)
            {
                Group = candidate.Group,
                AccessRemoved = accessRemoved.TryGetValue(holding.AgreementId, out var access) ? access : null,
            };
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

        /// <summary>The due holdings of the same container verified by one listing with this one; null when verified alone.</summary>
        public ListingGroup? Group { get; init; }

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
    /// listing), removes the emptied container or folder, and writes the destruction record. Nothing when the holding
    /// failed (reported) or was stopped. A holding of a listing group waits for the rest of its group, and all of them
    /// are verified by one listing when the last is done.
    /// </summary>
    private IEnumerable<DestructionRecord> Complete(HoldingRun run, DateTime day, SemaphoreSlim slots, IOperationHost host, Action<DataShareException> reportError)
    {
        try
        {
            Task.WaitAll(run.Tasks.ToArray(), host.CancellationToken);
        }
        catch (AggregateException ex) when (ex.InnerException is OperationCanceledException)
        {
            throw ex.InnerException;
        }

        if (run.Error is not null)
        {
            reportError(run.Error);
        }

        if (run.Group is { } group)
        {
            return Settle(group, run.Error is null ? run : null, day, slots, host, reportError);
        }

        return run.Error is null && Finish(run, day, slots, host, reportError, null) is { } record ? new[] { record } : Array.Empty<DestructionRecord>();
    }

    /// <summary>Verifies and records one holding whose deletes are done; null when that failed (reported).</summary>
    private DestructionRecord? Finish(HoldingRun run, DateTime day, SemaphoreSlim slots, IOperationHost host, Action<DataShareException> reportError, List<HeldObject>? left)
    {
        try
        {
            return Record(run, day, slots, host, left);
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

    /// <param name="left">
    /// What a listing shared with the holding's group found still under its prefix; null to list the holding itself.
    /// </param>
    private DestructionRecord Record(HoldingRun run, DateTime day, SemaphoreSlim slots, IOperationHost host, List<HeldObject>? left)
    {
        var (holding, store, listedBefore, soft, started, tally) = (run.Holding, run.Store, run.ListedBefore, run.Soft, run.Started, run.Tally);
        var token = host.CancellationToken;

        // Verify: list again. Only an empty listing makes the holding destroyed.
        long remaining;
        try
        {
            remaining = left?.Count ?? store.List(token).LongCount();
            if (remaining > 0 && listedBefore is not null && tally.Blocked == 0 && tally.Failed == 0 && tally.Unsafe == 0)
            {
                // Objects written after the measuring listing: a second round over a fresh listing, then verify again.
                var again = new HoldingRun(holding, store, null, soft, started);
                var error = Dispatch(again, (IEnumerable<HeldObject>?)left ?? store.List(token), slots, token, _ => { });
                Task.WaitAll(again.Tasks.ToArray(), token);
                if (error is not null)
                {
                    throw error;
                }

                Interlocked.Add(ref tally.Deleted, again.Tally.Deleted);
                Interlocked.Add(ref tally.Bytes, again.Tally.Bytes);
                Interlocked.Add(ref tally.Blocked, again.Tally.Blocked);
                Interlocked.Add(ref tally.Failed, again.Tally.Failed);
                Interlocked.Add(ref tally.Unsafe, again.Tally.Unsafe);
                Interlocked.CompareExchange(ref tally.BlockReason, again.Tally.BlockReason, null);
                Interlocked.CompareExchange(ref tally.Failure, again.Tally.Failure, null);
                Interlocked.CompareExchange(ref tally.UnsafeReason, again.Tally.UnsafeReason, null);
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

        var (deleted, bytes, blocked, failed, blockReason, failure) = (tally.Deleted, tally.Bytes, tally.Blocked, tally.Failed, tally.BlockReason, tally.Failure);

        // A folder that is not there, and from which this sweep deleted nothing, proves nothing: it was never there (a
        // mistyped path, a machine not reachable) or someone else removed it. Never recorded as destroyed.
        var notFound = holding.Kind == HoldingKind.LocalFolder && store.Absence is not null && deleted == 0;
        var verified = remaining == 0 && !notFound;
        var outcome = notFound ? DestructionOutcome.NotFound : verified ? DestructionOutcome.Destroyed : blocked > 0 ? DestructionOutcome.Blocked : DestructionOutcome.Incomplete;
        var others = (failed > 0 ? $"; {failed} delete(s) failed ({failure})" : string.Empty)
            + (tally.Unsafe > 0 ? $"; {tally.Unsafe} not deleted because the delete could not be proved to stay inside the holding ({tally.UnsafeReason})" : string.Empty);
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
                DestructionOutcome.Blocked => $"{blocked} object(s) kept by {blockReason}" + others,
                DestructionOutcome.Incomplete => $"{remaining} object(s) left" + others,
                DestructionOutcome.NotFound => $"{store.Absence}; nothing was deleted and nothing is proved destroyed ("
                    + (holding.LocationCheck switch
                    {
                        HoldingLocationCheck.Found => "it was there when registered, so someone else removed it or it was moved",
                        HoldingLocationCheck.Missing => "it was registered with -AllowMissing and has never been found",
                        _ => "whether it was there when registered is not known",
                    }) + ")",

                // Found gone and proved so (not merely a listing that answered 404): the record says so.
                _ => store.Absence is { } absence ? $"Nothing was left to delete: {absence}" : null,
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

        if (outcome == DestructionOutcome.NotFound)
        {
            host.WriteWarning($"Holding {holding.Id} ({holding.Location}) is NotFound: {record.Reason}. It stays due and is not destroyed: find where the data is, or withdraw the holding if it was a mistake (Remove-DataShareHolding -Id {holding.Id} -Reason ...).");
        }
        else if (outcome == DestructionOutcome.Blocked)
        {
            host.WriteWarning($"Holding {holding.Id} ({holding.Location}) is blocked: {record.Reason}. It stays due; the other holdings go on.");
        }
        else if (outcome == DestructionOutcome.Incomplete && tally.Unsafe > 0)
        {
            host.WriteWarning($"Holding {holding.Id} ({holding.Location}) is not yet gone: {record.Reason}. It stays due, and no sweep deletes those objects: look at them, and delete or move them by hand.");
        }
        else if (outcome == DestructionOutcome.Incomplete)
        {
            host.WriteWarning($"Holding {holding.Id} ({holding.Location}) is not yet gone: {record.Reason}. It stays due; the next sweep goes on from here.");
        }

        host.WriteVerbose($"Holding {holding.Id}: {record.Outcome}, {deleted} object(s) and {TransferService.Bytes(bytes)} deleted, verified {(verified ? "gone" : "NOT gone")}.");
        return record;
    }

    /// <summary>What one holding's deletes came to; updated from many deletes at once.</summary>
    private sealed class Tally
    {
#pragma warning disable SA1401, CA1051 // Fields, so Interlocked can update them.
        public long Deleted;
        public long Bytes;
        public long Blocked;
        public long Failed;
        public long Unsafe;
        public string? BlockReason;
        public string? Failure;
        public string? UnsafeReason;
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
            else if (answer.Result == DeleteResult.Unsafe)
            {
                Interlocked.Increment(ref tally.Unsafe);
                Interlocked.CompareExchange(ref tally.UnsafeReason, answer.Reason, null);
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
        StorageListingException or HoldingUnsafeException or Storage.BlobDeleteRefusedException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsStorageFailure),
        _ => false,
    };

    private static DataShareException NotDue(string holdingId, DateTime day) =>
        new("HoldingNotDue", DataShareErrorCategory.InvalidOperation,
            $"Holding {holdingId} is not due on {DateText.FormatDate(day)} (not yet due, already destroyed, or not in the register); it was not touched.", holdingId);

    private static DataShareException HeldBack(string holdingId, string why) =>
        new("HoldingHeld", DataShareErrorCategory.InvalidOperation,
            $"Holding {holdingId} is kept by a hold and was not touched. {why}. Remove-DataShareRetentionHold lifts it.", holdingId);

    private static DataShareException StoreFailed(DataShareHolding holding, string what, Exception ex) => ex is HoldingUnsafeException ? Unsafe(holding, ex.Message) :
        new("SweepStorageFailed", DataShareErrorCategory.ResourceUnavailable,
            $"Holding {holding.Id} ({holding.Location}) failed while {what}: {(ex is RequestFailedException rf ? rf.Status + " " + rf.ErrorCode : ex.Message)}. It stays due; the next sweep goes on from where this one stopped.",
            holding.Id, ex);

    private static DataShareException Unsafe(DataShareHolding holding, string why) =>
        new("SweepHoldingUnsafe", DataShareErrorCategory.InvalidData,
            $"Holding {holding.Id} ({holding.Location}) is not swept: {why}. It stays due until that is put right.", holding.Id);
}
