using System;
using System.IO;
using System.Linq;
using Azure;
using Azure.Data.Tables;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Register;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The upgrade to versions of the terms: a register of the previous schema opens and upgrades in place, and each
/// approved agreement becomes version 1 of its terms, approved by its own reference and day.
/// </summary>
public sealed class RegisterUpgradeTermsTests : IClassFixture<AzuriteTablesFixture>, IDisposable
{
    /// <summary>SQL that takes a current SQLite register back to before the terms-versions step (for tests of earlier steps).</summary>
    public const string UndoTermsVersions = """
        DROP TABLE terms_versions;
        DROP TABLE variations;
        ALTER TABLE agreements DROP COLUMN suspended_on;
        ALTER TABLE agreements DROP COLUMN suspension_reason;
        """;

    private readonly TestRegister test = new(new DateTimeOffset(2026, 12, 8, 9, 0, 0, TimeSpan.Zero));
    private readonly AzuriteServer azurite;

    public RegisterUpgradeTermsTests(AzuriteTablesFixture fixture) => azurite = fixture.Server;

    [Fact]
    public void The_committed_schema_12_register_opens_and_its_approved_agreement_becomes_version_1_of_its_terms()
    {
        // register-v12.db: written by the release before this step (commit 671ab21, its host built from `git archive`).
        var copy = Path.Combine(test.Directory, "v12.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v12.db"), copy);
        using var engine = DataShareEngine.Open(new EngineOptions { RegisterPath = copy, Clock = test.Clock, Identity = TestRegister.Identity });
        Assert.Equal(SqliteSchema.CurrentVersion, engine.Register.Info.SchemaVersion);

        var version = Assert.Single(engine.Agreements.History("DS00752"));
        var agreement = engine.Agreements.Get("DS00752");
        Assert.Equal((1, "DSAP-2025-118", new DateTime(2025, 12, 10), new DateTime(2025, 12, 10), (string?)null),
            (version.Number, version.ApprovalReference, version.ApprovedOn, version.EffectiveFrom, version.VariationId));
        Assert.Empty(AgreementTermsOf.Differences(AgreementTermsOf.Of(agreement), version.Terms));
        Assert.Single(engine.Register.ListTermsVersions("DS00752"));
        Assert.Empty(engine.Register.ListTermsVersions("DS00901"));
        Assert.Empty(engine.Agreements.History("DS00901"));

        var audit = engine.Audit.Test(null, new FakeHost());
        Assert.True(audit.IsIntact, audit.Problem);
        Assert.Single(engine.Register.ReadAuditLog(1), e => e.Action == "Agreement.TermsVersion" && e.TargetId == "DS00752");

        // Upgraded, it varies as any register does: the end moves only by an approved variation, as version 2.
        Assert.Equal("AgreementTermsNeedVariation", Assert.Throws<DataShareException>(() =>
            engine.Agreements.Update("DS00752", new AgreementChanges { EndsOn = new DateTime(2027, 6, 30) }, new FakeHost())).ErrorId);
        var variation = engine.Agreements.RequestVariation("DS00752", new AgreementChanges { EndsOn = new DateTime(2027, 6, 30) }, "More time.", new FakeHost())!;
        engine.Agreements.ApproveVariation(variation.Id, "DSAP-2026-200", new DateTime(2026, 12, 8), new FakeHost());
        Assert.Equal(new[] { 1, 2 }, engine.Agreements.History("DS00752").Select(v => v.Number));
    }

    [Fact]
    public void A_table_register_one_schema_older_gets_version_1_of_each_approved_agreement_once()
    {
        var name = "t" + Guid.NewGuid().ToString("N").Substring(0, 12);
        TableRegisterOptions Options() => new() { ConnectionString = azurite.ConnectionString, RegisterName = name };
        using (var created = TableRegister.Open(Options(), test.Clock, TestRegister.Identity, create: true))
        {
            created.InsertAgreement(Agreement("DS1", approved: true), new AuditEvent("Agreement.Create", "Agreement", "DS1"));
            created.InsertAgreement(Agreement("DS2", approved: false), new AuditEvent("Agreement.Create", "Agreement", "DS2"));
        }

        // As the previous release left it: an older schema and no marker.
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableRegisterOptions.DefaultTableName);
        var meta = table.GetEntity<TableEntity>(name, "meta").Value;
        meta["SchemaVersion"] = TableRegister.SchemaVersion - 1;
        meta.Remove("TermsVersions");
        table.UpdateEntity(meta, meta.ETag, TableUpdateMode.Replace);

        using (var upgraded = TableRegister.Open(Options(), test.Clock, TestRegister.Identity))
        {
            Assert.Equal(TableRegister.SchemaVersion, table.GetEntity<TableEntity>(name, "meta").Value.GetInt32("SchemaVersion"));
            var version = Assert.Single(upgraded.ListTermsVersions("ds1"));
            Assert.Equal((1, "DSAP-1", new DateTime(2025, 12, 1), "alice", new DateTime(2026, 12, 31)),
                (version.Number, version.ApprovalReference, version.ApprovedOn, version.ApprovedBy, version.EndsOn));
            Assert.Empty(upgraded.ListTermsVersions("DS2"));
            Assert.Single(upgraded.ReadAuditLog(1), e => e.Action == "Agreement.TermsVersion");
        }

        // Opening again does nothing more: the marker says it is done.
        using var again = TableRegister.Open(Options(), test.Clock, TestRegister.Identity);
        Assert.Single(again.ListTermsVersions("DS1"));
        Assert.Single(again.ReadAuditLog(1), e => e.Action == "Agreement.TermsVersion");
    }

    private static DataShareAgreement Agreement(string id, bool approved) => new()
    {
        Id = id, Organisation = "Org", Title = "T", Purpose = "P", LegalGateway = "G", LawfulBasis = "B", AccessRoute = AccessRoute.SecureResearchService,
        StartsOn = new DateTime(2026, 1, 1), EndsOn = new DateTime(2026, 12, 31), RetentionDays = 14, CreatedAt = DateTimeOffset.UnixEpoch, CreatedBy = "alice",
        ModifiedAt = DateTimeOffset.UnixEpoch, ApprovalReference = approved ? "DSAP-1" : null, ApprovedOn = approved ? new DateTime(2025, 12, 1) : null,
        ApprovedBy = approved ? "alice" : null,
    };

    public void Dispose() => test.Dispose();
}
