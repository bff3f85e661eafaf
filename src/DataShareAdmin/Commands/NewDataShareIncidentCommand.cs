using System;
using System.Management.Automation;
using DataShareAdmin.Core.Incidents;

namespace DataShareAdmin.Commands;

/// <summary>
/// Records a breach, complaint or near miss under an agreement, audited as Incident.Record; with -Suspend the agreement is
/// suspended at once in the same command (no new transfers). Warns when a reportable incident is already past the ICO's
/// 72 hours without a notification. Agreements piped in bind by their AgreementId.
/// </summary>
[Cmdlet(VerbsCommon.New, "DataShareIncident", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareIncident))]
public sealed class NewDataShareIncidentCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string AgreementId { get; set; } = string.Empty;

    [Parameter(Mandatory = true)]
    public IncidentKind Kind { get; set; }

    /// <summary>What happened: what data, whose, how it was found (internal; never published).</summary>
    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    public string Summary { get; set; } = string.Empty;

    [Parameter(Mandatory = true)]
    public IncidentSeverity Severity { get; set; }

    /// <summary>When it happened, if known; a time without a zone is read in the register's time zone.</summary>
    [Parameter]
    [DateTransformation(Instant = true)]
    public DateTime? OccurredAt { get; set; }

    /// <summary>When the department became aware of it (the ICO's 72 hours start here); now when omitted.</summary>
    [Parameter]
    [DateTransformation(Instant = true)]
    public DateTime? DiscoveredAt { get; set; }

    /// <summary>The incident must be reported to the ICO.</summary>
    [Parameter]
    public SwitchParameter Reportable { get; set; }

    [Parameter]
    [DateTransformation(Instant = true)]
    public DateTime? IcoNotifiedAt { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IcoReference { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Actions { get; set; }

    /// <summary>Suspend the agreement at once, in this command: no new transfers until it is resumed.</summary>
    [Parameter]
    public SwitchParameter Suspend { get; set; }

    protected override void ProcessRecord() => Run(AgreementId, () =>
    {
        var incident = Engine.Incidents.Record(new IncidentRequest
        {
            AgreementId = AgreementId,
            Kind = Kind,
            Summary = Summary,
            Severity = Severity,
            OccurredAt = OccurredAt is { } occurred ? Engine.Calendar.ToInstant(occurred) : null,
            DiscoveredAt = DiscoveredAt is { } discovered ? Engine.Calendar.ToInstant(discovered) : null,
            IsReportable = Reportable.IsPresent,
            IcoNotifiedAt = IcoNotifiedAt is { } notified ? Engine.Calendar.ToInstant(notified) : null,
            IcoReference = IcoReference,
            Actions = Actions,
            Suspend = Suspend.IsPresent,
        }, this);
        if (incident is not null)
        {
            WriteObject(incident);
        }
    });
}
