using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using DataShareAdmin.Core.SafePeople;

namespace DataShareAdmin.Core.Outputs;

/// <summary>
/// Reads an aggregate table, one line per cell, into an <see cref="OutputTable"/>, streaming its lines. Any bad input
/// stops the read with a specific error naming the line and column, before anything is checked or written.
/// </summary>
internal static class OutputTableReader
{
    /// <summary>No field of a table is this long; a longer one means an unclosed quote or a file that is not a table.</summary>
    public const int MaxFieldLength = 65536;

    /// <summary>What a cell suppressed by an earlier check (or by hand) may say instead of a number, compared ignoring case.</summary>
    public static readonly ISet<string> SuppressionMarkers = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "[c]", "c", "*", "x", "[x]", "..", "[redacted]", "redacted", "suppressed",
    };

    /// <summary>The marker protected copies write (the GSS style for a confidential value).</summary>
    public const string Marker = "[c]";

    public static OutputTable Load(string path, OutputTableLayout? layout, CancellationToken cancellation)
    {
        var (file, reader) = OutputFile.Open(path);
        using (file)
        using (reader)
        {
            OutputTable? table = null;
            var width = 0;
            foreach (var (line, fields) in CsvTable.Read(reader, MaxFieldLength))
            {
                if (table is null)
                {
                    table = new OutputTable(path, OutputColumns.Resolve(fields, layout, path));
                    width = fields.Count;
                    continue;
                }

                if (fields.Count == 1 && fields[0].Trim().Length == 0)
                {
                    continue;
                }

                if ((table.CellCount & 0xFFF) == 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                }

                if (fields.Count != width)
                {
                    throw new DataShareException("OutputRowMalformed", DataShareErrorCategory.InvalidData,
                        $"Line {line} of '{path}' has {fields.Count} fields; the header has {width}.", path);
                }

                AddRow(table, line, fields);
            }

            if (table is null || table.CellCount == 0)
            {
                throw new DataShareException("OutputFileEmpty", DataShareErrorCategory.InvalidData,
                    $"'{path}' has {(table is null ? "no header" : "a header but no cells")}: a table needs a header line and a line per cell.", path);
            }

            table.Sha256 = file.Sha256();
            return table;
        }
    }

    /// <summary>A count-like field: a whole number of at least 0, or -1 for a suppression marker.</summary>
    public static long ParseCount(string field, int line, string column, string path)
    {
        var text = field.Trim();
        if (SuppressionMarkers.Contains(text))
        {
            return -1;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
            || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && Math.Abs(real) < 9e15 && real == Math.Floor(real) && TryWhole(real, out whole)))
        {
            if (whole < 0)
            {
                throw new DataShareException("OutputCountNegative", DataShareErrorCategory.InvalidData,
                    $"Line {line} of '{path}': the {column} is {text}; a count cannot be negative.", path);
            }

            return whole;
        }

        throw new DataShareException("OutputCountNotNumeric", DataShareErrorCategory.InvalidData,
            $"Line {line} of '{path}': the {column} is '{Shorten(text)}', not a whole number. Write 0 for none, or [c] for a suppressed cell.", path);
    }

    private static void AddRow(OutputTable table, int line, IReadOnlyList<string> fields)
    {
        var columns = table.Columns;
        var categories = columns.Dimensions.Select(d => fields[d]).ToArray();
        var added = table.Add(categories, line);
        if (added < 0)
        {
            var earlier = -added - 1;
            throw new DataShareException("OutputCellDuplicate", DataShareErrorCategory.InvalidData,
                $"Lines {table.Lines[earlier]} and {line} of '{table.Path}' are the same cell ({table.Label(earlier)}): each cell must appear once.", table.Path);
        }

        var header = columns.Header;
        var count = ParseCount(fields[columns.Count], line, header[columns.Count], table.Path);
        table.Counts.Add(Math.Max(count, 0));
        table.Suppressed.Add(count < 0);
        if (columns.IsMagnitude)
        {
            var value = Magnitude(fields, columns.Value, line, table.Path, header);
            var largest = Magnitude(fields, columns.Largest, line, table.Path, header);
            var second = Magnitude(fields, columns.SecondLargest, line, table.Path, header);
            if ((largest > value + 1e-9 * Math.Abs(value)) || second > largest)
            {
                throw new DataShareException("OutputContributionsInconsistent", DataShareErrorCategory.InvalidData,
                    $"Line {line} of '{table.Path}': the largest contributions ({OutputTable.FormatNumber(largest)}, {OutputTable.FormatNumber(second)}) must be in order and no more than the value ({OutputTable.FormatNumber(value)}).", table.Path);
            }

            table.Values.Add(value);
            table.Largest.Add(largest);
            table.Second.Add(second);
        }

        for (var r = 0; r < columns.Rates.Count; r++)
        {
            table.Numerators[r].Add(OptionalCount(fields, columns.Rates[r].Numerator, line, table.Path, header));
            table.Denominators[r].Add(OptionalCount(fields, columns.Rates[r].Denominator, line, table.Path, header));
        }
    }

    private static long OptionalCount(IReadOnlyList<string> fields, int column, int line, string path, IReadOnlyList<string> header) =>
        fields[column].Trim().Length == 0 ? -1 : ParseCount(fields[column], line, header[column], path);

    // NaN where the column is absent, blank or suppressed.
    private static double Magnitude(IReadOnlyList<string> fields, int column, int line, string path, IReadOnlyList<string> header)
    {
        if (column < 0)
        {
            return double.NaN;
        }

        var text = fields[column].Trim();
        if (text.Length == 0 || SuppressionMarkers.Contains(text))
        {
            return double.NaN;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new DataShareException("OutputValueNotNumeric", DataShareErrorCategory.InvalidData,
                $"Line {line} of '{path}': the {header[column]} is '{Shorten(text)}', not a number.", path);
        }

        if (value < 0)
        {
            throw new DataShareException("OutputValueNegative", DataShareErrorCategory.InvalidData,
                $"Line {line} of '{path}': the {header[column]} is {text}; the dominance rules need values of at least 0.", path);
        }

        return value;
    }

    private static bool TryWhole(double real, out long whole)
    {
        whole = (long)real;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text.Substring(0, 40) + "…";
}
