using System;
using System.Globalization;

namespace DataShareAdmin.BenchSupport;

/// <summary>Parsing helpers shared by the harnesses' options.</summary>
public static class CommandLine
{
    /// <summary>
    /// A whole number of at least <paramref name="minimum"/> for option <paramref name="name"/>; with
    /// <paramref name="digitSeparators"/>, underscores in it (100_000) are ignored.
    /// </summary>
    public static int ParseCount(string name, string value, int minimum, bool digitSeparators = false)
    {
        ArgumentNullException.ThrowIfNull(value);
        var digits = digitSeparators ? value.Replace("_", string.Empty, StringComparison.Ordinal) : value;
        if (!int.TryParse(digits, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count < minimum)
        {
            throw new ArgumentException($"{name} needs a whole number of at least {minimum}, not '{value}'.");
        }

        return count;
    }
}
