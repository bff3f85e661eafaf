using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>Incidents: one row each, listed per agreement by when they were discovered.</summary>
public sealed partial class SqliteRegister
{
    private const string InsertIncidentSql = """
        INSERT INTO incidents (id, agreement_id, kind, occurred_at, discovered_at, summary, severity, is_reportable, ico_notified_at, ico_reference,
            actions, closed_on, suspended_agreement, recorded_by, recorded_at, modified_at, version)
        VALUES ($id, $agreement, $kind, $occurred, $discovered, $summary, $severity, $reportable, $notified, $icoReference,
            $actions, $closed, $suspended, $recordedBy, $recordedAt, $modified, $version)
        """;

    public DataShareIncident? FindIncident(string id) => First(Query("SELECT * FROM incidents WHERE id = $id", ReadIncident, ("$id", id)));

    public IEnumerable<DataShareIncident> ListIncidents(string? agreementId) => agreementId is null
        ? Query("SELECT * FROM incidents ORDER BY discovered_at, id", ReadIncident)
        : Query("SELECT * FROM incidents WHERE agreement_id = $agreement ORDER BY discovered_at, id", ReadIncident, ("$agreement", agreementId));

    public void InsertIncident(DataShareIncident incident, AuditEvent audit) => Write(audit, transaction =>
    {
        if (!TryExecute(transaction, InsertIncidentSql, IncidentParameters(incident, 1)))
        {
            throw IncidentExists(incident.Id);
        }

        incident.Version = 1;
    });

    public void UpdateIncident(DataShareIncident incident, AuditEvent audit) => Write(audit, transaction =>
    {
        var changed = Execute(transaction, """
            UPDATE incidents SET severity = $severity, is_reportable = $reportable, ico_notified_at = $notified, ico_reference = $icoReference,
                actions = $actions, closed_on = $closed, modified_at = $modified, version = version + 1
            WHERE id = $id AND version = $expected
            """, Concat(IncidentParameters(incident, incident.Version), ("$expected", incident.Version)));
        if (changed == 0)
        {
            throw new RegisterConflictException($"Incident '{incident.Id}' was changed by another writer.");
        }

        incident.Version++;
    });

    internal static DataShareException IncidentExists(string id) =>
        new("IncidentExists", DataShareErrorCategory.ResourceExists, $"An incident with id '{id}' already exists.", id);

    private static (string, object?)[] IncidentParameters(DataShareIncident i, long version) => new (string, object?)[]
    {
        ("$id", i.Id), ("$agreement", i.AgreementId), ("$kind", i.Kind.ToString()),
        ("$occurred", i.OccurredAt is { } occurred ? DateText.FormatInstant(occurred) : null), ("$discovered", DateText.FormatInstant(i.DiscoveredAt)),
        ("$summary", i.Summary), ("$severity", i.Severity.ToString()), ("$reportable", i.IsReportable ? 1 : 0),
        ("$notified", i.IcoNotifiedAt is { } notified ? DateText.FormatInstant(notified) : null), ("$icoReference", i.IcoReference),
        ("$actions", i.Actions), ("$closed", DateText.FormatDate(i.ClosedOn)), ("$suspended", i.SuspendedAgreement ? 1 : 0),
        ("$recordedBy", i.RecordedBy), ("$recordedAt", DateText.FormatInstant(i.RecordedAt)), ("$modified", DateText.FormatInstant(i.ModifiedAt)),
        ("$version", version),
    };

    private static DataShareIncident ReadIncident(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        AgreementId = Text(r, "agreement_id")!,
        Kind = (IncidentKind)Enum.Parse(typeof(IncidentKind), Text(r, "kind")!),
        OccurredAt = DateText.ParseOptionalInstant(Text(r, "occurred_at")),
        DiscoveredAt = DateText.ParseInstant(Text(r, "discovered_at")!),
        Summary = Text(r, "summary")!,
        Severity = (IncidentSeverity)Enum.Parse(typeof(IncidentSeverity), Text(r, "severity")!),
        IsReportable = r.GetInt64(r.GetOrdinal("is_reportable")) != 0,
        IcoNotifiedAt = DateText.ParseOptionalInstant(Text(r, "ico_notified_at")),
        IcoReference = Text(r, "ico_reference"),
        Actions = Text(r, "actions"),
        ClosedOn = DateText.ParseOptionalDate(Text(r, "closed_on")),
        SuspendedAgreement = r.GetInt64(r.GetOrdinal("suspended_agreement")) != 0,
        RecordedBy = Text(r, "recorded_by")!,
        RecordedAt = DateText.ParseInstant(Text(r, "recorded_at")!),
        ModifiedAt = DateText.ParseInstant(Text(r, "modified_at")!),
        Version = r.GetInt64(r.GetOrdinal("version")),
    };

    private void RestoreIncident(SqliteTransaction transaction, DataShareIncident incident) =>
        Execute(transaction, InsertIncidentSql, IncidentParameters(incident, incident.Version));
}
