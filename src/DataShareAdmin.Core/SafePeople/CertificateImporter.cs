using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.SafePeople;

/// <summary>One row to import: its number and its fields by column name (any spelling the importer knows).</summary>
public sealed class ImportRow
{
    public ImportRow(int row, IReadOnlyDictionary<string, string?> fields)
    {
        Row = row;
        Fields = fields;
    }

    public int Row { get; }

    public IReadOnlyDictionary<string, string?> Fields { get; }
}

/// <summary>
/// Loads certificates from the spreadsheets officers keep. Column names are matched loosely ("Certificate No.",
/// "DBS number", "Issue date", "DOB"…); dates are day-first as written in the UK. Each bad row is an error naming
/// the row; good rows are imported; a certificate already recorded with the same details is left alone, so
/// importing the same file twice changes nothing.
/// </summary>
public sealed class CertificateImporter
{
    private static readonly Dictionary<string, string[]> Columns = new()
    {
        ["Email"] = new[] { "email", "emailaddress", "recipientemail", "personemail", "mail" },
        ["RecipientId"] = new[] { "recipientid", "recipient" },
        ["Issuer"] = new[] { "issuer", "certificateissuer", "issuedby", "body", "disclosurebody" },
        ["Level"] = new[] { "level", "certificatelevel", "checklevel", "disclosurelevel", "type", "certificatetype" },
        ["Number"] = new[] { "number", "certificatenumber", "certificateno", "certno", "dbsnumber", "disclosurenumber", "certificate" },
        ["IssuedOn"] = new[] { "issuedon", "issuedate", "dateofissue", "issued", "dateissued", "certificatedate" },
        ["HolderName"] = new[] { "holdername", "nameoncertificate", "name", "fullname", "holder" },
        ["DateOfBirth"] = new[] { "dateofbirth", "dob", "birthdate" },
        ["SeenOriginalOn"] = new[] { "seenoriginalon", "seenon", "dateseen", "originalseenon", "verifiedon", "checkedon" },
        ["SeenOriginalBy"] = new[] { "seenoriginalby", "seenby", "originalseenby", "verifiedby", "checkedby" },
    };

    private readonly CertificateService certificates;
    private readonly IDataShareRegister register;
    private readonly Func<DateOrder> dateOrder;

    /// <param name="dateOrder">How dates with the year last are read (the policy's DateOrder), as for every date typed.</param>
    public CertificateImporter(CertificateService certificates, IDataShareRegister register, Func<DateOrder> dateOrder)
    {
        this.certificates = certificates;
        this.register = register;
        this.dateOrder = dateOrder;
    }

    /// <summary>Reads a CSV file into rows; the header is line 1, so data rows are numbered from 2 as a spreadsheet shows them.</summary>
    public static IEnumerable<ImportRow> ReadCsv(string path)
    {
        if (NotText(path) is { } what)
        {
            throw new DataShareException("CertificateImportNotCsv", DataShareErrorCategory.InvalidData,
                $"'{path}' is not a CSV file: {what}. Save the spreadsheet as CSV (in Excel: File > Save As > CSV UTF-8), or pipe its rows in, for example from Import-Excel.", path);
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        IReadOnlyList<string>? header = null;
        foreach (var (line, fields) in CsvTable.Read(reader))
        {
            if (header is null)
            {
                header = fields;
                RequireColumns(header.Select(h => h).ToList());
                continue;
            }

            if (fields.All(f => f.Trim().Length == 0))
            {
                continue;
            }

            var row = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Count; i++)
            {
                row[header[i]] = i < fields.Count ? fields[i] : null;
            }

            yield return new ImportRow(line, row);
        }

        if (header is null)
        {
            throw new DataShareException("CertificateImportEmpty", DataShareErrorCategory.InvalidData,
                $"'{path}' is empty: it needs a header line and a row per certificate.", path) { IsTerminating = true };
        }
    }

    /// <summary>
    /// Why the file's first bytes are not text a CSV reader should read (a workbook, a PDF, binary data); null when they
    /// are text. UTF-16 and UTF-32 text (with its byte order mark, as Excel saves "Unicode text") is text.
    /// </summary>
    private static string? NotText(string path)
    {
        var head = new byte[8192];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            read = stream.Read(head, 0, head.Length);
        }

        bool Starts(params byte[] signature) => read >= signature.Length && signature.Select((b, i) => head[i] == b).All(same => same);

        if (Starts(0xFF, 0xFE) || Starts(0xFE, 0xFF) || Starts(0x00, 0x00, 0xFE, 0xFF))
        {
            return null;
        }

        if (Starts(0x50, 0x4B, 0x03, 0x04) || Starts(0x50, 0x4B, 0x05, 0x06))
        {
            return "it is a zip archive, such as an Excel workbook (.xlsx)";
        }

        if (Starts(0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1))
        {
            return "it is an older Office document, such as an Excel 97-2003 workbook (.xls)";
        }

        if (Starts(0x25, 0x50, 0x44, 0x46))
        {
            return "it is a PDF document";
        }

