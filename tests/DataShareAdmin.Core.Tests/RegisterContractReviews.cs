using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.Core.Tests;

/// <summary>DPIA revisions, reviews and review triggers: written once with their audit entry, read in order, per agreement or all.</summary>
public abstract partial class RegisterContract
{
    private static readonly DateTimeOffset ReviewClock = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Dpia_revisions_are_kept_in_order_and_a_revision_taken_twice_is_refused_unwritten()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        register.InsertAgreement(Agreement("DS2"), Event("Agreement.Create", "DS2"));
        register.InsertDpia(Dpia("DP-0000000002", "DS1", 2, "DPIA-1b"), Event("Agreement.Dpia", "DS1"));
        register.InsertDpia(Dpia("DP-0000000001", "DS1", 1, "DPIA-1"), Event("Agreement.Dpia", "DS1"));
        register.InsertDpia(Dpia("DP-0000000003", "DS2", 1, "DPIA-2"), Event("Agreement.Dpia", "DS2"));
        var before = register.ReadAuditHead()!.Sequence;

        var error = Assert.Throws<DataShareException>(() => register.InsertDpia(Dpia("DP-0000000009", "DS1", 2, "again"), Event("Agreement.Dpia", "DS1")));

        Assert.Equal("DpiaRevisionExists", error.ErrorId);
        Assert.Equal(before, register.ReadAuditHead()!.Sequence);
        Assert.Equal(new[] { 1, 2 }, register.ListDpias("DS1").Select(d => d.Revision));
        Assert.Equal(new[] { "DPIA-1", "DPIA-1b", "DPIA-2" }, register.ListDpias(null).Select(d => d.Reference));
        var read = register.ListDpias("ds1").Last();
        Assert.Equal(("DP-0000000002", new DateTime(2026, 5, 1), "DPO", ResidualRisk.Medium, "Pseudonymised", "Pupil data, pseudonymised.", ReviewClock, "tester"),
            (read.Id, read.SignedOffOn, read.SignedOffBy, read.ResidualRisk, read.Mitigations, read.PublicSummary, read.RecordedAt, read.RecordedBy));
        Assert.Equal("Agreement.Dpia", register.ReadAuditLog(1).Last().Action);
    }

    [Fact]
    public void Reviews_and_triggers_are_read_by_agreement_in_day_order()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        register.InsertAgreement(Agreement("DS2"), Event("Agreement.Create", "DS2"));
        register.InsertReview(Review("RV-0000000002", "DS1", new DateTime(2026, 5, 1), ReviewOutcome.Suspend), Event("Agreement.Review", "DS1"));
        register.InsertReview(Review("RV-0000000001", "DS1", new DateTime(2026, 2, 1), ReviewOutcome.Continue), Event("Agreement.Review", "DS1"));
        register.InsertReview(Review("RV-0000000003", "DS2", new DateTime(2026, 1, 1), ReviewOutcome.Vary), Event("Agreement.Review", "DS2"));
        register.InsertReviewTrigger(Trigger("RT-0000000001", "DS2", new DateTime(2026, 4, 2)), Event("Agreement.ReviewDue", "DS2"));
        register.InsertReviewTrigger(Trigger("RT-0000000002", "DS1", new DateTime(2026, 4, 1)), Event("Agreement.ReviewDue", "DS1"));

        Assert.Equal(new[] { "RV-0000000001", "RV-0000000002" }, register.ListReviews("ds1").Select(r => r.Id));
        Assert.Equal(new[] { "RV-0000000001", "RV-0000000002", "RV-0000000003" }, register.ListReviews(null).Select(r => r.Id));
        var review = register.ListReviews("DS1").Last();
        Assert.Equal((new DateTime(2026, 5, 1), "Panel", ReviewOutcome.Suspend, "a note", new DateTime(2027, 5, 1), ReviewClock),
            (review.ReviewedOn, review.Reviewer, review.Outcome, review.Notes, review.NextReviewDue, review.RecordedAt));
        Assert.Equal(new[] { "RT-0000000002", "RT-0000000001" }, register.ListReviewTriggers(null).Select(t => t.Id));
        var trigger = register.ListReviewTriggers("DS2").Single();
        Assert.Equal(("An incident.", "Incident", "IN-1", new DateTime(2026, 4, 2)), (trigger.Reason, trigger.SourceKind, trigger.SourceId, trigger.DueOn));
        Assert.Equal("Agreement.ReviewDue", register.ReadAuditLog(1).Last().Action);
    }

    [Fact]
    public void An_agreements_review_interval_is_written_and_cleared()
    {
        var register = New();
        var agreement = Agreement("DS1");
        agreement.ReviewIntervalMonths = 6;
        register.InsertAgreement(agreement, Event("Agreement.Create", "DS1"));
        Assert.Equal(6, register.FindAgreement("DS1")!.ReviewIntervalMonths);

        var read = register.FindAgreement("DS1")!;
        read.ReviewIntervalMonths = null;
        register.UpdateAgreement(read, Event("Agreement.Update", "DS1"));
        Assert.Null(register.ListAgreements().Single().ReviewIntervalMonths);
    }

    private static DataShareDpia Dpia(string id, string agreementId, int revision, string reference) => new()
    {
        Id = id,
        AgreementId = agreementId,
        Revision = revision,
        Reference = reference,
        SignedOffOn = new DateTime(2026, 5, 1),
        SignedOffBy = "DPO",
        ResidualRisk = ResidualRisk.Medium,
        Mitigations = "Pseudonymised",
        PublicSummary = "Pupil data, pseudonymised.",
        RecordedAt = ReviewClock,
        RecordedBy = "tester",
    };

    private static DataShareReview Review(string id, string agreementId, DateTime on, ReviewOutcome outcome) => new()
    {
        Id = id,
        AgreementId = agreementId,
        ReviewedOn = on,
        Reviewer = "Panel",
        Outcome = outcome,
        Notes = "a note",
        NextReviewDue = on.AddMonths(12),
        RecordedAt = ReviewClock,
        RecordedBy = "tester",
    };

    private static ReviewTrigger Trigger(string id, string agreementId, DateTime due) => new()
    {
        Id = id,
        AgreementId = agreementId,
        Reason = "An incident.",
        SourceKind = "Incident",
        SourceId = "IN-1",
        DueOn = due,
        RecordedAt = ReviewClock,
        RecordedBy = "tester",
    };
}
