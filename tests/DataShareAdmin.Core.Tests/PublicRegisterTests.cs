using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Organisations;
using DataShareAdmin.Core.Reports;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The public register from a register with an active direct transfer (DS1, two files released), an ended SRS share
/// still holding data (DS2), a refused request (DS3), a withdrawn one (DS4) and a share approved in May (DS5).
/// </summary>
public sealed class PublicRegisterTests : TransferTestsBase
{
    private static readonly DateTime AsOf = new(2026, 6, 15);

    public PublicRegisterTests()
    {
        var org = Samples.AddOrganisation(Engine);
        Engine.Organisations.Update(org.Id, new OrganisationChanges { Sector = OrganisationSector.University }, host);
        File.WriteAllText(Path.Combine(folder, "schools.csv"), "urn\n100001\n");
        Engine.Transfers.Issue(Request(null, extract, Path.Combine(folder, "schools.csv")), storage, host);
        Engine.Agreements.Update("DS1", new AgreementChanges { OfficerName = "Olive Officer", OfficerEmail = "olive@example.gov.uk", RecordsShared = 1200 }, host);

        var ds2 = Samples.Agreement("DS2", "2026-02-01", "2026-05-20");
        ds2.AccessRoute = AccessRoute.SecureResearchService;
        ds2.Category = AgreementCategory.Police;
        ds2.SrsProjectId = "SRS-0042";
        Engine.Agreements.Create(ds2, host);
        Engine.Agreements.Approve("DS2", "DSAP-2", new DateTime(2026, 2, 1), Samples.Decision(), host);
        Engine.Retention.Register("DS2", Directory.CreateDirectory(Path.Combine(test.Directory, "ds2-copy")).FullName, host);

        var ds3 = Samples.Agreement("DS3");
        ds3.Category = AgreementCategory.HomeOffice;
        Engine.Agreements.Create(ds3, host);
        Engine.Agreements.Refuse("DS3", "The public benefit did not outweigh the risk.", new DateTime(2026, 5, 1), Samples.Refusal(), host);
        Engine.Agreements.Create(Samples.Agreement("DS4"), host);
        Engine.Agreements.Withdraw("DS4", "The applicant's funding ended.", new DateTime(2026, 6, 1), host);
        Engine.Agreements.Create(Samples.Agreement("DS5"), host);
        Engine.Agreements.Approve("DS5", "DSAP-5", new DateTime(2026, 5, 10), Samples.Decision(), host);

        // Today: a change to DS1's public terms (varied) and one to its officer only (not a variation).
        Engine.Agreements.Update("DS1", new AgreementChanges { LaySummary = "How attainment gaps change over time." }, host);
        Engine.Agreements.Update("DS1", new AgreementChanges { OfficerName = "Owen Officer" }, host);
    }

    private string Export(ReportFormat format, DateTime? since = null)
    {
        using var stream = new MemoryStream();
        Engine.Reports.Since = since;
        Engine.Reports.Export(ReportKind.PublicRegister, format, stream, AsOf, null);
        return new UTF8Encoding(false, true).GetString(stream.ToArray());
    }

