using System;
using System.Collections.Generic;
using System.Globalization;

namespace DataShareAdmin.Core.Policy;

/// <summary>The transfer settings in force, read once per piece of work.</summary>
public sealed class TransferPolicy
{
    public int MaxLifetimeDays { get; set; } = 7;

    public int GraceDays { get; set; } = 1;

    public int ClockSkewMinutes { get; set; } = 5;

    /// <summary>Sensitivity ratings (A–E) that may leave by direct transfer.</summary>
    public string AllowedSensitivity { get; set; } = "ABCDE";

    /// <summary>Identification-risk ratings (1–6) that may leave by direct transfer.</summary>
    public ISet<int> AllowedIdentificationRisk { get; set; } = new HashSet<int> { 1, 2, 3, 4, 5, 6 };

    public static TransferPolicy From(IReadOnlyDictionary<string, string> values)
    {
        string Get(string name) => values.TryGetValue(name, out var v) ? v : PolicyCatalogue.Find(name)!.DefaultValue;
        int Number(string name) => int.Parse(Get(name), NumberStyles.Integer, CultureInfo.InvariantCulture);

        var risks = new HashSet<int>();
        foreach (var part in Get(PolicyCatalogue.TransferAllowedIdentificationRisk).Split(','))
        {
            risks.Add(int.Parse(part, NumberStyles.Integer, CultureInfo.InvariantCulture));
        }

        return new TransferPolicy
        {
            MaxLifetimeDays = Number(PolicyCatalogue.TransferMaxLifetimeDays),
            GraceDays = Number(PolicyCatalogue.TransferGraceDays),
            ClockSkewMinutes = Number(PolicyCatalogue.TransferClockSkewMinutes),
            AllowedSensitivity = Get(PolicyCatalogue.TransferAllowedSensitivity).Replace(",", string.Empty),
            AllowedIdentificationRisk = risks,
        };
    }

    public bool Allows(DataItem item) =>
        item.Sensitivity.Length == 1 && AllowedSensitivity.IndexOf(item.Sensitivity[0]) >= 0 && AllowedIdentificationRisk.Contains(item.IdentificationRisk);
}
