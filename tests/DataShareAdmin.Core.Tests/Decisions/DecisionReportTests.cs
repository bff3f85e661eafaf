using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using DataShareAdmin.Core.Decisions;
using DataShareAdmin.Core.Register;

namespace DataShareAdmin.Core.Tests.Decisions;

/// <summary>Reports show the panel's decision (or that none was recorded), self-approvals, free-text gateways, and refusals' failed tests.</summary>
public sealed class DecisionReportTests : IDisposable
{
    private readonly TestRegister test = new();
    private readonly FakeHost host = new();

    public DecisionReportTests()
    {
        foreach (var id in new[] { "DS1", "DS2", "DS3", "DS4" })
        {
            var agreement = Samples.Agreement(id);
            agreement.LegalGateway = id == "DS3" ? "An Act nobody catalogued" : agreement.LegalGateway;
            Engine.Agreements.Create(agreement, host);
        }

        // DS1: approved by another account with a decision. DS2: approved by its creator (policy off). DS3: approved before
        // decisions were recorded (written as an older release left it). DS4: refused for two tests.
        using (var bob = DataShareEngine.Open(new EngineOptions { RegisterPath = test.Path, Clock = test.Clock, Identity = new AuditIdentity("bob", "m") }))
        {
            bob.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 1, 1), Samples.Decision(DecisionMaker.Panel, "No linkage"), new FakeHost());
        }

        Engine.Agreements.Approve("DS2", "DSAP-2", new DateTime(2026, 1, 1), Samples.Decision(), host);
        var old = Engine.Register.FindAgreement("DS3")!;
        old.ApprovalReference = "DSAP-3";
        old.ApprovedOn = new DateTime(2025, 1, 1);
        old.ApprovedBy = "carol";
        Engine.Register.UpdateAgreement(old, new AuditEvent("Agreement.Approve", "Agreement", "DS3"));
        Engine.Agreements.Refuse("DS4", "The request was not proportionate.", new DateTime(2026, 2, 1), Samples.Refusal(PanelTest.Proportionate, PanelTest.Secure), host);
    }

    private DataShareEngine Engine => test.Engine;

    [Fact]
    public void The_register_report_shows_each_decision_or_that_none_was_recorded_self_approvals_and_free_text_gateways()
    {
        var table = Engine.Reports.Build(ReportKind.Register, new DateTime(2026, 6, 1), null);
        var columns = table.Columns.Select(c => c.Name).ToList();
        var rows = table.Rows.ToDictionary(r => (string)r[0]!);
        string? Cell(string id, string column) => (string?)rows[id][columns.IndexOf(column)];

        Assert.Equal("Approved by Panel: legal, ethical, proportionate, secure; conditions: No linkage", Cell("DS1", "decision"));
        Assert.Null(Cell("DS1", "separationOfDuties"));
        Assert.Null(Cell("DS1", "gatewayCheck"));
        Assert.Equal("approved by the account that created it (tester)", Cell("DS2", "separationOfDuties"));
        Assert.Equal((DecisionPhrases.NotRecorded, "not in the catalogue", (string?)null), (Cell("DS3", "decision"), Cell("DS3", "gatewayCheck"), Cell("DS3", "separationOfDuties")));
        Assert.Equal("Refused by Panel: not proportionate, not secure", Cell("DS4", "decision"));
    }

    [Fact]
    public void The_public_register_shows_a_refusals_failed_tests_and_the_evidence_pack_a_self_approval()
    {
        using (var stream = new MemoryStream())
        {
            Engine.Reports.Export(ReportKind.PublicRegister, ReportFormat.Json, stream, new DateTime(2026, 6, 1), null);
            using var json = JsonDocument.Parse(new UTF8Encoding(false, true).GetString(stream.ToArray()));
            var closed = json.RootElement.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "refusedOrWithdrawn").GetProperty("rows");
            var row = Assert.Single(closed.EnumerateArray());
            Assert.Equal(("DS4", "Proportionate; Secure", "The request was not proportionate."), (row.GetProperty("reference").GetString(), row.GetProperty("failedTests").GetString(), row.GetProperty("reason").GetString()));
            Assert.DoesNotContain("not shown", json.RootElement.ToString(), StringComparison.Ordinal);
        }

        using (var pack = new MemoryStream())
        {
            var approval = Engine.Evidence.Export("DS2", pack, host).Agreement.Approval!;
            Assert.Equal(("approved by the account that created it (tester)", "Approved by Panel: legal, ethical, proportionate, secure"), (approval.SeparationOfDuties, approval.Decision));
        }

        using (var pack = new MemoryStream())
        {
            var approval = Engine.Evidence.Export("DS3", pack, host).Agreement.Approval!;
            Assert.Equal((DecisionPhrases.NotRecorded, (string?)null), (approval.Decision, approval.SeparationOfDuties));
        }
    }

    public void Dispose() => test.Dispose();
}
