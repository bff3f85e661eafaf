using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Azure.Data.Tables;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.TestSupport;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Schema 11 (overlap checks by an identity index) on registers an older release wrote: SQLite rewrites every holding's
/// identity (older rows had none, or a folder's as written); a Table register gets an index row per held holding,
/// whichever process upgrades it and however many at once.
/// </summary>
public sealed class RegisterUpgradeIdentityTests : IClassFixture<AzuriteTablesFixture>, IDisposable
{
    private readonly TestRegister test = new();
    private readonly AzuriteServer azurite;

    public RegisterUpgradeIdentityTests(AzuriteTablesFixture fixture) => azurite = fixture.Server;

    private static DataShareHolding At(string id, string location, HoldingState state = HoldingState.Held)
    {
        var parsed = HoldingLocation.Parse(location);
        return new DataShareHolding
        {
            Id = id, AgreementId = "DS1", Kind = parsed.Kind, Location = parsed.Location, StorageAccount = parsed.Account, Container = parsed.Container,
            Prefix = parsed.Prefix, DueOn = new DateTime(2027, 1, 14), RegisteredAt = DateTimeOffset.UnixEpoch, RegisteredBy = "alice", State = state,
        };
    }

    private static DataShareAgreement Agreement() => new()
    {
        Id = "DS1", Organisation = "Org", Title = "T", Purpose = "P", LegalGateway = "G", LawfulBasis = "B", AccessRoute = AccessRoute.DirectTransfer,
        StartsOn = new DateTime(2026, 1, 1), EndsOn = new DateTime(2026, 12, 31), RetentionDays = 14, CreatedAt = DateTimeOffset.UnixEpoch, CreatedBy = "alice", ModifiedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void A_sqlite_register_one_schema_older_gets_every_holdings_identity_and_the_held_index()
    {
        var path = Path.Combine(test.Directory, "v8.db");
        using (var created = SqliteRegister.Open(new RegisterLocation(path, "Parameter", createIfMissing: true), test.Clock, TestRegister.Identity))
        {
            created.InsertAgreement(Agreement(), new AuditEvent("Agreement.Create", "Agreement", "DS1"));
            created.InsertHolding(At("HD-0000000001", "/srv/extracts/ds1"), new AuditEvent("Holding.Register", "Holding", "HD-0000000001"));
            created.InsertHolding(At("HD-0000000002", "https://acct.blob.core.windows.net/data/share-12/"), new AuditEvent("Holding.Register", "Holding", "HD-0000000002"));
        }

        // As schema 10 left it (no hold columns of schema 12, nothing of the panel's schema 13): identities missing (rows from before schema 4) or a folder's as written, the old index.
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"""
                UPDATE holdings SET identity = NULL WHERE id = 'HD-0000000002';
                UPDATE holdings SET identity = 'file:/srv/extracts/ds1/' WHERE id = 'HD-0000000001';
                DROP INDEX ix_holdings_held_identity;
                CREATE INDEX ix_holdings_identity ON holdings (identity);
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
                PRAGMA user_version = 10;
                """;
            command.ExecuteNonQuery();
        }

        using var upgraded = SqliteRegister.Open(new RegisterLocation(path, "Parameter", createIfMissing: false), test.Clock, TestRegister.Identity);
        Assert.Equal(SqliteSchema.CurrentVersion, upgraded.Info.SchemaVersion);
        Assert.Equal(new[] { "HD-0000000001" }, upgraded.ListHeldHoldingsNear(At("HD-0000000009", "/srv/extracts")).Select(h => h.Id));
        Assert.Equal(new[] { "HD-0000000002" }, upgraded.ListHeldHoldingsNear(At("HD-0000000009", "https://acct.blob.core.windows.net/data/share-12/deeper/")).Select(h => h.Id));
    }

    [Fact]
    public async Task A_table_register_one_schema_older_gets_index_rows_for_held_holdings_once_even_when_two_processes_upgrade_it()
    {
        var name = "i" + Guid.NewGuid().ToString("N").Substring(0, 12);
        TableRegisterOptions Options(bool readOnly = false) => new() { ConnectionString = azurite.ConnectionString, RegisterName = name, ReadOnly = readOnly };
        using (var created = TableRegister.Open(Options(), test.Clock, TestRegister.Identity, create: true))
        {
            created.InsertAgreement(Agreement(), new AuditEvent("Agreement.Create", "Agreement", "DS1"));
            created.InsertHolding(At("HD-0000000001", "https://acct.blob.core.windows.net/data/share-12/"), new AuditEvent("Holding.Register", "Holding", "HD-0000000001"));
            created.InsertHolding(At("HD-0000000002", "https://acct.blob.core.windows.net/data/share-12/in/"), new AuditEvent("Holding.Register", "Holding", "HD-0000000002"));
            var gone = created.FindHolding("HD-0000000002")!;
            gone.State = HoldingState.Destroyed;
            created.InsertDestruction(new DestructionRecord { Id = "DR-0000000001", HoldingId = gone.Id, AgreementId = "DS1", Location = gone.Location, Verified = true, SoftDelete = "Off", Operator = "bob", Machine = "m", AsOf = new DateTime(2026, 3, 1), StartedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch },
                gone, new AuditEvent("Holding.Destroy", "Holding", gone.Id));
            created.InsertHolding(At("HD-0000000003", "https://acct.blob.core.windows.net/data/other/"), new AuditEvent("Holding.Register", "Holding", "HD-0000000003"));
        }

        // As a schema 9 release left it: no index rows, no marker for them.
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableRegisterOptions.DefaultTableName);
        TableEntity[] IndexRows() => table.Query<TableEntity>($"PartitionKey eq '{name}' and RowKey ge 'hdid!' and RowKey lt 'hdid\"'").ToArray();
        Assert.Equal(2, IndexRows().Length);
        foreach (var row in IndexRows())
        {
            table.DeleteEntity(name, row.RowKey);
        }

        var meta = table.GetEntity<TableEntity>(name, "meta").Value;
        meta["SchemaVersion"] = TableRegister.SchemaVersion - 1;
        meta.Remove("HoldingIdentityIndex");
        table.UpsertEntity(meta, TableUpdateMode.Replace);

        using (TableRegister.Open(Options(readOnly: true), test.Clock, TestRegister.Identity))
        {
            Assert.Empty(IndexRows());
        }

        var both = Enumerable.Range(0, 2).Select(_ => Task.Run(() => TableRegister.Open(Options(), test.Clock, TestRegister.Identity))).ToArray();
        var opened = await Task.WhenAll(both);
        Assert.Equal(2, IndexRows().Length);
        Assert.True(table.GetEntity<TableEntity>(name, "meta").Value.GetBoolean("HoldingIdentityIndex"));
        using var upgraded = opened[0];
        opened[1].Dispose();
        Assert.Equal(new[] { "HD-0000000001" }, upgraded.ListHeldHoldingsNear(At("HD-0000000009", "https://acct.blob.core.windows.net/data/share-12/in/")).Select(h => h.Id));
        Assert.Equal(new[] { "HD-0000000001", "HD-0000000003" }, upgraded.ListHeldHoldingsNear(At("HD-0000000009", "https://acct.blob.core.windows.net/data")).Select(h => h.Id).OrderBy(i => i));
    }

    public void Dispose() => test.Dispose();
}
