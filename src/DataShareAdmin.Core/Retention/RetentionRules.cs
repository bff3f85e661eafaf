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
