using System.Collections.Generic;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Reviews;

/// <summary>What needs attention in an agreement's review schedule, as a phrase for the register report and evidence.</summary>
public static class ReviewFlags
{
    public static string? Of(ReviewStanding standing, AgreementStatus status)
    {
        // A pending (or refused, withdrawn) agreement has no transfers to stop yet; an ended one none to come.
        if (status is not (AgreementStatus.Approved or AgreementStatus.Active or AgreementStatus.Suspended))
        {
            return null;
        }

        var flags = new List<string>(2);
        if (standing.IsOverdue)
        {
            flags.Add($"Review overdue since {DateText.FormatDate(standing.NextReviewDue)}: no transfers");
        }

        if (standing.IsDpiaMissing)
        {
            flags.Add("No DPIA recorded for a direct transfer: no transfers");
        }

        return flags.Count == 0 ? null : string.Join("; ", flags);
    }
}
