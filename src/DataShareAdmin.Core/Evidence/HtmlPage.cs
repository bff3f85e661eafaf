using System;
using System.Collections.Generic;
using System.IO;
using DataShareAdmin.Core.Reports;

namespace DataShareAdmin.Core.Evidence;

/// <summary>
/// A self-contained page of sections, fact lists and tables, in the reports' style (the same stylesheet and the same
/// rules: every text HTML-encoded and neutralised against formula injection, nothing loaded from the network).
/// </summary>
internal sealed class HtmlPage
{
    private const string Extra = """
        section { margin: 0 0 28px; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0 0 12px; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; overflow-wrap: anywhere; }
        .personal { border-left: 4px solid #a40e26; padding: 8px 12px; background: #fff5f5; margin: 12px 0 0; }
        h3 { font-size: 14px; margin: 16px 0 6px; }
        """;

    private readonly TextWriter writer;

    public HtmlPage(TextWriter writer, string title, string meta, string? warning)
    {
        this.writer = writer;
        writer.WriteLine("<!DOCTYPE html>");
        writer.WriteLine("<html lang=\"en\">");
        writer.WriteLine("<head>");
        writer.WriteLine("<meta charset=\"utf-8\">");
        writer.WriteLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        writer.WriteLine("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">");
        writer.WriteLine($"<title>{Encode(title)}</title>");
        writer.WriteLine("<style>" + HtmlReportWriter.Style + Extra + "</style>");
        writer.WriteLine("</head>");
        writer.WriteLine("<body>");
        writer.WriteLine("<header>");
        writer.WriteLine($"<h1>{Encode(title)}</h1>");
        writer.WriteLine($"<p class=\"meta\">{Encode(meta)}</p>");
        if (warning is not null)
        {
            writer.WriteLine($"<p class=\"personal\"><strong>{Encode(warning)}</strong></p>");
        }

        writer.WriteLine("</header>");
        writer.WriteLine("<main>");
    }

    public void Section(string title, string? note = null)
    {
        writer.WriteLine($"<h2>{Encode(title)}</h2>");
        if (note is not null)
        {
            writer.WriteLine($"<p class=\"note\">{Encode(note)}</p>");
        }
    }

    public void Heading(string title) => writer.WriteLine($"<h3>{Encode(title)}</h3>");

    public void Paragraph(string text) => writer.WriteLine($"<p>{Encode(text)}</p>");

    /// <summary>Label–value pairs; a null value is shown as a dash.</summary>
    public void Facts(IEnumerable<(string Label, string? Value)> facts)
    {
        writer.WriteLine("<dl class=\"facts\">");
        foreach (var (label, value) in facts)
        {
            writer.WriteLine($"<dt>{Encode(label)}</dt><dd>{Encode(value ?? "—")}</dd>");
        }

        writer.WriteLine("</dl>");
    }

    public void Table(string label, IReadOnlyList<string> headings, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var count = 0;
        writer.WriteLine("<div class=\"table-wrap\">");
        writer.WriteLine($"<table aria-label=\"{Encode(label)}\">");
        writer.Write("<thead><tr>");
        foreach (var heading in headings)
        {
            writer.Write($"<th scope=\"col\">{Encode(heading)}</th>");
        }

        writer.WriteLine("</tr></thead>");
        writer.WriteLine("<tbody>");
        foreach (var row in rows)
        {
            count++;
            writer.Write("<tr>");
            foreach (var cell in row)
            {
                writer.Write($"<td>{Encode(cell ?? string.Empty)}</td>");
            }

            writer.WriteLine("</tr>");
        }

        if (count == 0)
        {
            writer.WriteLine($"<tr><td colspan=\"{headings.Count}\">None.</td></tr>");
        }

        writer.WriteLine("</tbody>");
        writer.WriteLine("</table>");
        writer.WriteLine("</div>");
    }

    public void End(string footer)
    {
        writer.WriteLine("</main>");
        writer.WriteLine($"<footer>{Encode(footer)} This file is self-contained: it loads nothing from the network.</footer>");
        writer.WriteLine("</body>");
        writer.WriteLine("</html>");
    }

    private static string Encode(string text) => HtmlReportWriter.Encode(ReportValues.NeutraliseFormula(text));
}
