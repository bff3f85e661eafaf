using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Organisations;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Reviews;

/// <summary>
/// When an agreement's next review is due, judged without I/O: the interval after its last review (or, with none,
/// after its approval), brought forward by anything that made a review due early and that no review has answered
/// since (a review made on or after a trigger's due day answers it).
/// </summary>
public static class ReviewSchedule
{
    public const string LapsedAssessmentKind = "SecurityAssessment";

    public static ReviewStanding Evaluate(DataShareAgreement agreement, int intervalMonths, IEnumerable<DataShareReview> reviews,
        IEnumerable<ReviewTrigger> triggers, IEnumerable<DataShareDpia> dpias, AssessmentVerdict? assessment, DateTime asOf)
    {
        var day = asOf.Date;
        var latest = reviews.Where(r => r.ReviewedOn.Date <= day).OrderBy(r => r.ReviewedOn).ThenBy(r => r.RecordedAt).LastOrDefault();
        var dpia = dpias.Where(d => d.SignedOffOn.Date <= day).OrderBy(d => d.Revision).LastOrDefault();
        var standing = new ReviewStanding
        {
            AgreementId = agreement.Id,
            IntervalMonths = intervalMonths,
            LastReviewedOn = latest?.ReviewedOn,
            LastOutcome = latest?.Outcome,
            DpiaReference = dpia?.Reference,
            IsDpiaMissing = dpia is null && agreement.AccessRoute == AccessRoute.DirectTransfer,
            AsOf = day,
        };

        if (agreement.ApprovedOn is not { } approvedOn || agreement.DestroyedOn is not null || agreement.RefusedOn is not null || agreement.WithdrawnOn is not null)
        {
            return standing;
        }

        var from = latest?.ReviewedOn ?? approvedOn;
        var due = from.Date.AddMonths(intervalMonths);
        var reason = latest is null
            ? $"Scheduled: {intervalMonths} months after approval on {DateText.FormatDate(approvedOn)}; no review is recorded."
            : $"Scheduled: {intervalMonths} months after the review on {DateText.FormatDate(latest.ReviewedOn)}.";

        var early = triggers.Select(t => (On: t.DueOn.Date, At: t.RecordedAt, Why: $"Due early: {t.Reason}"));
        if (assessment is { State: AssessmentState.Lapsed, Deciding: { } lapsed })
        {
            early = early.Append((lapsed.ValidUntil.Date.AddDays(1), DateTimeOffset.MinValue, $"Due early: {agreement.Organisation}'s security assessment {lapsed.Reference} lapsed after {DateText.FormatDate(lapsed.ValidUntil)}."));
        }

        // A trigger answered by a review on a later day (or the same day, recorded after it) no longer counts; the
        // earliest open one wins.
        foreach (var (on, at, why) in early.OrderBy(e => e.On))
        {
            if (latest is not null && (latest.ReviewedOn.Date > on || (latest.ReviewedOn.Date == on && latest.RecordedAt >= at)))
            {
                continue;
            }

            if (on < due)
            {
                due = on;
                reason = why;
            }

            break;
        }

        standing.NextReviewDue = due;
        standing.DueReason = reason;
        standing.IsOverdue = day > due;
        return standing;
    }
}
