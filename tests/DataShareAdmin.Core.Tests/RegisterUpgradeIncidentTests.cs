using System;
using System.IO;
using System.Linq;
using Azure.Data.Tables;
using DataShareAdmin.Core.Register;
using DataShareAdmin.TestSupport;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The incidents schema step on registers one schema older: they open, upgrade in place, list no incidents and take one.
/// </summary>
public sealed class RegisterUpgradeIncidentTests : IClassFixture<AzuriteTablesFixture>, IDisposable
{
    private readonly TestRegister test = new();
    private readonly AzuriteServer azurite;

    public RegisterUpgradeIncidentTests(AzuriteTablesFixture fixture) => azurite = fixture.Server;

    private static DataShareAgreement Agreement() => new()
    {
        Id = "DS1", Organisation = "Org", Title = "T", Purpose = "P", LegalGateway = "G", LawfulBasis = "B", AccessRoute = AccessRoute.DirectTransfer,
        StartsOn = new DateTime(2026, 1, 1), EndsOn = new DateTime(2026, 12, 31), RetentionDays = 14, CreatedAt = DateTimeOffset.UnixEpoch, CreatedBy = "alice", ModifiedAt = DateTimeOffset.UnixEpoch,
    };

    private static void RecordAndRead(IDataShareRegister register)
    {
        Assert.Empty(register.ListIncidents(null));
        register.InsertIncident(new DataShareIncident
        {
            Id = "IN-0000000001", AgreementId = "DS1", Kind = IncidentKind.NearMiss, DiscoveredAt = DateTimeOffset.UnixEpoch, Summary = "s",
            RecordedBy = "alice", RecordedAt = DateTimeOffset.UnixEpoch, ModifiedAt = DateTimeOffset.UnixEpoch,
        }, new AuditEvent("Incident.Record", "Incident", "IN-0000000001"));
        Assert.Equal("IN-0000000001", Assert.Single(register.ListIncidents("DS1")).Id);
        Assert.Equal("DS1", register.FindAgreement("DS1")!.Id);
    }

    [Fact]
    public void A_sqlite_register_without_the_incidents_table_gets_it()
    {
        var path = Path.Combine(test.Directory, "previous.db");
        using (var created = SqliteRegister.Open(new RegisterLocation(path, "Parameter", createIfMissing: true), test.Clock, TestRegister.Identity))
        {
            created.InsertAgreement(Agreement(), new AuditEvent("Agreement.Create", "Agreement", "DS1"));
        }

        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();

            // The schema as it was just before the step that adds incidents.
            var before = SqliteSchema.Migrations.ToList().FindIndex(m => m.Contains("EXISTS incidents (", StringComparison.Ordinal));
            Assert.True(before > 0);
            command.CommandText = $"""
                DROP INDEX ix_incidents_agreement;
                DROP TABLE incidents;
                {RegisterUpgradeTermsTests.UndoTermsVersions}
                ALTER TABLE agreements DROP COLUMN decision;
                ALTER TABLE holdings DROP COLUMN hold_placed_by;
                DROP TABLE legal_gateways;
                PRAGMA user_version = {before};
                """;
            command.ExecuteNonQuery();
        }

        using var upgraded = SqliteRegister.Open(new RegisterLocation(path, "Parameter", createIfMissing: false), test.Clock, TestRegister.Identity);
        Assert.Equal(SqliteSchema.CurrentVersion, upgraded.Info.SchemaVersion);
        RecordAndRead(upgraded);
    }

    [Fact]
    public void A_table_register_one_schema_older_is_marked_current_and_takes_incidents()
    {
        var name = "i" + Guid.NewGuid().ToString("N").Substring(0, 12);
        TableRegisterOptions Options() => new() { ConnectionString = azurite.ConnectionString, RegisterName = name };
        using (var created = TableRegister.Open(Options(), test.Clock, TestRegister.Identity, create: true))
        {
            created.InsertAgreement(Agreement(), new AuditEvent("Agreement.Create", "Agreement", "DS1"));
        }

        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableRegisterOptions.DefaultTableName);
        var meta = table.GetEntity<TableEntity>(name, "meta").Value;
        meta["SchemaVersion"] = TableRegister.SchemaVersion - 1;
        table.UpdateEntity(meta, meta.ETag, TableUpdateMode.Merge);

        using var upgraded = TableRegister.Open(Options(), test.Clock, TestRegister.Identity);
        Assert.Equal(TableRegister.SchemaVersion, table.GetEntity<TableEntity>(name, "meta").Value.GetInt32("SchemaVersion"));
        RecordAndRead(upgraded);
    }

    public void Dispose() => test.Dispose();
}
