using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Organisations;
using DataShareAdmin.Core.Reports;

namespace DataShareAdmin.Core.Tests;

/// <summary>Organisations, their security assessments, and the reasons agreements give for sending data directly.</summary>
public sealed class OrganisationServiceTests : IDisposable
{
    private readonly TestRegister test = new(new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();

    private OrganisationService Organisations => test.Engine.Organisations;

    private static DateTime Day(string text) => DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private static SecurityAssessment Assessment(string reference, string assessedOn, string validUntil, AssessmentOutcome outcome, int recordedMinute = 0) => new()
    {
        Reference = reference,
        AssessedOn = Day(assessedOn),
        ValidUntil = Day(validUntil),
        Outcome = outcome,
        RecordedAt = new DateTimeOffset(2026, 1, 1, 0, recordedMinute, 0, TimeSpan.Zero),
    };

    [Fact]
    public void An_organisation_is_stored_trimmed_audited_and_found_by_name_in_any_case_or_by_id()
    {
        var created = Organisations.Create("  Northshire Research Institute ", " 2 Quay Street ", "Pat Officer", " dpo@northshire.example ", host)!;

        Assert.StartsWith("OR-", created.Id, StringComparison.Ordinal);
        Assert.Equal(("Northshire Research Institute", "2 Quay Street", "dpo@northshire.example"), (created.Name, created.Address, created.ProtectionOfficerEmail));
        Assert.Equal(AssessmentState.None, created.AssessmentStatus);
        Assert.Equal(created.Id, Organisations.Get("NORTHSHIRE research institute").Id);
        Assert.Equal(created.Name, Organisations.Get(created.Id.ToLowerInvariant()).Name);
        var entry = test.Engine.Audit.Read(1, e => e.TargetId == created.Id).Single();
        Assert.Equal(("Organisation.Create", "Northshire Research Institute", "Pat Officer"), (entry.Action, entry.Details["Name"], entry.Details["ProtectionOfficerName"]));
    }

    [Theory]
    [InlineData("university of example", null, "OrganisationExists")]
    [InlineData("   ", null, "OrganisationNameInvalid")]
    [InlineData("Line\nbreak", null, "OrganisationNameInvalid")]
    [InlineData("Fine Name", "not-an-email", "OrganisationEmailInvalid")]
    public void Bad_organisations_are_refused_and_write_nothing(string name, string? email, string errorId)
    {
        var error = Assert.Throws<DataShareException>(() => Organisations.Create(name, null, null, email, host));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(errorId == "OrganisationExists" ? DataShareErrorCategory.ResourceExists : DataShareErrorCategory.InvalidArgument, error.Category);
        Assert.Equal(0, test.AuditCount());
        Assert.Single(test.Engine.Register.ListOrganisations());
        Assert.Empty(host.Asked);
    }

    [Fact]
    public void What_if_writes_nothing()
    {
        Assert.Null(Organisations.Create("Somewhere Else", null, null, null, new FakeHost(approve: false)));
        Assert.Null(Organisations.AddAssessment(new AssessmentRequest { Organisation = Samples.OrganisationName, AssessedOn = Day("2026-06-01"), Outcome = AssessmentOutcome.Passed, Reference = "ISQ-1" }, new FakeHost(approve: false)));
        Assert.Null(Organisations.Update(Samples.OrganisationName, new OrganisationChanges { Address = "Elsewhere" }, new FakeHost(approve: false)));
        Assert.Equal(0, test.AuditCount());
        Assert.Empty(test.Engine.Register.ListAssessments(null));
    }

    [Fact]
    public void An_assessment_without_valid_until_lasts_as_long_as_policy_says_and_is_audited()
    {
        var first = Organisations.AddAssessment(new AssessmentRequest { Organisation = Samples.OrganisationName, AssessedOn = Day("2024-02-29"), Outcome = AssessmentOutcome.Passed, Reference = " ISQ-2024-3 " }, host)!;
        Assert.Equal((Day("2025-02-28"), "ISQ-2024-3"), (first.ValidUntil, first.Reference));

        test.Engine.Policy.Set("SecurityAssessmentValidMonths", "24", host);
        var second = Organisations.AddAssessment(new AssessmentRequest { Organisation = Samples.OrganisationName, AssessedOn = Day("2026-05-01"), Outcome = AssessmentOutcome.Passed, Reference = "ISQ-2026-1" }, host)!;
        Assert.Equal(Day("2028-05-01"), second.ValidUntil);

        var entry = test.Engine.Audit.Read(1, e => e.Action == "Organisation.Assessment").Last();
        Assert.Equal((second.OrganisationId, second.Id, "2026-05-01", "2028-05-01", "Passed"),
            (entry.TargetId, entry.Details["AssessmentId"], entry.Details["AssessedOn"], entry.Details["ValidUntil"], entry.Details["Outcome"]));

        var organisation = Organisations.Get(Samples.OrganisationName);
        Assert.Equal(new[] { "ISQ-2024-3", "ISQ-2026-1" }, organisation.Assessments.Select(a => a.Reference));
        Assert.Equal((AssessmentState.Current, Day("2028-05-01")), (organisation.AssessmentStatus, organisation.AssessmentValidUntil));
    }

    [Fact]
    public void Bad_assessments_get_their_own_error_and_write_nothing()
    {
        Organisations.AddAssessment(new AssessmentRequest { Organisation = Samples.OrganisationName, AssessedOn = Day("2026-01-10"), Outcome = AssessmentOutcome.Passed, Reference = "ISQ-1" }, host);
        var before = test.AuditCount();

        void Refused(AssessmentRequest request, string errorId, DataShareErrorCategory category)
        {
            var error = Assert.Throws<DataShareException>(() => Organisations.AddAssessment(request, host));
            Assert.Equal((errorId, category), (error.ErrorId, error.Category));
            Assert.Equal(before, test.AuditCount());
            Assert.Single(test.Engine.Register.ListAssessments(null));
        }

        Refused(new() { Organisation = Samples.OrganisationName, AssessedOn = Day("2026-03-01"), ValidUntil = Day("2026-02-28"), Outcome = AssessmentOutcome.Passed, Reference = "ISQ-2" }, "AssessmentDatesInvalid", DataShareErrorCategory.InvalidArgument);
        Refused(new() { Organisation = Samples.OrganisationName, AssessedOn = Day("2026-06-16"), Outcome = AssessmentOutcome.Passed, Reference = "ISQ-2" }, "AssessmentDateInvalid", DataShareErrorCategory.InvalidArgument);
        Refused(new() { Organisation = "Nobody Ltd", AssessedOn = Day("2026-03-01"), Outcome = AssessmentOutcome.Passed, Reference = "ISQ-2" }, "OrganisationNotFound", DataShareErrorCategory.ObjectNotFound);
        Refused(new() { Organisation = Samples.OrganisationName, AssessedOn = Day("2026-03-01"), Outcome = AssessmentOutcome.Passed, Reference = "isq-1" }, "AssessmentExists", DataShareErrorCategory.ResourceExists);
        Refused(new() { Organisation = Samples.OrganisationName, AssessedOn = Day("2026-03-01"), Outcome = AssessmentOutcome.Passed, Reference = " " }, "AssessmentReferenceMissing", DataShareErrorCategory.InvalidArgument);
        Refused(new() { Organisation = Samples.OrganisationName, AssessedOn = Day("2026-03-01"), Outcome = (AssessmentOutcome)7, Reference = "ISQ-2" }, "AssessmentOutcomeInvalid", DataShareErrorCategory.InvalidArgument);
    }

    [Fact]
    public void The_latest_assessment_made_by_the_day_decides()
    {
        var history = new[]
        {
            Assessment("A", "2025-01-10", "2026-01-10", AssessmentOutcome.Passed),
            Assessment("B", "2025-09-01", "2025-09-01", AssessmentOutcome.Failed),
            Assessment("C", "2025-10-01", "2026-10-01", AssessmentOutcome.Passed),
            Assessment("D", "2025-10-01", "2026-10-01", AssessmentOutcome.Failed, recordedMinute: 5),
        };

        AssessmentVerdict On(string day, int take) => OrganisationRules.Evaluate(history.Take(take), Day(day));

        Assert.Equal(AssessmentState.None, On("2025-01-09", 4).State);
        Assert.Equal((AssessmentState.Current, "A", (DateTime?)Day("2026-01-10")), (On("2025-01-10", 4).State, On("2025-01-10", 4).Deciding!.Reference, On("2025-01-10", 4).ValidUntil));
        Assert.Equal((AssessmentState.Failed, "B"), (On("2025-09-15", 4).State, On("2025-09-15", 4).Deciding!.Reference));
        Assert.Equal((AssessmentState.Current, "C"), (On("2025-10-02", 3).State, On("2025-10-02", 3).Deciding!.Reference));

        // Two made the same day: the one recorded later decides.
        Assert.Equal((AssessmentState.Failed, "D"), (On("2025-10-02", 4).State, On("2025-10-02", 4).Deciding!.Reference));
        Assert.Equal(AssessmentState.Lapsed, On("2026-10-02", 3).State);
        Assert.True(On("2026-06-01", 3).CoversThrough(Day("2026-10-01")));
        Assert.False(On("2026-06-01", 3).CoversThrough(Day("2026-10-02")));
        Assert.False(On("2025-09-15", 4).CoversThrough(Day("2025-09-15")));
    }

    [Fact]
    public void Renaming_carries_the_agreements_with_it_and_a_taken_name_is_refused()
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        Organisations.Create("Other Trust", null, null, null, host);

        var renamed = Organisations.Update(Samples.OrganisationName, new OrganisationChanges { Name = "Example University", Address = "", ProtectionOfficerEmail = "new.dpo@example.ac.uk" }, host)!;

        Assert.Equal(("Example University", null, "new.dpo@example.ac.uk"), (renamed.Name, renamed.Address, renamed.ProtectionOfficerEmail));
        Assert.Equal(new[] { "DS1" }, renamed.AgreementIds);
        Assert.Equal("Example University", test.Engine.Agreements.Get("DS1").Organisation);
        var entry = test.Engine.Audit.Read(1, e => e.Action == "Organisation.Update").Single();
        Assert.Equal("University of Example -> Example University", entry.Details["Name"]);
        Assert.Equal("1 College Road, Exampleton -> (none)", entry.Details["Address"]);

        var before = test.AuditCount();
        var error = Assert.Throws<DataShareException>(() => Organisations.Update("Example University", new OrganisationChanges { Name = "OTHER TRUST" }, host));
        Assert.Equal("OrganisationExists", error.ErrorId);
        Assert.Equal("Example University", Organisations.Update("example university", new OrganisationChanges { Address = string.Empty }, host)!.Name);
        Assert.Equal(before, test.AuditCount());
    }

