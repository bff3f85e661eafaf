using System;
using System.Linq;
using DataShareAdmin.Core.Decisions;
using DataShareAdmin.Core.Register;

namespace DataShareAdmin.Core.Tests.Decisions;

/// <summary>The panel's decision as recorded with an approval or a refusal: every rule, and nothing written when one is broken.</summary>
public sealed class PanelDecisionTests : IDisposable
{
    private readonly TestRegister test = new();
    private readonly FakeHost host = new();

    public PanelDecisionTests()
    {
        Engine.Agreements.Create(Samples.Agreement("DS1"), host);
    }

    private DataShareEngine Engine => test.Engine;

    private void NothingWritten(Action act, string errorId, DataShareErrorCategory category = DataShareErrorCategory.InvalidArgument)
    {
        var before = test.AuditCount();
        var version = Engine.Register.FindAgreement("DS1")!.Version;
        var error = Assert.Throws<DataShareException>(act);
        Assert.Equal((errorId, category), (error.ErrorId, error.Category));
        Assert.Equal("DS1", error.Target);
        Assert.Equal(before, test.AuditCount());
        var agreement = Engine.Register.FindAgreement("DS1")!;
        Assert.Equal((version, (DateTime?)null, (PanelDecision?)null), (agreement.Version, agreement.ApprovedOn, agreement.Decision));
    }

