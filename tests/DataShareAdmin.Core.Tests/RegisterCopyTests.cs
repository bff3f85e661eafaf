using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using DataShareAdmin.Core.Register;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>Copy-DataShareRegister's engine: SQLite to Azure Tables and back, every record and the audit chain kept.</summary>
public sealed class RegisterCopyTests : IClassFixture<AzuriteTablesFixture>, IDisposable
{
    private readonly AzuriteServer azurite;
    private readonly TestRegister test = new();
    private readonly string name = "c" + Guid.NewGuid().ToString("N").Substring(0, 12);

    public RegisterCopyTests(AzuriteTablesFixture fixture) => azurite = fixture.Server;

    private TableRegister Tables(string suffix, bool readOnly = false) => TableRegister.Open(new TableRegisterOptions
    {
        ConnectionString = azurite.ConnectionString,
        RegisterName = name + suffix,
        ReadOnly = readOnly,
    }, test.Clock, TestRegister.Identity, create: !readOnly);

    private SqliteRegister Sqlite(string file) => SqliteRegister.Open(new RegisterLocation(Path.Combine(test.Directory, file), "Parameter", createIfMissing: true), test.Clock, TestRegister.Identity);

    /// <summary>Every record of every kind, as JSON, in the register's own order.</summary>
    private static string Contents(IDataShareRegister register)
    {
        var snapshot = RegisterCopier.Read(register);
        return JsonSerializer.Serialize(new object[]
        {
            snapshot.Organisations.ToList(), snapshot.Assessments.ToList(), snapshot.Agreements.ToList(), snapshot.People.ToList(),
            snapshot.Recipients.ToList(), snapshot.Policy.ToList(), snapshot.Certificates.ToList(), snapshot.Holdings.ToList(), snapshot.Transfers.ToList(),
            snapshot.Destructions.ToList(), snapshot.Confirmations.ToList(), snapshot.TermsVersions.ToList(), snapshot.Variations.ToList(), snapshot.AuditLog.ToList(), snapshot.AuditHead!,
        });
    }

    [Fact]
    public void A_register_goes_to_tables_and_back_with_every_record_and_its_audit_chain()
    {
        var fixture = Path.Combine(test.Directory, "v5.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v5.db"), fixture);
        using var source = SqliteRegister.Open(new RegisterLocation(fixture, "Parameter"), test.Clock, TestRegister.Identity);
        using var shared = Tables("a");
        using var back = Sqlite("back.db");

        var there = RegisterCopier.Copy(source, shared, test.Clock, new FakeHost());
        var home = RegisterCopier.Copy(shared, back, test.Clock, new FakeHost());

