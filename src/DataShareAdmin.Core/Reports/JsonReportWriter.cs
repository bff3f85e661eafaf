using System;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace DataShareAdmin.Core.Reports;

/// <summary>
/// JSON in UTF-8 for scripts: an object with the report's context and a "rows" array, one object per row with the
/// stable column names; numbers and booleans as JSON values, dates and instants as ISO 8601 strings. Written as rows
/// arrive, so it loads back with ConvertFrom-Json without the writer ever holding the rows.
/// </summary>
public static class JsonReportWriter
{
    public static long Write(ReportTable table, Stream output)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        writer.WriteStartObject();
        writer.WriteString("report", table.Context.Title);
        writer.WriteString("generatedAt", ReportValues.Format(table.Context.GeneratedAt, ReportColumnKind.Instant));
        writer.WriteString("generatedBy", table.Context.GeneratedBy);
        writer.WriteString("register", table.Context.Register);
        writer.WriteString("asOf", ReportValues.Format(table.Context.AsOf, ReportColumnKind.Date));
        if (table.Context.Integrity is not null)
        {
            writer.WriteString("integrity", table.Context.Integrity);
        }

        writer.WriteStartArray("rows");
        long rows = 0;
        foreach (var row in table.Rows)
        {
            writer.WriteStartObject();
            for (var i = 0; i < table.Columns.Count; i++)
            {
                var column = table.Columns[i];
                var value = row[i];
                if (value is null)
                {
                    writer.WriteNull(column.Name);
                    continue;
                }

                switch (column.Kind)
                {
                    case ReportColumnKind.Number:
                        writer.WriteNumber(column.Name, Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                        break;
                    case ReportColumnKind.Boolean:
                        writer.WriteBoolean(column.Name, (bool)value);
                        break;
                    default:
                        writer.WriteString(column.Name, ReportValues.Format(value, column.Kind));
                        break;
                }
            }

            writer.WriteEndObject();
            rows++;
            if (writer.BytesPending > 64 * 1024)
            {
                writer.Flush();
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return rows;
    }
}
