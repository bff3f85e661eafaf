using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Organisations;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Reports;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Reviews;

/// <summary>What Set-DataShareDpia records: a new revision of an agreement's DPIA.</summary>
public sealed class DpiaDraft
{
    public string AgreementId { get; set; } = string.Empty;

    public string Reference { get; set; } = string.Empty;

    public DateTime SignedOffOn { get; set; }

    public string SignedOffBy { get; set; } = string.Empty;

    public ResidualRisk ResidualRisk { get; set; }

    public string Mitigations { get; set; } = string.Empty;

    public string? PublicSummary { get; set; }
}

/// <summary>What Add-DataShareReview records.</summary>
public sealed class ReviewDraft
{
    public string AgreementId { get; set; } = string.Empty;

    /// <summary>The day of the review; today when null.</summary>
    public DateTime? ReviewedOn { get; set; }

    public string Reviewer { get; set; } = string.Empty;

    public ReviewOutcome Outcome { get; set; }

    public string? Notes { get; set; }
}

/// <summary>
/// DPIAs, periodic reviews and reviews falling due early (issue 21). An agreement whose review is overdue, or whose
/// DirectTransfer route has no DPIA, gets no new transfers (<see cref="RequireGoodStanding"/>).
/// </summary>
public sealed class ReviewService
{
    private const string Noun = "Dpia";

    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly string actor;
    private readonly AgreementService agreements;
    private readonly PolicyService policy;

