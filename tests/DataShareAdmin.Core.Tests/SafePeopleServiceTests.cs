using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DataShareAdmin.Core.Dbs;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.SafePeople;

namespace DataShareAdmin.Core.Tests;

/// <summary>A DBS client that answers from a script and records how often it was asked.</summary>
internal sealed class ScriptedDbsClient : IDbsStatusClient
{
    public ScriptedDbsClient(DbsCertificateStatus status) => Status = status;

    public DbsCertificateStatus Status { get; set; }

    public int Calls { get; private set; }

    public DbsStatusRequest? LastRequest { get; private set; }

    public Task<DbsStatusResult> CheckAsync(DbsStatusRequest request, CancellationToken cancellationToken)
    {
        Calls++;
        LastRequest = request;
        var text = Status switch
        {
            DbsCertificateStatus.BlankNoNewInfo => "BLANK_NO_NEW_INFO",
            DbsCertificateStatus.NonBlankNoNewInfo => "NON_BLANK_NO_NEW_INFO",
            DbsCertificateStatus.NewInfo => "NEW_INFO",
            _ => "NO_MATCH_FOUND",
        };
        return Task.FromResult(new DbsStatusResult(Status, text));
    }
}

public sealed class SafePeopleServiceTests : IDisposable
{
    private readonly TestRegister test = new(new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();
    private readonly ScriptedDbsClient dbs = new(DbsCertificateStatus.BlankNoNewInfo);
    private readonly DataShareEngine engine;
    private readonly DataShareRecipient jo;

    public SafePeopleServiceTests()
    {
        test.Engine.Dispose();
        engine = DataShareEngine.Open(new EngineOptions
        {
            RegisterPath = test.Path,
            Clock = test.Clock,
            Identity = TestRegister.Identity,
            DbsClientFactory = _ => dbs,
        });
        Samples.AddOrganisation(engine, assessedOn: "2026-02-01", validUntil: "2027-12-31");
        engine.Agreements.Create(Samples.Agreement("DS1", "2026-01-01", "2026-12-31"), host);
        engine.Agreements.Approve("DS1", "R", new DateTime(2026, 1, 1), Samples.Decision(), host);
        jo = engine.Recipients.Add("DS1", "Jo Bloggs", "jo@example.org", null, host)!;
    }

    private long AuditCount() => engine.Register.ReadAuditHead()?.Sequence ?? 0;

    private CertificateDraft Draft(string number = "001234567890", string issued = "2025-03-01", string level = "Enhanced") => new()
    {
        Issuer = "DBS",
        Level = level,
        Number = number,
        IssuedOn = DateTime.Parse(issued, System.Globalization.CultureInfo.InvariantCulture),
        HolderName = "Jo Bloggs",
        DateOfBirth = new DateTime(1990, 4, 1),
    };

    [Fact]
    public void A_certificate_is_recorded_for_the_person_with_who_saw_it_and_is_audited_without_personal_details()
    {
        var added = engine.Certificates.Add(jo.Id, Draft(), host)!;

        Assert.Equal(("001234567890", jo.PersonId, "tester", new DateTime(2026, 6, 15)), (added.Number, added.PersonId, added.SeenOriginalBy, added.SeenOriginalOn));
        var stored = engine.Certificates.Find("jo@example.org").Single();
        Assert.Equal(("001234567890", CertificateLevel.Enhanced, new DateTime(1990, 4, 1)), (stored.Number, stored.Level, stored.DateOfBirth!.Value));
        var entry = engine.Audit.Read(1, e => e.Action == "Certificate.Add").Single();
        Assert.Equal("…7890", entry.Details["Number"]);
        Assert.DoesNotContain(entry.Details.Values, v => v.Contains("1990", StringComparison.Ordinal) || v.Contains("001234567890", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("01234567890", "2025-03-01", "Enhanced", "CertificateNumberInvalid")]
    [InlineData("001234567890", "2026-06-16", "Enhanced", "CertificateIssueDateInvalid")]
    [InlineData("001234567890", "2025-03-01", "Gold", "CertificateLevelInvalid")]
    public void Bad_certificates_are_refused_and_nothing_is_written(string number, string issued, string level, string errorId)
    {
        var before = AuditCount();
        var error = Assert.Throws<DataShareException>(() => engine.Certificates.Add(jo.Id, Draft(number, issued, level), host));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(before, AuditCount());
        Assert.Empty(engine.Certificates.Find(null));
    }

    [Fact]
    public void The_same_issuer_and_number_is_the_same_certificate()
    {
        engine.Certificates.Add(jo.Id, Draft(), host);
        Assert.Equal("CertificateExists", Assert.Throws<DataShareException>(() => engine.Certificates.Add("jo@example.org", Draft(), host)).ErrorId);
    }

    [Fact]
    public void Corrections_and_removals_are_audited_and_declining_writes_nothing()
    {
        var added = engine.Certificates.Add(jo.Id, Draft(), host)!;
        var corrected = engine.Certificates.Update(added.Id.ToLowerInvariant(), new CertificateChanges { IssuedOn = new DateTime(2025, 4, 1), DateOfBirth = new DateTime(1990, 4, 2) }, host)!;
        Assert.Equal(new DateTime(2025, 4, 1), corrected.IssuedOn);
        var update = engine.Audit.Read(1, e => e.Action == "Certificate.Update").Single();
        Assert.Equal(("2025-03-01 -> 2025-04-01", "changed"), (update.Details["IssuedOn"], update.Details["DateOfBirth"]));

        var before = AuditCount();
        host.Approve = false;
        Assert.Null(engine.Certificates.Remove(added.Id, "typo", host));
        Assert.Equal(before, AuditCount());
        host.Approve = true;
        engine.Certificates.Remove(added.Id, "Recorded against the wrong person", host);
        Assert.Empty(engine.Certificates.Find(null));
        Assert.Equal("Recorded against the wrong person", engine.Audit.Read(1, e => e.Action == "Certificate.Remove").Single().Details["Reason"]);
    }

    [Fact]
    public void A_ready_recipient_passes_every_check_and_is_ready_until_the_certificate_lapses()
    {
        engine.Certificates.Add(jo.Id, Draft(issued: "2025-03-01"), host);
        engine.Recipients.Update(jo.Id, new RecipientChanges { DeclarationSignedOn = new DateTime(2026, 1, 10), TrainingCompletedOn = new DateTime(2025, 12, 1) }, host);

        var result = engine.Readiness.Test(engine.Recipients.Get(jo.Id), null, null);

        Assert.True(result.IsReady, string.Join("; ", result.Checks.Select(c => c.ToString())));
        Assert.Equal(new DateTime(2027, 3, 1), result.ReadyUntil);
        Assert.False(result.Warning);
        Assert.Equal(new[] { "Certificate", "Declaration", "Training", "Organisation" }, result.Checks.Select(c => c.Name));
        Assert.Equal(new DateTime(2027, 12, 31), result.Checks[3].ValidUntil);
        Assert.Contains("ISQ-2026-02-01", result.Checks[3].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recipient_missing_things_fails_with_reasons_for_each()
    {
        var result = engine.Readiness.Test(engine.Recipients.Get(jo.Id), null, null);

        Assert.False(result.IsReady);
        Assert.Null(result.ReadyUntil);
        Assert.Equal(new[] { "Certificate", "Declaration", "Training" }, result.FailedChecks);
        Assert.Contains("No disclosure certificate", result.Checks[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_best_current_certificate_counts_and_a_lapsed_one_is_explained()
    {
        engine.Recipients.Update(jo.Id, new RecipientChanges { DeclarationSignedOn = new DateTime(2026, 1, 10), TrainingCompletedOn = new DateTime(2025, 12, 1) }, host);
        engine.Certificates.Add(jo.Id, Draft("000000000001", "2023-01-01"), host);

        var lapsed = engine.Readiness.Test(engine.Recipients.Get(jo.Id), null, null);
        Assert.Equal(new[] { "Certificate" }, lapsed.FailedChecks);
        Assert.Contains("acceptable through 2025-01-01", lapsed.Checks[0].Reason, StringComparison.Ordinal);

        engine.Certificates.Add(jo.Id, Draft("000000000002", "2025-06-01"), host);
        engine.Certificates.Add(jo.Id, Draft("000000000003", "2025-01-01"), host);
        var ready = engine.Readiness.Test(engine.Recipients.Get(jo.Id), null, null);
        Assert.True(ready.IsReady);
        Assert.Equal(new DateTime(2027, 6, 1), ready.ReadyUntil);
    }

    [Fact]
    public void Warnings_come_within_the_window_or_before_the_agreement_ends()
    {
        engine.Recipients.Update(jo.Id, new RecipientChanges { DeclarationSignedOn = new DateTime(2026, 1, 10), TrainingCompletedOn = new DateTime(2025, 12, 1) }, host);
        engine.Certificates.Add(jo.Id, Draft(issued: "2024-07-01"), host);
        var recipient = engine.Recipients.Get(jo.Id);

        var soon = engine.Readiness.Test(recipient, null, 30);
        Assert.True(soon.IsReady);
        Assert.Equal(new DateTime(2026, 7, 1), soon.ReadyUntil);
        Assert.True(soon.Warning);
        Assert.Contains("16 days", soon.WarningReason, StringComparison.Ordinal);

        var beforeEnd = engine.Readiness.Test(recipient, null, 5);
        Assert.True(beforeEnd.Warning);
        Assert.Contains("before agreement DS1 ends on 2026-12-31", beforeEnd.WarningReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Policy_can_relax_the_declaration_and_make_training_lapse()
    {
        engine.Certificates.Add(jo.Id, Draft(issued: "2025-03-01"), host);
        engine.Recipients.Update(jo.Id, new RecipientChanges { TrainingCompletedOn = new DateTime(2025, 7, 1) }, host);
        engine.Policy.Set("DeclarationRequired", "false", host);
        engine.Policy.Set("TrainingMaxAgeMonths", "12", host);

        using var fresh = DataShareEngine.Open(new EngineOptions { RegisterPath = test.Path, Clock = test.Clock, Identity = TestRegister.Identity });
        var result = fresh.Readiness.Test(fresh.Recipients.Get(jo.Id), null, 0);

        Assert.True(result.IsReady);
        Assert.DoesNotContain(result.Checks, c => c.Name == "Declaration");
        Assert.Equal(new DateTime(2026, 7, 1), result.ReadyUntil);
        var lapsed = fresh.Readiness.Test(fresh.Recipients.Get(jo.Id), new DateTime(2026, 7, 2), 0);
        Assert.Equal(new[] { "Training" }, lapsed.FailedChecks);
    }

    [Fact]
    public void Online_checks_fail_on_new_information_and_never_extend_the_age_limit()
    {
        engine.Policy.Set("DbsOrganisationName", "Example Council", host);
        engine.Policy.Set("DbsCheckerForename", "Alex", host);
        engine.Policy.Set("DbsCheckerSurname", "Checker", host);
        using var online = DataShareEngine.Open(new EngineOptions { RegisterPath = test.Path, Clock = test.Clock, Identity = TestRegister.Identity, DbsClientFactory = _ => dbs });
        var certificate = online.Certificates.Add(jo.Id, Draft(issued: "2025-03-01"), host)!;

        var clear = online.Certificates.Test(certificate, null, online: true, host);
        Assert.True(clear.IsValid);
        Assert.Equal("BLANK_NO_NEW_INFO", clear.OnlineStatus);
        Assert.Equal(("001234567890", "Bloggs", "Example Council", new DateTime(1990, 4, 1)), (dbs.LastRequest!.CertificateNumber, dbs.LastRequest.Surname, dbs.LastRequest.OrganisationName, dbs.LastRequest.DateOfBirth));

        var lapsed = online.Certificates.Test(certificate, new DateTime(2027, 3, 2), online: true, host);
        Assert.False(lapsed.IsValid);

        dbs.Status = DbsCertificateStatus.NewInfo;
        var newInfo = online.Certificates.Test(certificate, null, online: true, host);
        Assert.False(newInfo.IsValid);
        Assert.Contains("NEW_INFO", newInfo.Reason, StringComparison.Ordinal);
        Assert.Equal("NEW_INFO", online.Certificates.Get(certificate.Id).OnlineStatus);
        Assert.Equal(3, online.Audit.Read(1, e => e.Action == "Certificate.OnlineCheck").Count());
    }

    [Fact]
    public void A_read_only_register_can_still_check_online_without_recording_the_answer()
    {
        engine.Policy.Set("DbsOrganisationName", "Example Council", host);
        engine.Policy.Set("DbsCheckerForename", "Alex", host);
        engine.Policy.Set("DbsCheckerSurname", "Checker", host);
        var certificate = engine.Certificates.Add(jo.Id, Draft(), host)!;
        var before = AuditCount();

        using var reader = DataShareEngine.Open(new EngineOptions { RegisterPath = test.Path, ReadOnly = true, Clock = test.Clock, Identity = TestRegister.Identity, DbsClientFactory = _ => dbs });
        var result = reader.Certificates.Test(reader.Certificates.Get(certificate.Id), null, online: true, host);

        Assert.Equal("BLANK_NO_NEW_INFO", result.OnlineStatus);
        Assert.Single(host.Warnings);
        Assert.Null(engine.Certificates.Get(certificate.Id).OnlineStatus);
        Assert.Equal(before, AuditCount());
    }

    [Fact]
    public void Basic_and_non_dbs_certificates_are_not_checked_online_and_say_so()
    {
        var basic = engine.Certificates.Add(jo.Id, Draft(level: "Basic"), host)!;
        var result = engine.Certificates.Test(basic, null, online: true, host);
        Assert.Equal("NotAvailable", result.OnlineStatus);
        Assert.Contains("basic certificates cannot be checked", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, dbs.Calls);
    }

    [Fact]
    public void Online_checks_need_the_checkers_details_in_policy()
    {
        var certificate = engine.Certificates.Add(jo.Id, Draft(), host)!;
        var error = Assert.Throws<DataShareException>(() => engine.Certificates.Test(certificate, null, online: true, host));
        Assert.Equal("DbsCheckNotConfigured", error.ErrorId);
        Assert.Equal(0, dbs.Calls);
    }

    public void Dispose()
    {
        engine.Dispose();
        test.Dispose();
    }
}
