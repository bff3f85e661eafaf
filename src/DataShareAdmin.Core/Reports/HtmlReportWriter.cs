using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;

namespace DataShareAdmin.Core.Reports;

/// <summary>Figures for the summary at the top of an HTML report: small counts, computed in one pass each.</summary>
public sealed class ReportSummary
{
    public IReadOnlyList<(string Label, int Count)> AgreementsByStatus { get; set; } = Array.Empty<(string, int)>();

    /// <summary>Certificates whose acceptability ends in each of the next 12 months.</summary>
    public IReadOnlyList<(string Label, int Count)> CertificatesLapsingByMonth { get; set; } = Array.Empty<(string, int)>();

    public IReadOnlyList<(string Label, int Count)> HoldingsByState { get; set; } = Array.Empty<(string, int)>();

    /// <summary>Transfers issued in each of the last 12 months.</summary>
    public IReadOnlyList<(string Label, int Count)> TransfersByMonth { get; set; } = Array.Empty<(string, int)>();
}

/// <summary>
/// One self-contained HTML file that opens offline: no external scripts, fonts or styles. A summary with bar charts
/// drawn as inline SVG, then the report's table, sortable by clicking a heading (a few lines of inline script).
/// Every text from the register is HTML-encoded and neutralised against formula injection (a copied cell stays text).
/// </summary>
public static class HtmlReportWriter
{
    internal const string Style = """
        :root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0b5394; --band: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); background: #fff; }
        header { padding: 24px 32px 16px; border-bottom: 4px solid var(--accent); }
        h1 { margin: 0 0 4px; font-size: 24px; }
        h2 { font-size: 16px; margin: 0 0 8px; }
        .meta { color: var(--muted); margin: 0; }
        main { padding: 16px 32px 40px; }
        .summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; margin-bottom: 24px; }
        .card { border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; background: #fff; }
        .card svg { width: 100%; height: auto; display: block; }
        .card svg text { font: 11px system-ui, Arial, sans-serif; fill: var(--muted); }
        .card svg text.value { fill: var(--ink); font-weight: 600; }
        .card svg rect { fill: var(--accent); }
        .note { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
        .table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; }
        th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { position: sticky; top: 0; background: var(--band); cursor: pointer; white-space: nowrap; user-select: none; }
        th[aria-sort="ascending"]::after { content: " \25B2"; }
        th[aria-sort="descending"]::after { content: " \25BC"; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        tr:nth-child(even) td { background: #fbfcfd; }
        td.no { color: #a40e26; font-weight: 600; }
        td.yes { color: #116329; }
        footer { color: var(--muted); font-size: 12px; padding: 0 32px 24px; }
        @media print { th { position: static; } .card { break-inside: avoid; } }
        """;

    // Sorts the table by a clicked heading: numbers as numbers, everything else as text (ISO dates sort as text).
    internal const string Script = """
        document.querySelectorAll('table.report').forEach(function (table) {
          var headings = table.tHead.rows[0].cells;
          Array.prototype.forEach.call(headings, function (th, index) {
            th.tabIndex = 0;
            var sort = function () {
              var ascending = th.getAttribute('aria-sort') !== 'ascending';
              Array.prototype.forEach.call(headings, function (other) { other.removeAttribute('aria-sort'); });
              th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
              var numeric = th.dataset.kind === 'number';
              var body = table.tBodies[0];
              var rows = Array.prototype.slice.call(body.rows);
              rows.sort(function (a, b) {
                var x = a.cells[index].textContent, y = b.cells[index].textContent;
                var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
                return ascending ? order : -order;
              });
              rows.forEach(function (row) { body.appendChild(row); });
            };
            th.addEventListener('click', sort);
            th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
          });
        });
        """;

