using System.IO;
using System.Text;

namespace DataShareAdmin.Core.Reports;

/// <summary>
/// A Markdown page: the report's title and context, then one table. Text from the register is escaped so it can
/// neither break the table nor become HTML (an agreement titled "&lt;script&gt;" stays text), and is neutralised
/// against formula injection like the CSV.
/// </summary>
public static class MarkdownReportWriter
{
    public static long Write(ReportTable table, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        var context = table.Context;
        writer.WriteLine("# " + Escape(context.Title));
        writer.WriteLine();
        writer.WriteLine($"Generated {ReportValues.Format(context.GeneratedAt, ReportColumnKind.Instant)} by {Escape(context.GeneratedBy)} from {Escape(context.Register)}, as of {ReportValues.Format(context.AsOf, ReportColumnKind.Date)}.");
        writer.WriteLine();
        if (context.Integrity is not null)
        {
            writer.WriteLine("**" + Escape(context.Integrity) + "**");
            writer.WriteLine();
        }

        var line = new StringBuilder("|");
        var rule = new StringBuilder("|");
        foreach (var column in table.Columns)
        {
            line.Append(' ').Append(Escape(column.Heading)).Append(" |");
            rule.Append(column.Kind is ReportColumnKind.Number ? " ---: |" : " --- |");
        }

        writer.WriteLine(line.ToString());
        writer.WriteLine(rule.ToString());
        long rows = 0;
        foreach (var row in table.Rows)
        {
            line.Clear().Append('|');
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var kind = table.Columns[i].Kind;
                var text = ReportValues.Format(row[i], kind);
                line.Append(' ').Append(Escape(kind == ReportColumnKind.Text ? ReportValues.NeutraliseFormula(text) : text)).Append(" |");
            }

            writer.WriteLine(line.ToString());
            rows++;
        }

        return rows;
    }

    /// <summary>Escapes Markdown's table and inline syntax and HTML; line breaks become spaces.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&':
                    escaped.Append("&amp;");
                    break;
                case '<':
                    escaped.Append("&lt;");
                    break;
                case '>':
                    escaped.Append("&gt;");
                    break;
                case '\r':
                case '\n':
                    escaped.Append(' ');
                    break;
                case '|' or '\\' or '`' or '*' or '_' or '[' or ']' or '#':
                    escaped.Append('\\').Append(c);
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }
}
