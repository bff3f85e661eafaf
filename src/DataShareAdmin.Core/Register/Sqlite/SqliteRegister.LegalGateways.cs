using System.Collections.Generic;
using DataShareAdmin.Core.Decisions;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>The legal gateway catalogue: one row per gateway, unique by its normalised name; retired, never deleted.</summary>
public sealed partial class SqliteRegister
{
    internal const string InsertLegalGatewaySql = """
        INSERT INTO legal_gateways (name, normalised_name, is_seeded, is_retired, retired_reason, added_at, added_by, modified_at, version)
        VALUES ($name, $normalised, $seeded, $retired, $retiredReason, $added, $addedBy, $modified, $version)
        """;

    public IEnumerable<DataShareLegalGateway> ListLegalGateways() => Query("SELECT * FROM legal_gateways ORDER BY normalised_name", ReadLegalGateway);

    public void InsertLegalGateway(DataShareLegalGateway gateway, AuditEvent audit) => Write(audit, transaction =>
    {
        gateway.Version = 1;
        if (!TryExecute(transaction, InsertLegalGatewaySql, LegalGatewayParameters(gateway)))
        {
            throw LegalGatewayExists(gateway.Name);
        }
    });

    public void UpdateLegalGateway(DataShareLegalGateway gateway, AuditEvent audit) => Write(audit, transaction =>
    {
        var parameters = new List<(string, object?)>(LegalGatewayParameters(gateway)) { ("$expected", gateway.Version) };
        var changed = Execute(transaction, """
            UPDATE legal_gateways SET is_retired = $retired, retired_reason = $retiredReason, modified_at = $modified, version = version + 1
            WHERE normalised_name = $normalised AND version = $expected
            """, parameters.ToArray());
        if (changed == 0)
        {
            throw new RegisterConflictException($"Legal gateway '{gateway.Name}' was changed by another writer.");
        }

        gateway.Version++;
    });

    internal static DataShareException LegalGatewayExists(string name) => new("LegalGatewayExists", DataShareErrorCategory.ResourceExists,
        $"The catalogue already has the legal gateway '{name}' (names are compared without regard to case). Get-DataShareLegalGateway lists it.", name);

    internal static (string, object?)[] LegalGatewayParameters(DataShareLegalGateway g) => new (string, object?)[]
    {
        ("$name", g.Name), ("$normalised", LegalGatewaySeeds.Normalise(g.Name)), ("$seeded", g.IsSeeded ? 1 : 0), ("$retired", g.IsRetired ? 1 : 0),
        ("$retiredReason", g.RetiredReason), ("$added", DateText.FormatInstant(g.AddedAt)), ("$addedBy", g.AddedBy),
        ("$modified", DateText.FormatInstant(g.ModifiedAt)), ("$version", g.Version),
    };

    private static DataShareLegalGateway ReadLegalGateway(SqliteDataReader r) => new()
    {
        Name = Text(r, "name")!,
        IsSeeded = r.GetInt64(r.GetOrdinal("is_seeded")) != 0,
        IsRetired = r.GetInt64(r.GetOrdinal("is_retired")) != 0,
        RetiredReason = Text(r, "retired_reason"),
        AddedAt = DateText.ParseInstant(Text(r, "added_at")!),
        AddedBy = Text(r, "added_by")!,
        ModifiedAt = DateText.ParseInstant(Text(r, "modified_at")!),
        Version = r.GetInt64(r.GetOrdinal("version")),
    };
}
