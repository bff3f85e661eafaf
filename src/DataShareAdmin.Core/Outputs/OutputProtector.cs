using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using DataShareAdmin.Core.SafePeople;

namespace DataShareAdmin.Core.Outputs;

/// <summary>
/// Makes a table safe to release. With a rounding base (frequency tables): every count that is not a total is rounded
/// to the base and every total is made again from the rounded cells it covers; numerators and denominators are
/// rounded. Then, in both modes: primary suppression of every cell a rule fails, and secondary suppression, one
/// complementary cell at a time (the smallest shown cell among those that give it away, a total only as a last
/// resort), until no suppressed cell can be worked out from the margins.
/// </summary>
internal static class OutputProtector
{
    /// <summary>Beyond this many dimensions totals are rounded as they are rather than made again (2^n patterns per cell).</summary>
    private const int MaxRebuiltDimensions = 10;

    public static void CheckDestination(string source, string destination, bool overwrite)
    {
        var from = Path.GetFullPath(source);
        var to = Path.GetFullPath(destination);
        var same = string.Equals(from, to, StringComparison.Ordinal);
#if NET8_0_OR_GREATER
        var target = File.Exists(from) ? new FileInfo(from).ResolveLinkTarget(returnFinalTarget: true) : null;
        same |= target is not null && string.Equals(target.FullName, to, StringComparison.Ordinal);
#endif
        if (same)
        {
            throw new DataShareException("OutputDestinationIsSource", DataShareErrorCategory.InvalidArgument,
                $"The protected copy would replace the table it is made from ('{source}'): the original is never changed. Name another file.", destination);
        }

        if (Directory.Exists(to))
        {
            throw new DataShareException("OutputDestinationInvalid", DataShareErrorCategory.InvalidArgument, $"'{destination}' is a folder: name the file to write.", destination);
        }

        var folder = Path.GetDirectoryName(to);
        if (folder is null || !Directory.Exists(folder))
        {
            throw new DataShareException("OutputDestinationFolderNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no folder '{folder}' to write '{destination}' in.", destination);
        }

        var info = new FileInfo(to);
        if (info.Exists && (info.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            throw new DataShareException("OutputDestinationInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{destination}' is a link: a protected copy is not written through one. Name a plain file.", destination);
        }

        if (info.Exists && !overwrite)
        {
            throw new DataShareException("OutputDestinationExists", DataShareErrorCategory.ResourceExists,
                $"'{destination}' already exists: name a new file, or allow it to be replaced.", destination);
        }
    }

    /// <summary>Rounds (with a base) and suppresses cells of <paramref name="table"/> in place; returns whether it rounded.</summary>
    public static bool Protect(OutputTable table, OutputLines lines, OutputRules rules, Func<Dictionary<int, List<OutputFinding>>> differencing, CancellationToken cancellation)
    {
        var rounded = rules.RoundingBase > 0;
        if (rounded)
        {
            Round(table, rules.RoundingBase);
        }

        var differences = differencing();
        var evaluation = new OutputEvaluation(table, lines, rules, differences);
        var primary = Enumerable.Range(0, table.CellCount)
            .Where(c => !table.Suppressed[c] && evaluation.Findings(c).Any(f => f.Verdict == OutputVerdict.Fail)).ToList();
        foreach (var cell in primary)
        {
            table.Suppressed[cell] = true;
        }

        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            evaluation = new OutputEvaluation(table, lines, rules, differences);
            var chosen = new HashSet<int>();
            foreach (var recovery in evaluation.Recoveries.Values.Where(r => r.Exact).OrderBy(r => r.Cell))
            {
                if (recovery.GivenAwayBy.Any(chosen.Contains))
                {
                    continue;
                }

                var complement = recovery.GivenAwayBy.Where(c => !table.Suppressed[c])
                    .OrderBy(c => table.IsTotal(c) ? 1 : 0).ThenBy(c => table.Counts[c]).ThenBy(c => c).DefaultIfEmpty(-1).First();
                if (complement >= 0)
                {
                    chosen.Add(complement);
                }
            }

            if (chosen.Count == 0)
            {
                return rounded;
            }

            foreach (var cell in chosen)
            {
                table.Suppressed[cell] = true;
            }
        }
    }

    /// <summary>Writes the protected copy: the original's lines and columns, suppressed measures as [c], rounded counts; via a temporary file.</summary>
    public static void Write(OutputTable table, bool rounded, string destination, CancellationToken cancellation)
    {
        var to = Path.GetFullPath(destination);
        var temporary = Path.Combine(Path.GetDirectoryName(to)!, "." + Path.GetFileName(to) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        var columns = table.Columns;
        var measures = new List<int> { columns.Count, columns.Value, columns.Largest, columns.SecondLargest };
        measures.AddRange(columns.Rates.SelectMany(r => new[] { r.Rate, r.Numerator, r.Denominator }));
        measures.RemoveAll(m => m < 0);
        try
        {
            var (file, reader) = OutputFile.Open(table.Path);
            using (file)
            using (reader)
            using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false)))
            {
                var cell = -1;
                foreach (var (_, read) in CsvTable.Read(reader, OutputTableReader.MaxFieldLength))
                {
                    var fields = read.ToArray();
                    if (cell >= 0 && fields.Length == 1 && fields[0].Trim().Length == 0)
                    {
                        continue;
                    }

                    if (cell >= 0)
                    {
                        Rewrite(table, cell, fields, measures, rounded);
                    }

                    writer.Write(string.Join(",", fields.Select(Quote)));
                    writer.Write("\r\n");
                    cell++;
                    if ((cell & 0xFFF) == 0)
                    {
                        cancellation.ThrowIfCancellationRequested();
                    }
                }

                if (file.Sha256() != table.Sha256)
                {
                    throw new DataShareException("OutputFileChanged", DataShareErrorCategory.InvalidOperation,
                        $"'{table.Path}' changed while its protected copy was being made: nothing was written. Check it again.", table.Path);
                }
            }

