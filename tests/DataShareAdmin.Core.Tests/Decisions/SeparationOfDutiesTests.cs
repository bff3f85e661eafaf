using System;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Decisions;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.Retention;

namespace DataShareAdmin.Core.Tests.Decisions;

/// <summary>RequireSeparateApprover with two acting accounts: agreements (creator vs approver) and holds (placer vs approver named).</summary>
public sealed class SeparationOfDutiesTests : IDisposable
{
    private readonly TestRegister test = new(new DateTimeOffset(2026, 8, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();

    private DataShareEngine Engine => test.Engine;

    /// <summary>The same register as another account.</summary>
    private DataShareEngine As(string user) => DataShareEngine.Open(new EngineOptions { RegisterPath = test.Path, Clock = test.Clock, Identity = new AuditIdentity(user, "other-machine") });

    [Fact]
    public void The_policy_is_off_by_default_on_sqlite_and_on_for_tables()
    {
        var setting = Engine.Policy.Get(n => n == PolicyCatalogue.RequireSeparateApprover).Single();
        Assert.Equal(("false", "false", true), (setting.Value, setting.DefaultValue, setting.IsDefault));
        Assert.False(Engine.Separation.Required);
        var definition = PolicyCatalogue.Find(PolicyCatalogue.RequireSeparateApprover)!;
        Assert.Equal(("true", "false", "false"), (definition.DefaultFor("AzureTables"), definition.DefaultFor("SQLite"), definition.DefaultFor(null)));
    }

    [Fact]
    public void With_the_policy_on_the_creator_cannot_approve_and_another_account_can()
    {
        Engine.Policy.Set(PolicyCatalogue.RequireSeparateApprover, "true", host);
        Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        var before = test.AuditCount();
        var error = Assert.Throws<DataShareException>(() => Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), Samples.Decision(), host));
        Assert.Equal(("AgreementApproverIsRequester", DataShareErrorCategory.PermissionDenied, "DS1"), (error.ErrorId, error.Category, error.Target));
        Assert.Contains("tester", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, test.AuditCount());
        Assert.Null(Engine.Register.FindAgreement("DS1")!.ApprovedOn);

        using (var bob = As("bob"))
        {
            var approved = bob.Agreements.Approve("ds1", "DSAP-1", new DateTime(2026, 6, 1), Samples.Decision(), new FakeHost())!;
            Assert.Equal(("bob", "bob", false), (approved.ApprovedBy, approved.Decision!.RecordedBy, approved.SelfApproved));
        }

        var entries = Engine.Register.ReadAuditLog(1).Where(e => e.TargetId == "DS1").Select(e => e.Action + " " + e.Actor).ToList();
        Assert.Equal(new[] { "Agreement.Create tester", "Agreement.Approve bob" }, entries);
    }

