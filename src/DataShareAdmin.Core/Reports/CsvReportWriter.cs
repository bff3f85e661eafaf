using System.IO;
using System.Text;

namespace DataShareAdmin.Core.Reports;

/// <summary>
/// RFC 4180 CSV in UTF-8: one header line of the stable column names, then one line per row, written as rows arrive.
/// Fields with a comma, quote or line break are quoted; text cells are neutralised against formula injection.
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

            writer.WriteLine(line.ToString());
            rows++;
        }

        return rows;
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
