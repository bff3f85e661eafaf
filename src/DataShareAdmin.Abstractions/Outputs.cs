using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;

namespace DataShareAdmin;

/// <summary>What output checking decided for a cell or a file; later members are worse.</summary>
public enum OutputVerdict
{
    /// <summary>Every rule passed.</summary>
    Pass,

    /// <summary>A rule could not decide (a missing number, a check too large to prove): a person must look.</summary>
    Review,

    /// <summary>A rule found a disclosure: the cell must not be released as it is.</summary>
    Fail,
}

/// <summary>The statistical disclosure control rules (docs/outputs.md explains each with a worked example).</summary>
public enum OutputRule
{
    /// <summary>A count (or a numerator or denominator of a rate) under the frequency threshold.</summary>
    Threshold,

    /// <summary>A zero count, when zeros are treated as disclosive.</summary>
    Zero,

    /// <summary>A cell holding 100 % of its row or column: everyone in the group shares the attribute.</summary>
    ClassDisclosure,

    /// <summary>The largest n contributions make up more than k % of the cell's value.</summary>
    Dominance,

    /// <summary>The second largest contributor could estimate the largest to within p %.</summary>
    PPercent,

    /// <summary>A suppressed cell that can be worked out exactly from the totals and the cells shown.</summary>
    Secondary,

    /// <summary>A value that is not a multiple of the declared rounding base, or a total that is not the sum of its rounded cells.</summary>
    Rounding,

    /// <summary>The difference between this cell and the same cell of a table released before is a count under the threshold.</summary>
    Differencing,
}

/// <summary>
/// The parameters of the output rules. Immutable with value equality; the defaults are ACRO's reference set (threshold
/// 10, zeros disclosive, dominance n = 2 and k = 90 %, p % = 10 %) with no rounding.
/// </summary>
public sealed record OutputRules
{
    /// <summary>A count from 1 to this value minus one fails (1 to 1,000,000).</summary>
    public int Threshold { get; init; } = 10;

    /// <summary>Whether a zero count fails (true) or passes (false, e.g. structural zeros).</summary>
    public bool ZerosDisclosive { get; init; } = true;

    /// <summary>How many of the largest contributions the dominance rule adds up: 1 or 2 (the table gives the largest two).</summary>
    public int DominanceN { get; init; } = 2;

    /// <summary>The share, in per cent (above 0, up to 100), that the largest n contributions must not exceed.</summary>
    public double DominanceK { get; init; } = 90;

    /// <summary>The p of the p % rule, in per cent (0 to 100); 0 switches the rule off.</summary>
    public double PPercent { get; init; } = 10;

    /// <summary>The base counts are rounded to: 0 for none, else 2 to 1,000.</summary>
    public int RoundingBase { get; init; }

    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "Threshold {0}; zeros {1}; dominance ({2}, {3} %); p % {4}; rounding {5}",
        Threshold,
        ZerosDisclosive ? "disclosive" : "allowed",
        DominanceN,
        DominanceK,
        PPercent,
        RoundingBase == 0 ? "none" : "to " + RoundingBase.ToString(CultureInfo.InvariantCulture));
}

/// <summary>A percentage or rate column and the counts it is made of.</summary>
public sealed class OutputRateColumns
{
    /// <summary>The column holding the rate itself; may be absent when only its numerator and denominator are given.</summary>
    public string? Rate { get; set; }

    public string Numerator { get; set; } = string.Empty;

    public string Denominator { get; set; } = string.Empty;

    public override string ToString() => (Rate is null ? string.Empty : Rate + " = ") + Numerator + " / " + Denominator;
}

/// <summary>
/// Which columns of an aggregate table hold what. Any column left unnamed is found by its usual names (docs/outputs.md
/// lists them); the dimensions default to every column that is not a measure.
/// </summary>
public sealed class OutputTableLayout
{
    public IList<string> Dimensions { get; set; } = new List<string>();

    /// <summary>The count of units in the cell; in a magnitude table, the number of contributors.</summary>
    public string? Count { get; set; }

    /// <summary>A magnitude table's value (the sum of the contributions).</summary>
    public string? Value { get; set; }

    public string? Largest { get; set; }

    public string? SecondLargest { get; set; }