    [Fact]
    public void With_the_policy_on_the_account_that_requested_a_variation_cannot_approve_it_and_another_can()
    {
        Engine.Policy.Set(PolicyCatalogue.RequireSeparateApprover, "true", host);
        Engine.Agreements.Create(Samples.Agreement("DS1", "2026-01-01", "2026-12-31"), host);
        using var bob = As("bob");
        bob.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), Samples.Decision(), new FakeHost());
        var variation = Engine.Agreements.RequestVariation("DS1", new Agreements.AgreementChanges { EndsOn = new DateTime(2027, 3, 31) }, "Results arrive late.", host)!;
        var before = test.AuditCount();

        var error = Assert.Throws<DataShareException>(() => Engine.Agreements.ApproveVariation(variation.Id, "DSAP-2", new DateTime(2026, 7, 1), host));
        Assert.Equal(("VariationApproverIsRequester", DataShareErrorCategory.PermissionDenied, variation.Id), (error.ErrorId, error.Category, error.Target));
        Assert.Equal(before, test.AuditCount());
        Assert.Equal(new DateTime(2026, 12, 31), Engine.Agreements.Get("DS1").EndsOn);

        var approved = bob.Agreements.ApproveVariation(variation.Id, "DSAP-2", new DateTime(2026, 7, 1), new FakeHost())!;
        Assert.Equal((VariationState.Approved, "bob"), (approved.State, approved.DecidedBy));
        Assert.Equal(new DateTime(2027, 3, 31), Engine.Agreements.Get("DS1").EndsOn);
        Assert.False(Engine.Register.ReadAuditLog(1).Last().Details.ContainsKey("SelfApproved"));
    }

    [Fact]
    public void With_the_policy_off_a_self_approved_variation_is_allowed_and_flagged_in_its_audit_entry()
    {
        Engine.Agreements.Create(Samples.Agreement("DS1", "2026-01-01", "2026-12-31"), host);
        Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), Samples.Decision(), host);
        var variation = Engine.Agreements.RequestVariation("DS1", new Agreements.AgreementChanges { EndsOn = new DateTime(2027, 3, 31) }, "Results arrive late.", host)!;

        Engine.Agreements.ApproveVariation(variation.Id, "DSAP-2", new DateTime(2026, 7, 1), host);

        var entry = Engine.Register.ReadAuditLog(1).Last();
        Assert.Equal(("Variation.Approve", "approved by the account that requested it (tester)"), (entry.Action, entry.Details["SelfApproved"]));
    }

    [Fact]
    public void With_the_policy_off_a_self_approval_is_allowed_audited_and_flagged()
    {
        Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        var approved = Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 1), Samples.Decision(), host)!;
        Assert.True(approved.SelfApproved);
        Assert.Contains(host.Verbose, w => w.Contains("approved by the account that created it", StringComparison.Ordinal));
        Assert.Empty(host.Warnings);
        Assert.Equal("approved by the account that created it (tester)", Engine.Register.ReadAuditLog(1).Last().Details["SelfApproved"]);
        Assert.True(Engine.Agreements.Get("DS1").SelfApproved);
    }

    [Fact]
    public void Accounts_are_the_same_without_regard_to_case_or_a_domain_only_one_side_names()
    {
        Assert.True(SeparationOfDuties.SameAccount("alice", "ALICE"));
        Assert.True(SeparationOfDuties.SameAccount("CONTOSO\\alice", "alice"));
        Assert.True(SeparationOfDuties.SameAccount("alice@contoso.org", " Alice "));
        Assert.False(SeparationOfDuties.SameAccount("CONTOSO\\alice", "FABRIKAM\\alice"));
        Assert.False(SeparationOfDuties.SameAccount("alice", "bob"));
        Assert.False(SeparationOfDuties.SameAccount(null, "bob"));
        Assert.False(SeparationOfDuties.SameAccount("alice", " "));
    }

    [Fact]
    public void A_hold_placed_with_the_policy_on_needs_an_approver_other_than_the_account_placing_it()
    {
        var agreement = Samples.Agreement("ENDED", "2026-01-01", "2026-06-30");
        agreement.RetentionDays = 0;
        Engine.Agreements.Create(agreement, host);
        var folder = Path.Combine(test.Directory, "kept");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "pupils.csv"), "upn\n");
        var holding = Engine.Retention.Register("ENDED", folder, host)!;
        RetentionHoldRequest Hold(string approver) => new() { HoldingId = holding.Id, Reason = "complaint", ApprovedBy = approver, Until = new DateTime(2026, 10, 1) };

        Engine.Policy.Set(PolicyCatalogue.RequireSeparateApprover, "true", host);
        var before = test.AuditCount();
        var error = Assert.Throws<DataShareException>(() => Engine.Holds.Add(Hold("Tester"), host));
        Assert.Equal(("HoldApproverIsRequester", DataShareErrorCategory.PermissionDenied, holding.Id), (error.ErrorId, error.Category, error.Target));
        Assert.Equal(before, test.AuditCount());
        Assert.Null(Engine.Register.FindHolding(holding.Id)!.HoldUntil);

        var held = Engine.Holds.Add(Hold("dana"), host)!;
        Assert.Equal(("tester", false), (held.PlacedBy, held.SelfApproved));

        Engine.Policy.Set(PolicyCatalogue.RequireSeparateApprover, "false", host);
        var self = Engine.Holds.Add(Hold("tester"), host)!;
        Assert.True(self.SelfApproved);
        Assert.True(Engine.Holds.List(holding.Id, null).Single().SelfApproved);
        Assert.StartsWith("approved by the account that placed it", Engine.Register.ReadAuditLog(1).Last().Details["SelfApproved"], StringComparison.Ordinal);
    }

    public void Dispose() => test.Dispose();
}
