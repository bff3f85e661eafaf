using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.Reports;
using DataShareAdmin.Core.SafePeople;
using DataShareAdmin.Core.Transfers;
using FsCheck;
using FsCheck.Fluent;

namespace DataShareAdmin.Core.Tests;

/// <summary>Reports as scripts read them: CSV and JSON parsed back and compared with the register; injection cases.</summary>
public sealed class ReportTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 9, 0, 0, TimeSpan.Zero);
    private readonly TestRegister test = new(Now);
    private readonly FakeHost host = new();

    public ReportTests()
    {
        var engine = test.Engine;
        var tricky = Samples.Agreement("DS1", "2026-01-01", "2026-12-31");
        tricky.Title = "=HYPERLINK(\"http://evil.example\",\"click\")";
        tricky.Organisation = "<script>alert('x')</script> & Co, \"Ltd\"";
        var trickyOrganisation = engine.Organisations.Create(tricky.Organisation, null, null, null, host)!;
        engine.Organisations.AddAssessment(new Organisations.AssessmentRequest { Organisation = trickyOrganisation.Id, AssessedOn = new DateTime(2026, 1, 5), ValidUntil = new DateTime(2027, 6, 30), Outcome = AssessmentOutcome.Passed, Reference = "ISQ-7" }, host);
        tricky.Purpose = "-2+3 | pipes\nand a new line";
        engine.Agreements.Create(tricky, host);
        engine.Agreements.Approve("DS1", "@DSAP-1", new DateTime(2026, 1, 1), Samples.Decision(), host);
        Samples.AddDpia(engine, "DS1");
        engine.Agreements.Create(Samples.Agreement("DS2", "2026-01-01", "2026-12-31"), host);

        Ready(engine.Recipients.Add("DS1", "Jo Bloggs", "jo@example.org", "+Analyst", host)!, "2025-03-01", "001234567890");
        Ready(engine.Recipients.Add("DS1", "Sam Smith", "sam@example.org", null, host)!, "2024-07-01", "009876543210");
        engine.Recipients.Add("DS2", "Alex Able", "alex@example.org", null, host);
    }

    private void Ready(DataShareRecipient recipient, string issued, string number)
    {
        test.Engine.Recipients.Update(recipient.Id, new RecipientChanges { DeclarationSignedOn = new DateTime(2026, 1, 10), TrainingCompletedOn = new DateTime(2026, 1, 5) }, host);
        test.Engine.Certificates.Add(recipient.Email, new CertificateDraft { Issuer = "DBS", Level = "Basic", Number = number, IssuedOn = DateTime.Parse(issued, System.Globalization.CultureInfo.InvariantCulture), HolderName = recipient.Name }, host);
    }

    internal static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                rows.Add(fields.ToArray());
                fields.Clear();
                i++;
            }
            else
            {
                field.Append(c);
            }
        }

        return rows;
    }

    private string Write(ReportKind kind, Func<ReportTable, Stream, long> writer, ICollection<string>? only = null)
    {
        using var stream = new MemoryStream();
        writer(test.Engine.Reports.Build(kind, null, only), stream);
        return new UTF8Encoding(false, true).GetString(stream.ToArray());
    }

    [Fact]
    public void The_register_report_in_csv_parses_back_to_the_register_with_formulas_neutralised_and_dates_untouched()
    {
        var rows = ParseCsv(Write(ReportKind.Register, CsvReportWriter.Write));

        Assert.Equal(ReportService.RegisterColumns.Select(c => c.Name).Concat(new[] { "reportGeneratedAt", "reportGeneratedBy", "reportRegister", "reportAsOf" }), rows[0]);
        Assert.Equal(3, rows.Count);
        var ds1 = rows[1];
        string Cell(string name) => ds1[Array.IndexOf(rows[0], name)];
        Assert.Equal("DS1", Cell("reference"));
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"click\")", Cell("project"));
        Assert.Equal("'-2+3 | pipes\nand a new line", Cell("purpose"));
        Assert.Equal("'@DSAP-1", Cell("approvalReference"));
        Assert.Equal("<script>alert('x')</script> & Co, \"Ltd\"", Cell("organisation"));
        Assert.Equal(("2026-01-01", "2026-12-31", "2026-01-01"), (Cell("startsOn"), Cell("endsOn"), Cell("approvedOn")));
        Assert.Equal("KS2 attainment (B, 3); FSM eligibility (C, 4)", Cell("dataItems"));
        Assert.Equal(("Active", "No holdings registered"), (Cell("status"), Cell("destructionStatus")));
        Assert.Equal(("DS2", "Pending"), (rows[2][0], rows[2][Array.IndexOf(rows[0], "status")]));
        Assert.Equal(("2026-06-15T09:00:00.000Z", "tester", "2026-06-15"), (Cell("reportGeneratedAt"), Cell("reportGeneratedBy"), Cell("reportAsOf")));
        Assert.StartsWith("SQLite:", Cell("reportRegister"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_safe_people_report_in_json_is_sorted_soonest_to_lapse_with_iso_dates_and_real_booleans()
    {
        using var document = JsonDocument.Parse(Write(ReportKind.SafePeople, JsonReportWriter.Write));
        var root = document.RootElement;
        Assert.Equal(("2026-06-15", "tester"), (root.GetProperty("asOf").GetString(), root.GetProperty("generatedBy").GetString()));
        Assert.Equal("2026-06-15T09:00:00.000Z", root.GetProperty("generatedAt").GetString());
        var rows = root.GetProperty("rows").EnumerateArray().ToList();

        // Not ready first (Alex: nothing recorded), then Sam (lapses 2026-07-01), then Jo (2027-03-01).
        Assert.Equal(new[] { "alex@example.org", "sam@example.org", "jo@example.org" }, rows.Select(r => r.GetProperty("email").GetString()));
        Assert.False(rows[0].GetProperty("ready").GetBoolean());
        Assert.Contains("Certificate", rows[0].GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("certificateIssuer").ValueKind);
        Assert.True(rows[1].GetProperty("ready").GetBoolean());
        Assert.Equal(("2026-07-01", "2024-07-01", "DBS", "Basic"), (rows[1].GetProperty("readyUntil").GetString(), rows[1].GetProperty("certificateIssuedOn").GetString(),
            rows[1].GetProperty("certificateIssuer").GetString(), rows[1].GetProperty("certificateLevel").GetString()));
        Assert.Equal("+Analyst", rows[2].GetProperty("role").GetString());
    }

    [Fact]
    public void A_report_is_limited_to_the_agreements_given()
    {
        var rows = ParseCsv(Write(ReportKind.SafePeople, CsvReportWriter.Write, new[] { "ds2" }));
        Assert.Equal(2, rows.Count);
        Assert.Equal("alex@example.org", rows[1][Array.IndexOf(rows[0], "email")]);
    }

    [Fact]
    public void The_transfers_and_audit_reports_carry_hashes_and_never_a_link()
    {
        var storage = new MemoryTransferStorage();
        var file = Path.Combine(test.Directory, "extract.csv");
        File.WriteAllText(file, "a,b\n1,2\n");
        test.Engine.Agreements.Update("DS1", new Agreements.AgreementChanges { AccessRoute = AccessRoute.DirectTransfer }, host);
        var transfer = test.Engine.Transfers.Issue(new TransferRequest { AgreementId = "DS1", Paths = new[] { file }, ValidFor = TimeSpan.FromHours(5), RecipientIds = new[] { test.Engine.Recipients.Find("DS1", false).First(r => r.Email == "jo@example.org").Id } }, storage, host)!;

        var csv = Write(ReportKind.Transfers, CsvReportWriter.Write);
        var rows = ParseCsv(csv);
        Assert.Equal(2, rows.Count);
        string Cell(string name) => rows[1][Array.IndexOf(rows[0], name)];
        Assert.Equal((transfer.Id, "1", "8", "extract.csv=" + transfer.Files[0].Sha256), (Cell("transferId"), Cell("fileCount"), Cell("totalBytes"), Cell("sha256")));
        Assert.Equal(("2026-06-15T14:00:00.000Z", "false", "extract.csv (8 bytes)"), (Cell("expiresOn"), Cell("revoked"), Cell("files")));
        Assert.DoesNotContain("sig=", csv, StringComparison.Ordinal);

        using var auditStream = new MemoryStream();
        test.Engine.Reports.Export(ReportKind.Audit, ReportFormat.Csv, auditStream, null, null, test.Engine.Audit.Test(null, host));
        var audit = ParseCsv(Encoding.UTF8.GetString(auditStream.ToArray()));
        Assert.StartsWith("Audit log intact: ", audit[1][Array.IndexOf(audit[0], "reportIntegrity")], StringComparison.Ordinal);
        Assert.Equal(test.SetUpEntries + test.AuditCount(), audit.Count - 1);
        Assert.Equal(("1", "Organisation.Create"), (audit[1][0], audit[1][Array.IndexOf(audit[0], "action")]));
        Assert.Equal(test.Engine.Register.ReadAuditHead()!.Hash, audit[^1][Array.IndexOf(audit[0], "hash")]);
    }

    [Fact]
    public void The_audit_report_says_which_entries_were_changed_outside_the_module_instead_of_showing_them_blank()
    {
        Assert.Equal(1, test.ExecuteRaw("UPDATE audit_log SET details = '[]' WHERE sequence = 1"));

        using var auditStream = new MemoryStream();
        test.Engine.Reports.Export(ReportKind.Audit, ReportFormat.Csv, auditStream, null, null, test.Engine.Audit.Test(null, host));
        var audit = ParseCsv(Encoding.UTF8.GetString(auditStream.ToArray()));

        Assert.StartsWith("Audit log NOT intact", audit[1][Array.IndexOf(audit[0], "reportIntegrity")], StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("Not as written: the details are not a JSON object", audit[1][Array.IndexOf(audit[0], "details")], StringComparison.Ordinal);
        Assert.Equal(test.SetUpEntries + test.AuditCount(), audit.Count - 1);
    }

    [Fact]
    public void The_retention_report_shows_destroyed_blocked_and_due_holdings_and_overdue_confirmations()
    {
        foreach (var id in new[] { "DS3", "DS4" })
        {
            var ended = Samples.Agreement(id, "2025-06-01", "2026-03-31");
            ended.RetentionDays = 0;
            test.Engine.Agreements.Create(ended, host);
        }

        var storage = new MemoryRetentionStorage();
        storage.Add("gone", "a.csv");
        storage.Add("held", "b.csv");
        storage.LegalHolds.Add("b.csv");
        test.Engine.Retention.Register("DS3", "https://contosodata.blob.core.windows.net/gone/", host);
        test.Engine.Retention.Register("DS3", "https://contosodata.blob.core.windows.net/held/", host);
        test.Engine.Retention.Register("DS1", "https://contosodata.blob.core.windows.net/later/", host);
        test.Engine.Retention.Sweep(new Retention.SweepOptions(), _ => storage, host, e => throw e).ToList();

        var rows = ParseCsv(Write(ReportKind.Retention, CsvReportWriter.Write));
        string Cell(string[] row, string name) => row[Array.IndexOf(rows[0], name)];
        var byLocation = rows.Skip(1).ToDictionary(r => Cell(r, "location"));

        var gone = byLocation["https://contosodata.blob.core.windows.net/gone"];
        Assert.Equal(("Destroyed", "Destroyed", "1", "true", "2026-04-01"), (Cell(gone, "state"), Cell(gone, "outcome"), Cell(gone, "objectsDeleted"), Cell(gone, "verified"), Cell(gone, "dueOn")));
        var held = byLocation["https://contosodata.blob.core.windows.net/held"];
        Assert.Equal(("Blocked", "false"), (Cell(held, "state"), Cell(held, "verified")));
        Assert.Contains("BlobImmutableDueToLegalHold", Cell(held, "reason"), StringComparison.Ordinal);
        Assert.Equal(("Held", "false"), (Cell(byLocation["https://contosodata.blob.core.windows.net/later"], "state"), Cell(byLocation["https://contosodata.blob.core.windows.net/later"], "confirmationOverdue")));
        var none = byLocation["(no holdings registered)"];
        Assert.Equal(("DS4", "true", "2026-05-01"), (Cell(none, "agreement"), Cell(none, "confirmationOverdue"), Cell(none, "confirmationDueBy")));
        Assert.Equal("true", Cell(gone, "confirmationOverdue"));
    }

    [Fact]
    public void Markdown_escapes_html_and_table_syntax_and_neutralises_formulas()
    {
        var markdown = Write(ReportKind.Register, MarkdownReportWriter.Write);

        Assert.DoesNotContain("<script>", markdown, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; Co, \"Ltd\"", markdown, StringComparison.Ordinal);
        Assert.Contains("'-2+3 \\| pipes and a new line", markdown, StringComparison.Ordinal);
        Assert.Contains("'=HYPERLINK", markdown, StringComparison.Ordinal);
        var table = markdown.Split('\n').Where(l => l.StartsWith('|')).ToList();
        Assert.Equal(4, table.Count);
        Assert.All(table, line => Assert.Equal(ReportService.RegisterColumns.Count + 1, System.Text.RegularExpressions.Regex.Matches(line, @"(?<!\\)\|").Count));
        Assert.StartsWith("# Register of external data shares", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void The_html_report_is_one_self_contained_page_with_charts_and_escaped_text()
    {
        using var stream = new MemoryStream();
        var rows = test.Engine.Reports.Export(ReportKind.Register, ReportFormat.Html, stream, null, null);
        var html = Encoding.UTF8.GetString(stream.ToArray());

        Assert.Equal(2, rows);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co", html, StringComparison.Ordinal);
        Assert.Contains("<td>&#39;=HYPERLINK(", html, StringComparison.Ordinal);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(html, "<svg ").Count);
        Assert.DoesNotMatch(@"(src|href)\s*=\s*""(https?:)?//", html);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.Contains("Active", html, StringComparison.Ordinal);
        Assert.Contains("Jul 2026", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+44 20 7946 0000", "'+44 20 7946 0000")]
    [InlineData("-5", "'-5")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=cmd", "'\t=cmd")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void Text_that_a_spreadsheet_would_run_is_neutralised(string text, string expected) =>
        Assert.Equal(expected, ReportValues.NeutraliseFormula(text));

    [Fact]
    public void Numbers_and_dates_are_values_not_text_and_are_never_neutralised()
    {
        var context = new ReportContext { Title = "t", GeneratedAt = Now, GeneratedBy = "me", Register = "r", AsOf = new DateTime(2026, 6, 15) };
        var table = new ReportTable(context, new[] { new ReportColumn("n", "N", ReportColumnKind.Number), new ReportColumn("d", "D", ReportColumnKind.Date), new ReportColumn("t", "T") },
            new[] { new object?[] { -5, new DateTime(2026, 1, 2), "-5" } });
        using var stream = new MemoryStream();
        CsvReportWriter.Write(table, stream);
        Assert.Equal("n,d,t,reportGeneratedAt,reportGeneratedBy,reportRegister,reportAsOf\r\n-5,2026-01-02,'-5,2026-06-15T09:00:00.000Z,me,r,2026-06-15\r\n", Encoding.UTF8.GetString(stream.ToArray()));

        using var json = new MemoryStream();
        JsonReportWriter.Write(table, json);
        using var document = JsonDocument.Parse(json.ToArray());
        var row = document.RootElement.GetProperty("rows")[0];
        Assert.Equal((-5m, "2026-01-02", "-5"), (row.GetProperty("n").GetDecimal(), row.GetProperty("d").GetString(), row.GetProperty("t").GetString()));
    }

    [Fact]
    public void Rows_are_produced_while_the_report_is_written_not_before()
    {
        var produced = 0;
        IEnumerable<object?[]> Rows()
        {
            for (var i = 0; i < 3; i++)
            {
                produced++;
                yield return new object?[] { i };
            }
        }

        var table = new ReportTable(new ReportContext(), new[] { new ReportColumn("i", "I", ReportColumnKind.Number) }, Rows());
        Assert.Equal(0, produced);
        using var stream = new MemoryStream();
        Assert.Equal(3, CsvReportWriter.Write(table, stream));
        Assert.Equal(3, produced);
    }

    public void Dispose() => test.Dispose();
}

public sealed class IdPackingTests
{
    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Packed_ids_unpack_to_themselves_and_sort_like_their_text(int seedA, int seedB)
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        string Id(int seed)
        {
            var random = new Random(seed);
            return Ids.RecipientPrefix + new string(Enumerable.Range(0, 10).Select(_ => alphabet[random.Next(32)]).ToArray());
        }

        var a = Id(seedA);
        var b = Id(seedB);
        var packed = Ids.TryPack(Ids.RecipientPrefix, a, out var pa) & Ids.TryPack(Ids.RecipientPrefix, b, out var pb);
        return (packed && Ids.Unpack(Ids.RecipientPrefix, pa) == a
            && Math.Sign(pa.CompareTo(pb)) == Math.Sign(string.CompareOrdinal(a, b))).ToProperty();
    }

    [Fact]
    public void Other_text_does_not_pack()
    {
        Assert.False(Ids.TryPack(Ids.RecipientPrefix, "RC-12345", out _));
        Assert.False(Ids.TryPack(Ids.RecipientPrefix, "PE-0123456789", out _));
        Assert.True(Ids.TryPack(Ids.RecipientPrefix, "rc-0123456789", out var lower));
        Assert.Equal("RC-0123456789", Ids.Unpack(Ids.RecipientPrefix, lower));
    }
}
