using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Retention;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Holds past the due day: a held holding is in the plan as Held (with why and until when), never swept — not even
/// when its id is asked for — until the hold's day, or until the hold is lifted; each refusal has its id and category
/// and writes nothing.
/// </summary>
public sealed class RetentionHoldTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 8, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly TestRegister test = new(Now);
    private readonly FakeHost host = new();
    private readonly List<DataShareException> errors = new();

    public RetentionHoldTests()
    {
        // ENDED ended on 30 June and keeps nothing after: due since 1 July. ACTIVE is due on 1 January 2027.
        foreach (var (id, ends) in new[] { ("ENDED", "2026-06-30"), ("ACTIVE", "2026-12-31") })
        {
            var agreement = Samples.Agreement(id, "2026-01-01", ends);
            agreement.RetentionDays = 0;
            Engine.Agreements.Create(agreement, host);
        }
    }

    private DataShareEngine Engine => test.Engine;

    private string Folder(string name)
    {
        var folder = Path.Combine(test.Directory, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "pupils.csv"), "upn\n");
        return folder;
    }

    private List<DestructionRecord> Sweep(params string[] ids) =>
        Engine.Retention.Sweep(new SweepOptions { HoldingIds = ids.Length == 0 ? null : ids }, _ => null, host, errors.Add).ToList();

    private static RetentionHoldRequest Hold(string id, string until, string reason = "complaint under investigation", string approvedBy = "Dana Officer") => new()
    {
        HoldingId = id, Reason = reason, ApprovedBy = approvedBy, Until = DateTime.Parse(until, System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public void A_held_holding_is_planned_as_held_and_never_swept_until_its_day_even_when_asked_for_by_id()
    {
        var kept = Engine.Retention.Register("ENDED", Folder("kept"), host)!;
        var other = Engine.Retention.Register("ENDED", Folder("other"), host)!;
        var hold = Engine.Holds.Add(Hold(kept.Id, "2026-09-15"), host)!;
        Assert.Equal((true, new DateTime(2026, 9, 15), new DateTime(2026, 7, 1)), (hold.Active, hold.Until, hold.DueOn));

        var plan = Engine.Retention.Plan(null).ToDictionary(p => p.HoldingId);
        Assert.Equal((RetentionPlanState.Held, (DateTime?)new DateTime(2026, 9, 15)), (plan[kept.Id].State, plan[kept.Id].HeldUntil));
        Assert.Contains("complaint under investigation", plan[kept.Id].Reason, StringComparison.Ordinal);
        Assert.Contains("2026-09-15", plan[kept.Id].Reason, StringComparison.Ordinal);
        Assert.Equal((RetentionPlanState.Due, null), (plan[other.Id].State, plan[other.Id].HeldUntil));

        Assert.Empty(Sweep(kept.Id));
        var refused = Assert.Single(errors);
        Assert.Equal(("HoldingHeld", DataShareErrorCategory.InvalidOperation, (object?)kept.Id), (refused.ErrorId, refused.Category, refused.Target));
        errors.Clear();

        Assert.Equal(new[] { other.Id }, Sweep().Select(r => r.HoldingId));
        Assert.Empty(errors);
        Assert.True(File.Exists(Path.Combine(kept.Location, "pupils.csv")));
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(kept.Id)!.State);

        // The day before the hold's day it still keeps the holding; on that day the holding is due again.
        test.Clock.UtcNow = new DateTimeOffset(2026, 9, 14, 12, 0, 0, TimeSpan.Zero);
        Assert.Empty(Sweep(kept.Id));
        Assert.Equal("HoldingHeld", Assert.Single(errors).ErrorId);
        errors.Clear();
        test.Clock.UtcNow = new DateTimeOffset(2026, 9, 15, 12, 0, 0, TimeSpan.Zero);
        var item = Assert.Single(Engine.Retention.Plan(null));
        Assert.Equal((RetentionPlanState.Due, new DateTime(2026, 9, 15), 0), (item.State, item.DueOn, item.DaysOverdue));
        Assert.Contains("hold ended", item.Reason, StringComparison.Ordinal);
        Assert.Equal(DestructionOutcome.Destroyed, Assert.Single(Sweep(kept.Id)).Outcome);
        Assert.False(Directory.Exists(kept.Location));
        Assert.False(Assert.Single(Engine.Holds.List(kept.Id, null)).Active);
    }

    [Fact]
    public void A_hold_placed_after_the_sweep_made_its_plan_still_keeps_the_holding()
    {
        var kept = Engine.Retention.Register("ENDED", Folder("kept"), host)!;
        var reported = new List<DataShareException>();

        // The unknown id is reported after the plan is made and before any holding is opened: the hold comes in between.
        void Report(DataShareException error)
        {
            reported.Add(error);
            if (error.ErrorId == "HoldingNotDue")
            {
                Engine.Holds.Add(Hold(kept.Id, "2026-09-15"), host);
            }
        }

        var records = Engine.Retention.Sweep(new SweepOptions { HoldingIds = new[] { kept.Id, "HD-0000000000" } }, _ => null, host, Report).ToList();

        Assert.Empty(records);
        Assert.Equal(new[] { "HoldingNotDue", "HoldingHeld" }, reported.Select(e => e.ErrorId));
        Assert.True(File.Exists(Path.Combine(kept.Location, "pupils.csv")));
        Assert.Empty(Engine.Register.ListDestructions(null));
    }

    [Fact]
    public void A_hold_not_yet_past_the_due_day_keeps_the_holding_out_of_the_plan_and_one_before_it_is_refused()
    {
        var active = Engine.Retention.Register("ACTIVE", Folder("active"), host)!;
        Engine.Holds.Add(Hold(active.Id, "2027-03-01"), host);

        Assert.Empty(Engine.Retention.Plan(new DateTime(2026, 12, 31)));
        var held = Assert.Single(Engine.Retention.Plan(new DateTime(2027, 1, 1)));
        Assert.Equal((RetentionPlanState.Held, new DateTime(2027, 1, 1)), (held.State, held.DueOn));
        Assert.Equal(RetentionPlanState.Due, Assert.Single(Engine.Retention.Plan(new DateTime(2027, 3, 1))).State);
    }

    [Fact]
    public void Placing_and_lifting_a_hold_are_audited_with_the_reason_and_a_lifted_holding_is_due_again()
    {
        var kept = Engine.Retention.Register("ENDED", Folder("kept"), host)!;
        var legal = Hold(kept.Id, "2027-01-31", "  litigation hold: case 123 ");
        legal.Legal = true;
        legal.ReviewOn = new DateTime(2026, 10, 1);
        Engine.Holds.Add(legal, host);

        var placed = Engine.Register.ReadAuditLog(1).Last();
        Assert.Equal(("Holding.Hold", kept.Id), (placed.Action, placed.TargetId));
        Assert.Equal(("2027-01-31", "litigation hold: case 123", "Dana Officer", "true", "2026-10-01"),
            (placed.Details["Until"], placed.Details["Reason"], placed.Details["ApprovedBy"], placed.Details["Legal"], placed.Details["ReviewOn"]));
        var listed = Assert.Single(Engine.Holds.List(null, "ENDED"));
        Assert.Equal((kept.Id, true, (DateTime?)new DateTime(2026, 10, 1), "litigation hold: case 123"), (listed.HoldingId, listed.Legal, listed.ReviewOn, listed.Reason));
        Assert.Empty(Engine.Holds.List(null, "ACTIVE"));

        host.Approve = false;
        Assert.Null(Engine.Holds.Remove(kept.Id, "case settled", host));
        Assert.NotNull(Engine.Register.FindHolding(kept.Id)!.HoldUntil);
        host.Approve = true;

        var lifted = Engine.Holds.Remove(kept.Id, "case settled", host)!;
        Assert.Null(lifted.HoldUntil);
        var entry = Engine.Register.ReadAuditLog(1).Last();
        Assert.Equal(("Holding.HoldLift", kept.Id, "case settled", "2027-01-31"), (entry.Action, entry.TargetId, entry.Details["Reason"], entry.Details["Until"]));
        Assert.Equal(RetentionPlanState.Due, Assert.Single(Engine.Retention.Plan(null)).State);
        Assert.Empty(Engine.Holds.List(null, null));
        Assert.Equal(kept.Id, Assert.Single(Sweep()).HoldingId);
    }

    [Fact]
    public void The_retention_report_shows_a_holding_held_past_its_end_with_why_and_until_when()
    {
        var kept = Engine.Retention.Register("ENDED", Folder("kept"), host)!;
        var due = Engine.Retention.Register("ENDED", Folder("due"), host)!;
        Engine.Holds.Add(Hold(kept.Id, "2026-09-15"), host);

        using var stream = new MemoryStream();
        Engine.Reports.Export(ReportKind.Retention, ReportFormat.Json, stream, null, null);
        using var json = System.Text.Json.JsonDocument.Parse(stream.ToArray());
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("holdingId").ValueKind == System.Text.Json.JsonValueKind.String)
            .ToDictionary(r => r.GetProperty("holdingId").GetString()!);

        Assert.Equal(("HeldPastEnd", "2026-09-15"), (rows[kept.Id].GetProperty("state").GetString(), rows[kept.Id].GetProperty("heldUntil").GetString()));
        Assert.Contains("complaint under investigation", rows[kept.Id].GetProperty("holdReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(("Due", System.Text.Json.JsonValueKind.Null), (rows[due.Id].GetProperty("state").GetString(), rows[due.Id].GetProperty("heldUntil").ValueKind));
    }

    [Fact]
    public void A_legal_hold_whose_review_day_has_passed_is_listed_as_overdue_for_review_until_it_ends()
    {
        var legal = Engine.Retention.Register("ENDED", Folder("legal"), host)!;
        var plain = Engine.Retention.Register("ENDED", Folder("plain"), host)!;
        var request = Hold(legal.Id, "2026-12-31");
        request.Legal = true;
        request.ReviewOn = new DateTime(2026, 9, 1);
        Engine.Holds.Add(request, host);
        Engine.Holds.Add(Hold(plain.Id, "2026-12-31"), host);

        // Before and on the review day nothing is overdue; the day after, the legal hold is, and only it.
        Assert.Empty(Engine.Holds.PastReview(null));
        test.Clock.UtcNow = new DateTimeOffset(2026, 9, 1, 22, 30, 0, TimeSpan.Zero); // 23:30 in London: still the review day
        Assert.Empty(Engine.Holds.PastReview(null));
        Assert.False(Assert.Single(Engine.Holds.List(legal.Id, null)).ReviewOverdue);
        test.Clock.UtcNow = new DateTimeOffset(2026, 9, 2, 8, 0, 0, TimeSpan.Zero);
        var overdue = Assert.Single(Engine.Holds.PastReview(null));
        Assert.Equal((legal.Id, new DateTime(2026, 9, 1), true), (overdue.HoldingId, overdue.ReviewOn, overdue.ReviewOverdue));
        Assert.False(Assert.Single(Engine.Holds.List(plain.Id, null)).ReviewOverdue);

        // A plan for a past day judges that day; once the hold has ended there is nothing left to review.
        Assert.Empty(Engine.Holds.PastReview(new DateTime(2026, 8, 31)));
        Assert.Empty(Engine.Holds.PastReview(new DateTime(2026, 12, 31)));
    }

    [Fact]
    public void A_declined_hold_writes_nothing()
    {
        var kept = Engine.Retention.Register("ENDED", Folder("kept"), host)!;
        var before = test.AuditCount();
        host.Approve = false;
        Assert.Null(Engine.Holds.Add(Hold(kept.Id, "2026-09-15"), host));
        Assert.Equal(before, test.AuditCount());
        Assert.Null(Engine.Register.FindHolding(kept.Id)!.HoldUntil);
    }

    [Fact]
    public void Holds_are_refused_with_their_ids_and_categories_and_nothing_written()
    {
        var held = Engine.Retention.Register("ENDED", Folder("held"), host)!;
        var active = Engine.Retention.Register("ACTIVE", Folder("active"), host)!;
        var withdrawn = Engine.Retention.Register("ENDED", Folder("withdrawn"), host)!;
        Engine.Retention.Withdraw(withdrawn.Id, "mistake", host);
        var destroyed = Engine.Retention.Register("ENDED", Folder("destroyed"), host)!;
        Sweep(destroyed.Id);
        Assert.Equal(HoldingState.Destroyed, Engine.Register.FindHolding(destroyed.Id)!.State);
        var before = test.AuditCount();

        void Refused(RetentionHoldRequest request, string id, DataShareErrorCategory category)
        {
            var error = Assert.Throws<DataShareException>(() => Engine.Holds.Add(request, host));
            Assert.Equal((id, category), (error.ErrorId, error.Category));
        }

        Refused(Hold("HD-0000000000", "2026-09-15"), "HoldingNotFound", DataShareErrorCategory.ObjectNotFound);
        Refused(Hold(withdrawn.Id, "2026-09-15"), "HoldingNotHoldable", DataShareErrorCategory.InvalidOperation);
        Refused(Hold(destroyed.Id, "2026-09-15"), "HoldingNotHoldable", DataShareErrorCategory.InvalidOperation);
        Refused(Hold(held.Id, "2026-08-01"), "HoldUntilInvalid", DataShareErrorCategory.InvalidArgument);
        Refused(Hold(held.Id, "2026-07-01"), "HoldUntilInvalid", DataShareErrorCategory.InvalidArgument);
        Refused(Hold(active.Id, "2026-12-31"), "HoldUntilInvalid", DataShareErrorCategory.InvalidArgument);
        Refused(Hold(active.Id, "2027-01-01"), "HoldUntilInvalid", DataShareErrorCategory.InvalidArgument);
        Refused(Hold(held.Id, "2026-09-15", reason: "  "), "HoldReasonMissing", DataShareErrorCategory.InvalidArgument);
        Refused(Hold(held.Id, "2026-09-15", approvedBy: ""), "HoldApproverMissing", DataShareErrorCategory.InvalidArgument);
        Refused(Hold(held.Id, "2026-09-15", reason: new string('x', 1001)), "HoldingFieldTooLong", DataShareErrorCategory.LimitsExceeded);

        var legalWithoutReview = Hold(held.Id, "2026-09-15");
        legalWithoutReview.Legal = true;
        Refused(legalWithoutReview, "HoldReviewMissing", DataShareErrorCategory.InvalidArgument);
        var reviewAfterEnd = Hold(held.Id, "2026-09-15");
        reviewAfterEnd.Legal = true;
        reviewAfterEnd.ReviewOn = new DateTime(2026, 9, 16);
        Refused(reviewAfterEnd, "HoldReviewInvalid", DataShareErrorCategory.InvalidArgument);
        var reviewWithoutLegal = Hold(held.Id, "2026-09-15");
        reviewWithoutLegal.ReviewOn = new DateTime(2026, 9, 1);
        Refused(reviewWithoutLegal, "HoldReviewInvalid", DataShareErrorCategory.InvalidArgument);

        var notHeld = Assert.Throws<DataShareException>(() => Engine.Holds.Remove(held.Id, "no longer needed", host));
        Assert.Equal(("HoldingNotHeld", DataShareErrorCategory.InvalidOperation, (object?)held.Id), (notHeld.ErrorId, notHeld.Category, notHeld.Target));

        Assert.Equal(before, test.AuditCount());
        Assert.All(Engine.Register.ListHoldings(null), h => Assert.Null(h.HoldUntil));

        Engine.Holds.Add(Hold(held.Id, "2026-09-15"), host);
        var noReason = Assert.Throws<DataShareException>(() => Engine.Holds.Remove(held.Id, " ", host));
        Assert.Equal(("HoldLiftReasonMissing", DataShareErrorCategory.InvalidArgument), (noReason.ErrorId, noReason.Category));
        Assert.NotNull(Engine.Register.FindHolding(held.Id)!.HoldUntil);
    }

    public void Dispose() => test.Dispose();
}
