using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace DataShareAdmin.Core.Outputs;

/// <summary>
/// The differencing rule: a table is compared with every table the agreement has released that shares its
/// dimensions (the same ones, or one table's dimensions all in the other, whose extra dimensions are then read at
/// their totals). Where the same cell is in both and the counts differ by 1 to threshold - 1, the difference is itself
/// a small count (the pupils added between two runs, the one school left out), so the new cell fails, naming the release.
/// </summary>
internal static class OutputDifferencing
{
    public static Dictionary<int, List<OutputFinding>> Compare(OutputTable table, IReleasedOutputs? released, string? agreementId, int threshold, List<string> comparedWith, CancellationToken cancellation)
    {
        var findings = new Dictionary<int, List<OutputFinding>>();
        var others = new Dictionary<int, int>();
        if (released is null || string.IsNullOrEmpty(agreementId))
        {
            return findings;
        }

        var ours = table.DimensionNames;
        foreach (var earlier in released.Released(agreementId!))
        {
            var map = Map(ours, earlier.Dimensions);
            if (map is null)
            {
                continue;
            }

            comparedWith.Add(earlier.ToString());
            var mapped = new bool[earlier.Dimensions.Count];
            foreach (var m in map.Where(m => m >= 0))
            {
                mapped[m] = true;
            }

            var key = new int[table.Dimensions];
            var seen = 0;
            foreach (var cell in released.Cells(earlier))
            {
                if ((++seen & 0xFFF) == 0)
                {
                    cancellation.ThrowIfCancellationRequested();
                }

                if (cell.Count is not long before || !Locate(table, map, mapped, cell.Categories, key))
                {
                    continue;
                }

                var here = table.Find(key);
                if (here < 0 || table.Suppressed[here])
                {
                    continue;
                }

                var difference = Math.Abs(table.Counts[here] - before);
                if (difference <= 0 || difference >= threshold)
                {
                    continue;
                }

                // One finding per cell, for its smallest difference, whatever the number of releases: memory stays per cell.
                others[here] = others.TryGetValue(here, out var n) ? n + 1 : 0;
                if (findings.TryGetValue(here, out var kept) && kept[0].Observed <= difference)
                {
                    continue;
                }

                findings[here] = new List<OutputFinding>
                {
                    new()
                    {
                        Rule = OutputRule.Differencing,
                        Verdict = OutputVerdict.Fail,
                        Measure = "Count",
                        Observed = difference,
                        Limit = threshold,
                        Related = earlier.ToString(),
                        Detail = $"{table.Counts[here]} here against {before} in release {earlier}: the difference, {difference}, is under {threshold}",
                    },
                };
            }
        }

        foreach (var pair in others.Where(p => p.Value > 0))
        {
            findings[pair.Key][0].Detail += $" (and {pair.Value} more {(pair.Value == 1 ? "release" : "releases")} differ by under {threshold})";
        }

        return findings;
    }

    // For each of our dimensions, where it is in the earlier table (-1: not there, so read at our total). Null unless one
    // table's dimensions are all in the other; an earlier dimension we lack is matched at its total in Locate.
    private static int[]? Map(string[] ours, IReadOnlyList<string> theirs)
    {
        var map = new int[ours.Length];
        var shared = 0;
        for (var d = 0; d < ours.Length; d++)
        {
            map[d] = -1;
            for (var j = 0; j < theirs.Count; j++)
            {
                if (string.Equals(ours[d], theirs[j], StringComparison.OrdinalIgnoreCase))
                {
                    map[d] = j;
                    shared++;
                }
            }
        }

        var oursInTheirs = shared == ours.Length;
        var theirsInOurs = shared == theirs.Count;
        return shared > 0 && (oursInTheirs || theirsInOurs) ? map : null;
    }

    private static bool Locate(OutputTable table, int[] map, bool[] mapped, IReadOnlyList<string> categories, int[] key)
    {
        // An earlier dimension we do not have must be at its total for the cell to be one of ours.
        for (var j = 0; j < categories.Count && j < mapped.Length; j++)
        {
            if (!mapped[j] && !table.Columns.TotalLabels.Contains(categories[j].Trim()))
            {
                return false;
            }
        }

        for (var d = 0; d < map.Length; d++)
        {
            key[d] = map[d] < 0 ? -1 : table.CategoryNumber(d, categories[map[d]]);
            if (key[d] == -2)
            {
                return false;
            }
        }

        return true;
    }
}
