using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.SafePeople;

namespace DataShareAdmin.Core.Outputs;

/// <summary>One rate column and its numerator and denominator, as column positions (the rate's may be -1).</summary>
internal sealed record RateColumns(string Name, int Rate, int Numerator, int Denominator);

/// <summary>
/// Where each part of a table is in its header: named by the caller, or found by the usual names. Names are matched
/// ignoring case, spaces and punctuation ("No. of contributors" is "noofcontributors").
/// </summary>
internal sealed class OutputColumns
{
    internal static readonly string[] CountNames = { "count", "n", "frequency", "freq", "number", "contributors", "numberofcontributors", "observations", "obs", "units", "headcount" };
    internal static readonly string[] ValueNames = { "value", "sum", "totalvalue", "amount", "magnitude" };
    internal static readonly string[] LargestNames = { "largest", "largestcontribution", "max", "maximum", "top1", "largest1" };
    internal static readonly string[] SecondNames = { "secondlargest", "secondlargestcontribution", "second", "top2", "largest2" };
    internal static readonly string[] NumeratorNames = { "numerator", "num" };
    internal static readonly string[] DenominatorNames = { "denominator", "denom", "den" };
    internal static readonly string[] RateNames = { "percent", "percentage", "pct", "rate", "proportion", "share" };
    internal static readonly string[] DefaultTotalLabels = { "Total", "All", "Overall" };

    private OutputColumns(IReadOnlyList<string> header)
    {
        Header = header;
    }

    public IReadOnlyList<string> Header { get; }

    public int[] Dimensions { get; private set; } = Array.Empty<int>();

    public int Count { get; private set; } = -1;

    public int Value { get; private set; } = -1;

    public int Largest { get; private set; } = -1;

    public int SecondLargest { get; private set; } = -1;

    public IReadOnlyList<RateColumns> Rates { get; private set; } = Array.Empty<RateColumns>();

    /// <summary>Rate-like columns found by name without a numerator and denominator: not checked, and not dimensions.</summary>
    public IReadOnlyList<int> UncheckedRates { get; private set; } = Array.Empty<int>();

    public ISet<string> TotalLabels { get; private set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    public bool IsMagnitude => Value >= 0;

    public string[] DimensionNames => Dimensions.Select(i => Header[i]).ToArray();

    public static OutputColumns Resolve(IReadOnlyList<string> header, OutputTableLayout? layout, string path)
    {
        layout ??= new OutputTableLayout();
        var names = header.Select(h => h.Trim()).ToList();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Count; i++)
        {
            if (seen.TryGetValue(names[i], out var first))
            {
                throw new DataShareException("OutputColumnDuplicate", DataShareErrorCategory.InvalidData,
                    $"'{path}' has two columns named '{names[i]}' (columns {first + 1} and {i + 1}): a table's columns must have different names.", path);
            }

            seen[names[i]] = i;
        }

        var columns = new OutputColumns(names);
        var used = new HashSet<int>();
        int Take(string? named, string[] defaults, string what)
        {
            var index = named is null ? FindDefault(names, defaults, used) : FindNamed(names, named, what, path);
            if (index >= 0)
            {
                used.Add(index);
            }

            return index;
        }

        columns.Count = Take(layout.Count, CountNames, "count");
        if (columns.Count < 0)
        {
            throw new DataShareException("OutputCountColumnMissing", DataShareErrorCategory.InvalidData,
                $"'{path}' has no count column. Columns found: {string.Join(", ", names)}. Name it with the count column parameter, or call it Count (or N, Frequency, Contributors).", path);
        }

        columns.Value = Take(layout.Value, ValueNames, "value");
        columns.Largest = Take(layout.Largest, LargestNames, "largest contribution");
        columns.SecondLargest = Take(layout.SecondLargest, SecondNames, "second largest contribution");
        var rates = new List<RateColumns>();
        foreach (var rate in layout.Rates)
        {
            var r = rate.Rate is null ? -1 : Take(rate.Rate, RateNames, "rate");
            rates.Add(new RateColumns(rate.Rate ?? rate.Numerator, r, Take(rate.Numerator, NumeratorNames, "numerator"), Take(rate.Denominator, DenominatorNames, "denominator")));
        }

        var notChecked = new List<int>();
        if (layout.Rates.Count == 0)
        {
            var numerator = Take(null, NumeratorNames, "numerator");
            var denominator = Take(null, DenominatorNames, "denominator");
            var rate = Take(null, RateNames, "rate");
            if (numerator >= 0 && denominator >= 0)
            {
                rates.Add(new RateColumns(rate >= 0 ? names[rate] : names[numerator], rate, numerator, denominator));
            }
            else
            {
                notChecked.AddRange(new[] { numerator, denominator, rate }.Where(i => i >= 0));
            }
        }

        columns.Rates = rates;
        columns.UncheckedRates = notChecked;
        columns.Dimensions = layout.Dimensions.Count > 0
            ? layout.Dimensions.Select(d => FindNamed(names, d, "dimension", path)).ToArray()
            : Enumerable.Range(0, names.Count).Where(i => !used.Contains(i)).ToArray();
        if (columns.Dimensions.Length == 0)
        {
            throw new DataShareException("OutputDimensionsMissing", DataShareErrorCategory.InvalidData,
                $"'{path}' has no dimension columns: every column ({string.Join(", ", names)}) is a measure. A table needs at least one column of categories.", path);
        }

        var clash = columns.Dimensions.Where(used.Contains).DefaultIfEmpty(-1).First();
        if (clash >= 0)
        {
            throw new DataShareException("OutputColumnNotFound", DataShareErrorCategory.InvalidArgument,
                $"The column '{names[clash]}' is named both as a dimension and as a measure.", names[clash]);
        }

        columns.TotalLabels = new HashSet<string>(layout.TotalLabels.Count > 0 ? layout.TotalLabels.Select(l => l.Trim()) : DefaultTotalLabels, StringComparer.OrdinalIgnoreCase);
        return columns;
    }

    private static int FindDefault(IReadOnlyList<string> names, string[] defaults, HashSet<int> used)
    {
        foreach (var wanted in defaults)
        {
            for (var i = 0; i < names.Count; i++)
            {
                if (!used.Contains(i) && CertificateImporter.Compact(names[i]) == wanted)
                {
                    return i;
                }
            }
        }

        return -1;
    }

    private static int FindNamed(IReadOnlyList<string> names, string named, string what, string path)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], named.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new DataShareException("OutputColumnNotFound", DataShareErrorCategory.InvalidArgument,
            $"'{path}' has no column '{named}' (named as the {what} column). Columns found: {string.Join(", ", names)}.", named);
    }
}
