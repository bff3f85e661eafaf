using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace DataShareAdmin.Core.Outputs;

/// <summary>A checked file: its summary, and its cells' results (made as they are read, one at a time).</summary>
public sealed class OutputCheck
{
    private readonly Func<IEnumerable<OutputCellResult>> cells;
    private readonly Func<IEnumerable<ReleasedCell>> released;

    internal OutputCheck(OutputFileSummary summary, Func<IEnumerable<OutputCellResult>> cells, Func<IEnumerable<ReleasedCell>> released)
    {
        Summary = summary;
        this.cells = cells;
        this.released = released;
    }

    /// <summary>The dimension columns, in the order <see cref="TableCells"/> gives each cell's categories.</summary>
    public IReadOnlyList<string> DimensionNames { get; internal set; } = Array.Empty<string>();

    public OutputFileSummary Summary { get; }

    /// <summary>One result per cell, in the file's order. Enumerating again makes them again.</summary>
    public IEnumerable<OutputCellResult> Cells => cells();

    /// <summary>Each cell's categories and count (null when suppressed), in the file's order: what a release records.</summary>
    public IEnumerable<ReleasedCell> TableCells => released();
}

/// <summary>
/// Checks aggregate tables against the output rules, and makes protected copies of them (docs/outputs.md). Reads only:
/// the file checked is never changed; a protected copy is written beside nothing but its own destination.
/// </summary>
public sealed class OutputChecker
{
    private readonly IReleasedOutputs? released;

    /// <param name="released">What the agreements have released, for the differencing rule; null to skip it.</param>
    public OutputChecker(IReleasedOutputs? released = null)
    {
        this.released = released;
    }

    /// <summary>
    /// Checks the table at <paramref name="path"/>. With <paramref name="agreementId"/>, it is also compared with every
    /// table released under that agreement. Bad input throws a <see cref="DataShareException"/> before any result.
    /// </summary>
    public OutputCheck Check(string path, OutputTableLayout? layout, OutputRules? rules, string? agreementId, CancellationToken cancellation = default)
    {
        rules ??= new OutputRules();
        OutputRuleLimits.Validate(rules);
        var table = OutputTableReader.Load(path, layout, cancellation);
        return Evaluate(table, rules, agreementId, cancellation);
    }

    /// <summary>
    /// Writes a protected copy of the table at <paramref name="path"/> to <paramref name="destination"/> (docs/outputs.md,
    /// "Protection") and returns the check of the copy as written. The original is never changed.
    /// </summary>
    public OutputCheck Protect(string path, string destination, OutputTableLayout? layout, OutputRules? rules, string? agreementId, bool overwrite, CancellationToken cancellation = default)
    {
        rules ??= new OutputRules();
        OutputRuleLimits.Validate(rules);
        OutputProtector.CheckDestination(path, destination, overwrite);
        var table = OutputTableReader.Load(path, layout, cancellation);
        var lines = new OutputLines(table);
        var rounded = OutputProtector.Protect(table, lines, rules,
            () => OutputDifferencing.Compare(table, released, agreementId, rules.Threshold, new List<string>(), cancellation), cancellation);
        OutputProtector.Write(table, rounded, destination, cancellation);
        var check = Check(destination, layout, rules, agreementId, cancellation);
        check.Summary.ProtectedFrom = path;
        check.Summary.ProtectedFromSha256 = table.Sha256;
        return check;
    }

    internal OutputCheck Evaluate(OutputTable table, OutputRules rules, string? agreementId, CancellationToken cancellation)
    {
        var lines = new OutputLines(table);
        var comparedWith = new List<string>();
        var differencing = OutputDifferencing.Compare(table, released, agreementId, rules.Threshold, comparedWith, cancellation);
        var evaluation = new OutputEvaluation(table, lines, rules, differencing);
        var summary = new OutputFileSummary
        {
            Path = table.Path,
            Sha256 = table.Sha256,
            Kind = table.Columns.IsMagnitude ? "Magnitude" : "Frequency",
            Dimensions = string.Join(", ", table.DimensionNames),
            CountColumn = table.Columns.Header[table.Columns.Count],
            Cells = table.CellCount,
            Rules = rules,
            ComparedWith = string.Join(", ", comparedWith),
        };
        var perRule = new SortedDictionary<OutputRule, int>();
        for (var cell = 0; cell < table.CellCount; cell++)
        {
            if ((cell & 0xFFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }

            var findings = evaluation.Findings(cell);
            var verdict = OutputEvaluation.VerdictOf(findings);
            summary.Passed += verdict == OutputVerdict.Pass ? 1 : 0;
            summary.Review += verdict == OutputVerdict.Review ? 1 : 0;
            summary.Failed += verdict == OutputVerdict.Fail ? 1 : 0;
            summary.Suppressed += table.Suppressed[cell] ? 1 : 0;
            foreach (var rule in findings.Where(f => f.Verdict != OutputVerdict.Pass).Select(f => f.Rule).Distinct())
            {
                perRule[rule] = perRule.TryGetValue(rule, out var n) ? n + 1 : 1;
            }
        }

        summary.Verdict = summary.Failed > 0 ? OutputVerdict.Fail : summary.Review > 0 ? OutputVerdict.Review : OutputVerdict.Pass;
        summary.RuleCounts = string.Join(", ", perRule.Select(p => p.Key + " " + p.Value));
        return new OutputCheck(summary, () => Results(evaluation, cancellation), () => TableCells(table)) { DimensionNames = table.DimensionNames };
    }

    private static IEnumerable<ReleasedCell> TableCells(OutputTable table)
    {
        for (var cell = 0; cell < table.CellCount; cell++)
        {
            var categories = new string[table.Dimensions];
            for (var d = 0; d < table.Dimensions; d++)
            {
                var number = table.Coord(cell, d);
                categories[d] = number < 0 ? table.TotalText[d] : table.Categories[d][number];
            }

            yield return new ReleasedCell(categories, table.Suppressed[cell] ? null : table.Counts[cell]);
        }
    }

    private static IEnumerable<OutputCellResult> Results(OutputEvaluation evaluation, CancellationToken cancellation)
    {
        var table = evaluation.Table;
        for (var cell = 0; cell < table.CellCount; cell++)
        {
            if ((cell & 0xFFF) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
            }

            var findings = evaluation.Findings(cell);
            var verdict = OutputEvaluation.VerdictOf(findings);
            var deciding = findings.Where(f => f.Verdict == verdict).ToList();
            yield return new OutputCellResult
            {
                Path = table.Path,
                Line = table.Lines[cell],
                Cell = table.Label(cell),
                IsTotal = table.IsTotal(cell),
                Count = table.Suppressed[cell] ? null : table.Counts[cell],
                Suppressed = table.Suppressed[cell],
                Verdict = verdict,
                Rules = string.Join(", ", deciding.Select(f => f.Rule).Distinct()),
                Reason = string.Join("; ", deciding.Select(f => f.ToString())),
                Findings = new OutputFindingList(findings),
            };
        }
    }
}
