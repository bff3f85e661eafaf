using System;

namespace DataShareAdmin;

/// <summary>A data sharing agreement as held in the register, with its status as of <see cref="StatusAsOf"/>.</summary>
public sealed class DataShareAgreement
{
    private ReadableList<DataItem> dataItems = new();
    private ReadableList<string> accessGroupIds = new();
    private ReadableList<string> datasets = new();
    private ReadableList<string> approvals = new();
    private ReadableList<string> outputLinks = new();

    /// <summary>The approval panel's reference, e.g. DS00752.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>
    /// The same as <see cref="Id"/>, so an agreement piped to a cmdlet binds its id to <c>-AgreementId</c> by
    /// property name (never to a recipient's <c>-Id</c>).
    /// </summary>
    public string AgreementId => Id;

    /// <summary>The recipient organisation's name (as its register record names it).</summary>
    public string Organisation { get; set; } = string.Empty;

    /// <summary>The recipient organisation's register id (see Get-DataShareOrganisation).</summary>
    public string? OrganisationId { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Purpose { get; set; } = string.Empty;

    public string LegalGateway { get; set; } = string.Empty;

    public string LawfulBasis { get; set; } = string.Empty;

    public AccessRoute AccessRoute { get; set; }

    /// <summary>
    /// Why data goes to this organisation directly rather than through the secure research service. An agreement
    /// whose route is DirectTransfer is not approved, and gets no transfers, without one.
    /// </summary>
    public string? DirectTransferJustification { get; set; }

    /// <summary>The first day of the share (a calendar date).</summary>
    public DateTime StartsOn { get; set; }

    /// <summary>The last day of the share (a calendar date).</summary>
    public DateTime EndsOn { get; set; }

    /// <summary>Days after <see cref="EndsOn"/> before the data must be gone.</summary>
    public int RetentionDays { get; set; }

    /// <summary>The data items (reads as "Name:B3; Other:C2", the form a CSV cell takes back).</summary>
    public ReadableList<DataItem> DataItems { get => dataItems; set => dataItems = ReadableList<DataItem>.Of(value); }

    /// <summary>Directory security groups (object ids) through which recipients reach the shared material.</summary>
    public ReadableList<string> AccessGroupIds { get => accessGroupIds; set => accessGroupIds = ReadableList<string>.Of(value); }

    /// <summary>The officer responsible for the agreement, who is copied on its notices.</summary>
    public string? OfficerName { get; set; }

    public string? OfficerEmail { get; set; }

    public string? ApprovalReference { get; set; }

    public DateTime? ApprovedOn { get; set; }

    public string? ApprovedBy { get; set; }

    /// <summary>The panel's decision as recorded (tests, principles, who decided, conditions); null for one approved before decisions were recorded.</summary>
    public PanelDecision? Decision { get; set; }

    /// <summary>True when the approval was recorded by the account that created the agreement (flagged in reports whatever the policy).</summary>
    public bool SelfApproved => ApprovedOn is not null && ApprovedBy is { Length: > 0 } by && string.Equals(by, CreatedBy, StringComparison.OrdinalIgnoreCase);

    public bool IsSuspended { get; set; }

    /// <summary>The day Suspend-DataShareAgreement suspended it (null when not suspended that way).</summary>
    public DateTime? SuspendedOn { get; set; }

    /// <summary>Why it was suspended (Suspend-DataShareAgreement -Reason).</summary>
    public string? SuspensionReason { get; set; }

    /// <summary>The day every holding was confirmed destroyed, once it has been.</summary>
    public DateTime? DestroyedOn { get; set; }

    /// <summary>What kind of share this is, as the public register groups them.</summary>
    public AgreementCategory Category { get; set; }

    /// <summary>Who funds or commissions the work.</summary>
    public string? FunderOrCommissioner { get; set; }

    /// <summary>What the share is for, in plain words for the public register.</summary>
    public string? LaySummary { get; set; }

    /// <summary>The public benefit the share is expected to bring.</summary>
    public string? PublicBenefit { get; set; }

    /// <summary>One-off or regular; null when not recorded.</summary>
    public ShareFrequency? Frequency { get; set; }

    /// <summary>For a regular share, how often (e.g. "termly").</summary>
    public string? FrequencyPeriod { get; set; }

    /// <summary>The datasets the share draws on (e.g. "National Pupil Database").</summary>
    public ReadableList<string> Datasets { get => datasets; set => datasets = ReadableList<string>.Of(value); }

    /// <summary>The years the data covers (e.g. "2015/16 to 2022/23").</summary>
    public string? YearsCovered { get; set; }

    /// <summary>How many records are shared, where known.</summary>
    public long? RecordsShared { get; set; }

    /// <summary>Whether the recipient may share the data onward or sublicense it; null when not recorded.</summary>
    public bool? OnwardSharing { get; set; }

    /// <summary>With whom and on what terms, when onward sharing is allowed (or why not).</summary>
    public string? OnwardSharingNote { get; set; }

    /// <summary>References of ethics or other approvals the work holds.</summary>
    public ReadableList<string> Approvals { get => approvals; set => approvals = ReadableList<string>.Of(value); }

    /// <summary>The secure research service's project id; only for the SecureResearchService route.</summary>
    public string? SrsProjectId { get; set; }

    /// <summary>Links (https) to the published outputs of the work.</summary>
    public ReadableList<string> OutputLinks { get => outputLinks; set => outputLinks = ReadableList<string>.Of(value); }

    /// <summary>The day the panel refused the request, when it did (the agreement is then never approved).</summary>
    public DateTime? RefusedOn { get; set; }

    /// <summary>The day the applicant withdrew the request, when they did.</summary>
    public DateTime? WithdrawnOn { get; set; }

    /// <summary>The public reason for a refusal or withdrawal.</summary>
    public string? ClosureReason { get; set; }

    /// <summary>Months between periodic reviews for this agreement; null follows the ReviewIntervalMonths policy setting.</summary>
    public int? ReviewIntervalMonths { get; set; }

    /// <summary>The day the agreement's next review is due, as of <see cref="StatusAsOf"/> (worked out when read, not stored).</summary>
    public DateTime? NextReviewDue { get; set; }

    /// <summary>Whether that day has passed with no review (worked out when read, not stored): no new transfers until one is recorded.</summary>
    public bool ReviewOverdue { get; set; }

    public AgreementStatus Status { get; set; }

    public DateTime StatusAsOf { get; set; }

    /// <summary>How many of its incidents are not yet closed, as Get-DataShareAgreement read them (not stored).</summary>
    public int OpenIncidents { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset ModifiedAt { get; set; }

    /// <summary>Changes each time the record is written; used to detect two writers meeting.</summary>
    public long Version { get; set; }

    public override string ToString() => Id;
}
