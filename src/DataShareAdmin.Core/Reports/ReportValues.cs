using System;
using System.Globalization;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Reports;

/// <summary>How values become text in reports, the same in every format.</summary>
public static class ReportValues
{
    /// <summary>
    /// A text cell that a spreadsheet would take for a formula (it begins with '=', '+', '-' or '@', or with a tab or
    /// carriage return that some spreadsheets skip before one) is prefixed with an apostrophe, so it shows as the text
    /// it is and never runs. Numbers and dates are not text and are never changed.
    /// </summary>
    public static string NeutraliseFormula(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        return text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;
    }

    /// <summary>A value as text in its column's kind; null is empty.</summary>
    public static string Format(object? value, ReportColumnKind kind) => value switch
    {
        null => string.Empty,
        DateTime date when kind == ReportColumnKind.Date => DateText.FormatDate(date),
        DateTimeOffset instant => DateText.FormatInstant(instant),
        DateTime date => DateText.FormatInstant(new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Utc))),
        bool flag => flag ? "true" : "false",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
