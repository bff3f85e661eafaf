using System;
using System.IO;
using System.Linq;
using System.Text;
using DataShareAdmin.Core.SafePeople;

namespace DataShareAdmin.Core.Tests;

public sealed class CertificateImporterTests : IDisposable
{
    private readonly TestRegister test = new(new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();

    public CertificateImporterTests()
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        foreach (var (name, email) in new[] { ("Jo Bloggs", "jo@example.org"), ("Sam Smith", "sam@example.org"), ("Priya Patel", "priya@example.org"), ("Alex Ó Briain", "alex@example.org") })
        {
            test.Engine.Recipients.Add("DS1", name, email, null, host);
        }
    }

    /// <summary>A spreadsheet as officers keep it: a BOM, loose headings, quotes, blank lines, UK dates, a stray row.</summary>
    private const string MessyCsv =
        "\uFEFFE-mail Address, Certificate No. ,Issuer,Level,Issue date,Name on certificate,DOB,Seen by\r\n" +
        "jo@example.org,'001234567890,DBS,Enhanced,01/03/2025,\"Bloggs, Jo\",01/04/1990,\"A. Officer\"\r\n" +
        "\r\n" +
        " SAM@example.org ,0000 1111 2222,DBS (England & Wales),basic,2025-02-14,Sam Smith,,\r\n" +
        "priya@example.org,1234567890123456,Disclosure Scotland,Level 1,5 Jan 2025,Priya Patel,,\r\n" +
        "alex@example.org,12345678901,DBS,Basic,01/01/2025,Alex,,\r\n" +
        "nobody@example.org,009999999999,DBS,Basic,01/01/2025,No One,,\r\n" +
        "jo@example.org,002222222222,DBS,Basic,31/02/2025,Jo,,\r\n" +
        ",,,,,,,\r\n";

