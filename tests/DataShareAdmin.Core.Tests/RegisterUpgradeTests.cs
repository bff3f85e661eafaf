using System;
using System.IO;
using System.Linq;
using Azure.Data.Tables;
using DataShareAdmin.Core.Register;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Schema 7 (incomplete transfers, pending holdings) on registers an older release wrote: the committed schema 6 file,
/// and a Table register whose marker row an older release left at schema 6.
/// </summary>
public sealed class RegisterUpgradeTests : IClassFixture<AzuriteTablesFixture>, IDisposable
{
    private readonly TestRegister test = new();
    private readonly AzuriteServer azurite;

    public RegisterUpgradeTests(AzuriteTablesFixture fixture) => azurite = fixture.Server;

    [Fact]
    public void The_committed_version_6_register_opens_with_its_transfers_issued_and_holdings_as_they_were()
    {
        var copy = Path.Combine(test.Directory, "v6.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v6.db"), copy);

        using var engine = DataShareEngine.Open(new EngineOptions { RegisterPath = copy, Clock = test.Clock, Identity = TestRegister.Identity });

        Assert.Equal(SqliteSchema.CurrentVersion, engine.Register.Info.SchemaVersion);
        var transfers = engine.Register.ListTransfers("DS00752").ToList();
        Assert.Equal(2, transfers.Count);
        Assert.All(transfers, t => Assert.Equal(TransferState.Issued, t.State));
        Assert.Equal(64, transfers[0].Files.Single().Sha256.Length);
        var held = Assert.Single(engine.Register.ListHeldHoldings());
        Assert.Equal((transfers[0].HoldingId, HoldingState.Held), (held.Id, held.State));
        Assert.Equal(HoldingState.Destroyed, engine.Register.ListHoldings("DS00500").Single().State);
        var audit = engine.Audit.Test(null, new FakeHost());
        Assert.True(audit.IsIntact, audit.Problem);
        Assert.Equal(24, audit.EntryCount);

        // Schema 8 is there too: the upgraded file takes an output release with its cells.
        var release = new OutputRelease { Id = "RL-0000000001", AgreementId = "DS00752", Rules = "r", RequestedBy = "a", RequestedAt = test.Clock.UtcNow };
        release.Files.Add(new OutputReleaseFile { ReleaseId = release.Id, Name = "t.csv", Sha256 = "x", Dimensions = { "Region" } });
        engine.Register.InsertOutputRelease(release, new[] { new OutputReleaseCell { ReleaseId = release.Id, Categories = { "North" }, Count = 12 } },
            new AuditEvent("OutputRelease.Requested", "OutputRelease", release.Id));
        Assert.Equal(12, Assert.Single(engine.Register.ListOutputReleaseCells(release.Id)).Count);

        // Schema 9: the held holding is found by the identity index.
        Assert.Equal(new[] { held.Id }, engine.Register.ListHeldHoldingsNear(held).Select(h => h.Id));
    }

    [Fact]
    public void A_table_register_left_at_schema_6_is_marked_current_when_opened_for_writing_and_not_when_read_only()
    {
        var name = "u" + Guid.NewGuid().ToString("N").Substring(0, 12);
        TableRegisterOptions Options(bool readOnly = false) => new() { ConnectionString = azurite.ConnectionString, RegisterName = name, ReadOnly = readOnly };
        using (var created = TableRegister.Open(Options(), test.Clock, TestRegister.Identity, create: true))
        {
            Assert.Equal(TableRegister.SchemaVersion, created.Info.SchemaVersion);
        }

        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableRegisterOptions.DefaultTableName);
        int Marked() => table.GetEntity<TableEntity>(name, "meta").Value.GetInt32("SchemaVersion")!.Value;
        var meta = table.GetEntity<TableEntity>(name, "meta").Value;
        meta["SchemaVersion"] = 6;
        table.UpdateEntity(meta, meta.ETag, TableUpdateMode.Merge);

        using (TableRegister.Open(Options(readOnly: true), test.Clock, TestRegister.Identity))
        {
            Assert.Equal(6, Marked());
        }

        using (TableRegister.Open(Options(), test.Clock, TestRegister.Identity))
        {
            // So a release that knows only schema 6 refuses it from now on (RegisterSchemaTooNew), rather than reading
            // a pending holding or an incomplete transfer it does not understand.
            Assert.Equal(TableRegister.SchemaVersion, Marked());
        }
    }

    public void Dispose() => test.Dispose();
}