    [Fact]
    public void An_approval_records_the_four_tests_the_principles_who_decided_and_the_conditions_and_audits_them()
    {
        var decision = Samples.Decision(DecisionMaker.ChiefStatistician, " No linkage to other data ", "Outputs checked before release");
        decision.Principles = new[]
        {
            PanelDecisions.Principle("sectorbenefit", "Schools gain evidence on attainment", "DS1"),
            PanelDecisions.Principle("SecondaryResearch", "NotApplicable", "DS1"),
            PanelDecisions.Principle("ResearchInterest", "NotMet: outside the current list", "DS1"),
        };
        var approved = Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), decision, host)!;

        var read = Engine.Agreements.Get("DS1").Decision!;
        Assert.Equal((DecisionOutcome.Approved, DecisionMaker.ChiefStatistician, new DateTime(2026, 6, 1), "DSAP-1", "tester"), (read.Outcome, read.DecidedBy, read.DecidedOn, read.Reference, read.RecordedBy));
        Assert.Equal(new[] { PanelTest.Legal, PanelTest.Ethical, PanelTest.Proportionate, PanelTest.Secure }, read.Tests.Select(t => t.Test));
        Assert.All(read.Tests, t => Assert.True(t.Passed));
        Assert.Equal(new[] { "No linkage to other data", "Outputs checked before release" }, read.Conditions);
        Assert.Equal(new[] { "SectorBenefit: Met (Schools gain evidence on attainment)", "SecondaryResearch: NotApplicable", "ResearchInterest: NotMet (outside the current list)" }, read.Principles.Select(p => p.ToString()));
        Assert.Equal("Approved by ChiefStatistician: legal, ethical, proportionate, secure; 2 condition(s)", read.ToString());
        Assert.Equal(approved.Decision!.ToString(), read.ToString());

        var entry = Engine.Register.ReadAuditLog(1).Last();
        Assert.Equal(("Agreement.Approve", "ChiefStatistician", "Met: Items limited to the question", "NotApplicable"),
            (entry.Action, entry.Details["DecidedBy"], entry.Details["Test.Proportionate"], entry.Details["Principle.SecondaryResearch"]));
        Assert.Equal("No linkage to other data; Outputs checked before release", entry.Details["Conditions"]);
    }

    [Fact]
    public void An_approval_without_every_test_met_with_a_note_is_refused_and_nothing_is_written()
    {
        var noNote = PanelDecisions.Approval("ok", "  ", "ok", "ok");
        NothingWritten(() => Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), noNote, host), "AgreementDecisionNoteMissing");

        var missing = PanelDecisions.Approval("ok", "ok", "ok", "ok");
        missing.Tests = missing.Tests.Where(t => t.Test != PanelTest.Secure).ToArray();
        NothingWritten(() => Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), missing, host), "AgreementDecisionTestMissing");

        var failed = PanelDecisions.Approval("ok", "ok", "ok", "ok");
        failed.Tests[2].Passed = false;
        NothingWritten(() => Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), failed, host), "AgreementDecisionTestNotMet");

        var twice = PanelDecisions.Approval("ok", "ok", "ok", "ok");
        twice.Tests = twice.Tests.Concat(new[] { new PanelTestResult { Test = PanelTest.Legal, Passed = true, Note = "again" } }).ToArray();
        NothingWritten(() => Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), twice, host), "AgreementDecisionTestRepeated");

        NothingWritten(() => Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), null!, host), "AgreementDecisionMissing");

        var tooLong = PanelDecisions.Approval(new string('x', TextLimits.Reason + 1), "ok", "ok", "ok");
        NothingWritten(() => Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), tooLong, host), "AgreementFieldTooLong", DataShareErrorCategory.LimitsExceeded);
    }

    [Fact]
    public void Principles_are_judged_once_each_with_a_note_unless_not_applicable_and_conditions_are_never_empty()
    {
        var unknown = Assert.Throws<DataShareException>(() => PanelDecisions.Principle("CommercialGain", "yes", "DS1"));
        Assert.Equal(("AgreementDecisionPrincipleUnknown", DataShareErrorCategory.InvalidArgument), (unknown.ErrorId, unknown.Category));
        Assert.Equal("AgreementDecisionPrincipleUnknown", Assert.Throws<DataShareException>(() => PanelDecisions.Principle("7", "yes", "DS1")).ErrorId);
        Assert.Equal((PrincipleJudgement.NotApplicable, (string?)null), (PanelDecisions.Principle("SizeableBenefit", null, "DS1").Judgement, PanelDecisions.Principle("SizeableBenefit", null, "DS1").Note));
        Assert.Equal((PrincipleJudgement.NotApplicable, "primary research"), (PanelDecisions.Principle("SecondaryResearch", "n/a: primary research", "DS1").Judgement, PanelDecisions.Principle("SecondaryResearch", "n/a: primary research", "DS1").Note));
        Assert.Equal(PrincipleJudgement.Met, PanelDecisions.Principle("SectorBenefit", "Met: clear", "DS1").Judgement);

        var noNote = Samples.Decision();
        noNote.Principles = new[] { PanelDecisions.Principle("ResearchInterest", "NotMet", "DS1") };
        NothingWritten(() => Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), noNote, host), "AgreementDecisionNoteMissing");

        var twice = Samples.Decision();
        twice.Principles = new[] { PanelDecisions.Principle("SectorBenefit", "a", "DS1"), PanelDecisions.Principle("SECTORBENEFIT", "b", "DS1") };
        NothingWritten(() => Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), twice, host), "AgreementDecisionPrincipleRepeated");

        NothingWritten(() => Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), Samples.Decision(DecisionMaker.Panel, "fine", " "), host), "AgreementDecisionConditionEmpty");
    }

    [Fact]
    public void The_chief_statistician_decides_only_matching_and_research_cases()
    {
        var police = Samples.Agreement("DS2");
        police.Category = AgreementCategory.Police;
        Engine.Agreements.Create(police, host);
        var error = Assert.Throws<DataShareException>(() => Engine.Agreements.Approve("DS2", "DSAP-2", new DateTime(2026, 6, 1), Samples.Decision(DecisionMaker.ChiefStatistician), host));
        Assert.Equal(("AgreementDecisionMakerInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Null(Engine.Register.FindAgreement("DS2")!.ApprovedOn);
        Engine.Agreements.Approve("DS2", "DSAP-2", new DateTime(2026, 6, 1), Samples.Decision(DecisionMaker.Panel), host);
        Assert.Equal(DecisionMaker.Panel, Engine.Agreements.Get("DS2").Decision!.DecidedBy);

        var matching = Samples.Agreement("DS3");
        matching.Category = AgreementCategory.DataMatching;
        Engine.Agreements.Create(matching, host);
        Engine.Agreements.Approve("DS3", "DSAP-3", new DateTime(2026, 6, 1), Samples.Decision(DecisionMaker.ChiefStatistician), host);
        Assert.Equal(DecisionMaker.ChiefStatistician, Engine.Agreements.Get("DS3").Decision!.DecidedBy);
    }

    [Fact]
    public void A_refusal_records_the_tests_failed_with_their_notes_and_needs_at_least_one()
    {
        NothingWritten(() => Engine.Agreements.Refuse("DS1", "Not shown to be needed", new DateTime(2026, 6, 1), Samples.Decision(), host), "AgreementDecisionNoFailedTest");
        var withoutNote = new PanelDecision { Tests = PanelDecisions.Tests(null, null, null, null, new[] { PanelTest.Secure }) };
        NothingWritten(() => Engine.Agreements.Refuse("DS1", "Not secure", new DateTime(2026, 6, 1), withoutNote, host), "AgreementDecisionNoteMissing");
        var conditioned = new PanelDecision { Tests = PanelDecisions.Tests(null, null, "too much", null, new[] { PanelTest.Proportionate }), Conditions = new[] { "x" } };
        NothingWritten(() => Engine.Agreements.Refuse("DS1", "Not proportionate", new DateTime(2026, 6, 1), conditioned, host), "AgreementDecisionConditionOnRefusal");

        var decision = new PanelDecision { Tests = PanelDecisions.Tests("Gateway fits", null, "Every pupil asked for; a sample answers the question", "No accredited environment", new[] { PanelTest.Proportionate, PanelTest.Secure }) };
        Engine.Agreements.Refuse("DS1", "The request was not proportionate.", new DateTime(2026, 6, 1), decision, host);
        var refused = Engine.Agreements.Get("DS1");
        Assert.Equal(AgreementStatus.Refused, refused.Status);
        var read = refused.Decision!;
        Assert.Equal((DecisionOutcome.Refused, "Proportionate; Secure", "The request was not proportionate."), (read.Outcome, read.FailedTests, read.PublicReason));
        Assert.Equal("Refused by Panel: not proportionate, not secure", read.ToString());
        Assert.True(read.Tests.Single(t => t.Test == PanelTest.Legal).Passed);
        var entry = Engine.Register.ReadAuditLog(1).Last();
        Assert.Equal(("Agreement.Refuse", "NotMet: No accredited environment", "Met: Gateway fits"), (entry.Action, entry.Details["Test.Secure"], entry.Details["Test.Legal"]));
    }

    public void Dispose() => test.Dispose();
}
