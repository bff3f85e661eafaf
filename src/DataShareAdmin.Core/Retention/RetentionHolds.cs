using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Retention;

/// <summary>What a hold asks for: a new due day with a reason and an approver; a legal hold also has a review day.</summary>
public sealed class RetentionHoldRequest
{
    public string HoldingId { get; set; } = string.Empty;

    public string Reason { get; set; } = string.Empty;

    public string ApprovedBy { get; set; } = string.Empty;

    /// <summary>The holding's new due day: the first day it is swept again.</summary>
    public DateTime Until { get; set; }

    public bool Legal { get; set; }

    public DateTime? ReviewOn { get; set; }
}

/// <summary>
/// Holds past the due day: a holding kept only with a reason, an approver and a new due day (never open-ended); a
/// legal hold has a review day as well as its end. Each hold and lift is audited (Holding.Hold, Holding.HoldLift);
/// plans show held holdings as Held and sweeps never delete them until the hold's day.
/// </summary>
public sealed class RetentionHolds
{
    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly RetentionService retention;
    private readonly Decisions.SeparationOfDuties? separation;

    public RetentionHolds(IDataShareRegister register, ShareCalendar calendar, RetentionService retention, Decisions.SeparationOfDuties? separation = null)
    {
        this.register = register;
        this.calendar = calendar;
        this.retention = retention;
        this.separation = separation;
    }

    /// <summary>Places (or replaces) a hold on a held or pending holding; null when the host declined.</summary>
    public DataShareRetentionHold? Add(RetentionHoldRequest request, IOperationHost host)
    {
        var id = request.HoldingId;
        var why = Required("Reason", request.Reason, TextLimits.Reason, id, "HoldReasonMissing", "-Reason says why the holding is kept past its due day (for example: a data subject's complaint under investigation).");
        var approver = Required("ApprovedBy", request.ApprovedBy, TextLimits.Name, id, "HoldApproverMissing", "-ApprovedBy names who approved keeping the holding past its due day.");
        var holding = retention.Get(id);
        RefuseHold(holding);
        var today = calendar.Today.Date;
        var until = request.Until.Date;
        if (until <= today || until <= holding.DueOn.Date)
        {
            throw new DataShareException("HoldUntilInvalid", DataShareErrorCategory.InvalidArgument,
                $"-Until {DateText.FormatDate(until)} must be after today ({DateText.FormatDate(today)}) and after holding {holding.Id}'s due day ({DateText.FormatDate(holding.DueOn)}): a hold is a new, later due day.", holding.Id);
        }

        CheckReview(request, holding.Id, today, until);

        // The acting account places (requests) the hold; the approver it names must be another account when the
        // policy requires a separate approver. Allowed otherwise, and flagged (SelfApproved) in reports.
        var self = separation?.Check(separation.Actor, approver, "Hold", holding.Id) ?? false;
        var action = $"Keep past its due day ({DateText.FormatDate(holding.DueOn)}) until {DateText.FormatDate(until)}{(request.Legal ? " (legal hold)" : string.Empty)}, approved by {approver}, because: {why}";
        if (!host.ShouldProcess($"holding {holding.Id} ({holding.Location})", action))
        {
            return null;
        }

        DataShareHolding? held = null;
        Conflicts.Retry(_ =>
        {
            var current = register.FindHolding(holding.Id)!;
            RefuseHold(current);
            var previous = current.HoldUntil;
            current.HoldUntil = until;
            current.HoldReason = why;
            current.HoldApprovedBy = approver;
            current.HoldLegal = request.Legal;
            current.HoldReviewOn = request.ReviewOn?.Date;
            current.HoldPlacedBy = separation?.Actor;
            register.UpdateHolding(current, new AuditEvent("Holding.Hold", "Holding", current.Id, new Dictionary<string, string?>
            {
                ["AgreementId"] = current.AgreementId,
                ["Location"] = current.Location,
                ["Until"] = DateText.FormatDate(until),
                ["PreviousUntil"] = previous is null ? null : DateText.FormatDate(previous.Value),
                ["Reason"] = why,
                ["ApprovedBy"] = approver,
                ["Legal"] = request.Legal ? "true" : "false",
                ["ReviewOn"] = current.HoldReviewOn is null ? null : DateText.FormatDate(current.HoldReviewOn.Value),
                ["SelfApproved"] = self ? $"approved by the account that placed it ({current.HoldPlacedBy})" : null,
            }));
            held = current;
            return true;
        });
        host.WriteVerbose($"Holding {holding.Id} ({holding.Location}) is held until {DateText.FormatDate(until)}: {why}");
        return ToHold(held!, holding.DueOn, today);
    }

    /// <summary>Lifts a holding's hold, with a reason: it is due again on its own day. Null when the host declined.</summary>
    public DataShareHolding? Remove(string id, string reason, IOperationHost host)
    {
        var why = Required("Reason", reason, TextLimits.Reason, id, "HoldLiftReasonMissing", "-Reason says why the hold is lifted; it is kept in the audit log.");
        var holding = retention.Get(id);
        RefuseLift(holding);
        if (!host.ShouldProcess($"holding {holding.Id} ({holding.Location})", $"Lift the hold until {DateText.FormatDate(holding.HoldUntil!.Value)} (its own due day is {DateText.FormatDate(holding.DueOn)}), because: {why}"))
        {
            return null;
        }

        Conflicts.Retry(_ =>
        {
            var current = register.FindHolding(holding.Id)!;
            RefuseLift(current);
            var until = current.HoldUntil!.Value;
            current.HoldUntil = null;
            current.HoldReason = null;
            current.HoldApprovedBy = null;
            current.HoldLegal = false;
            current.HoldReviewOn = null;
            current.HoldPlacedBy = null;
            register.UpdateHolding(current, new AuditEvent("Holding.HoldLift", "Holding", current.Id, new Dictionary<string, string?>
            {
                ["AgreementId"] = current.AgreementId,
                ["Location"] = current.Location,
                ["Until"] = DateText.FormatDate(until),
                ["Reason"] = why,
            }));
            return true;
        });
        host.WriteVerbose($"Holding {holding.Id} ({holding.Location}): hold lifted: {why}");
        return retention.Get(holding.Id);
    }

