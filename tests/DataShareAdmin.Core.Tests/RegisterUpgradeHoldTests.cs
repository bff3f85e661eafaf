using System;
using System.IO;
using System.Linq;
using Azure.Data.Tables;
using DataShareAdmin.Core.Register;
using DataShareAdmin.TestSupport;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Schema 12 (holds past the due day, as fields of the holding) on registers one schema older: their holdings read
/// with no hold, and take one once upgraded.
/// </summary>
public sealed class RegisterUpgradeHoldTests : IClassFixture<AzuriteTablesFixture>, IDisposable
{
    private readonly TestRegister test = new();
    private readonly AzuriteServer azurite;

    public RegisterUpgradeHoldTests(AzuriteTablesFixture fixture) => azurite = fixture.Server;

    private static DataShareHolding Holding() => new()
    {
        Id = "HD-0000000001", AgreementId = "DS1", Kind = HoldingKind.BlobContainer, Location = "https://acct.blob.core.windows.net/c-1",
        StorageAccount = "acct", Container = "c-1", DueOn = new DateTime(2027, 1, 14), RegisteredAt = DateTimeOffset.UnixEpoch, RegisteredBy = "alice",
    };

    private static DataShareAgreement Agreement() => new()
    {
        Id = "DS1", Organisation = "Org", Title = "T", Purpose = "P", LegalGateway = "G", LawfulBasis = "B", AccessRoute = AccessRoute.DirectTransfer,
        StartsOn = new DateTime(2026, 1, 1), EndsOn = new DateTime(2026, 12, 31), RetentionDays = 14, CreatedAt = DateTimeOffset.UnixEpoch, CreatedBy = "alice", ModifiedAt = DateTimeOffset.UnixEpoch,
    };

    private static void HoldAndRead(IDataShareRegister register)
    {
        var read = register.FindHolding("HD-0000000001")!;
        Assert.Equal((null, null, false, new DateTime(2027, 1, 14)), (read.HoldUntil, read.HoldReason, read.HoldLegal, read.DueOn));
        read.HoldUntil = new DateTime(2027, 6, 1);
        read.HoldReason = "inquiry";
        read.HoldApprovedBy = "Dana";
        register.UpdateHolding(read, new AuditEvent("Holding.Hold", "Holding", read.Id));
        Assert.Equal((new DateTime(2027, 6, 1), "inquiry", "Dana"), (register.FindHolding(read.Id)!.HoldUntil, register.FindHolding(read.Id)!.HoldReason, register.FindHolding(read.Id)!.HoldApprovedBy));
    }

    [Fact]
    public void A_sqlite_register_without_hold_columns_gets_them_and_its_holdings_read_unheld()
    {
        var path = Path.Combine(test.Directory, "v11.db");
        using (var created = SqliteRegister.Open(new RegisterLocation(path, "Parameter", createIfMissing: true), test.Clock, TestRegister.Identity))
        {
            created.InsertAgreement(Agreement(), new AuditEvent("Agreement.Create", "Agreement", "DS1"));
            created.InsertHolding(Holding(), new AuditEvent("Holding.Register", "Holding", "HD-0000000001"));
        }

        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                ALTER TABLE holdings DROP COLUMN hold_until;
                ALTER TABLE holdings DROP COLUMN hold_reason;
                ALTER TABLE holdings DROP COLUMN hold_approved_by;
                ALTER TABLE holdings DROP COLUMN hold_legal;
                ALTER TABLE holdings DROP COLUMN hold_review_on;
                {RegisterUpgradeReviewTests.UndoReviewSchema}
                {RegisterUpgradeTermsTests.UndoTermsVersions}
                ALTER TABLE agreements DROP COLUMN decision;
                ALTER TABLE holdings DROP COLUMN hold_placed_by;
                DROP TABLE legal_gateways;
                PRAGMA user_version = {SqliteSchema.Migrations.ToList().FindIndex(m => m.Contains("hold_until", StringComparison.Ordinal))};
                """;
            command.ExecuteNonQuery();
        }

        using var upgraded = SqliteRegister.Open(new RegisterLocation(path, "Parameter", createIfMissing: false), test.Clock, TestRegister.Identity);
        Assert.Equal(SqliteSchema.CurrentVersion, upgraded.Info.SchemaVersion);
        HoldAndRead(upgraded);
    }

    [Fact]
    public void A_table_register_one_schema_older_is_marked_current_and_its_holdings_read_unheld()
    {
        var name = "h" + Guid.NewGuid().ToString("N").Substring(0, 12);
        TableRegisterOptions Options() => new() { ConnectionString = azurite.ConnectionString, RegisterName = name };
        using (var created = TableRegister.Open(Options(), test.Clock, TestRegister.Identity, create: true))
        {
            created.InsertAgreement(Agreement(), new AuditEvent("Agreement.Create", "Agreement", "DS1"));
            created.InsertHolding(Holding(), new AuditEvent("Holding.Register", "Holding", "HD-0000000001"));
        }

        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableRegisterOptions.DefaultTableName);
        var meta = table.GetEntity<TableEntity>(name, "meta").Value;
        meta["SchemaVersion"] = TableRegister.SchemaVersion - 1;
        table.UpdateEntity(meta, meta.ETag, TableUpdateMode.Merge);

        using var upgraded = TableRegister.Open(Options(), test.Clock, TestRegister.Identity);
        Assert.Equal(TableRegister.SchemaVersion, table.GetEntity<TableEntity>(name, "meta").Value.GetInt32("SchemaVersion"));
        HoldAndRead(upgraded);
    }

    public void Dispose() => test.Dispose();
}
