namespace DataShareAdmin.Core.Evidence;

/// <summary>An incident under the agreement, with where it stood against the ICO's 72 hours when the pack was made.</summary>
public sealed class EvidenceIncident
{
    public string Id { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public string Severity { get; set; } = string.Empty;

    public string? OccurredAt { get; set; }

    public string DiscoveredAt { get; set; } = string.Empty;

    public string Summary { get; set; } = string.Empty;

    public bool IsReportable { get; set; }

    /// <summary>NotReportable, Due, Overdue, Notified or NotifiedLate, as of the pack's making.</summary>
    public string IcoState { get; set; } = string.Empty;

    public string? IcoDueBy { get; set; }

    public string? IcoNotifiedAt { get; set; }

    public string? IcoReference { get; set; }

    public string? Actions { get; set; }

    public string? ClosedOn { get; set; }

    public bool SuspendedAgreement { get; set; }

    public string RecordedAt { get; set; } = string.Empty;

    public string RecordedBy { get; set; } = string.Empty;

    internal static EvidenceIncident From(DataShareIncident i)
    {
        static string? Instant(System.DateTimeOffset? value) => value is { } v ? Time.DateText.FormatInstant(v) : null;
        return new EvidenceIncident
        {
            Id = i.Id,
            Kind = i.Kind.ToString(),
            Severity = i.Severity.ToString(),
            OccurredAt = Instant(i.OccurredAt),
            DiscoveredAt = Time.DateText.FormatInstant(i.DiscoveredAt),
            Summary = i.Summary,
            IsReportable = i.IsReportable,
            IcoState = i.IcoState.ToString(),
            IcoDueBy = Instant(i.IcoDueBy),
            IcoNotifiedAt = Instant(i.IcoNotifiedAt),
            IcoReference = i.IcoReference,
            Actions = i.Actions,
            ClosedOn = Time.DateText.FormatDate(i.ClosedOn),
            SuspendedAgreement = i.SuspendedAgreement,
            RecordedAt = Time.DateText.FormatInstant(i.RecordedAt),
            RecordedBy = i.RecordedBy,
        };
    }
}
