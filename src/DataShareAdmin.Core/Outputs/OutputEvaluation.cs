using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.Core.Outputs;

/// <summary>
/// The rules applied to a table in its current state: each cell's findings, from its own numbers (threshold, zeros,
/// rates, dominance, p %, rounding base) and from its lines (class disclosure, totals that do not add up, suppressed
/// cells the margins give away) and the differencing findings worked out beforehand. Made again after a protection
/// step changes counts or suppresses cells.
/// </summary>
internal sealed class OutputEvaluation
{
    private const int MaxNamed = 12;

    private readonly OutputRules rules;
    private readonly IReadOnlyDictionary<int, List<OutputFinding>> differencing;
    private readonly Dictionary<int, List<OutputFinding>> lineFindings = new();
    private readonly Dictionary<int, Recovery> recoveries;

    public OutputEvaluation(OutputTable table, OutputLines lines, OutputRules rules, IReadOnlyDictionary<int, List<OutputFinding>> differencing)
    {
        Table = table;
        Lines = lines;
        this.rules = rules;
        this.differencing = differencing;
        ExamineLines();
        recoveries = OutputRecovery.Find(lines, c => table.Suppressed[c]);
    }

    public OutputTable Table { get; }

    public OutputLines Lines { get; }

    /// <summary>Suppressed cells the margins give away (or that could not be proved safe).</summary>
    public IReadOnlyDictionary<int, Recovery> Recoveries => recoveries;

    private bool Rounded => rules.RoundingBase > 0 && !Table.Columns.IsMagnitude;

    public List<OutputFinding> Findings(int cell)
    {
        var found = new List<OutputFinding>();
        if (Table.Suppressed[cell])
        {
            found.Add(SuppressedFinding(cell));
        }
        else
        {
            CountRules(cell, found);
            RateRules(cell, found);
            MagnitudeRules(cell, found);
        }

        if (lineFindings.TryGetValue(cell, out var fromLines))
        {
            found.AddRange(fromLines);
        }

        if (differencing.TryGetValue(cell, out var differences) && !Table.Suppressed[cell])
        {
            found.AddRange(differences);
        }

        return found;
    }

    public static OutputVerdict VerdictOf(IEnumerable<OutputFinding> findings) =>
        findings.Select(f => f.Verdict).DefaultIfEmpty(OutputVerdict.Pass).Max();

    private static OutputFinding Finding(OutputRule rule, OutputVerdict verdict, string measure, double? observed, double? limit, string detail, string? related = null) =>
        new() { Rule = rule, Verdict = verdict, Measure = measure, Observed = observed, Limit = limit, Detail = detail, Related = related };

    private OutputFinding SuppressedFinding(int cell)
    {
        if (!recoveries.TryGetValue(cell, out var recovery))
        {
            return Finding(OutputRule.Secondary, OutputVerdict.Pass, "Count", null, null, "suppressed, and the margins do not give it away");
        }

        if (!recovery.Exact)
        {
            return Finding(OutputRule.Secondary, OutputVerdict.Review, "Count", null, OutputRecovery.MaxExact,
                $"suppressed, but linked to more than {OutputRecovery.MaxExact} other suppressed cells through the margins: too many to prove it cannot be worked out");
        }

        var names = Names(recovery.GivenAwayBy);
        return Finding(OutputRule.Secondary, OutputVerdict.Fail, "Count", recovery.GivenAwayBy.Count, null,
            $"suppressed, but it can be worked out exactly from the totals and the cells shown: {names}", names);
    }

    private void CountRules(int cell, List<OutputFinding> found)
    {
        var count = Table.Counts[cell];
        var measure = Table.Columns.IsMagnitude ? "Contributors" : "Count";
        CountThreshold(count, measure, found);
        if (Rounded && count % rules.RoundingBase != 0)
        {
            found.Add(Finding(OutputRule.Rounding, OutputVerdict.Fail, measure, count, rules.RoundingBase, $"{measure.ToLowerInvariant()} {count} is not a multiple of {rules.RoundingBase}"));
        }
    }

