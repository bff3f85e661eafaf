using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using DataShareAdmin.Core.Register;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Tests;

public sealed class SqliteRegisterTests : IDisposable
{
    private readonly TestRegister test = new();

    private SqliteRegister Open(string path, bool readOnly = false, bool create = false) =>
        SqliteRegister.Open(new RegisterLocation(path, "Parameter", readOnly, create), test.Clock, TestRegister.Identity);

    private static byte[] Snapshot(string path) => File.ReadAllBytes(path);

    [Fact]
    public void A_new_register_is_created_in_wal_mode_at_the_current_schema()
    {
        var path = Path.Combine(test.Directory, "sub", "folder", "new.db");
        using (var register = Open(path, create: true))
        {
            Assert.Equal(SqliteSchema.CurrentVersion, register.Info.SchemaVersion);
            Assert.Equal("SQLite", register.Info.Backend);
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void A_file_that_is_not_sqlite_is_refused_and_left_unchanged()
    {
        var path = Path.Combine(test.Directory, "notes.db");
        File.WriteAllText(path, "These are my notes, not a database. ".PadRight(4096, '.'));
        var before = Snapshot(path);

        var error = Assert.Throws<DataShareException>(() => Open(path));

        Assert.Equal("RegisterNotSqlite", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidData, error.Category);
        Assert.True(error.IsTerminating);
        Assert.Equal(before, Snapshot(path));
    }

    [Fact]
    public void Another_applications_sqlite_file_is_refused_and_left_unchanged()
    {
        var path = Path.Combine(test.Directory, "other.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE invoices (id INTEGER PRIMARY KEY); INSERT INTO invoices VALUES (1);";
            command.ExecuteNonQuery();
        }

        var before = Snapshot(path);
        var error = Assert.Throws<DataShareException>(() => Open(path));

        Assert.Equal("RegisterNotDataShare", error.ErrorId);
        Assert.Equal(before, Snapshot(path));
    }

    [Fact]
    public void A_register_from_a_newer_release_is_refused_and_left_unchanged()
    {
        SetUserVersion(test.Path, SqliteSchema.CurrentVersion + 1);
        test.Engine.Dispose();
        var before = Snapshot(test.Path);

        var error = Assert.Throws<DataShareException>(() => Open(test.Path));

        Assert.Equal("RegisterSchemaTooNew", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidData, error.Category);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(test.Path));
    }

    [Fact]
    public void A_read_only_register_refuses_writes_and_writes_nothing()
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), new FakeHost());
        test.Engine.Dispose();

        using var readOnly = test.OpenEngine(readOnly: true);
        Assert.True(readOnly.Register.Info.IsReadOnly);
        Assert.Single(readOnly.Agreements.Find(null, null));

        var error = Assert.Throws<DataShareException>(() => readOnly.Agreements.Create(Samples.Agreement("DS2"), new FakeHost()));

        Assert.Equal("RegisterReadOnly", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.PermissionDenied, error.Category);
        Assert.Single(readOnly.Agreements.Find(null, null));
        Assert.Equal(test.SetUpEntries + 1, readOnly.Register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void A_missing_register_cannot_be_opened_read_only_and_is_not_created()
    {
        var path = Path.Combine(test.Directory, "missing.db");
        var error = Assert.Throws<DataShareException>(() => Open(path, readOnly: true));
        Assert.Equal("RegisterNotFound", error.ErrorId);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Concurrent_writers_on_separate_connections_lose_nothing_and_keep_one_chain()
    {
        const int writers = 4;
        const int perWriter = 40;
        test.Engine.Dispose();

        Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
        {
            using var engine = test.OpenEngine();
            for (var i = 0; i < perWriter; i++)
            {
                engine.Agreements.Create(Samples.Agreement($"W{w}N{i}"), new FakeHost());
            }
        });

        using var check = test.OpenEngine();
        Assert.Equal(writers * perWriter, check.Agreements.Find(null, null).Count());
        var result = check.Audit.Test(null, new FakeHost());
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(writers * perWriter + test.SetUpEntries, result.EntryCount);
    }

    [Fact]
    public void The_committed_version_1_register_opens_with_its_contents_and_chain_intact()
    {
        var fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v1.db");
        var copy = Path.Combine(test.Directory, "v1.db");
        File.Copy(fixture, copy);

        using var engine = Core.DataShareEngine.Open(new EngineOptions { RegisterPath = copy, Clock = test.Clock, Identity = TestRegister.Identity });

        Assert.Equal(SqliteSchema.CurrentVersion, engine.Register.Info.SchemaVersion);
        var agreements = engine.Agreements.Find(null, null).ToList();
        Assert.Equal(new[] { "DS00752", "DS00901" }, agreements.Select(a => a.Id));
        Assert.Equal("Article 6(1)(e)", agreements[0].LawfulBasis);
        Assert.Equal(3, engine.Recipients.Find(null, includeRemoved: true).Count());
        var audit = engine.Audit.Test(null, new FakeHost());
        Assert.True(audit.IsIntact, audit.Problem);
        Assert.Equal(8 + 2 + UpgradeEntries(engine), audit.EntryCount);
        AssertOrganisationsMigrated(engine, ("DS00752", "University of Example"), ("DS00901", "Example Research Trust"));

        // Upgraded to schema 2: the safe-people tables exist and start empty, with the policy at its defaults.
        Assert.Empty(engine.Certificates.Find(null));
        Assert.All(engine.Policy.Get(), s => Assert.True(s.IsDefault));
    }

    [Fact]
    public void The_committed_version_2_register_opens_with_its_certificates_policy_and_chain_intact()
    {
        var copy = Path.Combine(test.Directory, "v2.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v2.db"), copy);

        using var engine = Core.DataShareEngine.Open(new EngineOptions { RegisterPath = copy, Clock = test.Clock, Identity = TestRegister.Identity });

        var certificates = engine.Certificates.Find("jo.bloggs@example.ac.uk").ToList();
        Assert.Equal(new[] { "1234567890123456", "001234567890" }, certificates.Select(c => c.Number));
        Assert.Equal(CertificateLevel.Basic, certificates[0].Level);
        Assert.Equal("30", engine.Policy.Get(n => n == "CertificateMaxAgeMonths").Single().Value);
        var audit = engine.Audit.Test(null, new FakeHost());
        Assert.True(audit.IsIntact, audit.Problem);
        Assert.Equal(11 + 2 + UpgradeEntries(engine), audit.EntryCount);
        AssertOrganisationsMigrated(engine, ("DS00752", "University of Example"), ("DS00901", "Example Research Trust"));

        // Upgraded to schema 3: no transfers or holdings yet.
        Assert.Empty(engine.Register.ListTransfers(null));
        Assert.Empty(engine.Register.ListHoldings(null));
    }

    [Fact]
    public void The_committed_version_3_register_opens_with_its_transfers_holding_and_chain_intact()
    {
        var copy = Path.Combine(test.Directory, "v3.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v3.db"), copy);

        using var engine = Core.DataShareEngine.Open(new EngineOptions { RegisterPath = copy, Clock = test.Clock, Identity = TestRegister.Identity });

        var transfers = engine.Register.ListTransfers("DS00752").ToList();
        Assert.Equal(2, transfers.Count);
        Assert.Null(transfers[0].RevokedAt);
        Assert.Equal(transfers[0].Id, transfers[1].FromTransferId);
        Assert.NotNull(transfers[1].RevokedAt);
        Assert.Equal(transfers[0].Container, transfers[1].Container);
        var file = Assert.Single(transfers[0].Files);
        Assert.Equal(("fixture-extract.csv", 17L, 64), (file.Name, file.Size, file.Sha256.Length));
        var holding = Assert.Single(engine.Register.ListHoldings(null));
        Assert.Equal((transfers[0].HoldingId, HoldingKind.BlobContainer, transfers[0].Container), (holding.Id, holding.Kind, holding.Container));
        Assert.Equal(new DateTime(2026, 11, 26), holding.DueOn);

        // Upgraded to schema 4: the transfer's holding is still held, and no destruction is recorded.
        Assert.Equal(HoldingState.Held, holding.State);
        Assert.Equal(new[] { holding.Id }, engine.Register.ListHeldHoldings().Select(h => h.Id));
        Assert.Empty(engine.Register.ListDestructions(null));
        var audit = engine.Audit.Test(null, new FakeHost());
        Assert.True(audit.IsIntact, audit.Problem);
        Assert.Equal(14 + 2 + UpgradeEntries(engine), audit.EntryCount);
        AssertOrganisationsMigrated(engine, ("DS00752", "University of Example"), ("DS00901", "Example Research Trust"));
        Assert.DoesNotContain("sig=", File.ReadAllText(copy), StringComparison.Ordinal);
    }

    [Fact]
    public void The_committed_version_4_register_opens_with_its_destruction_record_confirmation_and_chain_intact()
    {
        var copy = Path.Combine(test.Directory, "v4.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v4.db"), copy);

        using var engine = Core.DataShareEngine.Open(new EngineOptions { RegisterPath = copy, Clock = test.Clock, Identity = TestRegister.Identity });

        var record = Assert.Single(engine.Register.ListDestructions("DS00500"));
        Assert.Equal((DestructionOutcome.Destroyed, true, 1L, "Off"), (record.Outcome, record.Verified, record.ObjectsDeleted, record.SoftDelete));
        Assert.Equal(HoldingState.Destroyed, engine.Register.FindHolding(record.HoldingId)!.State);
        Assert.Equal("DPO, Northshire County Council", engine.Register.FindConfirmation("DS00500")!.ConfirmedBy);
        Assert.Equal(new DateTime(2026, 11, 22), engine.Register.FindAgreement("DS00500")!.DestroyedOn);
        Assert.Single(engine.Register.ListHeldHoldings());
        var audit = engine.Audit.Test(null, new FakeHost());
        Assert.True(audit.IsIntact, audit.Problem);
        Assert.Equal(19 + 3 + UpgradeEntries(engine), audit.EntryCount);
        AssertOrganisationsMigrated(engine, ("DS00752", "University of Example"), ("DS00901", "Example Research Trust"), ("DS00500", "Northshire County Council"));
    }

    [Fact]
    public void The_committed_version_5_register_opens_with_its_organisations_and_assessments()
    {
        var copy = Path.Combine(test.Directory, "v5.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v5.db"), copy);

        using var engine = Core.DataShareEngine.Open(new EngineOptions { RegisterPath = copy, Clock = test.Clock, Identity = TestRegister.Identity });

        var organisations = engine.Organisations.Find(null, new DateTime(2026, 6, 15)).ToList();
        Assert.Equal(new[] { "Example Research Trust", "Northshire County Council", "University of Example" }, organisations.Select(o => o.Name));
        Assert.Equal(new[] { AssessmentState.Failed, AssessmentState.None, AssessmentState.Current }, organisations.Select(o => o.AssessmentStatus));
        Assert.Equal((new DateTime(2027, 10, 31), "ISQ-2025-031"), (organisations[2].AssessmentValidUntil!.Value, organisations[2].Assessments.Single().Reference));
        var agreement = engine.Agreements.Get("DS00752");
        Assert.Equal((organisations[2].Id, "Linkage with the university's own cohort study."), (agreement.OrganisationId, agreement.DirectTransferJustification));
        Assert.Equal(2, engine.Register.ListTransfers("DS00752").Count());
        var audit = engine.Audit.Test(null, new FakeHost());
        Assert.True(audit.IsIntact, audit.Problem);
        Assert.Equal(24 + UpgradeEntries(engine), audit.EntryCount);
        Assert.DoesNotContain("sig=", File.ReadAllText(copy), StringComparison.Ordinal);
    }

    [Fact]
    public void Upgrading_the_previous_release_s_register_keeps_every_agreement_field_and_merges_names_that_differ_only_in_case_and_spaces()
    {
        var copy = Path.Combine(test.Directory, "v4-names.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v4.db"), copy);

        // Two more agreements written as schema 4 would have them, one naming an organisation with other case and spaces, written
        // after the first (whose spelling names the record).
        Sql(copy, """
            INSERT INTO agreements SELECT 'DS00753', '  university of EXAMPLE ', title, purpose, legal_gateway, lawful_basis, access_route, starts_on, ends_on,
                retention_days, data_items, NULL, NULL, NULL, 0, NULL, '2026-12-01T00:00:00.000Z', 'officer', modified_at, 1 FROM agreements WHERE id = 'DS00752';
            INSERT INTO agreements SELECT 'DS00754', 'Universitas Exempli', title, purpose, legal_gateway, lawful_basis, access_route, starts_on, ends_on,
                retention_days, data_items, NULL, NULL, NULL, 0, NULL, '2026-02-02T00:00:00.000Z', 'officer', modified_at, 1 FROM agreements WHERE id = 'DS00752';
            """);
        var before = Rows(copy, "SELECT * FROM agreements ORDER BY id");

        using (var engine = Core.DataShareEngine.Open(new EngineOptions { RegisterPath = copy, Clock = test.Clock, Identity = TestRegister.Identity }))
        {
            AssertOrganisationsMigrated(engine, ("DS00752", "University of Example"), ("DS00753", "University of Example"), ("DS00754", "Universitas Exempli"),
                ("DS00901", "Example Research Trust"), ("DS00500", "Northshire County Council"));
            Assert.True(engine.Audit.Test(null, new FakeHost()).IsIntact);
        }

        // Every column the previous release wrote is as it was, but the name of an organisation now spelt by its record.
        var after = Rows(copy, "SELECT * FROM agreements ORDER BY id");
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            foreach (var (column, value) in before[i])
            {
                var expected = column == "organisation" && ((string)before[i]["id"]!) == "DS00753" ? "University of Example" : value;
                Assert.Equal(expected, after[i][column]);
            }

            Assert.NotNull(after[i]["organisation_id"]);
            Assert.Null(after[i]["direct_transfer_justification"]);
        }
    }

    private static void Sql(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<Dictionary<string, object?>> Rows(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<Dictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// Schema 5: each organisation named by the agreements became a record, audited as created by the upgrade, and
    /// each agreement points at its own; no assessment was invented.
    /// </summary>
    private static void AssertOrganisationsMigrated(Core.DataShareEngine engine, params (string Agreement, string Organisation)[] expected)
    {
        var organisations = engine.Organisations.Find(null).ToList();
        Assert.Equal(expected.Select(e => e.Organisation).Distinct().OrderBy(n => n, StringComparer.Ordinal), organisations.Select(o => o.Name));
        foreach (var (agreementId, name) in expected)
        {
            var agreement = engine.Agreements.Get(agreementId);
            var organisation = organisations.Single(o => o.Name == name);
            Assert.Equal((name, organisation.Id), (agreement.Organisation, agreement.OrganisationId));
            Assert.Contains(agreementId, organisation.AgreementIds);
            Assert.Equal(AssessmentState.None, organisation.AssessmentStatus);
            Assert.Empty(organisation.Assessments);
        }

        var created = engine.Audit.Read(1, e => e.Action == "Organisation.Create").ToList();
        Assert.Equal(organisations.Select(o => o.Id).OrderBy(i => i, StringComparer.Ordinal), created.Select(e => e.TargetId).OrderBy(i => i, StringComparer.Ordinal));
        Assert.All(created, e => Assert.StartsWith("Register upgrade to schema 5", e.Details["Source"], StringComparison.Ordinal));
    }

    private static void SetUserVersion(string path, int version)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA user_version = {version}";
        command.ExecuteNonQuery();
    }

    public void Dispose() => test.Dispose();

    /// <summary>The schema 9 upgrade audits one Agreement.Upgrade entry per agreement (RegisterUpgradeTests checks them).</summary>
    // Schema 9's category entry for every agreement, and the terms-versions step's version 1 of every approved one.
    private static int UpgradeEntries(Core.DataShareEngine engine) =>
        engine.Register.ListAgreements().Count() + engine.Register.ListAgreements().Count(a => a.ApprovedOn is not null);
}
