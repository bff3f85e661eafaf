using System;
using System.IO;
using System.Linq;
using Azure.Data.Tables;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Decisions;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Register;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests.Decisions;

/// <summary>The legal gateway catalogue: seeded, added to (audited, no duplicates), retired in place; free text flagged; upgrades seed it.</summary>
public sealed class LegalGatewayTests : IClassFixture<AzuriteTablesFixture>, IDisposable
{
    private readonly TestRegister test = new();
    private readonly FakeHost host = new();
    private readonly AzuriteServer azurite;

    public LegalGatewayTests(AzuriteTablesFixture fixture) => azurite = fixture.Server;

    private DataShareEngine Engine => test.Engine;

    [Fact]
    public void A_gateway_is_added_once_whatever_its_case_and_retired_without_being_deleted()
    {
        Assert.Equal(LegalGatewaySeeds.Names.Count, Engine.LegalGateways.List().Count());
        var before = test.AuditCount();
        var added = Engine.LegalGateways.Add("  Education Act 1996   section 537A ", host)!;
        Assert.Equal(("Education Act 1996 section 537A", "tester", false), (added.Name, added.AddedBy, added.IsSeeded));
        var entry = Engine.Register.ReadAuditLog(1).Last();
        Assert.Equal(("LegalGateway.Add", "Education Act 1996 section 537A"), (entry.Action, entry.TargetId));

        foreach (var name in new[] { "education act 1996 SECTION 537a", "CHILDREN ACT 1989" })
        {
            var error = Assert.Throws<DataShareException>(() => Engine.LegalGateways.Add(name, host));
            Assert.Equal(("LegalGatewayExists", DataShareErrorCategory.ResourceExists), (error.ErrorId, error.Category));
        }

        Assert.Equal("LegalGatewayNameMissing", Assert.Throws<DataShareException>(() => Engine.LegalGateways.Add("  ", host)).ErrorId);
        Assert.Equal(("LegalGatewayFieldTooLong", DataShareErrorCategory.LimitsExceeded), Catch(() => Engine.LegalGateways.Add(new string('g', TextLimits.LegalGateway + 1), host)));
        Assert.Null(new LegalGatewayService(Engine.Register, test.Clock, "tester").Add("Declined Act 2001", new FakeHost(approve: false)));
        Assert.Equal(before + 1, test.AuditCount());

        Assert.Equal(("LegalGatewayRetireReasonMissing", DataShareErrorCategory.InvalidArgument), Catch(() => Engine.LegalGateways.Retire("Children Act 1989", " ", host)));
        Assert.Equal(("LegalGatewayNotFound", DataShareErrorCategory.ObjectNotFound), Catch(() => Engine.LegalGateways.Retire("No Such Act", "x", host)));
        var retired = Engine.LegalGateways.Retire("children act 1989", "Superseded for this use", host)!;
        Assert.Equal(("Children Act 1989", true), (retired.Name, retired.IsRetired));
        Assert.Equal(("LegalGatewayRetired", DataShareErrorCategory.InvalidOperation), Catch(() => Engine.LegalGateways.Retire("Children Act 1989", "again", host)));
        Assert.DoesNotContain(Engine.LegalGateways.List(), g => g.Name == "Children Act 1989");
        Assert.Contains(Engine.LegalGateways.List(includeRetired: true), g => g.Name == "Children Act 1989" && g.RetiredReason == "Superseded for this use");
        Assert.True(Engine.LegalGateways.InCatalogue("Children Act 1989"));
        Assert.Equal("LegalGateway.Retire", Engine.Register.ReadAuditLog(1).Last().Action);
    }

    [Fact]
    public void An_agreement_takes_the_catalogues_spelling_and_free_text_is_kept_with_a_warning()
    {
        var catalogued = Samples.Agreement("DS1");
        catalogued.LegalGateway = "children act  1989";
        var created = Engine.Agreements.Create(catalogued, host)!;
        Assert.Equal("Children Act 1989", created.LegalGateway);
        Assert.Empty(host.Warnings);

        var free = Samples.Agreement("DS2");
        free.LegalGateway = "Section 999 of an imagined Act";
        Assert.Equal("Section 999 of an imagined Act", Engine.Agreements.Create(free, host)!.LegalGateway);
        Assert.Contains(host.Warnings, w => w.Contains("not in the register's catalogue", StringComparison.Ordinal) && w.Contains("DS2", StringComparison.Ordinal));

        host.Warnings.Clear();
        Engine.Agreements.Update("DS1", new AgreementChanges { LegalGateway = "Another free text" }, host);
        Assert.Single(host.Warnings);
        Engine.Agreements.Update("DS1", new AgreementChanges { LegalGateway = "HIGHER EDUCATION AND RESEARCH ACT 2017" }, host);
        Assert.Equal("Higher Education and Research Act 2017", Engine.Agreements.Get("DS1").LegalGateway);
        Assert.Single(host.Warnings);
    }