    [Fact]
    public void An_agreement_names_an_organisation_in_the_register_by_name_or_id()
    {
        var other = Organisations.Create("Other Trust", null, null, null, host)!;
        var request = Samples.Agreement("DS1");
        request.Organisation = "other TRUST";
        Assert.Equal((other.Id, "Other Trust"), (test.Engine.Agreements.Create(request, host)!.OrganisationId, test.Engine.Agreements.Get("DS1").Organisation));

        var byId = Samples.Agreement("DS2");
        byId.Organisation = string.Empty;
        byId.OrganisationId = other.Id;
        Assert.Equal(other.Id, test.Engine.Agreements.Create(byId, host)!.OrganisationId);

        var before = test.AuditCount();
        var unknown = Samples.Agreement("DS3");
        unknown.Organisation = "University of Exampel";
        var error = Assert.Throws<DataShareException>(() => test.Engine.Agreements.Create(unknown, host));
        Assert.Equal(("OrganisationNotFound", DataShareErrorCategory.ObjectNotFound), (error.ErrorId, error.Category));
        Assert.Contains("New-DataShareOrganisation", error.Message, StringComparison.Ordinal);
        error = Assert.Throws<DataShareException>(() => test.Engine.Agreements.Update("DS1", new AgreementChanges { Organisation = "Nobody" }, host));
        Assert.Equal("OrganisationNotFound", error.ErrorId);
        Assert.Equal(before, test.AuditCount());
        Assert.Null(test.Engine.Register.FindAgreement("DS3"));
    }