    private string Write(string content)
    {
        var path = Path.Combine(test.Directory, "certificates.csv");
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private (CertificateImportResult[] Results, DataShareException[] Errors) ImportFile(string path)
    {
        var results = new System.Collections.Generic.List<CertificateImportResult>();
        var errors = new System.Collections.Generic.List<DataShareException>();
        foreach (var row in CertificateImporter.ReadCsv(path))
        {
            try
            {
                var result = test.Engine.CertificateImport.Import(row, host);
                if (result is not null)
                {
                    results.Add(result);
                }
            }
            catch (DataShareException ex)
            {
                errors.Add(ex);
            }
        }

        return (results.ToArray(), errors.ToArray());
    }

    [Fact]
    public void A_messy_spreadsheet_imports_every_good_row_and_names_each_bad_one()
    {
        var (results, errors) = ImportFile(Write(MessyCsv));

        Assert.Equal(new[] { (2, "Added"), (4, "Added"), (5, "Added") }, results.Select(r => (r.Row, r.Status)));
        var certificates = test.Engine.Certificates.Find(null).ToDictionary(c => c.Email);
        Assert.Equal(("001234567890", CertificateLevel.Enhanced, new DateTime(2025, 3, 1), "Bloggs, Jo", new DateTime(1990, 4, 1), "A. Officer"),
            (certificates["jo@example.org"].Number, certificates["jo@example.org"].Level, certificates["jo@example.org"].IssuedOn,
             certificates["jo@example.org"].HolderName, certificates["jo@example.org"].DateOfBirth!.Value, certificates["jo@example.org"].SeenOriginalBy));
        Assert.Equal("000011112222", certificates["sam@example.org"].Number);
        Assert.Equal((CertificateIssuer.DisclosureScotland, CertificateLevel.Basic, new DateTime(2025, 1, 5)),
            (certificates["priya@example.org"].Issuer, certificates["priya@example.org"].Level, certificates["priya@example.org"].IssuedOn));

        Assert.Equal(new[] { "CertificateNumberInvalid", "PersonNotFound", "CertificateImportDateInvalid" }, errors.Select(e => e.ErrorId));
        Assert.Equal(new object[] { 6, 7, 8 }, errors.Select(e => e.Target));
        Assert.All(errors, e => Assert.StartsWith("Row " + e.Target + ": ", e.Message, StringComparison.Ordinal));
        Assert.Contains("leading zero", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Importing_the_same_file_again_changes_nothing()
    {
        var path = Write(MessyCsv);
        ImportFile(path);
        var before = test.AuditCount();

        var (results, errors) = ImportFile(path);

        Assert.All(results, r => Assert.Equal("Unchanged", r.Status));
        Assert.Equal(3, results.Length);
        Assert.Equal(3, errors.Length);
        Assert.Equal(before, test.AuditCount());
    }

    [Fact]
    public void A_row_that_contradicts_a_recorded_certificate_is_an_error()
    {
        ImportFile(Write(MessyCsv));
        var (results, errors) = ImportFile(Write("Email,Number,Issuer,Level,IssuedOn\nsam@example.org,001234567890,DBS,Enhanced,2025-03-01\n"));
        Assert.Empty(results);
        Assert.Equal("CertificateConflict", Assert.Single(errors).ErrorId);
    }

    [Fact]
    public void A_file_without_the_needed_columns_stops_before_any_row()
    {
        var error = Assert.Throws<DataShareException>(() => ImportFile(Write("Email;Number\njo@example.org;001234567890\n")));
        Assert.Equal("CertificateImportColumnsMissing", error.ErrorId);
        Assert.True(error.IsTerminating);
        Assert.Contains("Issuer", error.Message, StringComparison.Ordinal);
        Assert.Empty(test.Engine.Certificates.Find(null));
    }

    [Fact]
    public void Semicolon_separated_files_with_quoted_line_breaks_are_read()
    {
        var rows = CsvTable.Read(new StringReader("a;b;c\n1;\"two\nlines\";\"say \"\"hi\"\"\"\n")).ToList();
        Assert.Equal(new[] { "1", "two\nlines", "say \"hi\"" }, rows[1].Fields);
        Assert.Equal(2, rows[1].Line);
    }

    [Fact]
    public void Dates_in_a_spreadsheet_are_read_in_the_policy_s_order_and_an_ambiguous_one_names_its_row()
    {
        const string header = "Email,Number,Issuer,Level,IssuedOn,HolderName\r\n";
        var (results, errors) = ImportFile(Write(header + "jo@example.org,001234567890,DBS,Basic,05/03/2025,Jo Bloggs\r\n"));
        Assert.Single(results);
        Assert.Empty(errors);
        Assert.Equal(new DateTime(2025, 3, 5), test.Engine.Certificates.Find(null).Single().IssuedOn);

        test.Engine.Policy.Set("DateOrder", "MonthDayYear", host);
        (results, errors) = ImportFile(Write(header + "sam@example.org,000011112222,DBS,Basic,05/03/2025,Sam Smith\r\n" +
            "priya@example.org,000033334444,DBS,Basic,05/03/25,Priya Patel\r\n"));
        Assert.Single(results);
        Assert.Equal(new DateTime(2025, 5, 3), test.Engine.Certificates.Find(null).Single(c => c.Email == "sam@example.org").IssuedOn);
        var error = Assert.Single(errors);
        Assert.Equal(("CertificateImportDateInvalid", (object?)3), (error.ErrorId, error.Target));
        Assert.Contains("year in full", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00 }, "zip archive")]
    [InlineData(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0x00 }, "Excel 97-2003")]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, "PDF")]
    [InlineData(new byte[] { 0x45, 0x6D, 0x61, 0x69, 0x6C, 0x00, 0x01 }, "binary data")]
    [InlineData(new byte[] { 0x01, 0x02, 0x03, 0x41, 0x42, 0x43, 0x44 }, "binary data")]
    public void A_file_that_is_not_text_is_refused_before_any_row_and_without_its_bytes(byte[] bytes, string what)
    {
        var path = Path.Combine(test.Directory, "certificates.csv");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<DataShareException>(() => CertificateImporter.ReadCsv(path).ToList());

        Assert.Equal(("CertificateImportNotCsv", DataShareErrorCategory.InvalidData, false), (error.ErrorId, error.Category, error.IsTerminating));
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(error.Message, c => c < 0x20 || c == '\uFFFD');
    }

    [Fact]
    public void Unicode_text_as_excel_saves_it_is_read()
    {
        var path = Path.Combine(test.Directory, "unicode.csv");
        File.WriteAllText(path, "Email\tIssuer\tLevel\tNumber\tIssuedOn\r\njo@example.org\tDBS\tBasic\t001234567890\t2025-03-01\r\n", new UnicodeEncoding(false, true));
        var row = Assert.Single(CertificateImporter.ReadCsv(path));
        Assert.Equal("001234567890", row.Fields["Number"]);
    }

    public void Dispose() => test.Dispose();
}
