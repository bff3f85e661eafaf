using System.Collections.Generic;
using System.Linq;
using Azure.Data.Tables;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// Incidents: row <c>inc!ID</c>, and the same record under <c>incag!AGREEMENT!discovered!ID</c> so one agreement's
/// incidents are one range in the order they were discovered. Incidents are few: listing them all reads <c>inc!</c> and
/// orders by discovery as the SQLite register does.
/// </summary>
public sealed partial class TableRegister
{
    public DataShareIncident? FindIncident(string id) => Incident(Get(Key("inc", Upper(id))));

    public IEnumerable<DataShareIncident> ListIncidents(string? agreementId) => agreementId is null
        ? Range(Prefix("inc")).Select(e => Incident(e)!).OrderBy(i => Instant(i.DiscoveredAt), System.StringComparer.Ordinal).ThenBy(i => Upper(i.Id), System.StringComparer.Ordinal).ToList()
        : Range(Prefix("incag", Upper(agreementId))).Select(e => Incident(e)!);

    public void InsertIncident(DataShareIncident incident, AuditEvent audit) => Write(audit, _ =>
    {
        var stored = Copy(incident);
        stored.Version = 1;
        stored.IcoState = default;
        var ops = new Ops();
        foreach (var key in IncidentKeys(stored))
        {
            ops.Add(Row(key, "Incident", stored), () => SqliteRegister.IncidentExists(incident.Id));
        }

        return ops.Then(() => incident.Version = 1);
    });

    public void UpdateIncident(DataShareIncident incident, AuditEvent audit) => Write(audit, _ =>
    {
        var conflict = $"Incident '{incident.Id}' was changed by another writer.";
        var current = Current(Key("inc", Upper(incident.Id)), incident.Version, conflict);
        var before = Read<DataShareIncident>(current)!;

        // Only what may change after recording is written; the rest stays as recorded.
        var stored = Copy(before);
        stored.Severity = incident.Severity;
        stored.IsReportable = incident.IsReportable;
        stored.IcoNotifiedAt = incident.IcoNotifiedAt;
        stored.IcoReference = incident.IcoReference;
        stored.Actions = incident.Actions;
        stored.ClosedOn = incident.ClosedOn;
        stored.ModifiedAt = incident.ModifiedAt;
        stored.Version = incident.Version + 1;
        stored.IcoState = default;
        var ops = new Ops();
        ops.Replace(Row(Key("inc", Upper(stored.Id)), "Incident", stored), current.ETag, () => Conflict(conflict));
        foreach (var key in IncidentKeys(stored).Skip(1))
        {
            ops.Upsert(Row(key, "Incident", stored));
        }

        return ops.Then(() => incident.Version++);
    });

    private static string[] IncidentKeys(DataShareIncident i) => new[]
    {
        Key("inc", Upper(i.Id)), Key("incag", Upper(i.AgreementId), Instant(i.DiscoveredAt), Upper(i.Id)),
    };

    private static DataShareIncident? Incident(TableEntity? entity)
    {
        var incident = Read<DataShareIncident>(entity);
        if (incident is not null)
        {
            incident.IcoState = default;
        }

        return incident;
    }

    private IEnumerable<TableEntity> RestoreIncident(DataShareIncident i)
    {
        var stored = Copy(i);
        stored.IcoState = default;
        return IncidentKeys(stored).Select(key => Row(key, "Incident", stored)).ToList();
    }
}
