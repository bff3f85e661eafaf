using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Incidents;

/// <summary>What New-DataShareIncident records.</summary>
public sealed class IncidentRequest
{
    public string AgreementId { get; set; } = string.Empty;

    public IncidentKind Kind { get; set; }

    public DateTimeOffset? OccurredAt { get; set; }

    /// <summary>When it was discovered; now when null.</summary>
    public DateTimeOffset? DiscoveredAt { get; set; }

    public string? Summary { get; set; }

    public IncidentSeverity Severity { get; set; }

    public bool IsReportable { get; set; }

    public DateTimeOffset? IcoNotifiedAt { get; set; }

    public string? IcoReference { get; set; }

    public string? Actions { get; set; }

    /// <summary>Suspend the agreement at once, in the same command.</summary>
    public bool Suspend { get; set; }
}

/// <summary>What Set-DataShareIncident may change; null leaves a field as it is.</summary>
public sealed class IncidentChanges
{
    public IncidentSeverity? Severity { get; set; }

    public bool? IsReportable { get; set; }

    public DateTimeOffset? IcoNotifiedAt { get; set; }

    public string? IcoReference { get; set; }

    /// <summary>The actions taken, replacing what was written before (the audit log keeps each version).</summary>
    public string? Actions { get; set; }

    public DateTime? ClosedOn { get; set; }
}

/// <summary>
/// Incidents under agreements: recorded, changed (ICO notification, actions, closure) and read, every write audited; the
/// ICO's 72 hours judged on every read and warned of; an incident can suspend its agreement at once, and always makes
/// the agreement's review fall due (through <see cref="IncidentService(IDataShareRegister, ShareCalendar, IClock, string, AgreementService, Action{DataShareIncident, IOperationHost}?)"/>'s hook).
/// </summary>
public sealed class IncidentService
{
    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly string actor;
    private readonly AgreementService agreements;
    private readonly Action<DataShareIncident, IOperationHost>? reviewFallsDue;

