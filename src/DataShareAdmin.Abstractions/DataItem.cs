using System;
using System.Globalization;

namespace DataShareAdmin;

/// <summary>
/// One data item of an agreement with its two ratings: sensitivity (A, least, to E, most) and identification
/// risk (1, lowest, to 6, highest).
/// </summary>
public sealed class DataItem
{
    public DataItem()
    {
    }

    public DataItem(string name, string sensitivity, int identificationRisk)
    {
        Name = name;
        Sensitivity = sensitivity;
        IdentificationRisk = identificationRisk;
    }

    /// <summary>
    /// Parses the short form <c>Name:B3</c> (sensitivity then identification risk), so a script can write
    /// <c>-DataItem 'KS2 results:B3'</c>. Values are checked by the engine, which reports bad ones clearly.
    /// </summary>
    public DataItem(string specification)
    {
        if (specification is null)
        {
            throw new ArgumentNullException(nameof(specification));
        }

        var colon = specification.LastIndexOf(':');
        if (colon <= 0 || colon == specification.Length - 1)
        {
            Name = specification;
            Sensitivity = string.Empty;
            return;
        }

        Name = specification.Substring(0, colon).Trim();
        var rating = specification.Substring(colon + 1).Trim();
        Sensitivity = rating.Substring(0, 1);
        IdentificationRisk = int.TryParse(rating.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out var risk) ? risk : 0;
    }

    public string Name { get; set; } = string.Empty;

    /// <summary>A to E.</summary>
    public string Sensitivity { get; set; } = string.Empty;

    /// <summary>1 to 6.</summary>
    public int IdentificationRisk { get; set; }

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0}:{1}{2}", Name, Sensitivity, IdentificationRisk);
}
