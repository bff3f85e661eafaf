using System;
using System.Linq;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Dbs;
using DataShareAdmin.Core.Reviews;
using DataShareAdmin.Core.SafePeople;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// DPIAs and reviews (issue 21) on DS1, an active DirectTransfer agreement approved 2026-01-01 with a ready recipient,
/// judged on 2026-06-15, without a DPIA until a test records one.
/// </summary>
public sealed class ReviewServiceTests : TransferTestsBase
{
    public ReviewServiceTests()
        : base(dpia: false)
    {
    }

    private ReviewService Reviews => Engine.Reviews;

    private static DpiaDraft Dpia(string reference = "DPIA-1", string? summary = null) => new()
    {
        AgreementId = "DS1",
        Reference = reference,
        SignedOffOn = new DateTime(2026, 1, 1),
        SignedOffBy = "Data Protection Officer",
        ResidualRisk = ResidualRisk.Medium,
        Mitigations = "Pseudonymised extract",
        PublicSummary = summary,
    };

    private static ReviewDraft Review(ReviewOutcome outcome = ReviewOutcome.Continue, DateTime? on = null) => new()
    {
        AgreementId = "DS1",
        ReviewedOn = on,
        Reviewer = "Panel",
        Outcome = outcome,
        Notes = "Still needed.",
    };

    [Fact]
    public void A_transfer_is_refused_without_a_dpia_and_issued_once_one_is_recorded()
    {
        var error = Refused(Request(), "DpiaMissing");
        Assert.Equal(DataShareErrorCategory.PermissionDenied, error.Category);
        Assert.Contains("Set-DataShareDpia", error.Message, StringComparison.Ordinal);

        Reviews.SetDpia(Dpia(), host);

        Assert.NotNull(Engine.Transfers.Issue(Request(), storage, host));
    }

    [Fact]
    public void A_transfer_is_refused_while_a_review_is_overdue_and_issued_after_the_review()
    {
        Reviews.SetDpia(Dpia(), host);
        Engine.Policy.Set("ReviewIntervalMonths", "3", host);

        var error = Refused(Request(), "ReviewOverdue");
        Assert.Contains("2026-04-01", error.Message, StringComparison.Ordinal);
        Assert.Contains("3 months after approval", error.Message, StringComparison.Ordinal);
        Assert.True(Engine.Reviews.Annotate(Engine.Agreements.Get("DS1")).ReviewOverdue);

        var review = Reviews.Add(Review(), host)!;

        Assert.Equal(new DateTime(2026, 9, 15), review.NextReviewDue);
        Assert.NotNull(Engine.Transfers.Issue(Request(), storage, host));
        var agreement = Engine.Reviews.Annotate(Engine.Agreements.Get("DS1"));
        Assert.Equal((new DateTime(2026, 9, 15), false), (agreement.NextReviewDue, agreement.ReviewOverdue));
    }

    [Fact]
    public void Agreements_needing_attention_are_those_without_a_dpia_or_with_a_review_overdue_until_recorded()
    {
        var missing = Assert.Single(Reviews.NeedingAttention(null));
        Assert.Equal(("DS1", true, false), (missing.AgreementId, missing.IsDpiaMissing, missing.IsOverdue));
        Assert.Contains("Set-DataShareDpia", ReviewService.AttentionWarning(missing), StringComparison.Ordinal);

        Reviews.SetDpia(Dpia(), host);
        Assert.Empty(Reviews.NeedingAttention(null));

        Engine.Policy.Set("ReviewIntervalMonths", "3", host);
        var overdue = Assert.Single(Reviews.NeedingAttention(null));
        Assert.Equal((true, new DateTime(2026, 4, 1)), (overdue.IsOverdue, overdue.NextReviewDue));
        Assert.Contains("2026-04-01", ReviewService.AttentionWarning(overdue), StringComparison.Ordinal);
        Assert.Contains("Add-DataShareReview", ReviewService.AttentionWarning(overdue), StringComparison.Ordinal);
        Assert.Empty(Reviews.NeedingAttention(new DateTime(2026, 3, 31)));

        Reviews.Add(Review(), host);
        Assert.Empty(Reviews.NeedingAttention(null));
    }

