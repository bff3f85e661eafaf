using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace DataShareAdmin.Core.Reports;

/// <summary>
/// Writes the public register in each format. Every format says when it was made and the day it is as of (and the day
/// changes are counted from), never who made it or from which register. Text is escaped and neutralised against
/// formula injection as in the other reports.
/// </summary>
public static class PublicRegisterWriter
{
    /// <summary>Writes <paramref name="document"/>; returns the number of rows in all its sections.</summary>
    public static long Write(PublicRegisterDocument document, ReportFormat format, Stream output)
    {
        switch (format)
        {
            case ReportFormat.Csv:
                WriteCsv(document, output);
                break;
            case ReportFormat.Json:
                WriteJson(document, output);
                break;
            case ReportFormat.Markdown:
                WriteMarkdown(document, output);
                break;
            default:
                WriteHtml(document, output);
                break;
        }

        return document.RowCount;
    }

    private static string Cell(object? value, ReportColumnKind kind)
    {
        var text = ReportValues.Format(value, kind);
        return kind == ReportColumnKind.Text ? ReportValues.NeutraliseFormula(text) : text;
    }

    private static string Made(PublicRegisterDocument d) =>
        $"As of {ReportValues.Format(d.AsOf, ReportColumnKind.Date)}" + (d.Since is { } since ? $", with changes since {ReportValues.Format(since, ReportColumnKind.Date)}" : string.Empty) +
        $". Generated {ReportValues.Format(d.GeneratedAt, ReportColumnKind.Instant)}. No person's name, email or certificate number is taken from the register's records; free text (titles, summaries, reasons) is published as it was typed, except that any name of a person in the register, and any email address, is removed" +
        (d.Redacted > 0 ? $" (removed from {d.Redacted} place(s): correct the text at its source)." : ".");

    /// <summary>
    /// One CSV for every section, so it imports as one table: a "section" column, then the union of the sections'
    /// columns (each row fills its own section's), then when it was made.
    /// </summary>
    private static void WriteCsv(PublicRegisterDocument document, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        var names = new List<string> { "section" };
        foreach (var column in document.Sections.SelectMany(s => s.Columns))
        {
            if (!names.Contains(column.Name))
            {
                names.Add(column.Name);
            }
        }

        var trailer = new[]
        {
            ReportValues.Format(document.GeneratedAt, ReportColumnKind.Instant), ReportValues.Format(document.AsOf, ReportColumnKind.Date),
            document.Since is null ? string.Empty : ReportValues.Format(document.Since, ReportColumnKind.Date),
        };
        writer.WriteLine(string.Join(",", names.Concat(new[] { "reportGeneratedAt", "reportAsOf", "reportSince" }).Select(Quote)));
        foreach (var section in document.Sections)
        {
            foreach (var row in section.Rows)
            {
                var cells = new string[names.Count];
                cells[0] = section.Name;
                for (var i = 0; i < section.Columns.Count; i++)
                {
                    cells[names.IndexOf(section.Columns[i].Name)] = Cell(row[i], section.Columns[i].Kind);
                }

                writer.WriteLine(string.Join(",", cells.Concat(trailer).Select(c => Quote(c ?? string.Empty))));
            }
        }
    }

