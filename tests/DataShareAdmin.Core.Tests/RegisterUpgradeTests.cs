using System;
using System.IO;
using System.Linq;
using Azure.Data.Tables;
using DataShareAdmin.Core.Register;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Registers an older release wrote, upgraded: the committed schema 6 file (schema 7: incomplete transfers, pending
/// holdings), the committed schema 7 file (schema 8: output releases),
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

        // Schema 10: what was checked at registration was not recorded then, so it reads Unknown.
        Assert.All(engine.Register.ListHoldings(null), h => Assert.Equal(HoldingLocationCheck.Unknown, h.LocationCheck));
        Assert.Equal(HoldingState.Destroyed, engine.Register.ListHoldings("DS00500").Single().State);
        var audit = engine.Audit.Test(null, new FakeHost());
        Assert.True(audit.IsIntact, audit.Problem);
        Assert.Equal(24 + engine.Register.ListAgreements().Count() + engine.Register.ListAgreements().Count(a => a.ApprovedOn is not null), audit.EntryCount);

        // Schema 8 is there too: the upgraded file takes an output release with its cells.
        var release = new OutputRelease { Id = "RL-0000000001", AgreementId = "DS00752", Rules = "r", RequestedBy = "a", RequestedAt = test.Clock.UtcNow };
        release.Files.Add(new OutputReleaseFile { ReleaseId = release.Id, Name = "t.csv", Sha256 = "x", Dimensions = { "Region" } });
        engine.Register.InsertOutputRelease(release, new[] { new OutputReleaseCell { ReleaseId = release.Id, Categories = { "North" }, Count = 12 } },
            new AuditEvent("OutputRelease.Requested", "OutputRelease", release.Id));
        Assert.Equal(12, Assert.Single(engine.Register.ListOutputReleaseCells(release.Id)).Count);

        // Schema 11: the held holding is found by the identity index.
        Assert.Equal(new[] { held.Id }, engine.Register.ListHeldHoldingsNear(held).Select(h => h.Id));
    }

    [Fact]
    public void The_committed_version_7_register_upgrades_keeping_its_records_and_takes_output_releases()
    {
        var copy = Path.Combine(test.Directory, "v7.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v7.db"), copy);
        Assert.Equal(7L, UserVersion(copy));

        using (var engine = DataShareEngine.Open(new EngineOptions { RegisterPath = copy, Clock = test.Clock, Identity = TestRegister.Identity }))
        {
            Assert.Equal(SqliteSchema.CurrentVersion, engine.Register.Info.SchemaVersion);
            var transfers = engine.Register.ListTransfers("DS00752").ToList();
            Assert.Equal(2, transfers.Count);
            Assert.All(transfers, t => Assert.Equal(TransferState.Issued, t.State));
            Assert.Equal(HoldingState.Destroyed, engine.Register.ListHoldings("DS00500").Single().State);
            Assert.Equal(new[] { "Example Research Trust", "Northshire County Council", "University of Example" }, engine.Register.ListOrganisations().Select(o => o.Name));
            Assert.Equal("001234567890", engine.Register.ListCertificates(null).Single(c => c.Issuer == CertificateIssuer.DBS).Number);
            var audit = engine.Audit.Test(null, new FakeHost());
            Assert.True(audit.IsIntact, audit.Problem);

            // Schema 7 had no output releases: the upgraded file has none, and takes one with its cells.
            Assert.Empty(engine.Register.ListOutputReleases(null));
            var release = new OutputRelease { Id = "RL-0000000007", AgreementId = "DS00752", Rules = "r", RequestedBy = "a", RequestedAt = test.Clock.UtcNow };
            release.Files.Add(new OutputReleaseFile { ReleaseId = release.Id, Name = "t.csv", Sha256 = "x", Dimensions = { "Region" } });
            engine.Register.InsertOutputRelease(release, new[] { new OutputReleaseCell { ReleaseId = release.Id, Categories = { "North" }, Count = 12 } },
                new AuditEvent("OutputRelease.Requested", "OutputRelease", release.Id));
            Assert.Equal(12, Assert.Single(engine.Register.ListOutputReleaseCells(release.Id)).Count);
        }

        Assert.Equal((long)SqliteSchema.CurrentVersion, UserVersion(copy));
    }

    private static long UserVersion(string path)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = Microsoft.Data.Sqlite.SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
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

    [Fact]
    public void Agreements_of_the_committed_version_6_register_read_as_panel_approved_shares_with_the_upgrade_audited()
    {
        var copy = Path.Combine(test.Directory, "v6-categories.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v6.db"), copy);

        using var engine = DataShareEngine.Open(new EngineOptions { RegisterPath = copy, Clock = test.Clock, Identity = TestRegister.Identity });

        var agreements = engine.Register.ListAgreements().ToList();
        Assert.NotEmpty(agreements);
        Assert.All(agreements, a => Assert.Equal((AgreementCategory.DsapResearch, (string?)null, 0, (DateTime?)null, (DateTime?)null), (a.Category, a.LaySummary, a.Datasets.Count, a.RefusedOn, a.WithdrawnOn)));
        Assert.All(engine.Register.ListOrganisations(), o => Assert.Null(o.Sector));
        var upgrades = engine.Register.ReadAuditLog(1).Where(e => e.Action == "Agreement.Upgrade").ToList();
        Assert.Equal(agreements.Select(a => a.Id), upgrades.Select(e => e.TargetId));
        Assert.All(upgrades, e => Assert.Equal("DsapResearch", e.Details["Category"]));
        Assert.All(upgrades, e => Assert.Contains("Set-DataShareAgreement -Category", e.Details["Source"], StringComparison.Ordinal));
    }

    [Fact]
    public void A_table_agreement_written_before_schema_9_reads_as_a_panel_approved_share()
    {
        var name = "c" + Guid.NewGuid().ToString("N").Substring(0, 12);
        using var register = TableRegister.Open(new TableRegisterOptions { ConnectionString = azurite.ConnectionString, RegisterName = name }, test.Clock, TestRegister.Identity, create: true);
        var agreement = Samples.Agreement("DS1");
        agreement.Category = AgreementCategory.Police;
        agreement.CreatedBy = "a";
        register.InsertAgreement(agreement, new AuditEvent("Agreement.Create", "Agreement", "DS1"));

        // What an older release wrote: the same record without the fields schema 9 added.
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableRegisterOptions.DefaultTableName);
        var row = table.Query<TableEntity>(e => e.PartitionKey == name).Single(e => e.GetString("Data") is { } data && data.Contains("\"Category\"", StringComparison.Ordinal));
        var json = System.Text.Json.Nodes.JsonNode.Parse(row.GetString("Data"))!.AsObject();
        Assert.True(json.Remove("Category"));
        row["Data"] = json.ToJsonString();
        table.UpdateEntity(row, row.ETag, TableUpdateMode.Replace);

        var read = register.FindAgreement("DS1")!;

        Assert.Equal((AgreementCategory.DsapResearch, (string?)null, 0, (DateTime?)null), (read.Category, read.LaySummary, read.Datasets.Count, read.RefusedOn));
    }

    public void Dispose() => test.Dispose();
}
