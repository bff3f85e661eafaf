using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Reports;
using DataShareAdmin.Core.Retention;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Variations: an approved agreement's material terms change only by an approved variation, each approval the next
/// numbered version; an extension never revives an agreement whose data is destroyed; a past day is judged by the
/// terms then in force; suspension with a reason. Every refusal has its id and category and writes nothing.
/// </summary>
public sealed class VariationTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 8, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly TestRegister test = new(Now);
    private readonly FakeHost host = new();

    public VariationTests()
    {
        Engine.Agreements.Create(Samples.Agreement("DS1", "2026-01-01", "2026-12-31"), host);
        Engine.Agreements.Approve("DS1", "DSAP-2025-100", new DateTime(2025, 12, 1), Samples.Decision(), host);
    }

    private DataShareEngine Engine => test.Engine;

    private static DateTime Day(string text) => DateTime.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    private DataShareException Refused(Action action, string id, DataShareErrorCategory category)
    {
        var before = test.AuditCount();
        var error = Assert.Throws<DataShareException>(action);
        Assert.Equal((id, category), (error.ErrorId, error.Category));
        Assert.Equal(before, test.AuditCount());
        return error;
    }

    [Fact]
    public void An_approved_agreements_EndsOn_cannot_be_changed_without_a_variation_but_its_officer_can()
    {
        var error = Refused(() => Engine.Agreements.Update("DS1", new AgreementChanges { EndsOn = Day("2027-06-30") }, host), "AgreementTermsNeedVariation", DataShareErrorCategory.InvalidOperation);
        Assert.Contains("Request-DataShareVariation", error.Message, StringComparison.Ordinal);
        Assert.Contains("EndsOn", error.Message, StringComparison.Ordinal);
        Assert.Equal(Day("2026-12-31"), Engine.Agreements.Get("DS1").EndsOn);

        foreach (var changes in new[]
        {
            new AgreementChanges { DataItems = new[] { new DataItem("KS4 results:B3") } }, new AgreementChanges { Purpose = "Something else" },
            new AgreementChanges { RetentionDays = 5 }, new AgreementChanges { LegalGateway = "Children Act 1989" }, new AgreementChanges { AccessRoute = AccessRoute.SecureResearchService },
        })
        {
            Refused(() => Engine.Agreements.Update("DS1", changes, host), "AgreementTermsNeedVariation", DataShareErrorCategory.InvalidOperation);
        }

        Assert.Equal("Dana Officer", Engine.Agreements.Update("DS1", new AgreementChanges { OfficerName = "Dana Officer", Title = "Gaps" }, host)!.OfficerName);

        // Before approval every field changes directly, as it always has.
        Engine.Agreements.Create(Samples.Agreement("DS2"), host);
        Assert.Equal(Day("2027-03-31"), Engine.Agreements.Update("DS2", new AgreementChanges { EndsOn = Day("2027-03-31") }, host)!.EndsOn);
    }

    [Fact]
    public void An_ended_agreement_cannot_be_revived_by_moving_its_end()
    {
        test.Clock.UtcNow = new DateTimeOffset(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(AgreementStatus.Ended, Engine.Agreements.Get("DS1").Status);
        Refused(() => Engine.Agreements.Update("DS1", new AgreementChanges { EndsOn = Day("2027-12-31") }, host), "AgreementTermsNeedVariation", DataShareErrorCategory.InvalidOperation);
        Assert.Equal(AgreementStatus.Ended, Engine.Agreements.Get("DS1").Status);
    }

    [Fact]
    public void An_extension_is_requested_then_approved_as_version_two_and_the_holdings_due_day_follows()
    {
        var folder = Path.Combine(test.Directory, "copy");
        Directory.CreateDirectory(folder);
        var holding = Engine.Retention.Register("DS1", folder, host)!;
        Assert.Equal(Day("2027-01-31"), RetentionRules.DueOn(Engine.Register.FindHolding(holding.Id)!, Engine.Agreements.Get("DS1")));

        var requested = Engine.Agreements.RequestVariation("DS1", new AgreementChanges { EndsOn = Day("2027-06-30") }, "One more year of results is needed.", host)!;
        Assert.Equal((VariationKind.Extension, VariationState.Requested, "tester", 1), (requested.Kind, requested.State, requested.RequestedBy, requested.BasedOnVersion));
        Assert.Equal("EndsOn: 2026-12-31 -> 2027-06-30", requested.Changes);
        Assert.Equal(Day("2026-12-31"), Engine.Agreements.Get("DS1").EndsOn);
        Assert.Single(Engine.Agreements.History("DS1"));

        var approved = Engine.Agreements.ApproveVariation(requested.Id.ToLowerInvariant(), "DSAP-2026-031", Day("2026-07-20"), host)!;
        Assert.Equal((VariationState.Approved, (int?)2, "DSAP-2026-031", (DateTime?)Day("2026-07-20"), "tester"),
            (approved.State, approved.TermsVersion, approved.Reference, approved.DecidedOn, approved.DecidedBy));
        Assert.Equal(Day("2027-06-30"), Engine.Agreements.Get("DS1").EndsOn);
        Assert.Equal(Day("2027-07-31"), RetentionRules.DueOn(Engine.Register.FindHolding(holding.Id)!, Engine.Agreements.Get("DS1")));

        var history = Engine.Agreements.History("DS1");
        Assert.Equal(new[] { (1, "DSAP-2025-100", Day("2026-12-31"), (string?)null), (2, "DSAP-2026-031", Day("2027-06-30"), requested.Id) },
            history.Select(v => (v.Number, v.ApprovalReference, v.EndsOn, v.VariationId)));
        Assert.Equal(new[] { Day("2025-12-01"), Day("2026-07-20") }, history.Select(v => v.EffectiveFrom));

        var stored = Assert.Single(Engine.Agreements.FindVariations("DS1", null));
        Assert.Equal((VariationState.Approved, 2L), (stored.State, stored.Version));
        var actions = Engine.Register.ReadAuditLog(1).Select(e => e.Action).ToList();
        Assert.Contains("Variation.Request", actions);
        Assert.Contains("Variation.Approve", actions);
    }

    [Fact]
    public void An_extension_after_destruction_is_refused_when_requested_and_when_approved()
    {
        var folder = Path.Combine(test.Directory, "ended");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "a.csv"), "x\n");
        Engine.Agreements.Create(Samples.Agreement("DS3", "2026-01-01", "2026-05-31"), host);
        Engine.Agreements.Approve("DS3", "DSAP-2025-200", Day("2025-12-01"), Samples.Decision(), host);
        var pending = Engine.Agreements.RequestVariation("DS3", new AgreementChanges { EndsOn = Day("2026-12-31") }, "More time.", host)!;
        var holding = Engine.Retention.Register("DS3", folder, host)!;
        var errors = new List<DataShareException>();
        var records = Engine.Retention.Sweep(new SweepOptions { HoldingIds = new[] { holding.Id } }, _ => null, host, errors.Add).ToList();
        Assert.Empty(errors);
        Assert.Equal(HoldingState.Destroyed, Engine.Register.FindHolding(holding.Id)!.State);

        var error = Refused(() => Engine.Agreements.RequestVariation("DS3", new AgreementChanges { EndsOn = Day("2026-12-31") }, "More time.", host),
            "VariationExtensionAfterDestruction", DataShareErrorCategory.InvalidOperation);
        Assert.Contains(holding.Id, error.Message, StringComparison.Ordinal);
        Refused(() => Engine.Agreements.ApproveVariation(pending.Id, "DSAP-2026-050", Day("2026-07-01"), host), "VariationExtensionAfterDestruction", DataShareErrorCategory.InvalidOperation);
        Assert.Equal(Day("2026-05-31"), Engine.Agreements.Get("DS3").EndsOn);
        Assert.Equal(VariationState.Requested, Engine.Agreements.GetVariation(pending.Id).State);

        // Ending it earlier (a termination) or changing other terms stays possible.
        var termination = Engine.Agreements.RequestVariation("DS3", new AgreementChanges { EndsOn = Day("2026-04-30") }, "Project closed early.", host)!;
        Assert.Equal(VariationKind.Termination, termination.Kind);
    }

    [Fact]
    public void A_termination_ends_the_agreement_early_and_a_past_day_is_judged_by_the_terms_then_in_force()
    {
        var termination = Engine.Agreements.RequestVariation("DS1", new AgreementChanges { EndsOn = Day("2026-07-15"), DataItems = new[] { new DataItem("KS2 attainment:B3") } }, "Project closed.", host)!;
        Assert.Equal(VariationKind.Termination, termination.Kind);
        Engine.Agreements.ApproveVariation(termination.Id, "DSAP-2026-040", Day("2026-07-31"), host);
        Assert.Equal(AgreementStatus.Ended, Engine.Agreements.Get("DS1").Status);

        // On 1 July the first terms were in force: active, ending on 31 December, two data items.
        var then = Engine.Agreements.Get("DS1", Day("2026-07-01"));
        Assert.Equal((AgreementStatus.Active, Day("2026-12-31"), 2), (then.Status, then.EndsOn, then.DataItems.Count));
        var found = Assert.Single(Engine.Agreements.Find(null, null, Day("2026-07-01")));
        Assert.Equal(Day("2026-12-31"), found.EndsOn);

        var table = Engine.Reports.Build(ReportKind.Register, Day("2026-07-01"), null);
        var ends = table.Columns.Select(c => c.Name).ToList().IndexOf("endsOn");
        Assert.Equal(Day("2026-12-31"), Assert.Single(table.Rows)[ends]);
        var today = Engine.Reports.Build(ReportKind.Register, null, null);
        Assert.Equal(Day("2026-07-15"), Assert.Single(today.Rows)[ends]);
    }

    [Fact]
    public void A_past_days_retention_plan_uses_the_terms_then_in_force()
    {
        var folder = Path.Combine(test.Directory, "copy");
        Directory.CreateDirectory(folder);
        Engine.Agreements.Create(Samples.Agreement("DS4", "2025-01-01", "2025-12-31"), host);
        Engine.Agreements.Approve("DS4", "DSAP-2024-010", Day("2024-12-01"), Samples.Decision(), host);
        var holding = Engine.Retention.Register("DS4", folder, host)!;
        var extension = Engine.Agreements.RequestVariation("DS4", new AgreementChanges { EndsOn = Day("2026-12-31") }, "Follow-up year.", host)!;
        Engine.Agreements.ApproveVariation(extension.Id, "DSAP-2026-020", Day("2026-02-15"), host);

        // On 10 February the first terms were in force: due on 31 January. From 15 February the extension holds it.
        Assert.Contains(Engine.Retention.Plan(Day("2026-02-10")), p => p.HoldingId == holding.Id);
        Assert.DoesNotContain(Engine.Retention.Plan(Day("2026-02-20")), p => p.HoldingId == holding.Id);
        Assert.DoesNotContain(Engine.Retention.Plan(null), p => p.HoldingId == holding.Id);
    }

    [Fact]
    public void Denied_and_withdrawn_variations_leave_the_terms_and_cannot_be_decided_again()
    {
        var denied = Engine.Agreements.RequestVariation("DS1", new AgreementChanges { Purpose = "A wider purpose" }, "Scope grew.", host)!;
        Assert.Equal(VariationKind.Change, denied.Kind);
        Assert.Equal(VariationState.Denied, Engine.Agreements.DenyVariation(denied.Id, "Not proportionate.", Day("2026-07-30"), host)!.State);
        var withdrawn = Engine.Agreements.RequestVariation("DS1", new AgreementChanges { RetentionDays = 60 }, "Longer checks.", host)!;
        Assert.Equal("Applicant no longer needs it.", Engine.Agreements.WithdrawVariation(withdrawn.Id, "Applicant no longer needs it.", Day("2026-07-31"), host)!.DecisionReason);

        Assert.Equal("Research into attainment gaps", Engine.Agreements.Get("DS1").Purpose);
        Refused(() => Engine.Agreements.ApproveVariation(denied.Id, "DSAP-X", Day("2026-07-31"), host), "VariationNotRequested", DataShareErrorCategory.InvalidOperation);
        Refused(() => Engine.Agreements.WithdrawVariation(withdrawn.Id, "again", Day("2026-07-31"), host), "VariationNotRequested", DataShareErrorCategory.InvalidOperation);
        Assert.Equal(new[] { VariationState.Withdrawn }, Engine.Agreements.FindVariations("DS1", new[] { VariationState.Withdrawn }).Select(v => v.State));
    }

    [Fact]
    public void Bad_requests_are_refused_with_their_ids_and_write_nothing()
    {
        var later = new AgreementChanges { EndsOn = Day("2027-06-30") };
        Refused(() => Engine.Agreements.RequestVariation("DS1", later, " ", host), "VariationReasonMissing", DataShareErrorCategory.InvalidArgument);
        Refused(() => Engine.Agreements.RequestVariation("DS1", new AgreementChanges { EndsOn = Day("2026-12-31") }, "same", host), "VariationNoChange", DataShareErrorCategory.InvalidArgument);
        Refused(() => Engine.Agreements.RequestVariation("NOPE", later, "r", host), "AgreementNotFound", DataShareErrorCategory.ObjectNotFound);
        Refused(() => Engine.Agreements.RequestVariation("DS1", new AgreementChanges { EndsOn = Day("2025-06-30") }, "r", host), "AgreementDatesInvalid", DataShareErrorCategory.InvalidArgument);
        Engine.Agreements.Create(Samples.Agreement("DS2"), host);
        Refused(() => Engine.Agreements.RequestVariation("DS2", later, "r", host), "VariationAgreementNotApproved", DataShareErrorCategory.InvalidOperation);

        var variation = Engine.Agreements.RequestVariation("DS1", later, "More time.", host)!;
        Refused(() => Engine.Agreements.ApproveVariation(variation.Id, " ", Day("2026-07-01"), host), "VariationApprovalReferenceMissing", DataShareErrorCategory.InvalidArgument);
        Refused(() => Engine.Agreements.ApproveVariation(variation.Id, "DSAP-1", Day("2026-08-02"), host), "VariationApprovalDateInvalid", DataShareErrorCategory.InvalidArgument);
        Refused(() => Engine.Agreements.ApproveVariation("VA-0000000000", "DSAP-1", Day("2026-07-01"), host), "VariationNotFound", DataShareErrorCategory.ObjectNotFound);
        Refused(() => Engine.Agreements.ApproveVariation("DS1", "DSAP-1", Day("2026-07-01"), host), "VariationIdInvalid", DataShareErrorCategory.InvalidArgument);
        Refused(() => Engine.Agreements.DenyVariation(variation.Id, "", Day("2026-07-01"), host), "VariationClosureReasonMissing", DataShareErrorCategory.InvalidArgument);

        // A second variation of the same version: once one is approved, the other is out of date.
        var other = Engine.Agreements.RequestVariation("DS1", new AgreementChanges { RetentionDays = 60 }, "Longer checks.", host)!;
        Engine.Agreements.ApproveVariation(variation.Id, "DSAP-2", Day("2026-07-01"), host);
        Refused(() => Engine.Agreements.ApproveVariation(other.Id, "DSAP-3", Day("2026-07-01"), host), "VariationOutdated", DataShareErrorCategory.InvalidOperation);

        // -WhatIf: nothing written.
        var before = test.AuditCount();
        Assert.Null(Engine.Agreements.RequestVariation("DS1", new AgreementChanges { RetentionDays = 90 }, "r", new FakeHost(approve: false)));
        Assert.Equal(before, test.AuditCount());
    }

    [Fact]
    public void Suspension_and_resumption_need_a_reason_are_audited_and_stop_transfers()
    {
        var suspended = Engine.Agreements.Suspend("DS1", "Incident under investigation.", null, host)!;
        Assert.Equal((AgreementStatus.Suspended, (DateTime?)Day("2026-08-01"), "Incident under investigation."), (suspended.Status, suspended.SuspendedOn, suspended.SuspensionReason));
        var stored = Engine.Agreements.Get("DS1");
        Assert.Equal((true, "Incident under investigation."), (stored.IsSuspended, stored.SuspensionReason));
        Refused(() => Engine.Agreements.Suspend("DS1", "again", null, host), "AgreementAlreadySuspended", DataShareErrorCategory.InvalidOperation);

        var resumed = Engine.Agreements.Resume("DS1", "Investigation closed.", null, host)!;
        Assert.Equal((AgreementStatus.Active, (DateTime?)null), (resumed.Status, resumed.SuspendedOn));
        Refused(() => Engine.Agreements.Resume("DS1", "again", null, host), "AgreementNotSuspended", DataShareErrorCategory.InvalidOperation);
        Refused(() => Engine.Agreements.Suspend("DS1", " ", null, host), "AgreementSuspensionReasonMissing", DataShareErrorCategory.InvalidArgument);
        Refused(() => Engine.Agreements.Suspend("DS1", "r", Day("2026-08-05"), host), "AgreementSuspensionDateInvalid", DataShareErrorCategory.InvalidArgument);
        Engine.Agreements.Create(Samples.Agreement("DS2"), host);
        Refused(() => Engine.Agreements.Suspend("DS2", "r", null, host), "AgreementNotApproved", DataShareErrorCategory.InvalidOperation);

        var actions = Engine.Register.ReadAuditLog(1).Select(e => e.Action).ToList();
        Assert.Contains("Agreement.Suspend", actions);
        Assert.Contains("Agreement.Resume", actions);
    }

    public void Dispose() => test.Dispose();
}
