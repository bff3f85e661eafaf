using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.BenchSupport;

/// <summary>Median, minimum, maximum and 90th percentile (nearest rank) of a set of timings.</summary>
public readonly record struct Stats(int Count, double Median, double Min, double Max, double P90)
{
    public static Stats Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Stats(0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var p90 = sorted[Math.Max(0, (int)Math.Ceiling(0.9 * sorted.Length) - 1)];
        return new Stats(sorted.Length, MedianOfSorted(sorted), sorted[0], sorted[^1], p90);
    }

    /// <summary>The median, or NaN for no values.</summary>
    public static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : MedianOfSorted(sorted);
    }

    private static double MedianOfSorted(double[] sorted)
    {
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