    /// <param name="reviewFallsDue">
    /// Called once for each incident recorded, after it is written: the seam through which an incident makes the
    /// agreement's review fall due early (the reviews service supplies it; null until then).
    /// </param>
    public IncidentService(IDataShareRegister register, ShareCalendar calendar, IClock clock, string actor, AgreementService agreements,
        Action<DataShareIncident, IOperationHost>? reviewFallsDue)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.actor = actor;
        this.agreements = agreements;
        this.reviewFallsDue = reviewFallsDue;
    }

    /// <summary>Records an incident (and with Suspend, suspends its agreement first); null when the host declined.</summary>
    public DataShareIncident? Record(IncidentRequest request, IOperationHost host)
    {
        var agreement = agreements.Get(request.AgreementId);
        var now = DateText.Truncate(clock.UtcNow);
        var summary = TextLimits.Check("Incident", "Summary", Trimmed(request.Summary), TextLimits.Statement, request.Summary)
            ?? throw new DataShareException("IncidentSummaryMissing", DataShareErrorCategory.InvalidArgument,
                "Give a -Summary: what happened, what data and whose. Nothing was recorded.", agreement.Id);
        var incident = new DataShareIncident
        {
            Id = Ids.NewIncidentId(),
            AgreementId = agreement.Id,
            Kind = Known(request.Kind),
            OccurredAt = request.OccurredAt is { } occurred ? DateText.Truncate(occurred) : null,
            DiscoveredAt = request.DiscoveredAt is { } discovered ? DateText.Truncate(discovered) : now,
            Summary = summary,
            Severity = Known(request.Severity),
            IsReportable = request.IsReportable,
            IcoNotifiedAt = request.IcoNotifiedAt is { } notified ? DateText.Truncate(notified) : null,
            IcoReference = TextLimits.Check("Incident", "IcoReference", Trimmed(request.IcoReference), TextLimits.Reference, request.IcoReference),
            Actions = TextLimits.Check("Incident", "Actions", Trimmed(request.Actions), TextLimits.Statement, request.Actions),
            SuspendedAgreement = request.Suspend,
            RecordedBy = actor,
            RecordedAt = now,
            ModifiedAt = now,
        };
        IncidentRules.ValidateDates(incident, now, calendar);
        IncidentRules.ValidateState(incident);
        if (request.Suspend && agreement.ApprovedOn is null)
        {
            // Refused before anything is written, as Suspend-DataShareAgreement would refuse it after the incident.
            throw new DataShareException("AgreementNotApproved", DataShareErrorCategory.InvalidOperation,
                $"Agreement '{agreement.Id}' is not approved: it gets no data to suspend. Record the incident without -Suspend.", agreement.Id);
        }

        var action = $"Record a {incident.Severity.ToString().ToLowerInvariant()}-severity {Words(incident.Kind)}" + (request.Suspend ? " and suspend the agreement at once" : string.Empty);
        if (!host.ShouldProcess($"Agreement {agreement.Id} ({agreement.Title})", action))
        {
            return null;
        }

        // Suspend first: stopping data is the urgent part, and if recording then failed the command can simply be run
        // again (suspending a suspended agreement changes nothing).
        if (request.Suspend)
        {
            SuspendAgreement(agreement.Id, incident, host);
        }

        register.InsertIncident(incident, new AuditEvent("Incident.Record", "Incident", incident.Id, new Dictionary<string, string?>
        {
            ["AgreementId"] = incident.AgreementId,
            ["Kind"] = incident.Kind.ToString(),
            ["Severity"] = incident.Severity.ToString(),
            ["OccurredAt"] = incident.OccurredAt is { } o ? DateText.FormatInstant(o) : null,
            ["DiscoveredAt"] = DateText.FormatInstant(incident.DiscoveredAt),
            ["Reportable"] = incident.IsReportable ? "true" : "false",
            ["IcoNotifiedAt"] = incident.IcoNotifiedAt is { } n ? DateText.FormatInstant(n) : null,
            ["IcoReference"] = incident.IcoReference,
            ["Summary"] = incident.Summary,
            ["Actions"] = incident.Actions,
            ["SuspendedAgreement"] = request.Suspend ? "true" : null,
        }));
        host.WriteVerbose($"Recorded incident {incident.Id} under agreement {incident.AgreementId}" + (request.Suspend ? "; the agreement is suspended." : "."));

        // LEAD (issue 21, reviews): an incident always makes the agreement's review fall due early. This is the one
        // call site; DataShareEngine passes the reviews service's hook into the constructor.
        reviewFallsDue?.Invoke(incident, host);

        return Warned(IncidentRules.Judge(incident, clock.UtcNow), host);
    }

    /// <summary>Changes an open incident (ICO notification, actions, severity, closure); null when the host declined.</summary>
    public DataShareIncident? Update(string id, IncidentChanges changes, IOperationHost host)
    {
        var reference = changes.IcoReference is null ? null : TextLimits.Check("Incident", "IcoReference", changes.IcoReference.Trim(), TextLimits.Reference, changes.IcoReference);
        var actions = changes.Actions is null ? null : TextLimits.Check("Incident", "Actions", changes.Actions.Trim(), TextLimits.Statement, changes.Actions);
        return Conflicts.Retry(first =>
        {
            var incident = Find(id);
            if (!incident.IsOpen)
            {
                throw new DataShareException("IncidentClosed", DataShareErrorCategory.InvalidOperation,
                    $"Incident {incident.Id} was closed on {DateText.FormatDate(incident.ClosedOn!.Value)}: a closed incident is not changed. Record a new incident for anything that happened since.", incident.Id);
            }

            var now = DateText.Truncate(clock.UtcNow);
            var details = new Dictionary<string, string?>(StringComparer.Ordinal) { ["AgreementId"] = incident.AgreementId };
            void Change(string name, string? before, string? after)
            {
                if (!string.Equals(before, after, StringComparison.Ordinal))
                {
                    details[name] = (before ?? "(none)") + " -> " + (after ?? "(none)");
                }
            }

            if (changes.Severity is { } severity)
            {
                Change("Severity", incident.Severity.ToString(), Known(severity).ToString());
                incident.Severity = severity;
            }

            if (changes.IsReportable is { } reportable)
            {
                Change("Reportable", incident.IsReportable ? "true" : "false", reportable ? "true" : "false");
                incident.IsReportable = reportable;
            }

            if (changes.IcoNotifiedAt is { } notified)
            {
                var at = DateText.Truncate(notified);
                Change("IcoNotifiedAt", Instant(incident.IcoNotifiedAt), Instant(at));
                incident.IcoNotifiedAt = at;
            }

            if (changes.IcoReference is not null)
            {
                var value = reference is { Length: > 0 } ? reference : null;
                Change("IcoReference", incident.IcoReference, value);
                incident.IcoReference = value;
            }

            if (changes.Actions is not null)
            {
                var value = actions is { Length: > 0 } ? actions : null;
                Change("Actions", incident.Actions, value);
                incident.Actions = value;
            }

            if (changes.ClosedOn is { } closed)
            {
                var day = ShareCalendar.DateOf(closed);
                Change("ClosedOn", DateText.FormatDate(incident.ClosedOn), DateText.FormatDate(day));
                incident.ClosedOn = day;
            }

            IncidentRules.ValidateDates(incident, now, calendar);
            IncidentRules.ValidateState(incident);
            if (details.Count == 1)
            {
                host.WriteVerbose($"Incident {incident.Id} already has those values; nothing to change.");
                return Warned(IncidentRules.Judge(incident, now), host);
            }

            if (first && !host.ShouldProcess($"Incident {incident.Id} under agreement {incident.AgreementId}", "Change " + string.Join(", ", details.Keys.Skip(1))))
            {
                return null;
            }

            incident.ModifiedAt = now;
            register.UpdateIncident(incident, new AuditEvent(details.ContainsKey("ClosedOn") ? "Incident.Close" : "Incident.Update", "Incident", incident.Id, details));
            return Warned(IncidentRules.Judge(incident, now), host);
        });
    }

    /// <summary>The incident, judged against the 72 hours now; an IncidentNotFound error when there is none.</summary>
    public DataShareIncident Get(string id) => IncidentRules.Judge(Find(id), clock.UtcNow);

    /// <summary>
    /// Incidents of one agreement (or all), oldest discovery first, each judged now; only open ones with
    /// <paramref name="openOnly"/>. A warning goes to <paramref name="host"/> for each overdue one.
    /// </summary>
    public IEnumerable<DataShareIncident> List(string? agreementId, bool openOnly, IOperationHost? host)
    {
        var id = agreementId is null ? null : agreements.Get(agreementId).Id;
        var now = clock.UtcNow;
        foreach (var incident in register.ListIncidents(id))
        {
            if (!openOnly || incident.IsOpen)
            {
                yield return host is null ? IncidentRules.Judge(incident, now) : Warned(IncidentRules.Judge(incident, now), host);
            }
        }
    }

    /// <summary>How many incidents not yet closed each agreement has (agreements with none are not in it): one read of them all.</summary>
    public IReadOnlyDictionary<string, int> OpenCounts() => register.ListIncidents(null)
        .Where(i => i.IsOpen)
        .GroupBy(i => i.AgreementId, StringComparer.OrdinalIgnoreCase)
        .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Writes the 72-hour warning for <paramref name="incident"/> when it is overdue; returns it.</summary>
    public DataShareIncident Warned(DataShareIncident incident, IOperationHost host)
    {
        if (IncidentRules.Warning(incident, clock.UtcNow) is { } warning)
        {
            host.WriteWarning(warning);
        }

        return incident;
    }

    /// <summary>
    /// Suspends the agreement through the same engine call as Suspend-DataShareAgreement (audited Agreement.Suspend, with
    /// the incident as the reason). An agreement already suspended stays as it is. The user confirmed the whole command
    /// already, so it is not asked again.
    /// </summary>
    private void SuspendAgreement(string agreementId, DataShareIncident incident, IOperationHost host)
    {
        if (agreements.Get(agreementId).IsSuspended)
        {
            host.WriteVerbose($"Agreement {agreementId} is already suspended; incident {incident.Id} is recorded against it.");
            return;
        }

        agreements.Suspend(agreementId, $"Incident {incident.Id} ({Words(incident.Kind)}, severity {incident.Severity.ToString().ToLowerInvariant()}).", null, new AlreadyConfirmed(host));
    }

    private DataShareIncident Find(string id) =>
        (Ids.Normalise(Ids.IncidentPrefix, id) is { } normalised ? register.FindIncident(normalised) : null) ?? throw new DataShareException("IncidentNotFound", DataShareErrorCategory.ObjectNotFound,
            $"There is no incident '{id}'. Get-DataShareIncident lists them.", id);

    private static T Known<T>(T value)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(typeof(T), value))
        {
            throw new DataShareException("Incident" + typeof(T).Name.Replace("Incident", string.Empty) + "Invalid", DataShareErrorCategory.InvalidArgument,
                $"{Convert.ToInt64(value, CultureInfo.InvariantCulture)} is not a {typeof(T).Name}: use one of {string.Join(", ", Enum.GetNames(typeof(T)))}.", value);
        }

        return value;
    }

    private static string Words(IncidentKind kind) => kind switch
    {
        IncidentKind.NearMiss => "near miss",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string? Instant(DateTimeOffset? value) => value is { } v ? DateText.FormatInstant(v) : null;

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
}