    [Fact]
    public void The_committed_version_7_register_upgrades_with_the_catalogue_seeded_and_no_decision_invented()
    {
        var copy = Path.Combine(test.Directory, "v7.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v7.db"), copy);
        using var engine = DataShareEngine.Open(new EngineOptions { RegisterPath = copy, Clock = test.Clock, Identity = TestRegister.Identity });
        Assert.Equal(SqliteSchema.CurrentVersion, engine.Register.Info.SchemaVersion);
        Assert.Equal(LegalGatewaySeeds.Names.OrderBy(LegalGatewaySeeds.Normalise, StringComparer.Ordinal), engine.LegalGateways.List().Select(g => g.Name));
        var agreements = engine.Register.ListAgreements().ToList();
        Assert.Contains(agreements, a => a.ApprovedOn is not null);
        Assert.All(agreements, a => Assert.Null(a.Decision));
        var audit = engine.Audit.Test(null, new FakeHost());
        Assert.True(audit.IsIntact, audit.Problem);
    }

    [Fact]
    public void A_table_register_one_schema_older_is_seeded_once_and_keeps_gateways_officers_added()
    {
        var name = "g" + Guid.NewGuid().ToString("N").Substring(0, 12);
        TableRegisterOptions Options() => new() { ConnectionString = azurite.ConnectionString, RegisterName = name };
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(TableRegisterOptions.DefaultTableName);
        using (var created = TableRegister.Open(Options(), test.Clock, TestRegister.Identity, create: true))
        {
            Assert.Equal(LegalGatewaySeeds.Names.Count, created.ListLegalGateways().Count());
        }

        // As a register of the previous schema: no catalogue rows, but one gateway an officer somehow added is kept.
        foreach (var row in table.Query<TableEntity>($"PartitionKey eq '{name}' and Kind eq 'LegalGateway'").ToList())
        {
            table.DeleteEntity(row.PartitionKey, row.RowKey);
        }

        var meta = table.GetEntity<TableEntity>(name, "meta").Value;
        meta["SchemaVersion"] = TableRegister.SchemaVersion - 1;
        table.UpdateEntity(meta, meta.ETag, TableUpdateMode.Merge);

        using (var readOnly = TableRegister.Open(Options(), test.Clock, TestRegister.Identity, readOnly: true))
        {
            Assert.Empty(readOnly.ListLegalGateways());
        }

        using (var upgraded = TableRegister.Open(Options(), test.Clock, TestRegister.Identity))
        {
            Assert.Equal(TableRegister.SchemaVersion, table.GetEntity<TableEntity>(name, "meta").Value.GetInt32("SchemaVersion"));
            Assert.Equal(LegalGatewaySeeds.Names.Count, upgraded.ListLegalGateways().Count());
            upgraded.InsertLegalGateway(new DataShareLegalGateway { Name = "Added Act 2020", AddedBy = "alice", AddedAt = test.Clock.UtcNow, ModifiedAt = test.Clock.UtcNow }, new AuditEvent("LegalGateway.Add", "LegalGateway", "Added Act 2020"));
        }

        using var again = TableRegister.Open(Options(), test.Clock, TestRegister.Identity);
        Assert.Equal(LegalGatewaySeeds.Names.Count + 1, again.ListLegalGateways().Count());
    }

    [Fact]
    public void On_the_table_register_separation_is_on_by_default_and_refuses_the_creator()
    {
        var name = "s" + Guid.NewGuid().ToString("N").Substring(0, 12);
        EngineOptions Options(string user) => new()
        {
            Table = new TableRegisterOptions { ConnectionString = azurite.ConnectionString, RegisterName = name },
            CreateRegister = true,
            Clock = test.Clock,
            Identity = new AuditIdentity(user, "m"),
        };

        using (var alice = DataShareEngine.Open(Options("alice")))
        {
            Assert.True(alice.Separation.Required);
            Assert.Equal("true", alice.Policy.Get(n => n == PolicyCatalogue.RequireSeparateApprover).Single().DefaultValue);
            Samples.AddOrganisation(alice);
            alice.Agreements.Create(Samples.Agreement("DS1"), host);
            var error = Assert.Throws<DataShareException>(() => alice.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), Samples.Decision(), host));
            Assert.Equal(("AgreementApproverIsRequester", DataShareErrorCategory.PermissionDenied), (error.ErrorId, error.Category));
        }

        using var bob = DataShareEngine.Open(Options("bob"));
        var approved = bob.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), Samples.Decision(), host)!;
        Assert.Equal(("bob", false, DecisionOutcome.Approved), (approved.ApprovedBy, approved.SelfApproved, bob.Agreements.Get("DS1").Decision!.Outcome));
    }

    private static (string, DataShareErrorCategory) Catch(Action act)
    {
        var error = Assert.Throws<DataShareException>(act);
        return (error.ErrorId, error.Category);
    }

    public void Dispose() => test.Dispose();
}