    [Fact]
    public void A_direct_transfer_agreement_is_approved_only_with_a_justification_which_cannot_then_be_taken_away()
    {
        var request = Samples.Agreement("DS1");
        request.DirectTransferJustification = "  ";
        test.Engine.Agreements.Create(request, host);
        var before = test.AuditCount();

        var error = Assert.Throws<DataShareException>(() => test.Engine.Agreements.Approve("DS1", "DSAP-1", Day("2026-06-01"), Samples.Decision(), host));
        Assert.Equal(("AgreementJustificationMissing", DataShareErrorCategory.InvalidOperation), (error.ErrorId, error.Category));
        Assert.Equal(before, test.AuditCount());
        Assert.Null(test.Engine.Register.FindAgreement("DS1")!.ApprovedOn);

        Samples.Vary(test.Engine, "DS1", new AgreementChanges { DirectTransferJustification = "Needs linkage the service cannot host." }, host);
        test.Engine.Agreements.Approve("DS1", "DSAP-1", Day("2026-06-01"), Samples.Decision(), host);
        before = test.AuditCount();
        error = Assert.Throws<DataShareException>(() => test.Engine.Agreements.Update("DS1", new AgreementChanges { DirectTransferJustification = string.Empty }, host));
        Assert.Equal("AgreementJustificationMissing", error.ErrorId);

        // An approved secure-research-service agreement cannot be moved to direct transfer without one either.
        var srs = Samples.Agreement("DS2");
        srs.AccessRoute = AccessRoute.SecureResearchService;
        srs.DirectTransferJustification = null;
        test.Engine.Agreements.Create(srs, host);
        test.Engine.Agreements.Approve("DS2", "DSAP-2", Day("2026-06-01"), Samples.Decision(), host);
        before = test.AuditCount();
        error = Assert.Throws<DataShareException>(() => test.Engine.Agreements.Update("DS2", new AgreementChanges { AccessRoute = AccessRoute.DirectTransfer }, host));
        Assert.Equal("AgreementJustificationMissing", error.ErrorId);
        Assert.Equal(before, test.AuditCount());
        Assert.Equal(AccessRoute.SecureResearchService, test.Engine.Agreements.Get("DS2").AccessRoute);
    }