            if (File.Exists(to))
            {
                File.Delete(to);
            }

            File.Move(temporary, to);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static void Rewrite(OutputTable table, int cell, string[] fields, List<int> measures, bool rounded)
    {
        var columns = table.Columns;
        if (table.Suppressed[cell])
        {
            foreach (var m in measures)
            {
                fields[m] = OutputTableReader.Marker;
            }

            return;
        }

        if (!rounded)
        {
            return;
        }

        if (!columns.IsMagnitude)
        {
            fields[columns.Count] = table.Counts[cell].ToString(CultureInfo.InvariantCulture);
        }

        for (var r = 0; r < columns.Rates.Count; r++)
        {
            var rate = columns.Rates[r];
            long numerator = table.Numerators[r][cell], denominator = table.Denominators[r][cell];
            if (numerator < 0 || denominator < 0)
            {
                continue;
            }

            if (rate.Rate >= 0)
            {
                fields[rate.Rate] = RateText(fields[rate.Rate], fields[rate.Numerator], fields[rate.Denominator], numerator, denominator);
            }

            fields[rate.Numerator] = numerator.ToString(CultureInfo.InvariantCulture);
            fields[rate.Denominator] = denominator.ToString(CultureInfo.InvariantCulture);
        }
    }

    // The rate made again from the rounded counts, on the scale (per cent or fraction) and to the decimals the file used.
    private static string RateText(string original, string numeratorText, string denominatorText, long numerator, long denominator)
    {
        if (denominator == 0)
        {
            return string.Empty;
        }

        var parsed = double.TryParse(original.Trim().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var before);
        var wasNumerator = double.TryParse(numeratorText, NumberStyles.Float, CultureInfo.InvariantCulture, out var n0);
        var wasDenominator = double.TryParse(denominatorText, NumberStyles.Float, CultureInfo.InvariantCulture, out var d0);
        var fraction = parsed && wasNumerator && wasDenominator && d0 > 0 && Math.Abs(before - (n0 / d0)) < Math.Abs(before - (100 * n0 / d0));
        var value = (fraction ? 1.0 : 100.0) * numerator / denominator;
        var point = original.IndexOf('.');
        var decimals = point < 0 ? 0 : original.Trim().TrimEnd('%').Length - original.IndexOf('.') - 1;
        return value.ToString("F" + Math.Max(0, decimals).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + (original.Trim().EndsWith("%", StringComparison.Ordinal) ? "%" : string.Empty);
    }

    private static string Quote(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\r', '\n', ';', '\t' }) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    private static long RoundTo(long value, int rounding) => (long)Math.Round((double)value / rounding, MidpointRounding.AwayFromZero) * rounding;

    private static void Round(OutputTable table, int rounding)
    {
        for (var r = 0; r < table.Columns.Rates.Count; r++)
        {
            for (var cell = 0; cell < table.CellCount; cell++)
            {
                table.Numerators[r][cell] = table.Numerators[r][cell] < 0 ? -1 : RoundTo(table.Numerators[r][cell], rounding);
                table.Denominators[r][cell] = table.Denominators[r][cell] < 0 ? -1 : RoundTo(table.Denominators[r][cell], rounding);
            }
        }

        if (table.Columns.IsMagnitude)
        {
            return;
        }

        var dims = table.Dimensions;
        for (var cell = 0; cell < table.CellCount; cell++)
        {
            if (!table.Suppressed[cell])
            {
                table.Counts[cell] = RoundTo(table.Counts[cell], rounding);
            }
        }

        if (dims > MaxRebuiltDimensions)
        {
            return;
        }

        // Each total becomes the sum of the rounded cells it covers, unless one of those is suppressed in the file
        // (its value unknown): then it keeps its own rounded value.
        var sums = new Dictionary<int, long>();
        var unknown = new HashSet<int>();
        var key = new int[dims];
        for (var cell = 0; cell < table.CellCount; cell++)
        {
            if (table.IsTotal(cell))
            {
                continue;
            }

            for (var mask = 1; mask < (1 << dims); mask++)
            {
                for (var d = 0; d < dims; d++)
                {
                    key[d] = (mask & (1 << d)) != 0 ? -1 : table.Coord(cell, d);
                }

                var total = table.Find(key);
                if (total < 0)
                {
                    continue;
                }

                if (table.Suppressed[cell])
                {
                    unknown.Add(total);
                }
                else
                {
                    sums[total] = (sums.TryGetValue(total, out var s) ? s : 0) + table.Counts[cell];
                }
            }
        }

        foreach (var pair in sums)
        {
            if (!unknown.Contains(pair.Key) && !table.Suppressed[pair.Key])
            {
                table.Counts[pair.Key] = pair.Value;
            }
        }
    }
}