    [Fact]
    public void An_agreements_own_interval_overrides_the_policy_and_zero_returns_to_it()
    {
        Engine.Agreements.Update("DS1", new AgreementChanges { ReviewIntervalMonths = 2 }, host);
        Assert.Equal(new DateTime(2026, 3, 1), Reviews.Standing(Engine.Agreements.Get("DS1")).NextReviewDue);

        Engine.Agreements.Update("DS1", new AgreementChanges { ReviewIntervalMonths = 0 }, host);
        Assert.Null(Engine.Agreements.Get("DS1").ReviewIntervalMonths);
        Assert.Equal(new DateTime(2027, 1, 1), Reviews.Standing(Engine.Agreements.Get("DS1")).NextReviewDue);

        var before = test.AuditCount();
        var error = Assert.Throws<DataShareException>(() => Engine.Agreements.Update("DS1", new AgreementChanges { ReviewIntervalMonths = 61 }, host));
        Assert.Equal(("AgreementReviewIntervalInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Equal(before, test.AuditCount());
    }

    [Fact]
    public void A_review_falls_due_early_when_marked_and_a_later_review_answers_it()
    {
        Reviews.SetDpia(Dpia(), host);
        var trigger = Reviews.MarkDue("ds1", "Incident IN-1 (a lost laptop).", "Incident", "IN-1", new DateTime(2026, 6, 1));

        Assert.Equal(("DS1", new DateTime(2026, 6, 1)), (trigger.AgreementId, trigger.DueOn));
        var standing = Reviews.Standing(Engine.Agreements.Get("DS1"));
        Assert.Equal((new DateTime(2026, 6, 1), true), (standing.NextReviewDue, standing.IsOverdue));
        Assert.Contains("lost laptop", standing.DueReason, StringComparison.Ordinal);
        Assert.Contains("lost laptop", Refused(Request(), "ReviewOverdue").Message, StringComparison.Ordinal);
        var entry = Engine.Register.ReadAuditLog(1).Last();
        Assert.Equal(("Agreement.ReviewDue", "DS1", "Incident", "IN-1"), (entry.Action, entry.TargetId, entry.Details["SourceKind"], entry.Details["SourceId"]));

        Reviews.Add(Review(on: new DateTime(2026, 6, 2)), host);

        Assert.False(Reviews.Standing(Engine.Agreements.Get("DS1")).IsOverdue);
        Assert.Equal(new DateTime(2027, 6, 2), Reviews.Standing(Engine.Agreements.Get("DS1")).NextReviewDue);
    }

    [Fact]
    public void A_review_made_the_same_day_answers_a_trigger_only_when_recorded_after_it()
    {
        Reviews.Add(Review(), host);
        test.Clock.UtcNow = test.Clock.UtcNow.AddMinutes(5);
        Reviews.MarkDue("DS1", "A variation of purpose.", "Variation", "VA-1");
        var tomorrow = new DateTime(2026, 6, 16);
        Assert.True(Reviews.Standing(Engine.Agreements.Get("DS1"), tomorrow).IsOverdue);

        test.Clock.UtcNow = test.Clock.UtcNow.AddMinutes(5);
        Reviews.Add(Review(), host);

        Assert.False(Reviews.Standing(Engine.Agreements.Get("DS1"), tomorrow).IsOverdue);
    }

    [Fact]
    public void A_lapsed_security_assessment_makes_the_review_due_the_day_after_it_lapses()
    {
        var standing = Reviews.Standing(Engine.Agreements.Get("DS1"), new DateTime(2027, 2, 5));

        // The samples' assessment of 2026-02-01 is current for 12 months, through 2027-02-01.
        Assert.Equal((new DateTime(2027, 1, 1), true), (standing.NextReviewDue, standing.IsOverdue));
        Reviews.Add(Review(on: new DateTime(2026, 6, 15)), host);
        var later = Reviews.Standing(Engine.Agreements.Get("DS1"), new DateTime(2027, 2, 5));
        Assert.Equal(new DateTime(2027, 2, 2), later.NextReviewDue);
        Assert.Contains("lapsed", later.DueReason, StringComparison.Ordinal);
    }

    [Fact]
    public void New_information_on_a_recipients_certificate_makes_each_of_their_agreements_review_due()
    {
        var dbs = new ScriptedDbsClient(DbsCertificateStatus.NewInfo);
        Engine.Policy.Set("DbsOrganisationName", "Example Council", host);
        Engine.Policy.Set("DbsCheckerForename", "Alex", host);
        Engine.Policy.Set("DbsCheckerSurname", "Checker", host);
        using var online = DataShareEngine.Open(new EngineOptions { RegisterPath = test.Path, Clock = test.Clock, Identity = TestRegister.Identity, DbsClientFactory = _ => dbs });
        var certificate = online.Certificates.Add(jo.Id, new CertificateDraft
        {
            Issuer = "DBS",
            Level = "Enhanced",
            Number = "009876543210",
            IssuedOn = new DateTime(2025, 3, 1),
            HolderName = "Jo Bloggs",
            DateOfBirth = new DateTime(1990, 4, 1),
        }, host)!;

        online.Certificates.Test(certificate, null, online: true, host);

        var trigger = online.Reviews.GetTriggers("DS1").Single();
        Assert.Equal(("Certificate", certificate.Id, new DateTime(2026, 6, 15)), (trigger.SourceKind, trigger.SourceId, trigger.DueOn));
        Assert.Contains(host.Warnings, w => w.Contains("NEW_INFO", StringComparison.Ordinal));
        Assert.True(online.Reviews.Standing(online.Agreements.Get("DS1"), new DateTime(2026, 6, 16)).IsOverdue);
    }

    [Fact]
    public void Dpia_revisions_are_kept_and_the_latest_is_current()
    {
        var first = Reviews.SetDpia(Dpia(), host)!;
        var second = Reviews.SetDpia(Dpia("DPIA-1b", "Pupil attainment, pseudonymised."), host)!;

        Assert.Equal((1, 2), (first.Revision, second.Revision));
        Assert.Equal(new[] { "DPIA-1b" }, Reviews.GetDpias("ds1", allRevisions: false).Select(d => d.Reference));
        var all = Reviews.GetDpias("DS1", allRevisions: true).ToList();
        Assert.Equal(new[] { (1, false), (2, true) }, all.Select(d => (d.Revision, d.IsCurrent)));
        var entry = Engine.Register.ReadAuditLog(1).Last();
        Assert.Equal(("Agreement.Dpia", "2", "DPIA-1b"), (entry.Action, entry.Details["Revision"], entry.Details["Reference"]));
    }

    [Theory]
    [InlineData("Contact jo@example.org for details.")]
    [InlineData("Analysis led by Jo Bloggs.")]
    [InlineData("Dee Pioh signed it off.")]
    public void A_public_summary_with_personal_data_is_refused_and_nothing_written(string summary)
    {
        var before = test.AuditCount();
        var error = Assert.Throws<DataShareException>(() => Reviews.SetDpia(Dpia(summary: summary), host));
        Assert.Equal(("DpiaSummaryPersonalData", DataShareErrorCategory.InvalidData), (error.ErrorId, error.Category));
        Assert.Equal(before, test.AuditCount());
        Assert.Empty(Engine.Register.ListDpias(null));
    }

    [Fact]
    public void Bad_dpias_and_reviews_are_refused_with_specific_ids_and_nothing_written()
    {
        var before = test.AuditCount();
        void Refuses(string id, DataShareErrorCategory category, Action act)
        {
            var error = Assert.Throws<DataShareException>(act);
            Assert.Equal((id, category), (error.ErrorId, error.Category));
        }

        var future = Dpia();
        future.SignedOffOn = new DateTime(2026, 6, 16);
        Refuses("DpiaSignedOffInFuture", DataShareErrorCategory.InvalidArgument, () => Reviews.SetDpia(future, host));
        var blank = Dpia();
        blank.Mitigations = " ";
        Refuses("MitigationsMissing", DataShareErrorCategory.InvalidArgument, () => Reviews.SetDpia(blank, host));
        var unknown = Dpia();
        unknown.AgreementId = "DS404";
        Refuses("AgreementNotFound", DataShareErrorCategory.ObjectNotFound, () => Reviews.SetDpia(unknown, host));
        Refuses("ReviewDateInvalid", DataShareErrorCategory.InvalidArgument, () => Reviews.Add(Review(on: new DateTime(2026, 6, 16)), host));
        Refuses("ReviewDateInvalid", DataShareErrorCategory.InvalidArgument, () => Reviews.Add(Review(on: new DateTime(2025, 12, 31)), host));
        var noReviewer = Review();
        noReviewer.Reviewer = "";
        Refuses("ReviewerMissing", DataShareErrorCategory.InvalidArgument, () => Reviews.Add(noReviewer, host));
        var longNotes = Review();
        longNotes.Notes = new string('x', 4001);
        Refuses("ReviewFieldTooLong", DataShareErrorCategory.LimitsExceeded, () => Reviews.Add(longNotes, host));
        Engine.Agreements.Create(Samples.Agreement("DS2"), host);
        var pending = Review();
        pending.AgreementId = "DS2";
        var beforePending = test.AuditCount();
        Refuses("ReviewAgreementNotApproved", DataShareErrorCategory.InvalidOperation, () => Reviews.Add(pending, host));

        Assert.Equal(beforePending, test.AuditCount());
        Assert.Equal(before + 1, beforePending);
        Assert.Empty(Engine.Register.ListDpias(null));
        Assert.Empty(Engine.Register.ListReviews(null));
    }

    [Fact]
    public void WhatIf_records_nothing()
    {
        var before = test.AuditCount();
        var whatIf = new FakeHost(approve: false);

        Assert.Null(Reviews.SetDpia(Dpia(), whatIf));
        Assert.Null(Reviews.Add(Review(ReviewOutcome.Suspend), whatIf));

        Assert.Equal(before, test.AuditCount());
        Assert.False(Engine.Agreements.Get("DS1").IsSuspended);
    }

    [Fact]
    public void A_review_that_suspends_suspends_the_agreement_and_vary_or_terminate_warn()
    {
        Reviews.SetDpia(Dpia(), host);
        Reviews.Add(Review(ReviewOutcome.Suspend), host);

        Assert.Equal(AgreementStatus.Suspended, Engine.Agreements.Get("DS1").Status);
        Assert.Equal(new[] { "Agreement.Review", "Agreement.Suspend" }, Engine.Register.ReadAuditLog(1).Select(e => e.Action).TakeLast(2));
        Refused(Request(), "TransferAgreementNotActive");

        test.Clock.UtcNow = test.Clock.UtcNow.AddMinutes(1);
        Reviews.Add(Review(ReviewOutcome.Vary), host);
        test.Clock.UtcNow = test.Clock.UtcNow.AddMinutes(1);
        Reviews.Add(Review(ReviewOutcome.Terminate), host);
        Assert.Contains(host.Warnings, w => w.Contains("request a variation", StringComparison.Ordinal));
        Assert.Contains(host.Warnings, w => w.Contains("should end", StringComparison.Ordinal));
        Assert.Equal(new[] { ReviewOutcome.Suspend, ReviewOutcome.Vary, ReviewOutcome.Terminate }, Reviews.GetReviews("DS1").Select(r => r.Outcome));
    }

    [Fact]
    public void The_register_report_flags_an_overdue_review_and_a_missing_dpia_and_shows_the_next_review()
    {
        Engine.Policy.Set("ReviewIntervalMonths", "3", host);
        Engine.Agreements.Create(Samples.Agreement("DS2"), host);

        var rows = Csv();
        string Cell(int row, string column) => rows[row][Array.IndexOf(rows[0], column)];

        Assert.Equal(("DS1", "DS2"), (Cell(1, "reference"), Cell(2, "reference")));
        Assert.Contains("Review overdue since 2026-04-01: no transfers", Cell(1, "flags"), StringComparison.Ordinal);
        Assert.Contains("No DPIA recorded for a direct transfer: no transfers", Cell(1, "flags"), StringComparison.Ordinal);
        Assert.Equal(("2026-04-01", string.Empty), (Cell(1, "nextReviewDue"), Cell(1, "dpia")));
        Assert.Equal((string.Empty, string.Empty), (Cell(2, "flags"), Cell(2, "nextReviewDue")));

        Reviews.SetDpia(Dpia(), host);
        Reviews.Add(Review(), host);

        rows = Csv();
        Assert.Equal((string.Empty, "2026-09-15", "DPIA-1"), (Cell(1, "flags"), Cell(1, "nextReviewDue"), Cell(1, "dpia")));
    }

    private System.Collections.Generic.List<string[]> Csv()
    {
        using var stream = new System.IO.MemoryStream();
        Engine.Reports.Export(ReportKind.Register, ReportFormat.Csv, stream, null, null);
        return ReportTests.ParseCsv(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void An_agreement_not_approved_has_no_review_due()
    {
        Engine.Agreements.Create(Samples.Agreement("DS2"), host);
        var standing = Reviews.Standing(Engine.Agreements.Get("DS2"));
        Assert.Equal(((DateTime?)null, false, true), (standing.NextReviewDue, standing.IsOverdue, standing.IsDpiaMissing));
    }
}
