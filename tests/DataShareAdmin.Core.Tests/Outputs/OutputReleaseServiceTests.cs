using System;
using System.Linq;
using DataShareAdmin.Core.Outputs;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Register;

namespace DataShareAdmin.Core.Tests.Outputs;

/// <summary>Releases through the register: two people, every step audited, only approved releases differenced against.</summary>
public sealed class OutputReleaseServiceTests : IDisposable
{
    private readonly TestRegister test = new();
    private readonly OutputFiles files = new();
    private readonly FakeHost host = new();

    public OutputReleaseServiceTests()
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS00752"), host);
        test.Engine.Agreements.Approve("DS00752", "DSAP-1", new DateTime(2025, 12, 1), Samples.Decision(), host);
    }

    private OutputReleaseService Outputs => test.Engine.Outputs;

    /// <summary>The same register as someone else (the approver).</summary>
    private DataShareEngine As(string user) => DataShareEngine.Open(new EngineOptions { RegisterPath = test.Path, Clock = test.Clock, Identity = new AuditIdentity(user, "other-machine") });

    private OutputReleaseRequest Request(params string[] paths) => new() { AgreementId = "ds00752", Paths = paths, Purpose = "Attainment paper" };

    private string Passing(string name = "fsm.csv", int north = 120) => files.Table(name, "Region,Count", $"North,{north}", "South,200");

    [Fact]
    public void A_release_is_requested_by_one_person_approved_by_another_and_each_step_is_audited()
    {
        var before = test.AuditCount();
        var requested = Outputs.Request(Request(Passing()), host)!;

        Assert.Equal((OutputReleaseState.Requested, "tester", OutputVerdict.Pass), (requested.State, requested.RequestedBy, requested.Verdict));
        Assert.StartsWith("RL-", requested.Id, StringComparison.Ordinal);
        var file = Assert.Single(requested.Files);
        Assert.Equal(("fsm.csv", 2, "Region"), (file.Name, file.Cells, string.Join(",", file.Dimensions)));
        Assert.Equal(64, file.Sha256.Length);
        Assert.Equal(new OutputRules().ToString(), requested.Rules);

        var self = Assert.Throws<DataShareException>(() => Outputs.Approve(requested.Id, host));
        Assert.Equal(("OutputReleaseApproverIsRequester", DataShareErrorCategory.PermissionDenied), (self.ErrorId, self.Category));
        Assert.Equal(OutputReleaseState.Requested, test.Engine.Register.FindOutputRelease(requested.Id)!.State);

        using (var bob = As("bob"))
        {
            var approved = bob.Outputs.Approve(requested.Id.ToLowerInvariant(), new FakeHost())!;
            Assert.Equal((OutputReleaseState.Approved, "bob", test.Clock.UtcNow), (approved.State, approved.ApprovedBy, approved.ApprovedAt));
            var again = Assert.Throws<DataShareException>(() => bob.Outputs.Approve(requested.Id, new FakeHost()));
            Assert.Equal(("OutputReleaseNotRequested", DataShareErrorCategory.InvalidOperation), (again.ErrorId, again.Category));
        }

        var revoked = Outputs.Revoke(requested.Id, "Table superseded", host)!;
        Assert.Equal((OutputReleaseState.Revoked, "tester", "Table superseded"), (revoked.State, revoked.RevokedBy, revoked.RevokedReason));
        var audit = test.Engine.Register.ReadAuditLog(1).Where(e => e.TargetType == "OutputRelease").Select(e => e.Action + " " + e.Actor).ToList();
        Assert.Equal(new[] { "OutputRelease.Requested tester", "OutputRelease.Approved bob", "OutputRelease.Revoked tester" }, audit);
        Assert.Equal(3, test.AuditCount() - before);
    }

    [Fact]
    public void A_failing_cell_needs_a_justification_and_then_each_one_is_recorded_as_an_exception()
    {
        var failing = files.Table("small.csv", "Region,Count", "North,4", "South,200", "East,0");
        var before = test.AuditCount();

        var error = Assert.Throws<DataShareException>(() => Outputs.Request(Request(failing), host));

        Assert.Equal(("OutputReleaseJustificationMissing", DataShareErrorCategory.InvalidOperation), (error.ErrorId, error.Category));
        Assert.Empty(test.Engine.Register.ListOutputReleases(null));
        Assert.Empty(test.Engine.Register.ListOutputReleaseCells(null));
        Assert.Equal(before, test.AuditCount());

        var request = Request(failing);
        request.Justification = "Counts published by the school itself";
        var release = Outputs.Request(request, host)!;
        Assert.Equal(OutputVerdict.Fail, release.Verdict);
        Assert.Equal(new[] { "Region=North Threshold", "Region=East Zero" }, release.Exceptions.Select(e => e.Cell + " " + e.Rules));
        Assert.All(release.Exceptions, e => Assert.Equal(("Counts published by the school itself", "tester"), (e.Justification, e.WrittenBy)));
        Assert.Equal(3, test.Engine.Register.ListOutputReleaseCells(release.Id).Count());
    }

    [Fact]
    public void Only_approved_releases_count_for_differencing_and_the_finding_names_the_release()
    {
        var first = Outputs.Request(Request(Passing("jan.csv", 120)), host)!;
        var later = Passing("feb.csv", 123);

        // Requested only: not released, so nothing to difference against.
        Assert.Equal(OutputVerdict.Pass, Outputs.Check("DS00752", later, null, default).Summary.Verdict);

        using (var bob = As("bob"))
        {
            bob.Outputs.Approve(first.Id, new FakeHost());
        }

        var check = Outputs.Check("DS00752", later, null, default);
        var north = check.Cells.Single(c => c.Cell == "Region=North");
        Assert.Equal((OutputVerdict.Fail, "Differencing"), (north.Verdict, north.Rules));
        Assert.Contains(first.Id, north.Findings.Single(f => f.Rule == OutputRule.Differencing).Related, StringComparison.Ordinal);
        Assert.Contains(first.Id, check.Summary.ComparedWith, StringComparison.Ordinal);

        Outputs.Revoke(first.Id, "Withdrawn", host);
        Assert.Equal(OutputVerdict.Pass, Outputs.Check("DS00752", later, null, default).Summary.Verdict);
    }

    [Fact]
    public void An_agreement_may_only_tighten_the_output_rules_and_its_override_applies_to_it_alone()
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS00800"), host);
        test.Engine.Agreements.Approve("DS00800", "DSAP-2", new DateTime(2025, 12, 1), Samples.Decision(), host);

        var looser = Assert.Throws<DataShareException>(() => test.Engine.Policy.SetOverride(PolicyCatalogue.OutputThreshold, "DS00752", "5", host));
        Assert.Equal(("PolicyOverrideLooser", DataShareErrorCategory.InvalidArgument), (looser.ErrorId, looser.Category));
        var zeros = Assert.Throws<DataShareException>(() => test.Engine.Policy.SetOverride(PolicyCatalogue.OutputZerosDisclosive, "DS00752", "false", host));
        Assert.Equal("PolicyOverrideLooser", zeros.ErrorId);
        var k = Assert.Throws<DataShareException>(() => test.Engine.Policy.SetOverride(PolicyCatalogue.OutputDominanceK, "DS00752", "95", host));
        Assert.Equal("PolicyOverrideLooser", k.ErrorId);
        var other = Assert.Throws<DataShareException>(() => test.Engine.Policy.SetOverride(PolicyCatalogue.TransferGraceDays, "DS00752", "0", host));
        Assert.Equal(("PolicyOverrideNotAllowed", DataShareErrorCategory.InvalidArgument), (other.ErrorId, other.Category));
        var range = Assert.Throws<DataShareException>(() => test.Engine.Policy.SetOverride(PolicyCatalogue.OutputThreshold, "DS00752", "0", host));
        Assert.Equal("PolicyValueInvalid", range.ErrorId);

        var set = test.Engine.Policy.SetOverride(PolicyCatalogue.OutputThreshold, "DS00752", "130", host)!;
        Assert.Equal(("OutputThreshold@DS00752", "130", "10"), (set.Name, set.Value, set.DefaultValue));
        Assert.Equal(130, Outputs.RulesFor("DS00752").Threshold);
        Assert.Equal(10, Outputs.RulesFor("DS00800").Threshold);
        Assert.Equal(OutputVerdict.Fail, Outputs.Check("DS00752", Passing(), null, default).Summary.Verdict);
        Assert.Equal(OutputVerdict.Pass, Outputs.Check("DS00800", Passing(), null, default).Summary.Verdict);

        // The register tightened past the override later: the stricter of the two applies.
        test.Engine.Policy.Set(PolicyCatalogue.OutputThreshold, "150", host);
        Assert.Equal(150, Outputs.RulesFor("DS00752").Threshold);
    }

    [Fact]
    public void Nothing_is_checked_or_recorded_under_an_agreement_that_is_not_active_and_declining_writes_nothing()
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS00900", "2027-01-01", "2027-12-31"), host);
        var path = Passing();

        var error = Assert.Throws<DataShareException>(() => Outputs.Check("DS00900", path, null, default));
        Assert.Equal(("AgreementNotActive", DataShareErrorCategory.InvalidOperation), (error.ErrorId, error.Category));
        var request = Request(path);
        request.AgreementId = "DS00900";
        Assert.Equal("AgreementNotActive", Assert.Throws<DataShareException>(() => Outputs.Request(request, host)).ErrorId);

        var before = test.AuditCount();
        Assert.Null(Outputs.Request(Request(path), new FakeHost(approve: false)));
        Assert.Empty(test.Engine.Register.ListOutputReleases(null));
        Assert.Equal(before, test.AuditCount());
        Assert.Equal("OutputReleaseNotFound", Assert.Throws<DataShareException>(() => Outputs.Approve("RL-0000000000", host)).ErrorId);
        Assert.Equal("OutputReleaseFileDuplicate", Assert.Throws<DataShareException>(() => Outputs.Request(Request(path, path), host)).ErrorId);
    }

    public void Dispose()
    {
        files.Dispose();
        test.Dispose();
    }
}
