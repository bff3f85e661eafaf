using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using DataShareAdmin.Core.Incidents;

namespace DataShareAdmin.Core.Tests.Evidence;

/// <summary>The evidence pack of an agreement holds its incidents (and not another agreement's), with their audit entries, and still verifies.</summary>
public sealed class EvidenceIncidentTests : TransferTestsBase
{
    private byte[] Export(string id)
    {
        using var output = new MemoryStream();
        Engine.Evidence.Export(id, output, host);
        return output.ToArray();
    }

    [Fact]
    public void A_pack_holds_the_agreements_incidents_and_their_audit_entries()
    {
        Engine.Agreements.Create(Samples.Agreement("DS2", "2026-01-01", "2026-12-31"), host);
        var incident = Engine.Incidents.Record(new IncidentRequest
        {
            AgreementId = "DS1", Kind = IncidentKind.Breach, Severity = IncidentSeverity.High, IsReportable = true, Suspend = true,
            DiscoveredAt = Now.AddDays(-4), Summary = "Laptop with the extract stolen",
        }, host)!;
        Engine.Incidents.Record(new IncidentRequest { AgreementId = "DS2", Kind = IncidentKind.Complaint, Severity = IncidentSeverity.Low, Summary = "Other agreement" }, host);

        var pack = Export("DS1");

        var result = EvidencePack.Verify(pack);
        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        var index = JsonNode.Parse(new EvidencePack(pack).Text("data/evidence.json"))!;
        var incidents = index["incidents"]!.AsArray();
        var only = Assert.Single(incidents)!;
        Assert.Equal((incident.Id, "Breach", "Overdue", "Laptop with the extract stolen", true),
            ((string)only["id"]!, (string)only["kind"]!, (string)only["icoState"]!, (string)only["summary"]!, (bool)only["suspendedAgreement"]!));
        var actions = index["audit"]!["entries"]!.AsArray().Select(e => (string)e!["action"]!).ToList();
        Assert.Contains("Incident.Record", actions);
        Assert.Contains("Agreement.Suspend", actions);
        Assert.Contains(incident.Id, new EvidencePack(pack).Text("data/summary.html"), StringComparison.Ordinal);
        Assert.DoesNotContain("Other agreement", new EvidencePack(pack).Text("data/summary.html"), StringComparison.Ordinal);
    }
}