    private void CountThreshold(long count, string measure, List<OutputFinding> found)
    {
        var what = measure.ToLowerInvariant();
        if (count == 0)
        {
            found.Add(rules.ZerosDisclosive
                ? Finding(OutputRule.Zero, OutputVerdict.Fail, measure, 0, null, $"{what} is 0, and zeros are disclosive")
                : Finding(OutputRule.Zero, OutputVerdict.Pass, measure, 0, null, $"{what} is 0, and zeros are allowed"));
        }
        else if (count < rules.Threshold)
        {
            found.Add(Finding(OutputRule.Threshold, OutputVerdict.Fail, measure, count, rules.Threshold, $"{what} {count} is under {rules.Threshold}"));
        }
        else
        {
            found.Add(Finding(OutputRule.Threshold, OutputVerdict.Pass, measure, count, rules.Threshold, $"{what} {count} is at least {rules.Threshold}"));
        }
    }

    private void RateRules(int cell, List<OutputFinding> found)
    {
        for (var r = 0; r < Table.Columns.Rates.Count; r++)
        {
            var columns = Table.Columns.Rates[r];
            var numerator = Table.Numerators[r][cell];
            var denominator = Table.Denominators[r][cell];
            foreach (var (value, column) in new[] { (numerator, columns.Numerator), (denominator, columns.Denominator) })
            {
                var name = Table.Columns.Header[column];
                if (value < 0)
                {
                    found.Add(Finding(OutputRule.Threshold, OutputVerdict.Review, name, null, rules.Threshold, $"{name} is not given, so {columns.Name} cannot be checked"));
                    continue;
                }

                CountThreshold(value, name, found);
                if (rules.RoundingBase > 0 && value % rules.RoundingBase != 0)
                {
                    found.Add(Finding(OutputRule.Rounding, OutputVerdict.Fail, name, value, rules.RoundingBase, $"{name.ToLowerInvariant()} {value} is not a multiple of {rules.RoundingBase}"));
                }
            }

            if (numerator > 0 && numerator == denominator)
            {
                found.Add(Finding(OutputRule.ClassDisclosure, OutputVerdict.Fail, columns.Name, 100, null,
                    $"{columns.Name} is 100 % ({numerator} of {denominator}): everyone in the group has the attribute"));
            }
        }
    }

    private void MagnitudeRules(int cell, List<OutputFinding> found)
    {
        if (!Table.Columns.IsMagnitude)
        {
            return;
        }

        var value = Table.Values[cell];
        var largest = Table.Largest[cell];
        var second = Table.Second[cell];
        if (double.IsNaN(value) || value <= 0)
        {
            return;
        }

        if (double.IsNaN(largest) || (double.IsNaN(second) && (rules.DominanceN == 2 || rules.PPercent > 0) && Table.Counts[cell] > 1))
        {
            found.Add(Finding(OutputRule.Dominance, OutputVerdict.Review, "Value", null, rules.DominanceK, "the largest contributions are not given, so dominance cannot be checked"));
            return;
        }

        var x2 = double.IsNaN(second) ? 0 : second;
        var top = rules.DominanceN == 2 ? largest + x2 : largest;
        var share = 100 * top / value;
        var which = rules.DominanceN == 2 ? "largest 2 contributions" : "largest contribution";
        found.Add(share > rules.DominanceK
            ? Finding(OutputRule.Dominance, OutputVerdict.Fail, "Value", Math.Round(share, 2), rules.DominanceK, $"the {which} are {OutputTable.FormatNumber(share)} % of the value, over {OutputTable.FormatNumber(rules.DominanceK)} %")
            : Finding(OutputRule.Dominance, OutputVerdict.Pass, "Value", Math.Round(share, 2), rules.DominanceK, $"the {which} are {OutputTable.FormatNumber(share)} % of the value, at most {OutputTable.FormatNumber(rules.DominanceK)} %"));
        if (rules.PPercent > 0)
        {
            var rest = value - largest - x2;
            var margin = rules.PPercent / 100 * largest;
            found.Add(rest < margin
                ? Finding(OutputRule.PPercent, OutputVerdict.Fail, "Value", rest, margin, $"the second largest contributor could estimate the largest ({OutputTable.FormatNumber(largest)}) to within {OutputTable.FormatNumber(rest)}, under {OutputTable.FormatNumber(rules.PPercent)} % of it")
                : Finding(OutputRule.PPercent, OutputVerdict.Pass, "Value", rest, margin, $"the others add {OutputTable.FormatNumber(rest)}, at least {OutputTable.FormatNumber(rules.PPercent)} % of the largest"));
        }
    }

