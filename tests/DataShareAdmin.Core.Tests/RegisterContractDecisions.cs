using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Decisions;

namespace DataShareAdmin.Core.Tests;

/// <summary>The panel's decision on an agreement, the legal gateway catalogue and a hold's placing account, on every backend.</summary>
public abstract partial class RegisterContract
{
    [Fact]
    public void An_agreements_decision_round_trips_and_one_without_reads_as_not_recorded()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS0"), Event("Agreement.Create", "DS0"));
        Assert.Null(register.FindAgreement("DS0")!.Decision);

        var written = Agreement("DS1");
        register.InsertAgreement(written, Event("Agreement.Create", "DS1"));
        var read = register.FindAgreement("DS1")!;
        read.ApprovalReference = "DSAP-9";
        read.ApprovedOn = new DateTime(2026, 2, 1);
        read.ApprovedBy = "bob";
        read.Decision = new PanelDecision
        {
            Outcome = DecisionOutcome.Approved,
            DecidedBy = DecisionMaker.ChiefStatistician,
            DecidedOn = new DateTime(2026, 2, 1),
            Reference = "DSAP-9",
            Tests = Enum.GetValues(typeof(PanelTest)).Cast<PanelTest>().Select(t => new PanelTestResult { Test = t, Passed = true, Note = t + " note é \"q\"" }).ToArray(),
            Principles = new[] { new PrincipleResult { Principle = SharingPrinciple.SectorBenefit, Judgement = PrincipleJudgement.Met, Note = "schools" }, new PrincipleResult { Principle = SharingPrinciple.SecondaryResearch, Judgement = PrincipleJudgement.NotApplicable } },
            Conditions = new[] { "No linkage", "Outputs checked" },
            RecordedBy = "bob",
            RecordedAt = new DateTimeOffset(2026, 2, 1, 9, 30, 0, 250, TimeSpan.Zero),
        };
        register.UpdateAgreement(read, Event("Agreement.Approve", "DS1"));

        foreach (var agreement in new[] { register.FindAgreement("DS1")!, register.ListAgreements().Single(a => a.Id == "DS1") })
        {
            var decision = agreement.Decision!;
            Assert.Equal((DecisionOutcome.Approved, DecisionMaker.ChiefStatistician, new DateTime(2026, 2, 1), "DSAP-9", "bob"), (decision.Outcome, decision.DecidedBy, decision.DecidedOn, decision.Reference, decision.RecordedBy));
            Assert.Equal(new DateTimeOffset(2026, 2, 1, 9, 30, 0, 250, TimeSpan.Zero), decision.RecordedAt);
            Assert.Equal(new[] { "Legal: met (Legal note é \"q\")", "Ethical: met (Ethical note é \"q\")", "Proportionate: met (Proportionate note é \"q\")", "Secure: met (Secure note é \"q\")" }, decision.Tests.Select(t => t.ToString()));
            Assert.Equal(new[] { "SectorBenefit: Met (schools)", "SecondaryResearch: NotApplicable" }, decision.Principles.Select(p => p.ToString()));
            Assert.Equal(new[] { "No linkage", "Outputs checked" }, decision.Conditions);
            Assert.False(agreement.SelfApproved);
        }
    }

    [Fact]
    public void The_legal_gateway_catalogue_is_seeded_added_to_without_case_duplicates_and_retired_in_place()
    {
        var register = New();
        var seeded = register.ListLegalGateways().ToList();
        Assert.Equal(LegalGatewaySeeds.Names.OrderBy(LegalGatewaySeeds.Normalise, StringComparer.Ordinal), seeded.Select(g => g.Name));
        Assert.All(seeded, g => Assert.Equal((true, false, LegalGatewaySeeds.SeededBy, 1L), (g.IsSeeded, g.IsRetired, g.AddedBy, g.Version)));

        var added = new DataShareLegalGateway { Name = "Education Act 1996 s.537A", AddedAt = Clock.UtcNow, AddedBy = "alice", ModifiedAt = Clock.UtcNow };
        register.InsertLegalGateway(added, new AuditEvent("LegalGateway.Add", "LegalGateway", added.Name));
        Assert.Equal(1L, added.Version);
        var twice = new DataShareLegalGateway { Name = "EDUCATION ACT 1996  S.537A", AddedAt = Clock.UtcNow, AddedBy = "bob", ModifiedAt = Clock.UtcNow };
        var error = Assert.Throws<DataShareException>(() => register.InsertLegalGateway(twice, new AuditEvent("LegalGateway.Add", "LegalGateway", twice.Name)));
        Assert.Equal(("LegalGatewayExists", DataShareErrorCategory.ResourceExists), (error.ErrorId, error.Category));
        Assert.Equal(LegalGatewaySeeds.Names.Count + 1, register.ListLegalGateways().Count());
        Assert.Single(register.ReadAuditLog(1), e => e.Action == "LegalGateway.Add");

        var stale = register.ListLegalGateways().Single(g => g.Name == added.Name);
        var retiring = register.ListLegalGateways().Single(g => g.Name == added.Name);
        retiring.IsRetired = true;
        retiring.RetiredReason = "repealed";
        register.UpdateLegalGateway(retiring, new AuditEvent("LegalGateway.Retire", "LegalGateway", added.Name));
        var read = register.ListLegalGateways().Single(g => g.Name == added.Name);
        Assert.Equal((true, "repealed", "alice", 2L), (read.IsRetired, read.RetiredReason, read.AddedBy, read.Version));
        stale.RetiredReason = "other";
        Assert.Throws<RegisterConflictException>(() => register.UpdateLegalGateway(stale, new AuditEvent("LegalGateway.Retire", "LegalGateway", added.Name)));
    }

    [Fact]
    public void A_holds_placing_account_is_kept_with_the_holding()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var holding = Holding("HD-0000000001", "DS1", "c-1", new DateTime(2026, 3, 6));
        register.InsertHolding(holding, new AuditEvent("Holding.Register", "Holding", holding.Id));
        Assert.Null(register.FindHolding(holding.Id)!.HoldPlacedBy);
        var read = register.FindHolding(holding.Id)!;
        read.HoldUntil = new DateTime(2026, 9, 1);
        read.HoldReason = "complaint";
        read.HoldApprovedBy = "Dana";
        read.HoldPlacedBy = "alice";
        register.UpdateHolding(read, new AuditEvent("Holding.Hold", "Holding", holding.Id));
        Assert.Equal("alice", register.FindHolding(holding.Id)!.HoldPlacedBy);
        Assert.Equal("alice", register.ListHeldHoldings().Single().HoldPlacedBy);
    }
}
