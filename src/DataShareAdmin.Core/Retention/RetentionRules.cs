using System;
using DataShareAdmin.Core.Time;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Retention;

/// <summary>Pure rules of retention: when a holding falls due, and why.</summary>
public static class RetentionRules
{
    /// <summary>
    /// A holding's due day: a transfer's container is due on the day stored when its links were issued or revoked,
    /// never later than its agreement's; any other holding is due with its agreement (the day after it ends plus its
    /// retention days), so a changed end date moves it too.
    /// </summary>
    public static DateTime DueOn(DataShareHolding holding, DataShareAgreement agreement)
    {
        var agreementDue = TransferRules.AgreementDueOn(agreement);
        return holding.TransferId is null || holding.DueOn > agreementDue ? agreementDue : holding.DueOn.Date;
    }

    /// <summary>Whether a hold keeps the holding on <paramref name="day"/>: it has one, and its day has not come.</summary>
    public static bool IsHeld(DataShareHolding holding, DateTime day) => holding.HoldUntil is { } until && day.Date < until.Date;

    /// <summary>The day a holding is swept: its due day, or a hold's day when that is later (a hold that ended is a day passed).</summary>
    public static DateTime SweepOn(DataShareHolding holding, DateTime due) =>
        holding.HoldUntil is { } until && until.Date > due ? until.Date : due;

    /// <summary>What a hold says, for plans and reports: why, who approved it, until when (and a legal hold's review day).</summary>
    public static string HoldText(DataShareHolding holding) =>
        $"{(holding.HoldLegal ? "Legal hold" : "Held")} past its due day, due again on {DateText.FormatDate(holding.HoldUntil!.Value)}, approved by {holding.HoldApprovedBy}"
        + (holding.HoldReviewOn is { } review ? $", review on {DateText.FormatDate(review)}" : string.Empty) + $": {holding.HoldReason}";

    /// <summary>The day by which the recipient organisation must confirm it destroyed its copies.</summary>
    public static DateTime ConfirmationDueBy(DataShareAgreement agreement, long confirmationDays) =>
        ShareCalendar.AddDays(TransferRules.AgreementDueOn(agreement), confirmationDays);

    public static string Reason(DataShareHolding holding, DataShareAgreement agreement, DateTime due)
    {
        var agreementDue = TransferRules.AgreementDueOn(agreement);
        if (holding.State == HoldingState.Pending)
        {
            return $"Transfer {holding.TransferId} never finished uploading (stopped, killed or failed): no link was issued, and its container goes as soon as the upload cannot still be running.";
        }

        return holding.TransferId is not null && due < agreementDue
            ? $"Transfer {holding.TransferId}'s container: its links stopped working; kept until {DateText.FormatDate(due.AddDays(-1))} for the grace days."
            : $"Agreement {agreement.Id} ended on {DateText.FormatDate(agreement.EndsOn)}; kept {agreement.RetentionDays} day(s) after.";
    }
}
