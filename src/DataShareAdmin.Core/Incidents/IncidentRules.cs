using System;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Incidents;

/// <summary>
/// The rules of an incident's dates and of the ICO's 72 hours, without I/O. The 72 hours run from discovery (becoming
/// aware), in UTC instants: a reportable incident is overdue only when strictly more than 72 hours have passed without
/// a notification date, so at exactly 72 hours it is still due, not overdue.
/// </summary>
public static class IncidentRules
{
    /// <summary>Where <paramref name="incident"/> stands against the 72 hours at <paramref name="now"/>.</summary>
    public static IcoNotificationState Evaluate(DataShareIncident incident, DateTimeOffset now)
    {
        if (!incident.IsReportable)
        {
            return IcoNotificationState.NotReportable;
        }

        var dueBy = incident.DiscoveredAt.AddHours(DataShareIncident.IcoHours);
        if (incident.IcoNotifiedAt is { } notified)
        {
            return notified <= dueBy ? IcoNotificationState.Notified : IcoNotificationState.NotifiedLate;
        }

        return now > dueBy ? IcoNotificationState.Overdue : IcoNotificationState.Due;
    }

    /// <summary>Sets the incident's IcoState as of <paramref name="now"/> and returns it.</summary>
    public static DataShareIncident Judge(DataShareIncident incident, DateTimeOffset now)
    {
        incident.IcoState = Evaluate(incident, now);
        return incident;
    }

    /// <summary>The warning for an overdue incident, or null when it is not overdue.</summary>
    public static string? Warning(DataShareIncident incident, DateTimeOffset now)
    {
        if (Evaluate(incident, now) != IcoNotificationState.Overdue)
        {
            return null;
        }

        var hours = (long)Math.Floor((now - incident.DiscoveredAt).TotalHours);
        return $"Incident {incident.Id} under agreement {incident.AgreementId} is reportable to the ICO and was discovered {hours} hours ago " +
            $"({DateText.FormatInstant(incident.DiscoveredAt)}) without a notification: the ICO expects notice within {DataShareIncident.IcoHours} hours of becoming aware. " +
            $"Notify the ICO, then record it: Set-DataShareIncident -Id {incident.Id} -IcoNotifiedAt <when>.";
    }

    /// <summary>
    /// Checks every date of an incident against each other and against <paramref name="now"/>: nothing in the future,
    /// nothing discovered before it happened, no ICO notification before discovery, no closure before the day of discovery.
    /// </summary>
    public static void ValidateDates(DataShareIncident incident, DateTimeOffset now, ShareCalendar calendar)
    {
        Future("DiscoveredAt", incident.DiscoveredAt, now, incident.Id);
        if (incident.OccurredAt is { } occurred)
        {
            Future("OccurredAt", occurred, now, incident.Id);
            if (occurred > incident.DiscoveredAt)
            {
                throw new DataShareException("IncidentOccurredAfterDiscovery", DataShareErrorCategory.InvalidArgument,
                    $"The incident is said to have happened at {DateText.FormatInstant(occurred)}, after it was discovered ({DateText.FormatInstant(incident.DiscoveredAt)}). " +
                    "Give -OccurredAt on or before -DiscoveredAt (both are read in the register's time zone unless they name one). Nothing was recorded.", occurred);
            }
        }

        if (incident.IcoNotifiedAt is { } notified)
        {
            Future("IcoNotifiedAt", notified, now, incident.Id);
            if (notified < incident.DiscoveredAt)
            {
                throw new DataShareException("IncidentNotifiedBeforeDiscovery", DataShareErrorCategory.InvalidArgument,
                    $"The ICO notification time {DateText.FormatInstant(notified)} is before the incident was discovered ({DateText.FormatInstant(incident.DiscoveredAt)}). " +
                    "Give the time the ICO was actually told. Nothing was recorded.", notified);
            }
        }

        if (incident.ClosedOn is { } closed)
        {
            if (closed > calendar.Today)
            {
                throw new DataShareException("IncidentDateInFuture", DataShareErrorCategory.InvalidArgument,
                    $"The closing day {DateText.FormatDate(closed)} is in the future. Close an incident on or before today. Nothing was recorded.", closed);
            }

            if (closed < calendar.DayOf(incident.DiscoveredAt))
            {
                throw new DataShareException("IncidentClosedBeforeDiscovery", DataShareErrorCategory.InvalidArgument,
                    $"The closing day {DateText.FormatDate(closed)} is before the day the incident was discovered ({DateText.FormatDate(calendar.DayOf(incident.DiscoveredAt))}). Nothing was recorded.", closed);
            }
        }
    }

    /// <summary>What must hold of an incident's ICO fields and closure, whatever its dates.</summary>
    public static void ValidateState(DataShareIncident incident)
    {
        if (!incident.IsReportable && (incident.IcoNotifiedAt is not null || incident.IcoReference is not null))
        {
            throw new DataShareException("IncidentNotReportable", DataShareErrorCategory.InvalidOperation,
                $"Incident {Name(incident)} is not marked reportable, so it has no ICO notification. If the ICO was told, mark it -Reportable too. Nothing was recorded.", incident.Id);
        }

        if (incident.ClosedOn is not null)
        {
            if (incident.Actions is null)
            {
                throw new DataShareException("IncidentActionsMissing", DataShareErrorCategory.InvalidOperation,
                    $"Incident {Name(incident)} cannot be closed without the actions taken: give -Actions (what was contained, recovered, changed). Nothing was recorded.", incident.Id);
            }

            if (incident.IsReportable && incident.IcoNotifiedAt is null)
            {
                throw new DataShareException("IncidentIcoNotificationMissing", DataShareErrorCategory.InvalidOperation,
                    $"Incident {Name(incident)} is reportable and the ICO notification is not recorded: give -IcoNotifiedAt before closing it (or, if it was judged not reportable after all, -Reportable $false). Nothing was recorded.", incident.Id);
            }
        }
    }

    private static void Future(string field, DateTimeOffset value, DateTimeOffset now, string id)
    {
        if (value > now)
        {
            throw new DataShareException("IncidentDateInFuture", DataShareErrorCategory.InvalidArgument,
                $"-{field} {DateText.FormatInstant(value)} (UTC) is in the future; it is now {DateText.FormatInstant(now)}. Record what has already happened. Nothing was recorded.", value);
        }
    }

    private static string Name(DataShareIncident incident) => string.IsNullOrEmpty(incident.Id) ? "under agreement " + incident.AgreementId : incident.Id;
}
