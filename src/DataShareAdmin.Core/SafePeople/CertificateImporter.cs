using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

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

    private static readonly string[] DateFormats =
    {
        "yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy", "dd/MM/yy", "d/M/yy", "dd-MM-yyyy", "d-M-yyyy", "dd.MM.yyyy", "d.M.yyyy", "yyyy/MM/dd",
        "d MMM yyyy", "dd MMM yyyy", "d MMMM yyyy", "dd MMMM yyyy", "d-MMM-yyyy", "dd-MMM-yyyy", "d-MMM-yy", "dd-MMM-yy",
        "dd/MM/yyyy HH:mm", "dd/MM/yyyy HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss",
    };

    private readonly CertificateService certificates;
    private readonly IDataShareRegister register;

    public CertificateImporter(CertificateService certificates, IDataShareRegister register)
    {
        this.certificates = certificates;
        this.register = register;
    }

    /// <summary>Reads a CSV file into rows; the header is line 1, so data rows are numbered from 2 as a spreadsheet shows them.</summary>
    public static IEnumerable<ImportRow> ReadCsv(string path)
    {
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

    private static DateTime? Date(ImportRow row, string column)
    {
        var text = Value(row, column);
        if (text is null)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.GetCultureInfo("en-GB"), DateTimeStyles.AllowWhiteSpaces, out var date))
        {
            return date.Date;
        }

        throw new DataShareException("CertificateImportDateInvalid", DataShareErrorCategory.InvalidData,
            $"'{text}' in {column} is not a date. Write dates day first (22/11/2025) or as 2025-11-22.", text);
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
