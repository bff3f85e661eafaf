using System.IO;
using System.Text;

namespace DataShareAdmin.Core.Reports;

/// <summary>
/// RFC 4180 CSV in UTF-8: one header line of the stable column names, then one line per row, written as rows arrive.
/// Fields with a comma, quote or line break are quoted; text cells are neutralised against formula injection. Each
/// row also says when, by whom, from which register and as of which day the report was made (and, for the audit
/// log, the integrity check), in trailing columns, so the file stays one record per row.
/// </summary>
public static class CsvReportWriter
{
    public static long Write(ReportTable table, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        var line = new StringBuilder();
        for (var i = 0; i < table.Columns.Count; i++)
        {
            Append(line, i, table.Columns[i].Name);
        }

        var context = table.Context;
        var trailer = new StringBuilder();
        foreach (var (name, value) in Trailer(context))
        {
            Append(line, 1, name);
            Append(trailer, 1, ReportValues.NeutraliseFormula(value));
        }

        writer.WriteLine(line.ToString());
        long rows = 0;
        foreach (var row in table.Rows)
        {
            line.Clear();
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var kind = table.Columns[i].Kind;
                var text = ReportValues.Format(row[i], kind);
                Append(line, i, kind == ReportColumnKind.Text ? ReportValues.NeutraliseFormula(text) : text);
            }

            writer.WriteLine(line.Append(trailer).ToString());
            rows++;
        }

        return rows;
    }

    private static System.Collections.Generic.IEnumerable<(string Name, string Value)> Trailer(ReportContext context)
    {
        yield return ("reportGeneratedAt", ReportValues.Format(context.GeneratedAt, ReportColumnKind.Instant));
        yield return ("reportGeneratedBy", context.GeneratedBy);
        yield return ("reportRegister", context.Register);
        yield return ("reportAsOf", ReportValues.Format(context.AsOf, ReportColumnKind.Date));
        if (context.Integrity is not null)
        {
            yield return ("reportIntegrity", context.Integrity);
        }
    }

    private static void Append(StringBuilder line, int index, string field)
    {
        if (index > 0)
        {
            line.Append(',');
        }

        if (field.IndexOfAny(new[] { ',', '"', '\r', '\n' }) < 0)
        {
            line.Append(field);
            return;
        }

        line.Append('"').Append(field.Replace("\"", "\"\"")).Append('"');
    }
}