    // Class disclosure (one member of a line holds all of it) and totals that are not the sum of their members.
    private void ExamineLines()
    {
        var table = Table;
        for (var d = 0; d < table.Dimensions; d++)
        {
            for (var line = 0; line < Lines.LineCount(d); line++)
            {
                var members = Lines.Members(d, line);
                long sum = 0;
                var hidden = 0;
                var nonzero = 0;
                var holder = -1;
                foreach (var m in members)
                {
                    if (table.Suppressed[m])
                    {
                        hidden++;
                        continue;
                    }

                    sum += table.Counts[m];
                    if (table.Counts[m] > 0)
                    {
                        nonzero++;
                        holder = m;
                    }
                }

                if (hidden == 0 && members.Count >= 2 && nonzero == 1 && !table.Columns.IsMagnitude)
                {
                    var others = members.Count - 1;
                    Add(holder, Finding(OutputRule.ClassDisclosure, OutputVerdict.Fail, "Count", 100, null,
                        $"holds all {sum} of its {table.DimensionNames[d]} line (the other {others} {(others == 1 ? "category is" : "categories are")} 0): everyone in the group shares it"));
                }

                var total = Lines.TotalOf(d, line);
                if (total >= 0 && hidden == 0 && members.Count > 0 && !table.Suppressed[total])
                {
                    CheckTotal(d, total, sum, members.Count);
                }
            }
        }
    }

    private void CheckTotal(int dimension, int total, long sum, int members)
    {
        var difference = Table.Counts[total] - sum;
        var across = $"its {members} {Table.DimensionNames[dimension]} {(members == 1 ? "cell adds" : "cells add")} up to {sum}";
        if (Rounded && difference != 0)
        {
            Add(total, Finding(OutputRule.Rounding, OutputVerdict.Fail, "Count", difference, 0, $"the total is {Table.Counts[total]} but {across}: totals must be the sum of the rounded cells"));
        }
        else if (!Rounded && !Table.Columns.IsMagnitude && difference > 0 && difference < rules.Threshold)
        {
            Add(total, Finding(OutputRule.Secondary, OutputVerdict.Fail, "Count", difference, rules.Threshold,
                $"the total is {Table.Counts[total]} but {across}: the {difference} not shown are under {rules.Threshold}"));
        }
        else if (!Rounded && difference < 0)
        {
            Add(total, Finding(OutputRule.Secondary, OutputVerdict.Review, "Count", difference, 0, $"the total is {Table.Counts[total]} but {across}: it is less than its parts"));
        }
    }

    private void Add(int cell, OutputFinding finding)
    {
        if (!lineFindings.TryGetValue(cell, out var list))
        {
            lineFindings[cell] = list = new List<OutputFinding>();
        }

        list.Add(finding);
    }

    private string Names(IReadOnlyList<int> cells)
    {
        var shown = cells.Take(MaxNamed).Select(c => Table.Label(c));
        var more = cells.Count > MaxNamed ? $" and {cells.Count - MaxNamed} more" : string.Empty;
        return string.Join("; ", shown) + more;
    }
}
