using System;

namespace DataShareAdmin;

/// <summary>What kind of incident was recorded against an agreement.</summary>
public enum IncidentKind
{
    /// <summary>A personal data breach: data lost, disclosed, altered or made unavailable without authority.</summary>
    Breach,

    /// <summary>A complaint about the share, from a data subject, the organisation or anyone else.</summary>
    Complaint,

    /// <summary>Something that could have been a breach but was caught in time.</summary>
    NearMiss,
}

/// <summary>How serious an incident is, as the officer judged it.</summary>
public enum IncidentSeverity
{
    Low,
    Medium,
    High,
}

/// <summary>Where an incident stands against the ICO's 72 hours (Article 33 UK GDPR), judged when it is read.</summary>
public enum IcoNotificationState
{
    /// <summary>Not reportable to the ICO: nothing to notify.</summary>
    NotReportable,

    /// <summary>Reportable, not yet notified, and fewer than 72 hours since it was discovered.</summary>
    Due,

    /// <summary>Reportable, not notified, and more than 72 hours since it was discovered: notify now and record why it was late.</summary>
    Overdue,

    /// <summary>Notified within 72 hours of discovery.</summary>
    Notified,

    /// <summary>Notified, but more than 72 hours after discovery.</summary>
    NotifiedLate,
}

/// <summary>
/// A breach, complaint or near miss under an agreement: when it happened and when it was discovered (the ICO's 72 hours
/// run from becoming aware), what happened, how serious, whether it is reportable to the ICO and when the ICO was told,
/// the actions taken and when it was closed. Instants are UTC. The summary is internal: never in the public register.
/// </summary>
public sealed class DataShareIncident
{
    /// <summary>The hours the ICO allows from becoming aware of a reportable breach to notifying it.</summary>
    public const int IcoHours = 72;

    /// <summary>The incident's id, e.g. IN-4K2M9Q7X1B.</summary>
    public string Id { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    public IncidentKind Kind { get; set; }

    /// <summary>When it happened, if known.</summary>
    public DateTimeOffset? OccurredAt { get; set; }

    /// <summary>When the department became aware of it: the ICO's 72 hours start here.</summary>
    public DateTimeOffset DiscoveredAt { get; set; }

    /// <summary>What happened (free text; internal, may name people).</summary>
    public string Summary { get; set; } = string.Empty;

    public IncidentSeverity Severity { get; set; }

    /// <summary>Whether it must be reported to the ICO (a breach likely to result in a risk to people's rights and freedoms).</summary>
    public bool IsReportable { get; set; }

    public DateTimeOffset? IcoNotifiedAt { get; set; }

    /// <summary>The ICO's case reference, once notified.</summary>
    public string? IcoReference { get; set; }

    /// <summary>What was done about it (containment, recovery, lessons), as the officer wrote it.</summary>
    public string? Actions { get; set; }

    /// <summary>The day it was closed; null while open.</summary>
    public DateTime? ClosedOn { get; set; }

    /// <summary>Whether recording it suspended the agreement (New-DataShareIncident -Suspend).</summary>
    public bool SuspendedAgreement { get; set; }

    public string RecordedBy { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }

    public DateTimeOffset ModifiedAt { get; set; }

    public long Version { get; set; }

    /// <summary>Open until closed.</summary>
    public bool IsOpen => ClosedOn is null;

    /// <summary>When the ICO must have been told by, for a reportable incident: 72 hours after discovery.</summary>
    public DateTimeOffset? IcoDueBy => IsReportable ? DiscoveredAt.AddHours(IcoHours) : null;

    /// <summary>Where it stands against the 72 hours, judged when read (not stored).</summary>
    public IcoNotificationState IcoState { get; set; }

    /// <summary>True when reportable, not notified and more than 72 hours since discovery: a warning is written for it.</summary>
    public bool IcoOverdue => IcoState == IcoNotificationState.Overdue;

    public override string ToString() => Id;
}
