using System;

namespace DataShareAdmin;

/// <summary>The risk left once a DPIA's mitigations are in place.</summary>
public enum ResidualRisk
{
    Low,
    Medium,
    High,
}

/// <summary>What a periodic review of an agreement decided.</summary>
public enum ReviewOutcome
{
    /// <summary>The share is still justified on its current terms.</summary>
    Continue,

    /// <summary>The share goes on, but its terms must change: a variation must be requested.</summary>
    Vary,

    /// <summary>The share is suspended: no transfers until it is resumed.</summary>
    Suspend,

    /// <summary>The share should end early: a variation ending it must be requested.</summary>
    Terminate,
}

/// <summary>
/// One revision of an agreement's data protection impact assessment. Revisions are kept; the highest is current.
/// </summary>
public sealed class DataShareDpia
{
    /// <summary>The register's id, e.g. DP-4D2QW8N1ZT.</summary>
    public string Id { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    /// <summary>1 for the first DPIA recorded, then one more for each revision.</summary>
    public int Revision { get; set; }

    /// <summary>The DPIA's own reference (document number).</summary>
    public string Reference { get; set; } = string.Empty;

    /// <summary>The day the DPIA was signed off (a calendar date).</summary>
    public DateTime SignedOffOn { get; set; }

    /// <summary>Who signed it off (the data protection officer or information asset owner).</summary>
    public string SignedOffBy { get; set; } = string.Empty;

    public ResidualRisk ResidualRisk { get; set; }

    /// <summary>The measures that bring the risk down to the residual risk.</summary>
    public string Mitigations { get; set; } = string.Empty;

    /// <summary>A summary fit to publish: no personal data (names and email addresses are refused).</summary>
    public string? PublicSummary { get; set; }

    /// <summary>Whether this is the agreement's latest revision (worked out when read, not stored).</summary>
    public bool IsCurrent { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public string RecordedBy { get; set; } = string.Empty;

    public override string ToString() => Reference + " r" + Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A periodic (or early) review of an agreement: is the share still justified?</summary>
public sealed class DataShareReview
{
    /// <summary>The register's id, e.g. RV-4D2QW8N1ZT.</summary>
    public string Id { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    /// <summary>The day the review was made (a calendar date).</summary>
    public DateTime ReviewedOn { get; set; }

    public string Reviewer { get; set; } = string.Empty;

    public ReviewOutcome Outcome { get; set; }

    public string? Notes { get; set; }

    /// <summary>The next review's due day, as the schedule stood when this review was recorded.</summary>
    public DateTime NextReviewDue { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public string RecordedBy { get; set; } = string.Empty;

    public override string ToString() => AgreementId + " " + Outcome + " " + ReviewedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Something the ICO names that makes an agreement's review due early: a variation, an incident, a lapsed security
/// assessment, new information on a disclosure certificate. A review made on or after its due day answers it.
/// </summary>
public sealed class ReviewTrigger
{
    /// <summary>The register's id, e.g. RT-4D2QW8N1ZT.</summary>
    public string Id { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    /// <summary>Why the review falls due, in words.</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>What kind of record caused it (Variation, Incident, SecurityAssessment, Certificate).</summary>
    public string SourceKind { get; set; } = string.Empty;

    /// <summary>That record's id, when it has one.</summary>
    public string? SourceId { get; set; }

    /// <summary>The day the review falls due (a calendar date).</summary>
    public DateTime DueOn { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public string RecordedBy { get; set; } = string.Empty;

    public override string ToString() => AgreementId + " " + SourceKind + " " + DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>An agreement's review schedule on a day: when its next review is due, why, and its DPIA.</summary>
public sealed class ReviewStanding
{
    public string AgreementId { get; set; } = string.Empty;

    /// <summary>The day the next review is due; null while the agreement is not approved (or is refused, withdrawn or destroyed).</summary>
    public DateTime? NextReviewDue { get; set; }

    /// <summary>Why it is due then (the schedule, or what made it due early).</summary>
    public string? DueReason { get; set; }

    /// <summary>True when the due day has passed with no review on or after it.</summary>
    public bool IsOverdue { get; set; }

    /// <summary>Months between reviews for this agreement (its own setting, or the ReviewIntervalMonths policy).</summary>
    public int IntervalMonths { get; set; }

    public DateTime? LastReviewedOn { get; set; }

    public ReviewOutcome? LastOutcome { get; set; }

    /// <summary>The current DPIA revision's reference; null when none is recorded.</summary>
    public string? DpiaReference { get; set; }

    /// <summary>True when the route is DirectTransfer and no DPIA is recorded.</summary>
    public bool IsDpiaMissing { get; set; }

    /// <summary>The day judged.</summary>
    public DateTime AsOf { get; set; }
}
