using System;
using System.Management.Automation;
using DataShareAdmin.Core.Incidents;

namespace DataShareAdmin.Commands;

/// <summary>
/// Changes an open incident: records the ICO notification and its reference, the actions taken, the severity, whether it
/// is reportable, and closes it (closing needs the actions, and for a reportable incident the notification). Audited as
/// Incident.Update or Incident.Close; a closed incident is not changed.
/// </summary>
[Cmdlet(VerbsCommon.Set, "DataShareIncident", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareIncident))]
public sealed class SetDataShareIncidentCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IncidentId")]
    [ArgumentCompleter(typeof(IncidentIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    [Parameter]
    public IncidentSeverity? Severity { get; set; }

    [Parameter]
    public bool? Reportable { get; set; }

    [Parameter]
    [DateTransformation(Instant = true)]
    public DateTime? IcoNotifiedAt { get; set; }

    /// <summary>The ICO's case reference; empty text clears it.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? IcoReference { get; set; }

    /// <summary>The actions taken, replacing those recorded before; empty text clears them.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? Actions { get; set; }

    /// <summary>The day the incident was closed.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? ClosedOn { get; set; }

    protected override void ProcessRecord() => Run(Id, () =>
    {
        var incident = Engine.Incidents.Update(Id, new IncidentChanges
        {
            Severity = Severity,
            IsReportable = Reportable,
            IcoNotifiedAt = IcoNotifiedAt is { } notified ? Engine.Calendar.ToInstant(notified) : null,
            IcoReference = IcoReference,
            Actions = Actions,
            ClosedOn = ClosedOn,
        }, this);
        if (incident is not null)
        {
            WriteObject(incident);
        }
    });
}