        Assert.True(there.Verified, there.Problem);
        Assert.True(home.Verified, home.Problem);
        // 24 entries, the schema 9 upgrade's Agreement.Upgrade entry for each of the 3 agreements, and the terms-versions
        // step's version 1 of the one approved (DS00752), a terms version copied with its agreement.
        Assert.Equal((3L, 2L, 3L, 2L, 24L + 3L + 1L), (there.Organisations, there.Transfers, there.Agreements, there.Assessments, there.AuditEntries));
        Assert.Equal((1L, 0L), (there.TermsVersions, there.Variations));
        Assert.Single(shared.ListTermsVersions("DS00752"));
        Assert.Equal(there.SourceHead, home.DestinationHead);
        Assert.Equal(Contents(source), Contents(shared));
        Assert.Equal(Contents(source), Contents(back));
        Assert.DoesNotContain("sig=", Contents(shared), StringComparison.Ordinal);
    }

    [Fact]
    public void Output_releases_and_every_cell_of_their_files_go_to_tables_and_back()
    {
        using var source = Sqlite("releases.db");
        var agreement = new DataShareAgreement
        {
            Id = "DS1", Organisation = "Org", Title = "T", Purpose = "P", LegalGateway = "G", LawfulBasis = "B", StartsOn = new DateTime(2026, 1, 1),
            EndsOn = new DateTime(2026, 12, 31), CreatedAt = test.Clock.UtcNow, CreatedBy = "a", ModifiedAt = test.Clock.UtcNow,
        };
        source.InsertAgreement(agreement, new AuditEvent("Agreement.Create", "Agreement", "DS1"));
        var release = new OutputRelease { Id = "RL-0000000001", AgreementId = "DS1", Rules = "r", RequestedBy = "a", RequestedAt = test.Clock.UtcNow };
        release.Files.Add(new OutputReleaseFile { ReleaseId = release.Id, Name = "a.csv", Sha256 = "x", Dimensions = { "School", "Year" } });
        release.Files.Add(new OutputReleaseFile { ReleaseId = release.Id, Position = 1, Name = "b.csv", Sha256 = "y", Dimensions = { "School" } });
        release.Exceptions.Add(new OutputReleaseException { ReleaseId = release.Id, File = "a.csv", Cell = "School=1", Rules = "Threshold", Justification = "j", WrittenBy = "a" });

        // Enough cells, with long enough categories, to take several blocks of the Table register's rows.
        var cells = Enumerable.Range(0, 6000).Select(i => new OutputReleaseCell
        {
            ReleaseId = release.Id, File = i < 5000 ? 0 : 1, Position = i < 5000 ? i : i - 5000,
            Categories = i < 5000 ? new System.Collections.Generic.List<string> { "School " + new string('x', 40) + i, "Year " + (i % 7) } : new System.Collections.Generic.List<string> { "S" + i },
            Count = i % 11 == 0 ? null : i,
        }).ToList();
        source.InsertOutputRelease(release, cells, new AuditEvent("OutputRelease.Requested", "OutputRelease", release.Id));
        using var shared = Tables("r");
        using var back = Sqlite("releases-back.db");

        var there = RegisterCopier.Copy(source, shared, test.Clock, new FakeHost());
        var home = RegisterCopier.Copy(shared, back, test.Clock, new FakeHost());

        Assert.True(there.Verified, there.Problem);
        Assert.True(home.Verified, home.Problem);
        Assert.Equal((1L, 6000L), (there.OutputReleases, there.OutputReleaseCells));
        string Releases(IDataShareRegister r) => JsonSerializer.Serialize(new object[] { r.ListOutputReleases(null).ToList(), r.ListOutputReleaseCells(null).ToList() });
        Assert.Equal(Releases(source), Releases(shared));
        Assert.Equal(Releases(source), Releases(back));
        Assert.Equal(JsonSerializer.Serialize(cells), JsonSerializer.Serialize(shared.ListOutputReleaseCells(release.Id).ToList()));
    }

    [Fact]
    public void Incidents_go_to_tables_and_back_with_every_field()
    {
        using var source = Sqlite("incidents.db");
        var agreement = new DataShareAgreement
        {
            Id = "DS1", Organisation = "Org", Title = "T", Purpose = "P", LegalGateway = "G", LawfulBasis = "B", StartsOn = new DateTime(2026, 1, 1),
            EndsOn = new DateTime(2026, 12, 31), CreatedAt = test.Clock.UtcNow, CreatedBy = "a", ModifiedAt = test.Clock.UtcNow,
        };
        source.InsertAgreement(agreement, new AuditEvent("Agreement.Create", "Agreement", "DS1"));
        var at = test.Clock.UtcNow.AddDays(-2);
        source.InsertIncident(new DataShareIncident
        {
            Id = "IN-0000000001", AgreementId = "DS1", Kind = IncidentKind.Breach, OccurredAt = at.AddHours(-1), DiscoveredAt = at, Summary = "Lost laptop",
            Severity = IncidentSeverity.High, IsReportable = true, IcoNotifiedAt = at.AddHours(2), IcoReference = "ICO/1", Actions = "Wiped", ClosedOn = new DateTime(2026, 2, 1),
            SuspendedAgreement = true, RecordedBy = "a", RecordedAt = at, ModifiedAt = at,
        }, new AuditEvent("Incident.Record", "Incident", "IN-0000000001"));
        source.InsertIncident(new DataShareIncident
        {
            Id = "IN-0000000002", AgreementId = "DS1", Kind = IncidentKind.Complaint, DiscoveredAt = at.AddHours(1), Summary = "Complaint", RecordedBy = "a", RecordedAt = at, ModifiedAt = at,
        }, new AuditEvent("Incident.Record", "Incident", "IN-0000000002"));
        using var shared = Tables("i");
        using var back = Sqlite("incidents-back.db");

        var there = RegisterCopier.Copy(source, shared, test.Clock, new FakeHost());
        var home = RegisterCopier.Copy(shared, back, test.Clock, new FakeHost());

        Assert.True(there.Verified, there.Problem);
        Assert.True(home.Verified, home.Problem);
        Assert.Equal((2L, 2L), (there.Incidents, home.Incidents));
        string Incidents(IDataShareRegister r) => JsonSerializer.Serialize(new object[] { r.ListIncidents(null).ToList(), r.ListIncidents("DS1").ToList() });
        Assert.Equal(Incidents(source), Incidents(shared));
        Assert.Equal(Incidents(source), Incidents(back));
    }

    [Fact]
    public void A_holds_fields_go_to_tables_and_back()
    {
        var host = new FakeHost();
        var agreement = Samples.Agreement("DS1", "2026-01-01", "2026-12-31");
        test.Engine.Agreements.Create(agreement, host);
        var folder = Directory.CreateDirectory(Path.Combine(test.Directory, "ds1")).FullName;
        var holding = test.Engine.Retention.Register("DS1", folder, host)!;
        var due = test.Engine.Retention.Get(holding.Id).DueOn;
        test.Engine.Holds.Add(new Retention.RetentionHoldRequest
        {
            HoldingId = holding.Id, Reason = "inquiry", ApprovedBy = "Dana", Until = due.AddDays(40), Legal = true, ReviewOn = due.AddDays(10),
        }, host);
        using var shared = Tables("h");
        using var back = Sqlite("held-back.db");

        Assert.True(RegisterCopier.Copy(test.Engine.Register, shared, test.Clock, host).Verified);
        Assert.True(RegisterCopier.Copy(shared, back, test.Clock, host).Verified);

        var read = back.FindHolding(holding.Id)!;
        Assert.Equal((due.AddDays(40), "inquiry", "Dana", true, (DateTime?)due.AddDays(10)), (read.HoldUntil!.Value, read.HoldReason, read.HoldApprovedBy, read.HoldLegal, read.HoldReviewOn));
        Assert.Equal(Contents(test.Engine.Register), Contents(shared));
        Assert.Equal(Contents(test.Engine.Register), Contents(back));
    }

    [Fact]
    public void Terms_versions_and_variations_go_to_tables_and_back()
    {
        var host = new FakeHost();
        test.Engine.Agreements.Create(Samples.Agreement("DS1", "2026-01-01", "2026-12-31"), host);
        test.Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 1, 1), Samples.Decision(), host);
        var extension = test.Engine.Agreements.RequestVariation("DS1", new Agreements.AgreementChanges { EndsOn = new DateTime(2027, 6, 30) }, "More time", host)!;
        test.Engine.Agreements.ApproveVariation(extension.Id, "DSAP-2", test.Engine.Calendar.Today, host);
        test.Engine.Agreements.RequestVariation("DS1", new Agreements.AgreementChanges { RetentionDays = 60 }, "Longer checks", host);
        using var shared = Tables("v");
        using var back = Sqlite("varied-back.db");

        var there = RegisterCopier.Copy(test.Engine.Register, shared, test.Clock, host);
        Assert.True(there.Verified, there.Problem);
        Assert.True(RegisterCopier.Copy(shared, back, test.Clock, host).Verified);

        Assert.Equal((2L, 2L), (there.TermsVersions, there.Variations));
        Assert.Equal(new[] { 1, 2 }, back.ListTermsVersions("DS1").Select(v => v.Number));
        Assert.Equal(Contents(test.Engine.Register), Contents(shared));
        Assert.Equal(Contents(test.Engine.Register), Contents(back));
    }

    [Fact]
    public void The_engine_works_on_the_copy_and_its_next_write_extends_the_copied_chain()
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), new FakeHost());
        using var shared = Tables("b");
        RegisterCopier.Copy(test.Engine.Register, shared, test.Clock, new FakeHost());

        using var engine = DataShareEngine.Open(new EngineOptions
        {
            Table = new TableRegisterOptions { ConnectionString = azurite.ConnectionString, RegisterName = name + "b" },
            Clock = test.Clock,
            Identity = TestRegister.Identity,
        });
        engine.Agreements.Update("DS1", new Agreements.AgreementChanges { Title = "Changed on the shared register" }, new FakeHost());

        Assert.Equal("AzureTables", engine.Register.Info.Backend);
        Assert.Equal("Changed on the shared register", engine.Agreements.Get("DS1").Title);
        var audit = engine.Audit.Test(null, new FakeHost());
        Assert.True(audit.IsIntact, audit.Problem);
        Assert.Equal(test.SetUpEntries + 2, audit.EntryCount);
    }

    [Fact]
    public void The_legal_gateway_catalogue_goes_to_tables_and_back_with_officers_additions_and_retirements()
    {
        var host = new FakeHost();
        test.Engine.LegalGateways.Add("Education Act 1996 section 537A", host);
        test.Engine.LegalGateways.Retire("School Workforce Regulations 2007", "Superseded", host);
        using var shared = Tables("g");
        using var back = Sqlite("gateways-back.db");
        Assert.True(RegisterCopier.Copy(test.Engine.Register, shared, test.Clock, host).Verified);
        Assert.True(RegisterCopier.Copy(shared, back, test.Clock, host).Verified);

        string Catalogue(IDataShareRegister register) => string.Join("\n", register.ListLegalGateways().Select(g => $"{g.Name}|{g.IsSeeded}|{g.IsRetired}|{g.RetiredReason}|{g.AddedBy}|{g.Version}"));
        var expected = Catalogue(test.Engine.Register);
        Assert.Contains("Education Act 1996 section 537A|False|False||tester|1", expected, StringComparison.Ordinal);
        Assert.Contains("School Workforce Regulations 2007|True|True|Superseded|register seed|2", expected, StringComparison.Ordinal);
        Assert.Equal(expected, Catalogue(shared));
        Assert.Equal(expected, Catalogue(back));
    }

    [Fact]
    public void Readiness_on_the_shared_register_is_the_same_as_on_the_file_when_it_reads_certificates_all_at_once()
    {
        var host = new FakeHost();
        Samples.AddOrganisation(test.Engine, assessedOn: "2026-01-01");
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        test.Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 1, 1), Samples.Decision(), host);

        // More people than the Table register tests one query at a time, so it reads every certificate at once.
        for (var i = 0; i < 30; i++)
        {
            var recipient = test.Engine.Recipients.Add("DS1", $"Person {i}", $"p{i}@example.org", null, host)!;
            test.Engine.Recipients.Update(recipient.Id, new People.RecipientChanges { DeclarationSignedOn = new DateTime(2026, 1, 10), TrainingCompletedOn = new DateTime(2026, 1, 5) }, host);
            if (i % 3 != 0)
            {
                test.Engine.Certificates.Add(recipient.Email, new SafePeople.CertificateDraft { Issuer = "DBS", Level = "Basic", Number = (100000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture), IssuedOn = new DateTime(2024, 1, 1).AddDays(i * 20) }, host);
            }
        }

        using var shared = Tables("r");
        RegisterCopier.Copy(test.Engine.Register, shared, test.Clock, host);
        using var engine = DataShareEngine.Open(new EngineOptions
        {
            Table = new TableRegisterOptions { ConnectionString = azurite.ConnectionString, RegisterName = name + "r" },
            Clock = test.Clock,
            Identity = TestRegister.Identity,
        });

        string Results(DataShareEngine on) => JsonSerializer.Serialize(on.Recipients.Find("DS1", includeRemoved: false)
            .Select(r => on.Readiness.Test(r, null, null)).OrderBy(r => r.RecipientId, StringComparer.Ordinal).ToList());

        var onFile = Results(test.Engine);
        Assert.Equal(onFile, Results(engine));
        Assert.Contains("\"IsReady\":false", onFile, StringComparison.Ordinal);
        Assert.Contains("\"IsReady\":true", onFile, StringComparison.Ordinal);
    }

    [Fact]
    public void A_copy_goes_only_into_an_empty_register_and_writes_nothing_otherwise()
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), new FakeHost());
        using var shared = Tables("c");
        RegisterCopier.Copy(test.Engine.Register, shared, test.Clock, new FakeHost());
        var before = Contents(shared);

        var error = Assert.Throws<DataShareException>(() => RegisterCopier.Copy(test.Engine.Register, shared, test.Clock, new FakeHost()));
        var intoSqlite = Assert.Throws<DataShareException>(() => RegisterCopier.Copy(shared, test.Engine.Register, test.Clock, new FakeHost()));

        Assert.Equal(("RegisterCopyDestinationNotEmpty", DataShareErrorCategory.ResourceExists), (error.ErrorId, error.Category));
        Assert.Equal("RegisterCopyDestinationNotEmpty", intoSqlite.ErrorId);
        Assert.Equal(before, Contents(shared));
    }

    [Fact]
    public void A_read_only_table_register_refuses_writes_and_a_missing_one_cannot_be_opened_read_only()
    {
        using (var shared = Tables("d"))
        {
            shared.AppendAudit(new AuditEvent("Test.Event", "Test", "x"));
        }

        using var readOnly = Tables("d", readOnly: true);
        var refused = Assert.Throws<DataShareException>(() => readOnly.AppendAudit(new AuditEvent("Test.Event", "Test", "y")));
        var missing = Assert.Throws<DataShareException>(() => Tables("missing", readOnly: true));

        Assert.Equal(("RegisterReadOnly", DataShareErrorCategory.PermissionDenied), (refused.ErrorId, refused.Category));
        Assert.Equal(1, readOnly.ReadAuditHead()!.Sequence);
        Assert.Equal(("RegisterNotFound", DataShareErrorCategory.ObjectNotFound), (missing.ErrorId, missing.Category));
    }

    [Theory]
    [InlineData(null, "x", "RegisterTableNameInvalid")]
    [InlineData("DataShareRegister", "bad name", "RegisterNameInvalid")]
    [InlineData("9tables", "main", "RegisterTableNameInvalid")]
    public void Bad_table_and_register_names_are_refused_before_anything_is_created(string? table, string register, string errorId)
    {
        var error = Assert.Throws<DataShareException>(() => TableRegister.Open(new TableRegisterOptions
        {
            ConnectionString = azurite.ConnectionString,
            TableName = table ?? "ab",
            RegisterName = register,
        }, test.Clock, TestRegister.Identity));

        Assert.Equal((errorId, DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
    }

    [Fact]
    public void Sign_in_and_keys_go_over_https_except_to_a_local_emulator()
    {
        // Tokens never go over http, not even to loopback (the SDK refuses too): Azurite is reached by its connection string.
        Assert.Equal("RegisterEndpointInsecure", Assert.Throws<DataShareException>(() => new TableRegisterOptions { TableEndpoint = new Uri("http://127.0.0.1:10002/devstoreaccount1") }.Validate()).ErrorId);
        Assert.Equal("RegisterTableConnectionInvalid", Assert.Throws<DataShareException>(() => new TableRegisterOptions().Validate()).ErrorId);

        var insecure = "DefaultEndpointsProtocol=http;AccountName=contosodata;AccountKey=" + Convert.ToBase64String(new byte[64]) + ";EndpointSuffix=core.windows.net";
        var error = Assert.Throws<DataShareException>(() => TableRegister.Open(new TableRegisterOptions { ConnectionString = insecure }, test.Clock, TestRegister.Identity));
        Assert.Equal(("RegisterEndpointInsecure", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.DoesNotContain("AccountKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_copy_that_did_not_finish_is_refused_when_opened()
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), new FakeHost());
        using (var shared = Tables("e"))
        {
            var snapshot = RegisterCopier.Read(test.Engine.Register);

            // The copy stops part-way: the audit log never arrives.
            snapshot.AuditLog = Stop(snapshot.AuditLog);
            Assert.Throws<InvalidOperationException>(() => shared.Restore(snapshot, null));
        }

        var error = Assert.Throws<DataShareException>(() => Tables("e"));
        Assert.Equal(("RegisterCopyIncomplete", DataShareErrorCategory.InvalidData), (error.ErrorId, error.Category));
    }

    [Theory]
    [InlineData("UPDATE audit_log SET details = ' ' || details WHERE sequence = 1")]
    [InlineData("UPDATE audit_log SET timestamp = replace(timestamp, 'T', ' ') WHERE sequence = 1")]
    [InlineData("INSERT INTO audit_log SELECT 0, timestamp, actor, machine, action, target_type, target_id, details, previous_hash, hash FROM audit_log WHERE sequence = 1")]
    public void A_source_whose_audit_log_was_changed_outside_the_module_is_not_copied_into_a_clean_looking_one(string tamper)
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), new FakeHost());
        Assert.Equal(1, test.ExecuteRaw(tamper));

        Assert.False(test.Engine.Audit.Test(null, new FakeHost()).IsIntact);
        using var shared = Tables("t");

        var error = Assert.Throws<DataShareException>(() => RegisterCopier.Copy(test.Engine.Register, shared, test.Clock, new FakeHost()));

        Assert.Equal(("AuditEntryUnreadable", DataShareErrorCategory.InvalidData), (error.ErrorId, error.Category));
    }

    private static System.Collections.Generic.IEnumerable<AuditEntry> Stop(System.Collections.Generic.IEnumerable<AuditEntry> entries)
    {
        foreach (var entry in entries)
        {
            yield return entry;
            throw new InvalidOperationException("The copy was stopped.");
        }
    }

    public void Dispose() => test.Dispose();
}
