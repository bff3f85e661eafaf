using System;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Register;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The schema that adds DPIAs and reviews, on the committed version 7 register: its agreements have none, approved ones
/// have their first review due the interval after approval (so long-approved ones are overdue), and they take both.
/// </summary>
public sealed class RegisterUpgradeReviewTests : IDisposable
{
    /// <summary>SQL that takes a current register back to before the reviews schema (for tests that fake an older file).</summary>
    public const string UndoReviewSchema = """
        DROP TABLE review_triggers;
        DROP TABLE reviews;
        DROP TABLE dpias;
        ALTER TABLE agreements DROP COLUMN review_interval_months;
        """;

    private readonly TestRegister test = new(new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void An_upgraded_register_has_no_dpias_or_reviews_and_first_reviews_fall_due_from_approval()
    {
        var copy = Path.Combine(test.Directory, "v7.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", "register-v7.db"), copy);

        using var engine = DataShareEngine.Open(new EngineOptions { RegisterPath = copy, Clock = test.Clock, Identity = TestRegister.Identity });
        Assert.Equal(SqliteSchema.CurrentVersion, engine.Register.Info.SchemaVersion);
        Assert.Empty(engine.Register.ListDpias(null));
        Assert.Empty(engine.Register.ListReviews(null));
        Assert.Empty(engine.Register.ListReviewTriggers(null));
        var approved = engine.Register.ListAgreements().Where(a => a.ApprovedOn is not null && a.DestroyedOn is null).ToList();
        Assert.NotEmpty(approved);
        foreach (var agreement in approved)
        {
            Assert.Null(agreement.ReviewIntervalMonths);
            var standing = engine.Reviews.Standing(agreement);
            Assert.Equal(agreement.ApprovedOn!.Value.AddMonths(12), standing.NextReviewDue);
            Assert.Equal(engine.Calendar.Today > standing.NextReviewDue, standing.IsOverdue);
            Assert.Equal(agreement.AccessRoute == AccessRoute.DirectTransfer, standing.IsDpiaMissing);
        }

        var first = approved.First(a => a.ApprovedOn <= engine.Calendar.Today);
        Samples.AddDpia(engine, first.Id);
        engine.Reviews.Add(new Reviews.ReviewDraft { AgreementId = first.Id, Reviewer = "Panel", Outcome = ReviewOutcome.Continue }, new FakeHost());
        var after = engine.Reviews.Standing(engine.Agreements.Get(first.Id));
        Assert.Equal((false, false, new DateTime(2027, 6, 15)), (after.IsOverdue, after.IsDpiaMissing, after.NextReviewDue));
        Assert.True(engine.Audit.Test(null, new FakeHost()).IsIntact);
    }

    public void Dispose() => test.Dispose();
}