    public static long Write(ReportTable table, ReportSummary summary, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        var context = table.Context;
        writer.WriteLine("<!DOCTYPE html>");
        writer.WriteLine("<html lang=\"en\">");
        writer.WriteLine("<head>");
        writer.WriteLine("<meta charset=\"utf-8\">");
        writer.WriteLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        writer.WriteLine("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">");
        writer.WriteLine($"<title>{Encode(context.Title)}</title>");
        writer.WriteLine("<style>" + Style + "</style>");
        writer.WriteLine("</head>");
        writer.WriteLine("<body>");
        writer.WriteLine("<header>");
        writer.WriteLine($"<h1>{Encode(context.Title)}</h1>");
        writer.WriteLine($"<p class=\"meta\">As of <strong>{ReportValues.Format(context.AsOf, ReportColumnKind.Date)}</strong>. Generated {Encode(ReportValues.Format(context.GeneratedAt, ReportColumnKind.Instant))} by {Encode(context.GeneratedBy)} from {Encode(context.Register)}.</p>");
        if (context.Integrity is not null)
        {
            writer.WriteLine($"<p class=\"integrity\"><strong>{Encode(context.Integrity)}</strong></p>");
        }

        writer.WriteLine("</header>");
        writer.WriteLine("<main>");
        writer.WriteLine("<section class=\"summary\" aria-label=\"Summary\">");
        Chart(writer, "Agreements by status", summary.AgreementsByStatus, "Status on the report's day.");
        Chart(writer, "Certificates lapsing per month", summary.CertificatesLapsingByMonth, "Disclosure certificates whose acceptability ends in each of the next 12 months.");
        Chart(writer, "Holdings by retention state", summary.HoldingsByState, "Held: not yet due. Due: to be swept. Blocked: kept by a legal hold or immutability. Destroyed: verified gone.");
        Chart(writer, "Transfers per month", summary.TransfersByMonth, "Links issued in each of the last 12 months.");
        writer.WriteLine("</section>");
        writer.WriteLine("<div class=\"table-wrap\">");
        writer.WriteLine($"<table class=\"report\" aria-label=\"{Encode(context.Title)}\">");
        writer.Write("<thead><tr>");
        foreach (var column in table.Columns)
        {
            writer.Write($"<th scope=\"col\" data-name=\"{Encode(column.Name)}\" data-kind=\"{(column.Kind == ReportColumnKind.Number ? "number" : "text")}\">{Encode(column.Heading)}</th>");
        }

        writer.WriteLine("</tr></thead>");
        writer.WriteLine("<tbody>");
        long rows = 0;
        var line = new StringBuilder();
        foreach (var row in table.Rows)
        {
            line.Clear().Append("<tr>");
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var kind = table.Columns[i].Kind;
                var text = ReportValues.Format(row[i], kind);
                var css = kind == ReportColumnKind.Number ? " class=\"num\"" : kind == ReportColumnKind.Boolean ? (text == "true" ? " class=\"yes\"" : text == "false" ? " class=\"no\"" : string.Empty) : string.Empty;
                line.Append("<td").Append(css).Append('>').Append(Encode(kind == ReportColumnKind.Text ? ReportValues.NeutraliseFormula(text) : text)).Append("</td>");
            }

            writer.WriteLine(line.Append("</tr>").ToString());
            rows++;
        }

        writer.WriteLine("</tbody>");
        writer.WriteLine("</table>");
        writer.WriteLine("</div>");
        writer.WriteLine($"<p class=\"note\">{rows.ToString(CultureInfo.InvariantCulture)} row(s). Click a heading to sort.</p>");
        writer.WriteLine("</main>");
        writer.WriteLine("<footer>Produced by DataShareAdmin. This file is self-contained: it loads nothing from the network.</footer>");
        writer.WriteLine("<script>" + Script + "</script>");
        writer.WriteLine("</body>");
        writer.WriteLine("</html>");
        return rows;
    }

    /// <summary>A horizontal bar chart as inline SVG: one bar per label, the count at its end.</summary>
    private static void Chart(TextWriter writer, string title, IReadOnlyList<(string Label, int Count)> bars, string note)
    {
        const int labelWidth = 96, barArea = 220, rowHeight = 20, top = 4;
        var max = 1;
        foreach (var (_, count) in bars)
        {
            max = Math.Max(max, count);
        }

        var height = top + Math.Max(1, bars.Count) * rowHeight + 4;
        writer.WriteLine("<div class=\"card\">");
        writer.WriteLine($"<h2>{Encode(title)}</h2>");
        writer.WriteLine($"<svg viewBox=\"0 0 {labelWidth + barArea + 48} {height}\" role=\"img\" aria-label=\"{Encode(title)}\">");
        if (bars.Count == 0)
        {
            writer.WriteLine($"<text x=\"0\" y=\"{top + 14}\">Nothing to show.</text>");
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var (label, count) = bars[i];
            var y = top + (i * rowHeight);
            var width = count == 0 ? 0 : Math.Max(2, count * barArea / max);
            writer.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "<text x=\"{0}\" y=\"{1}\" text-anchor=\"end\">{2}</text><rect x=\"{3}\" y=\"{4}\" width=\"{5}\" height=\"{6}\" rx=\"2\"><title>{7}: {8}</title></rect><text class=\"value\" x=\"{9}\" y=\"{1}\">{8}</text>",
                labelWidth - 6, y + 13, Encode(label), labelWidth, y + 3, width, rowHeight - 6, Encode(label), count, labelWidth + width + 4));
        }

        writer.WriteLine("</svg>");
        writer.WriteLine($"<p class=\"note\">{Encode(note)}</p>");
        writer.WriteLine("</div>");
    }

    /// <summary>HTML-encodes text for element content and attribute values.</summary>
    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}
