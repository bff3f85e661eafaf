using System;
using System.Globalization;

namespace DataShareAdmin.Core.Outputs;

/// <summary>The ranges the output rule parameters must lie in; a value outside is refused before any file is read.</summary>
public static class OutputRuleLimits
{
    public const int MaxThreshold = 1_000_000;

    public const int MaxRoundingBase = 1_000;

    /// <summary>Throws OutputRuleOutOfRange (InvalidArgument, the parameter's name as target) for the first parameter out of range.</summary>
    public static void Validate(OutputRules rules)
    {
        if (rules is null)
        {
            throw new ArgumentNullException(nameof(rules));
        }

        Require(rules.Threshold >= 1 && rules.Threshold <= MaxThreshold, nameof(OutputRules.Threshold), rules.Threshold,
            $"a whole number from 1 to {MaxThreshold:N0} (a count under it fails)");
        Require(rules.DominanceN >= 1 && rules.DominanceN <= 2, nameof(OutputRules.DominanceN), rules.DominanceN,
            "1 or 2 (a table gives its cells' largest two contributions)");
        Require(rules.DominanceK > 0 && rules.DominanceK <= 100, nameof(OutputRules.DominanceK), rules.DominanceK,
            "a percentage above 0 and at most 100");
        Require(rules.PPercent >= 0 && rules.PPercent <= 100, nameof(OutputRules.PPercent), rules.PPercent,
            "a percentage from 0 (off) to 100");
        Require(rules.RoundingBase == 0 || (rules.RoundingBase >= 2 && rules.RoundingBase <= MaxRoundingBase), nameof(OutputRules.RoundingBase), rules.RoundingBase,
            $"0 (no rounding) or a whole number from 2 to {MaxRoundingBase:N0}");
    }

    private static void Require(bool inRange, string name, object value, string expected)
    {
        if (!inRange)
        {
            throw new DataShareException("OutputRuleOutOfRange", DataShareErrorCategory.InvalidArgument,
                string.Format(CultureInfo.InvariantCulture, "The output rule {0} is {1}: it must be {2}.", name, value, expected), name);
        }
    }
}