        var control = 0;
        for (var i = 0; i < read; i++)
        {
            var b = head[i];
            if (b == 0)
            {
                return "it holds binary data";
            }

            if ((b < 0x20 && b is not (0x09 or 0x0A or 0x0C or 0x0D)) || b == 0x7F)
            {
                control++;
            }
        }

        return control > read / 50 ? "it holds binary data" : null;
    }

    /// <summary>Checks a header has what an import needs; a missing column stops the import before any row.</summary>
    public static void RequireColumns(IReadOnlyCollection<string> names)
    {
        var missing = new List<string>();
        foreach (var required in new[] { "Issuer", "Level", "Number", "IssuedOn" })
        {
            if (Find(names, required) is null)
            {
                missing.Add(required);
            }
        }

        if (Find(names, "Email") is null && Find(names, "RecipientId") is null)
        {
            missing.Add("Email (or RecipientId)");
        }

        if (missing.Count > 0)
        {
            throw new DataShareException("CertificateImportColumnsMissing", DataShareErrorCategory.InvalidData,
                $"The file has no column for {string.Join(", ", missing)}. Columns found: {string.Join(", ", names)}. Accepted names include Email, Issuer, Level, Number (or 'Certificate number'), IssuedOn (or 'Issue date'), HolderName, DateOfBirth, SeenOriginalOn, SeenOriginalBy.",
                null) { IsTerminating = true };
        }
    }

    /// <summary>Imports one row: Added, Unchanged, or a DataShareException naming the row. Null when the host declined.</summary>
    public CertificateImportResult? Import(ImportRow row, IOperationHost host)
    {
        try
        {
            var owner = Value(row, "RecipientId") ?? Value(row, "Email")
                ?? throw new DataShareException("CertificateImportPersonMissing", DataShareErrorCategory.InvalidData, "it names no person (Email or RecipientId is empty).", null);
            var person = certificates.ResolvePerson(owner);
            var draft = new CertificateDraft
            {
                Issuer = Value(row, "Issuer"),
                Level = Value(row, "Level"),
                Number = Value(row, "Number"),
                IssuedOn = Date(row, "IssuedOn") ?? throw new DataShareException("CertificateIssueDateInvalid", DataShareErrorCategory.InvalidArgument, "the issue date is empty.", null),
                HolderName = Value(row, "HolderName"),
                DateOfBirth = Date(row, "DateOfBirth"),
                SeenOriginalOn = Date(row, "SeenOriginalOn"),
                SeenOriginalBy = Value(row, "SeenOriginalBy"),
            };
            var candidate = certificates.Build(person, draft);

            if (register.FindCertificateByNumber(candidate.Issuer, candidate.Number) is { } existing)
            {
                if (existing.PersonId == candidate.PersonId && existing.Level == candidate.Level && existing.IssuedOn == candidate.IssuedOn)
                {
                    return Result(row, "Unchanged", existing);
                }

                throw new DataShareException("CertificateConflict", DataShareErrorCategory.ResourceExists,
                    $"{existing.Issuer} certificate {existing.Number} is already recorded ({existing.Id}) for {existing.Email}, {existing.Level}, issued {existing.IssuedOn:yyyy-MM-dd}; this row differs. Correct the record with Set-DisclosureCertificate or fix the row.",
                    existing.Id);
            }

            var added = certificates.Add(person.Id, draft, host);
            return added is null ? null : Result(row, "Added", added);
        }
        catch (DataShareException ex) when (!ex.IsTerminating)
        {
            throw new DataShareException(ex.ErrorId, ex.Category, $"Row {row.Row}: {ex.Message}", row.Row, ex);
        }
    }

    private static CertificateImportResult Result(ImportRow row, string status, DisclosureCertificate certificate) => new()
    {
        Row = row.Row,
        Status = status,
        CertificateId = certificate.Id,
        Email = certificate.Email,
        Issuer = certificate.Issuer,
        Number = certificate.Number,
    };

    private static string? Value(ImportRow row, string column)
    {
        var name = Find(row.Fields.Keys.ToList(), column);
        if (name is null || !row.Fields.TryGetValue(name, out var value) || value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    private DateTime? Date(ImportRow row, string column)
    {
        var text = Value(row, column);
        if (text is null)
        {
            return null;
        }

        try
        {
            return DateInput.Parse(text, dateOrder()).Date;
        }
        catch (DataShareException ex)
        {
            throw new DataShareException("CertificateImportDateInvalid", DataShareErrorCategory.InvalidData, $"{column}: {ex.Message}", text, ex);
        }
    }

    private static string? Find(IReadOnlyCollection<string> names, string column)
    {
        var accepted = Columns[column];
        foreach (var name in names)
        {
            if (Array.IndexOf(accepted, Compact(name)) >= 0)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>A column name without case, spaces or punctuation ("No. of pupils" is "noofpupils"), as headers are matched.</summary>
    internal static string Compact(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                text.Append(char.ToLowerInvariant(c));
            }
        }

        return text.ToString();
    }
}