    private static string Quote(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\r', '\n' }) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";

    private static void WriteJson(PublicRegisterDocument document, Stream output)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("report", document.Title);
        writer.WriteString("generatedAt", ReportValues.Format(document.GeneratedAt, ReportColumnKind.Instant));
        writer.WriteString("asOf", ReportValues.Format(document.AsOf, ReportColumnKind.Date));
        if (document.Since is { } since)
        {
            writer.WriteString("since", ReportValues.Format(since, ReportColumnKind.Date));
        }
        else
        {
            writer.WriteNull("since");
        }

        // What the module guarantees: nothing from its records of people. Free text is the officers' (as typed), and is
        // not claimed to be free of personal data.
        writer.WriteBoolean("personalDataFromRecords", false);
        writer.WriteBoolean("freeTextAsTyped", true);
        writer.WriteNumber("personalDataRemoved", document.Redacted);
        writer.WriteStartArray("sections");
        foreach (var section in document.Sections)
        {
            writer.WriteStartObject();
            writer.WriteString("name", section.Name);
            writer.WriteString("heading", section.Heading);
            writer.WriteString("note", section.Note);
            writer.WriteStartArray("rows");
            foreach (var row in section.Rows)
            {
                writer.WriteStartObject();
                for (var i = 0; i < section.Columns.Count; i++)
                {
                    var column = section.Columns[i];
                    if (row[i] is null)
                    {
                        writer.WriteNull(column.Name);
                    }
                    else if (column.Kind == ReportColumnKind.Number)
                    {
                        writer.WriteNumber(column.Name, Convert.ToDecimal(row[i], CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        writer.WriteString(column.Name, ReportValues.Format(row[i], column.Kind));
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteMarkdown(PublicRegisterDocument document, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine("# " + MarkdownReportWriter.Escape(document.Title));
        writer.WriteLine();
        writer.WriteLine(MarkdownReportWriter.Escape(Made(document)));
        foreach (var section in document.Sections)
        {
            writer.WriteLine();
            writer.WriteLine("## " + MarkdownReportWriter.Escape(section.Heading));
            writer.WriteLine();
            writer.WriteLine(MarkdownReportWriter.Escape(section.Note));
            writer.WriteLine();
            if (section.Rows.Count == 0)
            {
                writer.WriteLine("None.");
                continue;
            }

            writer.WriteLine("| " + string.Join(" | ", section.Columns.Select(c => MarkdownReportWriter.Escape(c.Heading))) + " |");
            writer.WriteLine("|" + string.Concat(section.Columns.Select(c => c.Kind == ReportColumnKind.Number ? " ---: |" : " --- |")));
            foreach (var row in section.Rows)
            {
                writer.WriteLine("| " + string.Join(" | ", section.Columns.Select((c, i) => MarkdownReportWriter.Escape(Cell(row[i], c.Kind)))) + " |");
            }
        }
    }

    private static void WriteHtml(PublicRegisterDocument document, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        string E(string text) => HtmlReportWriter.Encode(text);
        writer.WriteLine("<!DOCTYPE html>");
        writer.WriteLine("<html lang=\"en\">");
        writer.WriteLine("<head>");
        writer.WriteLine("<meta charset=\"utf-8\">");
        writer.WriteLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        writer.WriteLine("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">");
        writer.WriteLine($"<title>{E(document.Title)}</title>");
        writer.WriteLine("<style>" + HtmlReportWriter.Style + " section.part { margin: 0 0 28px; } section.part h2 { font-size: 18px; margin: 0 0 4px; } p.empty { color: var(--muted); font-style: italic; }</style>");
        writer.WriteLine("</head>");
        writer.WriteLine("<body>");
        writer.WriteLine("<header>");
        writer.WriteLine($"<h1>{E(document.Title)}</h1>");
        writer.WriteLine($"<p class=\"meta\">{E(Made(document))}</p>");
        writer.WriteLine("</header>");
        writer.WriteLine("<main>");
        foreach (var section in document.Sections)
        {
            writer.WriteLine($"<section class=\"part\" id=\"{E(section.Name)}\" aria-label=\"{E(section.Heading)}\">");
            writer.WriteLine($"<h2>{E(section.Heading)}</h2>");
            writer.WriteLine($"<p class=\"note\">{E(section.Note)}</p>");
            if (section.Rows.Count == 0)
            {
                writer.WriteLine("<p class=\"empty\">None.</p>");
                writer.WriteLine("</section>");
                continue;
            }

            writer.WriteLine("<div class=\"table-wrap\">");
            writer.WriteLine($"<table class=\"report\" data-section=\"{E(section.Name)}\" aria-label=\"{E(section.Heading)}\">");
            writer.Write("<thead><tr>");
            foreach (var column in section.Columns)
            {
                writer.Write($"<th scope=\"col\" data-name=\"{E(column.Name)}\" data-kind=\"{(column.Kind == ReportColumnKind.Number ? "number" : "text")}\">{E(column.Heading)}</th>");
            }

            writer.WriteLine("</tr></thead>");
            writer.WriteLine("<tbody>");
            foreach (var row in section.Rows)
            {
                var line = new StringBuilder("<tr>");
                for (var i = 0; i < section.Columns.Count; i++)
                {
                    var kind = section.Columns[i].Kind;
                    line.Append(kind == ReportColumnKind.Number ? "<td class=\"num\">" : "<td>").Append(E(Cell(row[i], kind))).Append("</td>");
                }

                writer.WriteLine(line.Append("</tr>").ToString());
            }

            writer.WriteLine("</tbody>");
            writer.WriteLine("</table>");
            writer.WriteLine("</div>");
            writer.WriteLine("</section>");
        }

        writer.WriteLine("</main>");
        writer.WriteLine("<footer>Produced by DataShareAdmin from the register's own records. This file is self-contained: it loads nothing from the network.</footer>");
        writer.WriteLine("<script>" + HtmlReportWriter.Script + "</script>");
        writer.WriteLine("</body>");
        writer.WriteLine("</html>");
    }
}
