using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.Benchmarks;

/// <summary>Median, minimum and 90th percentile (nearest rank) of a set of timings.</summary>
internal readonly record struct Stats(int Count, double Median, double Min, double P90)
{
    public static Stats Of(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return new Stats(0, double.NaN, double.NaN, double.NaN);
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        var p90 = sorted[Math.Max(0, (int)Math.Ceiling(0.9 * sorted.Length) - 1)];
        return new Stats(sorted.Length, median, sorted[0], p90);
    }
}