    private JsonElement Section(JsonDocument json, string name) =>
        json.RootElement.GetProperty("sections").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name).GetProperty("rows");

    [Fact]
    public void The_json_parses_with_a_section_per_category_approved_shares_in_plain_words_and_a_refused_and_a_withdrawn_request()
    {
        using var json = JsonDocument.Parse(Export(ReportFormat.Json));

        Assert.False(json.RootElement.GetProperty("personalDataFromRecords").GetBoolean());
        Assert.True(json.RootElement.GetProperty("freeTextAsTyped").GetBoolean());
        Assert.False(json.RootElement.TryGetProperty("containsPersonalData", out _));
        var names = json.RootElement.GetProperty("sections").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList();
        Assert.Equal(new[] { "counts" }.Concat(Enum.GetNames(typeof(AgreementCategory)).Select(c => "shares-" + c)).Concat(new[] { "files", "heldPastEnd", "refusedOrWithdrawn" }), names);
        var research = Section(json, "shares-DsapResearch").EnumerateArray().ToList();
        Assert.Equal(new[] { "DS1", "DS5" }, research.Select(r => r.GetProperty("reference").GetString()));
        var ds1 = research[0];
        Assert.Equal("University", ds1.GetProperty("sector").GetString());
        Assert.Equal("Direct transfer", ds1.GetProperty("accessRoute").GetString());
        Assert.Equal(Samples.Agreement().DirectTransferJustification, ds1.GetProperty("whyNotSecureResearchService").GetString());
        Assert.Equal("KS2 attainment: sensitivity B (high sensitivity), identification risk 3 (identifies with some effort, e.g. a pupil reference); FSM eligibility: sensitivity C (medium sensitivity), identification risk 4 (identifiable only with other data)",
            ds1.GetProperty("dataItems").GetString());
        Assert.Equal(1200, ds1.GetProperty("recordsShared").GetInt64());
        Assert.Equal(JsonValueKind.Null, ds1.GetProperty("dpiaSummary").ValueKind);
        var police = Assert.Single(Section(json, "shares-Police").EnumerateArray());
        Assert.Equal(("Secure research service", JsonValueKind.Null, "SRS-0042"),
            (police.GetProperty("accessRoute").GetString(), police.GetProperty("whyNotSecureResearchService").ValueKind, police.GetProperty("srsProjectId").GetString()));

        var closed = Section(json, "refusedOrWithdrawn").EnumerateArray()
            .Select(r => (r.GetProperty("reference").GetString(), r.GetProperty("category").GetString(), r.GetProperty("outcome").GetString(), r.GetProperty("decidedOn").GetString(), r.GetProperty("reason").GetString())).ToList();
        Assert.Equal(new (string?, string?, string?, string?, string?)[]
        {
            ("DS3", "HomeOffice", "Refused", "2026-05-01", "The public benefit did not outweigh the risk."),
            ("DS4", "DsapResearch", "Withdrawn", "2026-06-01", "The applicant's funding ended."),
        }, closed);
        var counts = Section(json, "counts").EnumerateArray().ToDictionary(r => r.GetProperty("category").GetString()!);
        Assert.Equal((2, 2, 0, 1, 2), (counts["DsapResearch"].GetProperty("approvedShares").GetInt32(), counts["DsapResearch"].GetProperty("activeShares").GetInt32(),
            counts["DsapResearch"].GetProperty("refused").GetInt32(), counts["DsapResearch"].GetProperty("withdrawn").GetInt32(), counts["DsapResearch"].GetProperty("filesReleased").GetInt32()));
        Assert.Equal(1, counts["HomeOffice"].GetProperty("refused").GetInt32());
    }

    [Fact]
    public void Every_file_of_every_transfer_has_its_own_line_with_its_size_and_never_the_link()
    {
        var transfer = Assert.Single(Engine.Register.ListTransfers("DS1"));
        using var json = JsonDocument.Parse(Export(ReportFormat.Json));

        var lines = Section(json, "files").EnumerateArray()
            .Select(r => (r.GetProperty("reference").GetString(), r.GetProperty("transferId").GetString(), r.GetProperty("releasedOn").GetString(), r.GetProperty("fileName").GetString(), r.GetProperty("sizeBytes").GetInt64())).ToList();
        Assert.Equal(transfer.Files.Select(f => ((string?)"DS1", (string?)transfer.Id, (string?)"2026-06-15", (string?)f.Name, f.Size)), lines);
        Assert.Equal(2, lines.Count);
        Assert.DoesNotContain(transfer.Container, json.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", json.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Data_held_past_the_end_says_why_and_until_when_without_its_location()
    {
        using var json = JsonDocument.Parse(Export(ReportFormat.Json));

        var held = Assert.Single(Section(json, "heldPastEnd").EnumerateArray());
        Assert.Equal(("DS2", "Police", "LocalFolder", "2026-05-20"), (held.GetProperty("reference").GetString(), held.GetProperty("category").GetString(), held.GetProperty("kind").GetString(), held.GetProperty("endsOn").GetString()));
        Assert.StartsWith("Within the agreed retention period of 30 day(s)", held.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.Equal("2026-06-19", held.GetProperty("heldUntil").GetString());
    }

    [Fact]
    public void Data_kept_by_a_hold_says_the_holds_reason_and_its_last_day_but_not_who_approved_it()
    {
        var holding = Assert.Single(Engine.Retention.Find("DS2", includeDestroyed: false));
        Engine.Holds.Add(new Retention.RetentionHoldRequest { HoldingId = holding.Id, Reason = "Kept for a statutory inquiry", ApprovedBy = "Dana Approver", Until = new DateTime(2026, 8, 1) }, host);

        using var stream = new MemoryStream();
        Engine.Reports.Export(ReportKind.PublicRegister, ReportFormat.Json, stream, new DateTime(2026, 6, 25), null);
        var text = new UTF8Encoding(false, true).GetString(stream.ToArray());
        using var json = JsonDocument.Parse(text);

        var held = Assert.Single(Section(json, "heldPastEnd").EnumerateArray());
        Assert.Equal("Kept past its due day (2026-06-20) by a hold: Kept for a statutory inquiry", held.GetProperty("why").GetString());
        Assert.Equal("2026-07-31", held.GetProperty("heldUntil").GetString());
        Assert.DoesNotContain("Dana Approver", text, StringComparison.Ordinal);
    }

    [Fact]
    public void No_format_holds_a_person_s_name_or_email_the_operator_or_the_register_s_path()
    {
        var people = Engine.Register.ListRecipients(null, includeRemoved: true).SelectMany(r => new[] { r.Name, r.Email })
            .Concat(Engine.Register.ListOrganisations().SelectMany(o => new[] { o.ProtectionOfficerName!, o.ProtectionOfficerEmail! }))
            .Concat(Engine.Register.ListCertificates(null).Select(c => c.Number))
            .Concat(new[] { "Olive Officer", "olive@example.gov.uk", "Owen Officer", TestRegister.Identity.User, TestRegister.Identity.Machine, test.Directory, test.Path })
            .ToList();
        Assert.Contains("Jo Bloggs", people);
        Assert.Contains("Dee Pioh", people);

        foreach (var format in (ReportFormat[])Enum.GetValues(typeof(ReportFormat)))
        {
            var text = Export(format, since: new DateTime(2026, 1, 1));
            foreach (var value in people)
            {
                Assert.False(text.Contains(value, StringComparison.OrdinalIgnoreCase), $"{format} holds '{value}'.");
            }
        }
    }

    [Fact]
    public void Free_text_that_names_a_person_in_the_register_or_gives_an_email_is_published_without_it()
    {
        // As the review found: officers typed names into a title, a justification and a public reason.
        Engine.Agreements.Update("DS1", new AgreementChanges { Title = "Attainment: ask jo bloggs", LaySummary = "Questions to Dee Pioh or pr@school.example, please." }, host);
        Engine.Agreements.Create(Samples.Agreement("DS6"), host);
        Engine.Agreements.Refuse("DS6", "Owen Officer found the risk too high.", new DateTime(2026, 6, 1), Samples.Refusal(), host);

        foreach (var format in (ReportFormat[])Enum.GetValues(typeof(ReportFormat)))
        {
            var text = Export(format, since: new DateTime(2026, 1, 1));
            foreach (var value in new[] { "jo bloggs", "Dee Pioh", "pr@school.example", "Owen Officer" })
            {
                Assert.False(text.Contains(value, StringComparison.OrdinalIgnoreCase), $"{format} holds '{value}'.");
            }

            Assert.Contains("removed: personal data", text, StringComparison.Ordinal);
        }

        using var json = JsonDocument.Parse(Export(ReportFormat.Json));
        Assert.Equal(3, json.RootElement.GetProperty("personalDataRemoved").GetInt32());
        Assert.Equal("Attainment: ask " + PublicRegisterRedaction.Removed, Section(json, "shares-DsapResearch").EnumerateArray().Single(r => r.GetProperty("reference").GetString() == "DS1").GetProperty("project").GetString());

        // Words that merely contain a name are left alone.
        Assert.Equal("Ojo Bloggsworth", PublicRegisterRedaction.Clean("Ojo Bloggsworth", new[] { "Jo Bloggs" }));
    }

    [Fact]
    public void The_change_list_between_two_days_is_exact()
    {
        List<(string?, string?, string?)> Changes(DateTime since)
        {
            using var json = JsonDocument.Parse(Export(ReportFormat.Json, since));
            return Section(json, "changes").EnumerateArray().Select(r => (r.GetProperty("change").GetString(), r.GetProperty("on").GetString(), r.GetProperty("reference").GetString())).ToList();
        }

        // Every decision here was recorded today (15 June), whatever its date: one dated on or before -Since was in no
        // earlier publication, so it is listed too, on its own date, saying when it was recorded.
        var all = new (string?, string?, string?)[]
        {
            ("New", "2026-01-01", "DS1"), ("New", "2026-02-01", "DS2"), ("Refused", "2026-05-01", "DS3"), ("New", "2026-05-10", "DS5"),
            ("Ended", "2026-05-21", "DS2"), ("Withdrawn", "2026-06-01", "DS4"), ("Varied", "2026-06-15", "DS1"),
        };
        Assert.Equal(all, Changes(new DateTime(2026, 4, 30)));
        Assert.Equal(all, Changes(new DateTime(2026, 5, 10)));

        using var json = JsonDocument.Parse(Export(ReportFormat.Json, new DateTime(2026, 6, 14)));
        var rows = Section(json, "changes").EnumerateArray().ToList();
        Assert.Equal("Changed: LaySummary, RecordsShared", rows.Single(r => r.GetProperty("change").GetString() == "Varied").GetProperty("what").GetString());
        Assert.Equal("Approved (DSAP-5) (recorded 2026-06-15, after 2026-06-14)", rows.Single(r => r.GetProperty("reference").GetString() == "DS5").GetProperty("what").GetString());
        Assert.DoesNotContain(rows, r => r.GetProperty("change").GetString() == "Ended");
    }

    [Fact]
    public void A_since_day_on_or_after_the_report_s_day_is_refused()
    {
        var error = Assert.Throws<DataShareException>(() => Export(ReportFormat.Json, AsOf));

        Assert.Equal(("ReportSinceInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
    }

    [Fact]
    public void The_csv_parses_back_as_one_table_with_a_row_per_section_row()
    {
        var rows = ReportTests.ParseCsv(Export(ReportFormat.Csv, new DateTime(2026, 4, 30)));
        using var json = JsonDocument.Parse(Export(ReportFormat.Json, new DateTime(2026, 4, 30)));

        Assert.Equal("section", rows[0][0]);
        Assert.All(rows, r => Assert.Equal(rows[0].Length, r.Length));
        var expected = json.RootElement.GetProperty("sections").EnumerateArray().SelectMany(s => s.GetProperty("rows").EnumerateArray().Select(_ => s.GetProperty("name").GetString())).ToList();
        Assert.Equal(expected, rows.Skip(1).Select(r => r[0]));
        var fileName = Array.IndexOf(rows[0], "fileName");
        Assert.Equal(new[] { "pupils.csv", "schools.csv" }, rows.Where(r => r[0] == "files").Select(r => r[fileName]));
        Assert.Contains(rows, r => r[0] == "refusedOrWithdrawn" && r[Array.IndexOf(rows[0], "reference")] == "DS3");
    }

    [Fact]
    public void The_markdown_tables_are_well_formed()
    {
        var lines = Export(ReportFormat.Markdown, new DateTime(2026, 4, 30)).Split('\n');

        var tables = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith('|') || (i > 0 && lines[i - 1].StartsWith('|')))
            {
                continue;
            }

            tables++;
            var cells = Cells(lines[i]);
            Assert.Matches(@"^\|( ---:? \|)+$", lines[i + 1]);
            Assert.Equal(cells, Cells(lines[i + 1]));
            for (var j = i + 2; j < lines.Length && lines[j].StartsWith('|'); j++)
            {
                Assert.Equal(cells, Cells(lines[j]));
            }
        }

        // Counts, two categories with shares, files, held past the end, refused or withdrawn, changes.
        Assert.Equal(7, tables);
        Assert.Contains("## Requests refused or withdrawn", lines);
    }

    // Cells between unescaped pipes.
    private static int Cells(string line) => Regex.Matches(line, @"(?<!\\)\|").Count - 1;

    [Fact]
    public void The_html_is_well_formed_and_holds_a_table_per_section_with_rows()
    {
        var html = Export(ReportFormat.Html, new DateTime(2026, 4, 30));

        var open = new Stack<string>();
        string[] empty = { "meta", "br", "hr", "img", "input", "link" };
        foreach (Match tag in Regex.Matches(Regex.Replace(html, "<(script|style)>.*?</\\1>", string.Empty, RegexOptions.Singleline), @"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>"))
        {
            var name = tag.Groups[2].Value.ToLowerInvariant();
            if (empty.Contains(name))
            {
                continue;
            }

            if (tag.Groups[1].Value.Length == 0)
            {
                open.Push(name);
            }
            else
            {
                Assert.Equal(open.Pop(), name);
            }
        }

        Assert.Empty(open);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Equal(7, Regex.Matches(html, "<table ").Count);
        Assert.Contains("<section class=\"part\" id=\"refusedOrWithdrawn\"", html, StringComparison.Ordinal);
    }
}