    public IList<OutputRateColumns> Rates { get; set; } = new List<OutputRateColumns>();

    /// <summary>Categories that mark a total over a dimension (compared ignoring case); empty means Total, All, Overall.</summary>
    public IList<string> TotalLabels { get; set; } = new List<string>();
}

/// <summary>What one rule found about one cell, and the numbers behind it.</summary>
public sealed class OutputFinding
{
    public OutputRule Rule { get; set; }

    public OutputVerdict Verdict { get; set; }

    /// <summary>Which number the rule looked at: Count, Value, or a numerator or denominator column's name.</summary>
    public string Measure { get; set; } = string.Empty;

    /// <summary>The number found (a count, a share in per cent, a difference).</summary>
    public double? Observed { get; set; }

    /// <summary>The rule's limit it was held against.</summary>
    public double? Limit { get; set; }

    /// <summary>The plain-words reason, with the numbers.</summary>
    public string Detail { get; set; } = string.Empty;

    /// <summary>The cells that give a suppressed cell away, or the earlier release a difference is taken against.</summary>
    public string? Related { get; set; }

    public override string ToString() => Rule + ": " + Detail;
}

/// <summary>A cell's findings. Its text (as Export-Csv and Format-Table show it) is the findings joined by "; ".</summary>
public sealed class OutputFindingList : ReadOnlyCollection<OutputFinding>
{
    public OutputFindingList(IList<OutputFinding> findings)
        : base(findings)
    {
    }

    public override string ToString() => string.Join("; ", this.Select(f => f.ToString()));
}

/// <summary>The verdict on one cell of an aggregate table, the rules that decided it and the numbers behind each.</summary>
public sealed class OutputCellResult
{
    public string Path { get; set; } = string.Empty;

    /// <summary>The line of the file the cell is on (the header is line 1).</summary>
    public int Line { get; set; }

    /// <summary>The cell's categories, "Dimension=Category" joined by ", ".</summary>
    public string Cell { get; set; } = string.Empty;

    /// <summary>True when any of its categories is a total.</summary>
    public bool IsTotal { get; set; }

    /// <summary>The count as given; empty when the cell is suppressed in the file.</summary>
    public long? Count { get; set; }

    /// <summary>True when the file shows the cell as suppressed (e.g. "[c]").</summary>
    public bool Suppressed { get; set; }

    public OutputVerdict Verdict { get; set; }

    /// <summary>The rules that decided the verdict, joined by ", " (the failing ones, else those needing review).</summary>
    public string Rules { get; set; } = string.Empty;

    /// <summary>What each deciding rule found, with its numbers.</summary>
    public string Reason { get; set; } = string.Empty;

    public OutputFindingList Findings { get; set; } = new(new List<OutputFinding>());

    public override string ToString() => Cell + ": " + Verdict;
}

/// <summary>The verdict on one file: how many cells passed, need review or failed, and what the check used.</summary>
public sealed class OutputFileSummary
{
    public string Path { get; set; } = string.Empty;

    public string Sha256 { get; set; } = string.Empty;

    /// <summary>Frequency (counts) or Magnitude (values with contributors).</summary>
    public string Kind { get; set; } = "Frequency";

    /// <summary>The dimension columns, joined by ", ".</summary>
    public string Dimensions { get; set; } = string.Empty;

    public string CountColumn { get; set; } = string.Empty;

    public int Cells { get; set; }

    public int Passed { get; set; }

    public int Review { get; set; }

    public int Failed { get; set; }

    /// <summary>Cells shown as suppressed in the file.</summary>
    public int Suppressed { get; set; }

    public OutputVerdict Verdict { get; set; }

    /// <summary>How many cells each rule failed or sent for review, e.g. "Threshold 3, Secondary 1".</summary>
    public string RuleCounts { get; set; } = string.Empty;

    /// <summary>Earlier releases the table was compared with for differencing, joined by ", ".</summary>
    public string ComparedWith { get; set; } = string.Empty;

    public OutputRules Rules { get; set; } = new();

    /// <summary>For a protected copy: the file it was made from, and that file's SHA-256.</summary>
    public string? ProtectedFrom { get; set; }

    public string? ProtectedFromSha256 { get; set; }

    public override string ToString() => Path + ": " + Verdict;
}