    public ReviewService(IDataShareRegister register, ShareCalendar calendar, IClock clock, string actor, AgreementService agreements, PolicyService policy)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.actor = actor;
        this.agreements = agreements;
        this.policy = policy;
    }

    /// <summary>Records a new revision of the agreement's DPIA (the first is revision 1); earlier revisions are kept.</summary>
    public DataShareDpia? SetDpia(DpiaDraft draft, IOperationHost host)
    {
        var agreement = agreements.Get(draft.AgreementId);
        var reference = Required(draft.Reference, "Reference", agreement.Id);
        TextLimits.Check(Noun, "Reference", reference, TextLimits.Reference, agreement.Id);
        var signedBy = Required(draft.SignedOffBy, "SignedOffBy", agreement.Id);
        TextLimits.Check(Noun, "SignedOffBy", signedBy, TextLimits.Name, agreement.Id);
        var mitigations = Required(draft.Mitigations, "Mitigations", agreement.Id);
        TextLimits.Check(Noun, "Mitigations", mitigations, TextLimits.Statement, agreement.Id);
        var summary = string.IsNullOrWhiteSpace(draft.PublicSummary) ? null : draft.PublicSummary!.Trim();
        TextLimits.Check(Noun, "PublicSummary", summary, TextLimits.Statement, agreement.Id);
        if (draft.SignedOffOn.Date > calendar.Today)
        {
            throw new DataShareException("DpiaSignedOffInFuture", DataShareErrorCategory.InvalidArgument,
                $"The DPIA's sign-off day {DateText.FormatDate(draft.SignedOffOn)} is after today ({DateText.FormatDate(calendar.Today)}): record a DPIA once it is signed off.", agreement.Id);
        }

        if (summary is not null && HoldsPersonalData(summary))
        {
            throw new DataShareException("DpiaSummaryPersonalData", DataShareErrorCategory.InvalidData,
                $"The public summary of agreement {agreement.Id}'s DPIA names a person the register knows or holds an email address; it is published, so it must hold no personal data. Reword it; nothing was recorded.", agreement.Id);
        }

        return Conflicts.Retry(first =>
        {
            var revision = register.ListDpias(agreement.Id).Select(d => d.Revision).DefaultIfEmpty(0).Max() + 1;
            var dpia = new DataShareDpia
            {
                Id = Ids.NewDpiaId(),
                AgreementId = agreement.Id,
                Revision = revision,
                Reference = reference,
                SignedOffOn = draft.SignedOffOn.Date,
                SignedOffBy = signedBy,
                ResidualRisk = draft.ResidualRisk,
                Mitigations = mitigations,
                PublicSummary = summary,
                RecordedAt = clock.UtcNow,
                RecordedBy = actor,
                IsCurrent = true,
            };
            if (first && !host.ShouldProcess($"agreement {agreement.Id}", $"Record DPIA {reference} (revision {revision}, residual risk {dpia.ResidualRisk})"))
            {
                return null;
            }

            register.InsertDpia(dpia, new AuditEvent("Agreement.Dpia", "Agreement", agreement.Id, new Dictionary<string, string?>
            {
                ["DpiaId"] = dpia.Id,
                ["Revision"] = revision.ToString(CultureInfo.InvariantCulture),
                ["Reference"] = reference,
                ["SignedOffOn"] = DateText.FormatDate(dpia.SignedOffOn),
                ["SignedOffBy"] = signedBy,
                ["ResidualRisk"] = dpia.ResidualRisk.ToString(),
            }));
            host.WriteVerbose($"Recorded DPIA {reference} revision {revision} for agreement {agreement.Id}.");
            if (dpia.ResidualRisk == ResidualRisk.High)
            {
                host.WriteWarning($"DPIA {reference} leaves a high residual risk: under UK GDPR Article 36 the ICO must be consulted before processing that the DPIA shows would be high risk without further measures.");
            }

            return dpia;
        });
    }

    /// <summary>The agreement's DPIA revisions (the current one only unless <paramref name="allRevisions"/>), or every agreement's when null.</summary>
    public IEnumerable<DataShareDpia> GetDpias(string? agreementId, bool allRevisions)
    {
        var id = agreementId is null ? null : agreements.Get(agreementId).Id;
        foreach (var group in register.ListDpias(id).GroupBy(d => d.AgreementId, StringComparer.OrdinalIgnoreCase))
        {
            var list = group.OrderBy(d => d.Revision).ToList();
            list[list.Count - 1].IsCurrent = true;
            foreach (var dpia in allRevisions ? list : list.Skip(list.Count - 1))
            {
                yield return dpia;
            }
        }
    }

    /// <summary>
    /// Records a review. The next review falls due the agreement's interval after it. Suspend suspends the agreement
    /// (as Set-DataShareAgreement -Suspended does); Vary and Terminate warn that a variation must now be requested.
    /// </summary>
    public DataShareReview? Add(ReviewDraft draft, IOperationHost host)
    {
        var agreement = agreements.Get(draft.AgreementId);
        var reviewer = Required(draft.Reviewer, "Reviewer", agreement.Id);
        TextLimits.Check("Review", "Reviewer", reviewer, TextLimits.Name, agreement.Id);
        var notes = string.IsNullOrWhiteSpace(draft.Notes) ? null : draft.Notes!.Trim();
        TextLimits.Check("Review", "Notes", notes, TextLimits.Statement, agreement.Id);
        var day = (draft.ReviewedOn ?? calendar.Today).Date;
        if (agreement.ApprovedOn is not { } approvedOn)
        {
            throw new DataShareException("ReviewAgreementNotApproved", DataShareErrorCategory.InvalidOperation,
                $"Agreement {agreement.Id} is {agreement.Status}, not approved: only an approved agreement is reviewed.", agreement.Id);
        }

        if (day > calendar.Today || day < approvedOn.Date)
        {
            throw new DataShareException("ReviewDateInvalid", DataShareErrorCategory.InvalidArgument,
                $"A review of agreement {agreement.Id} is dated from its approval ({DateText.FormatDate(approvedOn)}) to today ({DateText.FormatDate(calendar.Today)}), not {DateText.FormatDate(day)}.", agreement.Id);
        }

        var interval = IntervalFor(agreement);
        var review = new DataShareReview
        {
            Id = Ids.NewReviewId(),
            AgreementId = agreement.Id,
            ReviewedOn = day,
            Reviewer = reviewer,
            Outcome = draft.Outcome,
            Notes = notes,
            NextReviewDue = day.AddMonths(interval),
            RecordedAt = clock.UtcNow,
            RecordedBy = actor,
        };
        if (!host.ShouldProcess($"agreement {agreement.Id}", $"Record a review on {DateText.FormatDate(day)} by {reviewer}: {review.Outcome}"))
        {
            return null;
        }

        register.InsertReview(review, new AuditEvent("Agreement.Review", "Agreement", agreement.Id, new Dictionary<string, string?>
        {
            ["ReviewId"] = review.Id,
            ["ReviewedOn"] = DateText.FormatDate(day),
            ["Reviewer"] = reviewer,
            ["Outcome"] = review.Outcome.ToString(),
            ["NextReviewDue"] = DateText.FormatDate(review.NextReviewDue),
        }));
        host.WriteVerbose($"Recorded the review of agreement {agreement.Id}; the next is due on {DateText.FormatDate(review.NextReviewDue)}.");
        switch (review.Outcome)
        {
            case ReviewOutcome.Suspend when !agreement.IsSuspended:
                agreements.Suspend(agreement.Id, $"Review {review.Id} of {DateText.FormatDate(day)} decided to suspend it.", day, new AlreadyConfirmed(host));
                host.WriteWarning($"Agreement {agreement.Id} is suspended by the review: no transfers until it is resumed (Resume-DataShareAgreement -Reason).");
                break;
            case ReviewOutcome.Vary:
                host.WriteWarning($"The review decided agreement {agreement.Id}'s terms must change: request a variation (Request-DataShareVariation), and have it approved (Approve-DataShareVariation), before its terms change.");
                break;
            case ReviewOutcome.Terminate:
                host.WriteWarning($"The review decided agreement {agreement.Id} should end: request a variation ending it early (Request-DataShareVariation -EndsOn), and have it approved.");
                break;
        }

        return review;
    }

    /// <summary>Reviews of one agreement (or every agreement when null), oldest first.</summary>
    public IEnumerable<DataShareReview> GetReviews(string? agreementId) =>
        register.ListReviews(agreementId is null ? null : agreements.Get(agreementId).Id);

    /// <summary>What made reviews due early, for one agreement (or every agreement when null).</summary>
    public IEnumerable<ReviewTrigger> GetTriggers(string? agreementId) =>
        register.ListReviewTriggers(agreementId is null ? null : agreements.Get(agreementId).Id);

    /// <summary>
    /// The seam for events the ICO names (a variation of route, data items or purpose; an incident; new information on
    /// a certificate): the agreement's review falls due on <paramref name="day"/> (today when null), audited as
    /// Agreement.ReviewDue. Called by the engine after the event is recorded, without asking again.
    /// </summary>
    public ReviewTrigger MarkDue(string agreementId, string reason, string sourceKind, string? sourceId, DateTime? day = null)
    {
        var agreement = agreements.Get(agreementId);
        var why = Required(reason, "Reason", agreement.Id);
        TextLimits.Check("Review", "Reason", why, TextLimits.Reason, agreement.Id);
        var trigger = new ReviewTrigger
        {
            Id = Ids.NewReviewTriggerId(),
            AgreementId = agreement.Id,
            Reason = why,
            SourceKind = Required(sourceKind, "SourceKind", agreement.Id),
            SourceId = sourceId,
            DueOn = (day ?? calendar.Today).Date,
            RecordedAt = clock.UtcNow,
            RecordedBy = actor,
        };
        register.InsertReviewTrigger(trigger, new AuditEvent("Agreement.ReviewDue", "Agreement", agreement.Id, new Dictionary<string, string?>
        {
            ["TriggerId"] = trigger.Id,
            ["Reason"] = why,
            ["SourceKind"] = trigger.SourceKind,
            ["SourceId"] = sourceId,
            ["DueOn"] = DateText.FormatDate(trigger.DueOn),
        }));
        return trigger;
    }

    /// <summary>Makes a review due on every approved agreement the person is a current recipient on (a certificate's NEW_INFO).</summary>
    public IReadOnlyList<ReviewTrigger> MarkDueForPerson(string personId, string reason, string sourceKind, string? sourceId, IOperationHost host)
    {
        var marked = new List<ReviewTrigger>();
        var places = register.ListRecipients(null, includeRemoved: false).Where(r => r.IsActive && string.Equals(r.PersonId, personId, StringComparison.Ordinal)).ToList();
        foreach (var agreementId in places.Select(p => p.AgreementId).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (register.FindAgreement(agreementId) is { ApprovedOn: not null, DestroyedOn: null })
            {
                marked.Add(MarkDue(agreementId, reason, sourceKind, sourceId));
                host.WriteWarning($"Agreement {agreementId}'s review is now due: {reason}");
            }
        }

        return marked;
    }

    /// <summary>The agreement's review schedule and DPIA on a day (today when null).</summary>
    public ReviewStanding Standing(DataShareAgreement agreement, DateTime? asOf = null) => Judge(register, policy, agreement, (asOf ?? calendar.Today).Date);

    /// <summary>The agreement's review schedule on <paramref name="day"/>, read from the register (for other services, such as notices and reports).</summary>
    internal static ReviewStanding Judge(IDataShareRegister register, PolicyService policy, DataShareAgreement agreement, DateTime day)
    {
        var assessment = agreement.OrganisationId is null ? null : OrganisationRules.Evaluate(register.ListAssessments(agreement.OrganisationId), day);
        var interval = agreement.ReviewIntervalMonths ?? (int)policy.Number(PolicyCatalogue.ReviewIntervalMonths);
        return ReviewSchedule.Evaluate(agreement, interval, register.ListReviews(agreement.Id), register.ListReviewTriggers(agreement.Id),
            register.ListDpias(agreement.Id), assessment, day);
    }

    /// <summary>
    /// Approved agreements still running on <paramref name="asOf"/> (today when null) — approved, active or suspended —
    /// whose review is overdue, or that send data directly without a DPIA: what the retention plan and readiness warn of.
    /// </summary>
    public IEnumerable<ReviewStanding> NeedingAttention(DateTime? asOf)
    {
        var day = (asOf ?? calendar.Today).Date;
        foreach (var agreement in agreements.Find(null, new[] { AgreementStatus.Approved, AgreementStatus.Active, AgreementStatus.Suspended }, day))
        {
            var standing = Standing(agreement, day);
            if (standing.IsOverdue || standing.IsDpiaMissing)
            {
                yield return standing;
            }
        }
    }

    /// <summary>The warning an agreement needing attention gets wherever it is listed.</summary>
    public static string AttentionWarning(ReviewStanding standing) => standing.IsDpiaMissing
        ? $"Agreement {standing.AgreementId} sends data directly but records no DPIA: no transfers until one is recorded (Set-DataShareDpia)."
        : $"Agreement {standing.AgreementId}'s review was due on {DateText.FormatDate(standing.NextReviewDue)} and none has been recorded since ({standing.DueReason}): no transfers until one is (Add-DataShareReview).";

    /// <summary>Fills the agreement's NextReviewDue and ReviewOverdue as of its StatusAsOf (or today).</summary>
    public DataShareAgreement Annotate(DataShareAgreement agreement)
    {
        var standing = Standing(agreement, agreement.StatusAsOf == default ? null : agreement.StatusAsOf);
        agreement.NextReviewDue = standing.NextReviewDue;
        agreement.ReviewOverdue = standing.IsOverdue;
        return agreement;
    }

    /// <summary>Refuses a transfer under an agreement whose review is overdue (ReviewOverdue) or whose DirectTransfer route has no DPIA (DpiaMissing).</summary>
    public void RequireGoodStanding(DataShareAgreement agreement)
    {
        var standing = Standing(agreement);
        if (standing.IsDpiaMissing)
        {
            throw new DataShareException("DpiaMissing", DataShareErrorCategory.PermissionDenied,
                $"Agreement {agreement.Id} sends data directly but records no DPIA: no transfer is issued until one is recorded with Set-DataShareDpia.", agreement.Id);
        }

        if (standing.IsOverdue)
        {
            throw new DataShareException("ReviewOverdue", DataShareErrorCategory.PermissionDenied,
                $"Agreement {agreement.Id}'s review was due on {DateText.FormatDate(standing.NextReviewDue)} and none has been recorded since ({standing.DueReason}) No transfer is issued until a review is recorded with Add-DataShareReview.", agreement.Id);
        }
    }

    /// <summary>The agreement's own interval, or the ReviewIntervalMonths policy setting.</summary>
    public int IntervalFor(DataShareAgreement agreement) => agreement.ReviewIntervalMonths ?? (int)policy.Number(PolicyCatalogue.ReviewIntervalMonths);

    private bool HoldsPersonalData(string text)
    {
        var terms = PublicRegisterRedaction.Terms(register.ListPeople(), register.ListAgreements(), register.ListOrganisations());
        return !ReferenceEquals(PublicRegisterRedaction.Clean(text, terms), text);
    }

    private static string Required(string? value, string field, string agreementId) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new DataShareException(field + "Missing", DataShareErrorCategory.InvalidArgument, $"Give -{field}: it cannot be empty (agreement {agreementId}).", agreementId)
            : value!.Trim();
}