    [Fact]
    public void An_agreement_approved_without_a_justification_can_still_be_changed_in_other_ways()
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        test.Engine.Agreements.Approve("DS1", "DSAP-1", Day("2026-06-01"), Samples.Decision(), host);
        var legacy = test.Engine.Register.FindAgreement("DS1")!;
        legacy.DirectTransferJustification = null;
        test.Engine.Register.UpdateAgreement(legacy, new AuditEvent("Test.Legacy", "Agreement", "DS1"));

        var changed = test.Engine.Agreements.Update("DS1", new AgreementChanges { Title = "Attainment gaps, phase 2" }, host)!;
        Assert.Equal((AgreementStatus.Active, "Attainment gaps, phase 2"), (changed.Status, changed.Title));
    }

    [Fact]
    public void Readiness_reports_the_organisation_s_assessment_which_counts_only_for_direct_transfer()
    {
        var direct = Samples.Agreement("DS1");
        var srs = Samples.Agreement("DS2");
        srs.AccessRoute = AccessRoute.SecureResearchService;
        test.Engine.Agreements.Create(direct, host);
        test.Engine.Agreements.Create(srs, host);
        var one = test.Engine.Recipients.Add("DS1", "Jo Bloggs", "jo@example.org", null, host)!;
        var two = test.Engine.Recipients.Add("DS2", "Jo Bloggs", "jo@example.org", null, host)!;

        var directCheck = test.Engine.Readiness.Test(one, null, null).Checks.Single(c => c.Name == "Organisation");
        var srsCheck = test.Engine.Readiness.Test(two, null, null).Checks.Single(c => c.Name == "Organisation");

        Assert.False(directCheck.Passed);
        Assert.Contains("No security assessment", directCheck.Reason, StringComparison.Ordinal);
        Assert.True(srsCheck.Passed);
        Assert.StartsWith("Not required", srsCheck.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_organisations_report_lists_assessments_and_agreements_soonest_lapsing_first()
    {
        var late = Organisations.Create("Zeta Institute", null, null, null, host)!;
        var none = Organisations.Create("Alpha Trust", null, null, null, host)!;
        Organisations.AddAssessment(new AssessmentRequest { Organisation = late.Id, AssessedOn = Day("2026-05-01"), ValidUntil = Day("2027-05-01"), Outcome = AssessmentOutcome.Passed, Reference = "Z-1" }, host);
        Organisations.AddAssessment(new AssessmentRequest { Organisation = Samples.OrganisationName, AssessedOn = Day("2025-08-01"), ValidUntil = Day("2026-08-01"), Outcome = AssessmentOutcome.Passed, Reference = "=U-1" }, host);
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), host);

        var rows = Csv(ReportKind.Organisations, null);
        Assert.Equal(new[] { "Alpha Trust", "University of Example", "Zeta Institute" }, rows.Skip(1).Select(r => r[0]));
        var header = rows[0];
        var example = rows[2];
        Assert.Equal("Current", example[Array.IndexOf(header, "assessmentStatus")]);
        Assert.Equal("2026-08-01", example[Array.IndexOf(header, "assessmentValidUntil")]);
        Assert.Equal("'=U-1", example[Array.IndexOf(header, "latestReference")]);
        Assert.Equal("DS1 (Pending, DirectTransfer)", example[Array.IndexOf(header, "agreements")]);
        Assert.Equal("None", rows[1][Array.IndexOf(header, "assessmentStatus")]);

        // Limited to agreements: only the organisations holding them.
        Assert.Equal(new[] { "University of Example" }, Csv(ReportKind.Organisations, new[] { "DS1" }).Skip(1).Select(r => r[0]));
        Assert.NotNull(none);
    }

    [Fact]
    public void The_register_report_shows_the_justification_and_assessment_and_flags_what_blocks_transfers()
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        test.Engine.Agreements.Approve("DS1", "DSAP-1", Day("2026-06-01"), Samples.Decision(), host);
        var legacy = test.Engine.Register.FindAgreement("DS1")!;
        legacy.DirectTransferJustification = null;
        test.Engine.Register.UpdateAgreement(legacy, new AuditEvent("Test.Legacy", "Agreement", "DS1"));
        test.Engine.Agreements.Create(Samples.Agreement("DS2"), host);
        Organisations.AddAssessment(new AssessmentRequest { Organisation = Samples.OrganisationName, AssessedOn = Day("2025-01-01"), ValidUntil = Day("2026-01-01"), Outcome = AssessmentOutcome.Passed, Reference = "ISQ-OLD" }, host);

        var rows = Csv(ReportKind.Register, null);
        var header = rows[0];
        string Cell(int row, string column) => rows[row][Array.IndexOf(header, column)];

        Assert.Equal("Lapsed (ISQ-OLD, passed 2025-01-01)", Cell(1, "securityAssessment"));
        Assert.Equal(string.Empty, Cell(1, "assessmentValidUntil"));
        Assert.Equal(string.Empty, Cell(1, "directTransferJustification"));
        Assert.Contains("approved, but no transfers until one is recorded", Cell(1, "flags"), StringComparison.Ordinal);
        Assert.Contains("security assessment lapsed", Cell(1, "flags"), StringComparison.Ordinal);
        Assert.Equal(Samples.Agreement().DirectTransferJustification, Cell(2, "directTransferJustification"));
        Assert.DoesNotContain("justification", Cell(2, "flags"), StringComparison.Ordinal);
    }

    private List<string[]> Csv(ReportKind kind, ICollection<string>? agreements)
    {
        using var stream = new MemoryStream();
        test.Engine.Reports.Export(kind, ReportFormat.Csv, stream, null, agreements);
        return ReportTests.ParseCsv(Encoding.UTF8.GetString(stream.ToArray()));
    }

    public void Dispose() => test.Dispose();
}
