using System;
using System.Collections.Generic;
using System.Linq;
using Azure;
using Azure.Data.Tables;
using DataShareAdmin.Core.Decisions;

namespace DataShareAdmin.Core.Register;

/// <summary>The legal gateway catalogue: row <c>lg!name</c> (the name normalised: upper case, single spaces); retired, never deleted.</summary>
public sealed partial class TableRegister
{
    /// <summary>The schema that brought the catalogue: a register older than this is seeded when it is upgraded.</summary>
    private const int LegalGatewaysSince = 16;

    public IEnumerable<DataShareLegalGateway> ListLegalGateways() =>
        Range(Prefix("lg")).Select(e => Read<DataShareLegalGateway>(e)!).OrderBy(g => LegalGatewaySeeds.Normalise(g.Name), StringComparer.Ordinal).ToList();

    public void InsertLegalGateway(DataShareLegalGateway gateway, AuditEvent audit) => Write(audit, _ =>
    {
        var stored = Copy(gateway);
        stored.Version = 1;
        var ops = new Ops();
        ops.Add(Row(GatewayKey(stored.Name), "LegalGateway", stored), () => SqliteRegister.LegalGatewayExists(gateway.Name));
        return ops.Then(() => gateway.Version = 1);
    });

    public void UpdateLegalGateway(DataShareLegalGateway gateway, AuditEvent audit) => Write(audit, _ =>
    {
        var key = GatewayKey(gateway.Name);
        var current = Current(key, gateway.Version, $"Legal gateway '{gateway.Name}' was changed by another writer.");
        var stored = Copy(gateway);
        stored.Version = gateway.Version + 1;
        var ops = new Ops();
        ops.Replace(Row(key, "LegalGateway", stored), current.ETag, () => Conflict($"Legal gateway '{gateway.Name}' was changed by another writer."));
        return ops.Then(() => gateway.Version++);
    });

    private static string GatewayKey(string name) => LookupKey("lg", LegalGatewaySeeds.Normalise(name));

    /// <summary>
    /// Writes the seeded gateways a register lacks (on create, and on upgrade from a schema before the catalogue), one
    /// row at a time: a row another process wrote at the same moment is left as it is. Part of the schema, not audited.
    /// </summary>
    private static void SeedLegalGateways(TableClient table, string partition, DateTimeOffset at)
    {
        foreach (var gateway in LegalGatewaySeeds.Entries(at))
        {
            var entity = new TableEntity(partition, GatewayKey(gateway.Name)) { ["Kind"] = "LegalGateway", ["Version"] = gateway.Version };
            Put(entity, "Data", System.Text.Json.JsonSerializer.Serialize(gateway, Json));
            try
            {
                table.AddEntity(entity);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Already there: seeded by another process, or added by an officer before.
            }
        }
    }
}