    /// <summary>The holds of one holding, of an agreement's holdings, or of every holding still held; ended ones included (Active false).</summary>
    public IEnumerable<DataShareRetentionHold> List(string? holdingId, string? agreementId)
    {
        var today = calendar.Today.Date;
        if (holdingId is not null)
        {
            // Asked for by id, a holding without a hold is an error, not an empty answer.
            var holding = retention.Get(holdingId);
            RefuseLift(holding);
            return new[] { ToHold(holding, holding.DueOn, today) };
        }

        return retention.Find(agreementId, includeDestroyed: false).Where(h => h.HoldUntil is not null).Select(h => ToHold(h, h.DueOn, today));
    }

    /// <summary>
    /// Legal holds in force on <paramref name="asOf"/> (today when null) whose review day is before it: each needs
    /// someone to decide whether the holding must still be kept.
    /// </summary>
    public IEnumerable<DataShareRetentionHold> PastReview(DateTime? asOf)
    {
        var day = (asOf ?? calendar.Today).Date;
        return register.ListHeldHoldings()
            .Where(h => IsPastReview(h, day))
            .Select(h => ToHold(h, h.DueOn, day));
    }

    /// <summary>A legal hold still keeping the holding on <paramref name="day"/> whose review day is before it.</summary>
    private static bool IsPastReview(DataShareHolding holding, DateTime day) =>
        holding.HoldLegal && holding.HoldReviewOn is { } review && review.Date < day && RetentionRules.IsHeld(holding, day);

    /// <summary>The warning a legal hold past its review day gets, wherever it is listed.</summary>
    public static string ReviewWarning(DataShareRetentionHold hold) =>
        $"The legal hold on holding {hold.HoldingId} ({hold.AgreementId}, {hold.Location}) was due for review on {DateText.FormatDate(hold.ReviewOn!.Value)}: "
        + $"check whether it is still needed, then lift it (Remove-DataShareRetentionHold) or place it again with a new -ReviewOn. It keeps the holding until {DateText.FormatDate(hold.Until)}.";

    private static DataShareRetentionHold ToHold(DataShareHolding holding, DateTime dueOn, DateTime today) => new()
    {
        HoldingId = holding.Id,
        AgreementId = holding.AgreementId,
        Location = holding.Location,
        DueOn = dueOn,
        Until = holding.HoldUntil!.Value,
        Reason = holding.HoldReason ?? string.Empty,
        ApprovedBy = holding.HoldApprovedBy ?? string.Empty,
        Legal = holding.HoldLegal,
        ReviewOn = holding.HoldReviewOn,
        PlacedBy = holding.HoldPlacedBy,
        SelfApproved = Decisions.SeparationOfDuties.SameAccount(holding.HoldPlacedBy, holding.HoldApprovedBy),
        Active = RetentionRules.IsHeld(holding, today),
        ReviewOverdue = IsPastReview(holding, today),
    };

    private static void CheckReview(RetentionHoldRequest request, string id, DateTime today, DateTime until)
    {
        if (request.Legal && request.ReviewOn is null)
        {
            throw new DataShareException("HoldReviewMissing", DataShareErrorCategory.InvalidArgument,
                "A legal hold (-Legal) needs -ReviewOn: the day someone checks whether it is still needed (on or before -Until).", id);
        }

        if (request.ReviewOn is { } review && (!request.Legal || review.Date <= today || review.Date > until))
        {
            throw new DataShareException("HoldReviewInvalid", DataShareErrorCategory.InvalidArgument,
                $"-ReviewOn {DateText.FormatDate(review)} is for a legal hold (-Legal) only, and must be after today ({DateText.FormatDate(today)}) and on or before -Until ({DateText.FormatDate(until)}).", id);
        }
    }

    private static string Required(string field, string? value, int max, string id, string errorId, string message)
    {
        var text = TextLimits.Check("Holding", field, (value ?? string.Empty).Trim(), max, id)!;
        return text.Length > 0 ? text : throw new DataShareException(errorId, DataShareErrorCategory.InvalidArgument, message, id);
    }

    private static void RefuseHold(DataShareHolding holding)
    {
        if (holding.State is HoldingState.Destroyed or HoldingState.Withdrawn)
        {
            throw new DataShareException("HoldingNotHoldable", DataShareErrorCategory.InvalidOperation,
                $"Holding {holding.Id} ({holding.Location}) is {holding.State}: it holds nothing to keep.", holding.Id);
        }
    }

    private static void RefuseLift(DataShareHolding holding)
    {
        if (holding.HoldUntil is null)
        {
            throw new DataShareException("HoldingNotHeld", DataShareErrorCategory.InvalidOperation,
                $"Holding {holding.Id} ({holding.Location}) has no hold to lift. Get-DataShareRetentionHold lists the holds.", holding.Id);
        }
    }
}
