using System;
using System.Collections.Generic;
using System.Globalization;

namespace DataShareAdmin.Core.Policy;

/// <summary>
/// The safe-output rules as policy: the register's settings, and an agreement's overrides, which may only be stricter.
/// An override is stored as a policy value named "Setting@AGREEMENT"; reading takes the stricter of the two, so a
/// register setting tightened later is never loosened by an older override.
/// </summary>
public static class OutputPolicy
{
    /// <summary>The settings an agreement may override.</summary>
    public static IReadOnlyList<string> Settings { get; } = new[]
    {
        PolicyCatalogue.OutputThreshold, PolicyCatalogue.OutputZerosDisclosive, PolicyCatalogue.OutputDominanceN,
        PolicyCatalogue.OutputDominanceK, PolicyCatalogue.OutputPPercent, PolicyCatalogue.OutputRoundingBase,
    };

    public static string OverrideName(string setting, string agreementId) => setting + "@" + agreementId.ToUpperInvariant();

    /// <summary>The rules from setting values (normalised), with each agreement override applied where stricter.</summary>
    public static OutputRules From(IReadOnlyDictionary<string, string> values, Func<string, string?> overrideOf)
    {
        string Value(string name)
        {
            var own = values[name];
            return overrideOf(name) is { } other && IsStricter(name, other, own) ? other : own;
        }

        return new OutputRules
        {
            Threshold = int.Parse(Value(PolicyCatalogue.OutputThreshold), CultureInfo.InvariantCulture),
            ZerosDisclosive = Value(PolicyCatalogue.OutputZerosDisclosive) == "true",
            DominanceN = int.Parse(Value(PolicyCatalogue.OutputDominanceN), CultureInfo.InvariantCulture),
            DominanceK = double.Parse(Value(PolicyCatalogue.OutputDominanceK), CultureInfo.InvariantCulture),
            PPercent = double.Parse(Value(PolicyCatalogue.OutputPPercent), CultureInfo.InvariantCulture),
            RoundingBase = int.Parse(Value(PolicyCatalogue.OutputRoundingBase), CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// True when <paramref name="candidate"/> is as strict as <paramref name="current"/> or stricter: a higher threshold,
    /// zeros disclosive, n = 2 over 1, a lower k, a higher p, and a rounding base that is a multiple of the current one
    /// (any base over none).
    /// </summary>
    public static bool IsStricter(string setting, string candidate, string current)
    {
        static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
        return setting switch
        {
            PolicyCatalogue.OutputZerosDisclosive => candidate == "true" || current == "false",
            PolicyCatalogue.OutputDominanceK => Number(candidate) <= Number(current),
            PolicyCatalogue.OutputRoundingBase => Number(current) == 0 || (Number(candidate) > 0 && Number(candidate) % Number(current) == 0),
            _ => Number(candidate) >= Number(current),
        };
    }
}
