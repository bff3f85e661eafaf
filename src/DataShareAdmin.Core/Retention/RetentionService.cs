using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.Time;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Retention;

/// <summary>
/// Holdings and their retention: registering them, planning what is due (no storage I/O), the recipient
/// organisations' confirmations, and when an agreement counts as destroyed. The sweep itself (delete, list again to
/// verify, record) is <see cref="RetentionSweep"/>. Safety before speed: nothing is deleted before its day, only
/// holdings found by their stored identity are touched, and a holding is marked destroyed only after a listing finds
/// it empty.
/// </summary>
public sealed class RetentionService
{
    /// <summary>The longest blob soft-delete retention Azure allows.</summary>
    private const int MaxSoftDeleteDays = 365;

    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly AuditIdentity identity;
    private readonly AgreementService agreements;
    private readonly PolicyService policy;

    private readonly RetentionSweep sweep;

    /// <param name="accessRevoker">
    /// Takes an ended agreement's directory access away during a sweep (when the session is connected to the
    /// directory); returns what it removed, for the destruction records. Null when not connected.
    /// </param>
    public RetentionService(IDataShareRegister register, ShareCalendar calendar, IClock clock, AuditIdentity identity, AgreementService agreements, PolicyService policy,
        Func<string, IOperationHost, string?>? accessRevoker = null)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.identity = identity;
        this.agreements = agreements;
        this.policy = policy;
        sweep = new RetentionSweep(register, calendar, clock, identity, policy, this, accessRevoker);
    }

    /// <inheritdoc cref="RetentionSweep.Sweep"/>
    public IEnumerable<DestructionRecord> Sweep(SweepOptions options, Func<string, IRetentionStorage?> storageFor, IOperationHost host, Action<DataShareException> reportError) =>
        sweep.Sweep(options, storageFor, host, reportError);

    /// <summary>The machine's folder facts for <see cref="ProtectedFolders"/>; tests may set another platform's.</summary>
    internal FolderPlatform Folders { get; set; } = FolderPlatform.Current();

    /// <summary>
    /// Registers a place that holds an agreement's data; null when the host declined. A local folder must be a folder
    /// that is there (unless <paramref name="allowMissing"/>: a copy on a machine not reachable yet), and never a
    /// protected one (<see cref="ProtectedFolders"/>).
    /// </summary>
    public DataShareHolding? Register(string agreementId, string location, IOperationHost host, bool allowMissing = false)
    {
        var agreement = agreements.Get(agreementId);
        var parsed = HoldingLocation.Parse(location);
        TextLimits.Check("Holding", "Location", parsed.Location, TextLimits.Location, location.Length > 100 ? location.Substring(0, 100) + "…" : location);
        var check = parsed.Kind == HoldingKind.LocalFolder ? CheckFolder(parsed.Location, location, allowMissing) : HoldingLocationCheck.NotChecked;

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
            LocationCheck = check,
        };

        // Only the holding's neighbours by identity are read (an index on both backends), however large the register.
        foreach (var held in register.ListHeldHoldingsNear(holding))
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
            ["LocationCheck"] = holding.LocationCheck.ToString(),
        }));
        if (check == HoldingLocationCheck.Missing)
        {
            host.WriteWarning($"Holding {holding.Id}: {holding.Location} is not there now (registered with -AllowMissing). A sweep deletes it only once it is there; until then each sweep reports it NotFound.");
        }

        host.WriteVerbose($"Registered {holding.Location} as holding {holding.Id} of agreement {agreement.Id}, due on {DateText.FormatDate(holding.DueOn)}.");
        return holding;
    }

    /// <summary>
    /// Refuses a folder that is protected, is a file, or is not there (unless allowed); says what was found.
    /// </summary>
    private HoldingLocationCheck CheckFolder(string folder, string typed, bool allowMissing)
    {
        var registerFile = register.Info.Backend == "SQLite" && Path.IsPathRooted(register.Info.Location) ? register.Info.Location : null;
        if (ProtectedFolders.Why(folder, Folders, registerFile) is { } why)
        {
            // InvalidArgument, not PermissionDenied: no right or elevation makes such a folder a holding; the argument is wrong.
            throw new DataShareException("HoldingLocationProtected", DataShareErrorCategory.InvalidArgument,
                $"'{folder}' cannot be a holding: {why}. A sweep deletes a holding's folder and everything in it. Register the folder the agreement's data is in.", typed);
        }

        if (Files.FileKinds.Of(folder) == Files.FileKind.SymbolicLink)
        {
            // A sweep refuses a holding that is a link, and an overlap with the folder it points to would go unseen.
#if NET
            var target = new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "where it points";
#else
            var target = "where it points"; // the netstandard2.0 build is only compiled against; the engine that runs is net8.0
#endif
            throw new DataShareException("HoldingLocationIsLink", DataShareErrorCategory.InvalidArgument,
                $"'{folder}' is a link to {target}: a sweep never deletes through a link. Register the folder itself ({target}).", typed);
        }

        if (File.Exists(folder))
        {
            throw new DataShareException("HoldingLocationNotFolder", DataShareErrorCategory.InvalidArgument,
                $"'{folder}' is a file, not a folder: a local holding is the folder the data is in. Register its folder ({Path.GetDirectoryName(folder)}) if that folder holds only this agreement's data.", typed);
        }

        if (Directory.Exists(folder))
        {
            return HoldingLocationCheck.Found;
        }

        if (!allowMissing)
        {
            throw new DataShareException("HoldingLocationNotFound", DataShareErrorCategory.ObjectNotFound,
                $"There is no folder '{folder}'. Check the path for a typing mistake; if the copy is on a machine or share not reachable now, register it with -AllowMissing (a sweep then reports it NotFound until it is there).", typed);
        }

        return HoldingLocationCheck.Missing;
    }

    /// <summary>
    /// Withdraws a holding registered by mistake: its state becomes Withdrawn (kept, never deleted from the register),
    /// audited with the reason, and plans and sweeps skip it. Null when the host declined.
    /// </summary>
    public DataShareHolding? Withdraw(string id, string reason, IOperationHost host)
    {
        var why = TextLimits.Check("Holding", "Reason", (reason ?? string.Empty).Trim(), TextLimits.Reason, id)!;
        if (why.Length == 0)
        {
            throw new DataShareException("HoldingWithdrawReasonMissing", DataShareErrorCategory.InvalidArgument,
                "-Reason says why the holding is withdrawn (for example: registered at a mistyped path); it is kept in the audit log.", id);
        }

        var holding = Get(id);
        RefuseWithdraw(holding);
        if (!host.ShouldProcess($"holding {holding.Id} ({holding.Location})", $"Withdraw from retention (nothing is deleted; the sweep will no longer look at it), because: {why}"))
        {
            return null;
        }

        DataShareHolding? withdrawn = null;
        Conflicts.Retry(_ =>
        {
            var current = register.FindHolding(holding.Id)!;
            RefuseWithdraw(current);
            current.State = HoldingState.Withdrawn;
            register.UpdateHolding(current, new AuditEvent("Holding.Withdraw", "Holding", current.Id, new Dictionary<string, string?>
            {
                ["AgreementId"] = current.AgreementId,
                ["Location"] = current.Location,
                ["Reason"] = why,
            }));
            withdrawn = current;
            return true;
        });
        host.WriteVerbose($"Holding {holding.Id} ({holding.Location}) is withdrawn: {why}");
        MarkDestroyedIfComplete(holding.AgreementId, host);
        return WithDueOn(withdrawn!, new Dictionary<string, DataShareAgreement>(StringComparer.OrdinalIgnoreCase));
    }

    private static void RefuseWithdraw(DataShareHolding holding)
    {
        if (holding.State is HoldingState.Destroyed or HoldingState.Withdrawn)
        {
            throw new DataShareException("HoldingNotWithdrawable", DataShareErrorCategory.InvalidOperation,
                $"Holding {holding.Id} ({holding.Location}) is already {holding.State}: there is nothing to withdraw.", holding.Id);
        }

        if (holding.TransferId is not null)
        {
            throw new DataShareException("HoldingNotWithdrawable", DataShareErrorCategory.InvalidOperation,
                $"Holding {holding.Id} is transfer {holding.TransferId}'s container, which the sweep must delete. To stop using the transfer, revoke it (Revoke-DataShareTransfer -Id {holding.TransferId}): its container then falls due sooner.", holding.Id);
        }
    }

    public DataShareHolding Get(string id)
    {
        var normalised = Ids.Normalise(Ids.HoldingPrefix, id);
        var holding = (normalised is null ? null : register.FindHolding(normalised))
            ?? throw new DataShareException("HoldingNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no holding '{id}'. Get-DataShareHolding lists them.", id);
        return WithDueOn(holding, new Dictionary<string, DataShareAgreement>(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Holdings of an agreement (or all), with their effective due day; destroyed ones only when asked.</summary>
    public IEnumerable<DataShareHolding> Find(string? agreementId, bool includeDestroyed) =>
        Find(agreementId, includeDestroyed, error => throw error);

    /// <summary>
    /// Holdings of an agreement (or all), with their effective due day; a holding whose due day cannot be worked out
    /// (its agreement is missing or unreadable) is reported through <paramref name="reportError"/> and the rest go on.
    /// </summary>
    public IEnumerable<DataShareHolding> Find(string? agreementId, bool includeDestroyed, Action<DataShareException> reportError)
    {
        var agreement = agreementId is null ? null : agreements.Get(agreementId).Id;
        var cache = new Dictionary<string, DataShareAgreement>(StringComparer.OrdinalIgnoreCase);
        foreach (var holding in agreement is null && !includeDestroyed ? register.ListHeldHoldings() : register.ListHoldings(agreement))
        {
            if (!includeDestroyed && holding.State is HoldingState.Destroyed or HoldingState.Withdrawn)
            {
                continue;
            }

            DataShareHolding? found = null;
            try
            {
                found = WithDueOn(holding, cache);
            }
            catch (Exception ex) when (IsRecordProblem(ex))
            {
                reportError(NotPlanned(holding, ex));
            }

            if (found is not null)
            {
                yield return found;
            }
        }
    }

    /// <summary>
    /// The holdings due on <paramref name="asOf"/> (today when null), in the order of the due day they were registered
    /// with: pure planning from the register, no storage I/O. A holding is never in the plan before its own due day.
    /// Throws at the first holding that cannot be planned.
    /// </summary>
    public IEnumerable<RetentionPlanItem> Plan(DateTime? asOf) => Plan(asOf, error => throw error);

    /// <summary>
    /// The plan, with each holding that cannot be planned (its agreement missing or unreadable) reported through
    /// <paramref name="reportError"/> with its id (HoldingPlanFailed) while every other holding is still planned: one
    /// bad record never stops retention for the rest.
    /// </summary>
    public IEnumerable<RetentionPlanItem> Plan(DateTime? asOf, Action<DataShareException> reportError)
    {
        var day = (asOf ?? calendar.Today).Date;
        var cache = new Dictionary<string, DataShareAgreement>(StringComparer.OrdinalIgnoreCase);
        foreach (var holding in register.ListHeldHoldings())
        {
            RetentionPlanItem? item = null;
            try
            {
                item = PlanItem(holding, day, cache);
            }
            catch (Exception ex) when (IsRecordProblem(ex))
            {
                reportError(NotPlanned(holding, ex));
            }

            if (item is not null)
            {
                yield return item;
            }
        }
    }

    private RetentionPlanItem? PlanItem(DataShareHolding holding, DateTime day, Dictionary<string, DataShareAgreement> cache)
    {
        var agreement = Agreement(holding.AgreementId, cache, day);
        var due = RetentionRules.DueOn(holding, agreement);
        if (due > day)
        {
            return null;
        }

        // A holding kept by a hold is in the plan as Held, with why and until when: never left out in silence.
        var held = RetentionRules.IsHeld(holding, day);
        var sweepOn = RetentionRules.SweepOn(holding, due);
        return new RetentionPlanItem
        {
            HoldingId = holding.Id,
            AgreementId = holding.AgreementId,
            Kind = holding.Kind,
            Location = holding.Location,
            DueOn = held ? due : sweepOn,
            AsOf = day,
            State = held ? RetentionPlanState.Held : RetentionPlanState.Due,
            HeldUntil = held ? holding.HoldUntil!.Value.Date : null,
            Reason = held ? RetentionRules.HoldText(holding)
                : holding.HoldUntil is null ? RetentionRules.Reason(holding, agreement, due)
                : $"{RetentionRules.Reason(holding, agreement, due)} The hold ended on {DateText.FormatDate(holding.HoldUntil.Value)} ({holding.HoldReason}).",
        };
    }

    /// <summary>
    /// What one damaged record can throw while its holding is planned (its agreement gone, a value that does not read):
    /// anything but the work being stopped or a terminating error, which end the whole command.
    /// </summary>
    internal static bool IsRecordProblem(Exception ex) =>
        ex is not (OperationCanceledException or OutOfMemoryException) && ex is not DataShareException { IsTerminating: true };

    internal static DataShareException NotPlanned(DataShareHolding holding, Exception ex) =>
        new("HoldingPlanFailed", DataShareErrorCategory.InvalidData,
            $"Holding {holding.Id} ({holding.Location}) of agreement {holding.AgreementId} could not be planned: {ex.Message} It is left as it is, and every other holding is planned and swept. Check the agreement (Get-DataShareAgreement {holding.AgreementId}) and the holding (Get-DataShareHolding -Id {holding.Id}).",
            holding.Id, ex);

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
        var by = TextLimits.Check("DestructionConfirmation", "ConfirmedBy", (confirmedBy ?? string.Empty).Trim(), TextLimits.Name, agreement.Id)!;
        TextLimits.Check("DestructionConfirmation", "Evidence", evidence?.Trim(), TextLimits.Evidence, agreement.Id);
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
    /// An ended agreement is destroyed when every holding is verified gone and the organisation has confirmed its own
    /// copies are gone — and, where soft delete keeps deleted data recoverable, not before that ends.
    /// </summary>
    internal void MarkDestroyedIfComplete(string agreementId, IOperationHost host)
    {
        var agreement = register.FindAgreement(agreementId);
        if (agreement is null || agreement.DestroyedOn is not null || AgreementRules.StatusOn(agreement, calendar.Today) != AgreementStatus.Ended
            || register.FindConfirmation(agreement.Id) is null
            || register.ListHoldings(agreement.Id).Any(h => h.State is not (HoldingState.Destroyed or HoldingState.Withdrawn)))
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

    /// <param name="day">A plan's day: a past day is judged by the terms then in force.</param>
    private DataShareAgreement Agreement(string id, Dictionary<string, DataShareAgreement> cache, DateTime? day = null)
    {
        if (!cache.TryGetValue(id, out var agreement))
        {
            agreement = register.FindAgreement(id) ?? throw new DataShareException("AgreementNotFound", DataShareErrorCategory.ObjectNotFound, $"Agreement {id} is not in the register.", id);
            agreement = day is { } on ? AgreementTermsOf.OnDay(register, agreement, on, calendar.Today) : agreement;
            cache[id] = agreement;
        }

        return agreement;
    }
}
