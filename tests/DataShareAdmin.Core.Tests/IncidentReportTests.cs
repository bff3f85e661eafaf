using System;
using System.IO;
using System.Linq;
using System.Text;
using DataShareAdmin.Core.Incidents;

namespace DataShareAdmin.Core.Tests;

/// <summary>The Incidents report in every format, the 72-hour flag in it, and incident summaries kept out of the public register.</summary>
public sealed class IncidentReportTests : IDisposable
{
    private const string Secret = "Jo Bloggs emailed the FSM extract to a friend";
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 9, 0, 0, TimeSpan.Zero);
    private readonly TestRegister test = new(Now);
    private readonly FakeHost host = new();
    private readonly DataShareIncident overdue;
    private readonly DataShareIncident closed;

    public IncidentReportTests()
    {
        var engine = test.Engine;
        Samples.AddOrganisation(engine, assessedOn: "2026-02-01");
        engine.Agreements.Create(Samples.Agreement("DS1", "2026-01-01", "2026-12-31"), host);
        engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 1, 1), Samples.Decision(), host);
        engine.Agreements.Create(Samples.Agreement("DS2", "2026-01-01", "2026-12-31"), host);
        engine.Agreements.Approve("DS2", "DSAP-2", new DateTime(2026, 1, 1), Samples.Decision(), host);
        overdue = engine.Incidents.Record(new IncidentRequest
        {
            AgreementId = "DS1", Kind = IncidentKind.Breach, Severity = IncidentSeverity.High, IsReportable = true, Suspend = true,
            DiscoveredAt = Now.AddDays(-4), Summary = "=" + Secret,
        }, host)!;
        closed = engine.Incidents.Record(new IncidentRequest
        {
            AgreementId = "DS2", Kind = IncidentKind.NearMiss, Severity = IncidentSeverity.Low, DiscoveredAt = Now.AddDays(-1), Summary = "Wrong folder, caught in time",
        }, host)!;
        engine.Incidents.Update(closed.Id, new IncidentChanges { Actions = "Moved", ClosedOn = engine.Calendar.Today }, host);
    }

    private string Export(ReportKind kind, ReportFormat format, DateTime? asOf = null, string[]? only = null)
    {
        using var stream = new MemoryStream();
        test.Engine.Reports.Export(kind, format, stream, asOf, only);
        return new UTF8Encoding(false, true).GetString(stream.ToArray());
    }

    [Fact]
    public void The_register_report_flags_an_agreement_with_a_reportable_incident_past_the_icos_72_hours()
    {
        var rows = ReportTests.ParseCsv(Export(ReportKind.Register, ReportFormat.Csv));
        var header = rows[0].ToList();
        var flags = rows.Skip(1).ToDictionary(r => r[header.IndexOf("reference")], r => r[header.IndexOf("flags")]);

        Assert.Contains($"Incident {overdue.Id} is reportable and past the ICO's 72 hours without a notification", flags["DS1"], StringComparison.Ordinal);
        Assert.DoesNotContain("72 hours", flags["DS2"], StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, string.Join("\n", flags.Values), StringComparison.Ordinal);
    }

    [Fact]
    public void The_csv_has_one_row_per_incident_with_the_72_hour_flag_and_what_needs_attention()
    {
        var rows = ReportTests.ParseCsv(Export(ReportKind.Incidents, ReportFormat.Csv));
        var header = rows[0].ToList();
        string Cell(string[] row, string name) => row[header.IndexOf(name)];

        Assert.Equal(3, rows.Count);
        var first = rows[1];
        Assert.Equal(("DS1", overdue.Id, "Breach", "High", "true", "Overdue", "true", "true"),
            (Cell(first, "agreement"), Cell(first, "incidentId"), Cell(first, "kind"), Cell(first, "severity"), Cell(first, "reportable"), Cell(first, "icoState"), Cell(first, "icoOverdue"), Cell(first, "suspendedAgreement")));
        Assert.Equal(("2026-06-11T09:00:00.000Z", "2026-06-14T09:00:00.000Z", "'=" + Secret), (Cell(first, "discoveredAt"), Cell(first, "icoDueBy"), Cell(first, "summary")));
        Assert.StartsWith("ICO notification overdue", Cell(first, "flags"), StringComparison.Ordinal);
        Assert.EndsWith("; Open", Cell(first, "flags"), StringComparison.Ordinal);
        var second = rows[2];
        Assert.Equal(("DS2", "NotReportable", "false", "2026-06-15", "Moved", string.Empty), (Cell(second, "agreement"), Cell(second, "icoState"), Cell(second, "icoOverdue"), Cell(second, "closedOn"), Cell(second, "actions"), Cell(second, "flags")));
    }

    [Theory]
    [InlineData(ReportFormat.Html)]
    [InlineData(ReportFormat.Csv)]
    [InlineData(ReportFormat.Json)]
    [InlineData(ReportFormat.Markdown)]
    public void Every_format_writes_the_incidents(ReportFormat format)
    {
        var text = Export(ReportKind.Incidents, format);

        Assert.Contains(overdue.Id, text, StringComparison.Ordinal);
        Assert.Contains(closed.Id, text, StringComparison.Ordinal);
        if (format != ReportFormat.Csv)
        {
            // CSV keeps one record per row: its context is in trailing columns, without the title.
            Assert.Contains("Incidents: breaches, complaints and near misses", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_report_limits_to_some_agreements()
    {
        var text = Export(ReportKind.Incidents, ReportFormat.Csv, only: new[] { "ds2" });

        Assert.DoesNotContain(overdue.Id, text, StringComparison.Ordinal);
        Assert.Contains(closed.Id, text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_past_day_leaves_out_later_incidents_and_judges_the_72_hours_at_its_end()
    {
        // 2026-06-12 ends at 23:00 UTC (London summer time): 62 hours after discovery, so still due, and open.
        var rows = ReportTests.ParseCsv(Export(ReportKind.Incidents, ReportFormat.Csv, asOf: new DateTime(2026, 6, 12)));
        var header = rows[0].ToList();

        var row = Assert.Single(rows.Skip(1));
        Assert.Equal((overdue.Id, "Due", "false", "Open"), (row[header.IndexOf("incidentId")], row[header.IndexOf("icoState")], row[header.IndexOf("icoOverdue")], row[header.IndexOf("flags")]));
    }

    [Theory]
    [InlineData(ReportFormat.Html)]
    [InlineData(ReportFormat.Csv)]
    [InlineData(ReportFormat.Json)]
    [InlineData(ReportFormat.Markdown)]
    public void Incident_summaries_never_reach_the_public_register(ReportFormat format)
    {
        var text = Export(ReportKind.PublicRegister, format);

        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("caught in time", text, StringComparison.Ordinal);
        Assert.DoesNotContain(overdue.Id, text, StringComparison.Ordinal);
    }

    public void Dispose() => test.Dispose();
}
