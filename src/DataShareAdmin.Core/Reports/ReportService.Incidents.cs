using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Incidents;

namespace DataShareAdmin.Core.Reports;

/// <summary>
/// The Incidents report: one row per incident, per agreement in discovery order, with where it stands against the ICO's
/// 72 hours and what needs attention. Internal: the summaries never go into the public register.
/// </summary>
public sealed partial class ReportService
{
    public static readonly IReadOnlyList<ReportColumn> IncidentColumns = new[]
    {
        Text("agreement", "Agreement"), Text("incidentId", "Incident"), Text("kind", "Kind"), Text("severity", "Severity"),
        Instant("occurredAt", "Happened"), Instant("discoveredAt", "Discovered"), Flag("reportable", "Reportable to the ICO"),
        Text("icoState", "ICO (72 hours)"), Instant("icoDueBy", "ICO due by"), Instant("icoNotifiedAt", "ICO notified"), Text("icoReference", "ICO reference"),
        Flag("icoOverdue", "ICO overdue"), Text("summary", "What happened"), Text("actions", "Actions taken"), Flag("suspendedAgreement", "Suspended the agreement"),
        Date("closedOn", "Closed on"), Text("recordedBy", "Recorded by"), Instant("recordedAt", "Recorded"), Text("flags", "Needs attention"),
    };

    /// <param name="asOf">
    /// A past day to judge the 72 hours on (at the end of that day, in the register's zone), leaving out incidents
    /// discovered after it; null judges them now.
    /// </param>
    private IEnumerable<object?[]> IncidentRows(DateTime? asOf, HashSet<string>? only)
    {
        var now = clock.UtcNow;
        var at = asOf is { } day && calendar.ToInstant(day.Date.AddDays(1)) is var end && end < now ? end : now;
        foreach (var incident in register.ListIncidents(null).OrderBy(i => i.AgreementId, StringComparer.OrdinalIgnoreCase).ToList())
        {
            if ((only is not null && !only.Contains(incident.AgreementId)) || incident.DiscoveredAt >= at)
            {
                continue;
            }

            IncidentRules.Judge(incident, at);
            var open = incident.ClosedOn is null || incident.ClosedOn.Value >= calendar.DayOf(at).AddDays(1);
            var flags = new List<string>(3);
            if (incident.IcoState == IcoNotificationState.Overdue)
            {
                flags.Add($"ICO notification overdue: more than {DataShareIncident.IcoHours} hours since discovery");
            }
            else if (incident.IcoState == IcoNotificationState.NotifiedLate)
            {
                flags.Add($"ICO notified more than {DataShareIncident.IcoHours} hours after discovery");
            }

            if (open)
            {
                flags.Add("Open");
            }

            yield return new object?[]
            {
                incident.AgreementId, incident.Id, incident.Kind.ToString(), incident.Severity.ToString(), incident.OccurredAt, incident.DiscoveredAt,
                incident.IsReportable, incident.IcoState.ToString(), incident.IcoDueBy, incident.IcoNotifiedAt, incident.IcoReference, incident.IcoOverdue,
                incident.Summary, incident.Actions, incident.SuspendedAgreement, incident.ClosedOn, incident.RecordedBy, incident.RecordedAt,
                flags.Count == 0 ? null : string.Join("; ", flags),
            };
        }
    }
}
