using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace DataShareAdmin.Core.Time;

/// <summary>The order in which a numeric date such as 05/03/2026 is read (the policy setting DateOrder).</summary>
public enum DateOrder
{
    /// <summary>Day first: 05/03/2026 is 5 March 2026 (the UK's way, and the default).</summary>
    DayMonthYear,

    /// <summary>Month first: 05/03/2026 is 3 May 2026.</summary>
    MonthDayYear,

    /// <summary>Only year-first dates (2026-03-05); a date with the year last is refused as ambiguous.</summary>
    YearMonthDay,
}

/// <summary>
/// Reads a date a person typed or a spreadsheet holds, in the one order they meant. Year-first dates (ISO 8601:
/// 2026-03-05, with an optional time and zone) and dates with the month's name (5 March 2026) mean the same whatever
/// the policy; a numeric date with the year last is read day first or month first only as the policy's DateOrder says.
/// Anything else (two-digit years, a day where the month should be, a day that is not in the calendar) is refused with
/// a message that says how to write it: dates drive deletion, so they are never guessed.
/// </summary>
public static class DateInput
{
    private const string Time = @"(?:[T ](?<hour>[0-9]{1,2}):(?<minute>[0-9]{2})(?::(?<second>[0-9]{2})(?:[.,](?<fraction>[0-9]{1,7}))?)?)?";
    private const string Zone = @"(?<zone>Z|[+-][0-9]{2}:?[0-9]{2})?";
    private const int MaxLength = 64;

    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private static readonly Regex YearFirst = new(
        "^(?<year>[0-9]{4})(?<sep>[-/.])(?<month>[0-9]{1,2})\\k<sep>(?<day>[0-9]{1,2})" + Time + Zone + "$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, RegexTimeout);

    private static readonly Regex YearLast = new(
        "^(?<lead>[0-9]{1,2})(?<sep>[-/.])(?<middle>[0-9]{1,2})\\k<sep>(?<year>[0-9]+)" + Time + "$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, RegexTimeout);

    /// <summary>The text PowerShell makes of a DateTime (Export-Csv, "$date", [string]): month first, with the time.</summary>
    private static readonly Regex PowerShellText = new(
        "^[0-9]{2}/[0-9]{2}/[0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2}$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, RegexTimeout);

    private static readonly Regex MonthNamed = new(
        "^(?:(?<day>[0-9]{1,2})[ -](?<month>[A-Za-z]{3,9})[ -](?<year>[0-9]+)|(?<month>[A-Za-z]{3,9}) (?<day>[0-9]{1,2}),? (?<year>[0-9]+))$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, RegexTimeout);

    private static readonly string[] MonthNames =
        { "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december" };

    /// <summary>
    /// The date (and time, if given) <paramref name="text"/> means. For an <paramref name="instant"/> (a moment, such as
    /// -After), a zone moves it to UTC (Kind Utc); for a calendar date the day written is the day meant, zone or not,
    /// and the result has no zone (Kind Unspecified), as does any value written without one.
    /// </summary>
    public static DateTime Parse(string text, DateOrder order, bool instant = false)
    {
        var trimmed = string.Join(" ", (text ?? string.Empty).Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries));
        if (trimmed.Length == 0 || trimmed.Length > MaxLength)
        {
            throw Invalid(text ?? string.Empty, order, null);
        }

        var match = YearFirst.Match(trimmed);
        if (match.Success)
        {
            var date = Build(trimmed, order, Number(match, "year"), Number(match, "month"), Number(match, "day"), match, null);
            return WithZone(date, match.Groups["zone"].Value, instant);
        }

        match = YearLast.Match(trimmed);
        if (match.Success)
        {
            return NumericYearLast(trimmed, order, match);
        }

        match = MonthNamed.Match(trimmed);
        if (match.Success && Month(match.Groups["month"].Value) is { } month)
        {
            var year = match.Groups["year"].Value;
            if (year.Length < 4)
            {
                throw TwoDigitYear(trimmed);
            }

            return Build(trimmed, order, Number(match, "year"), month, Number(match, "day"), match, null);
        }

        throw Invalid(trimmed, order, null);
    }

    /// <summary>How a date is written under <paramref name="order"/>, for messages and help.</summary>
    public static string Accepted(DateOrder order) => order switch
    {
        DateOrder.DayMonthYear => "as 2026-03-05 (year first), 5 March 2026, or day first as 05/03/2026 (the policy's DateOrder is DayMonthYear)",
        DateOrder.MonthDayYear => "as 2026-03-05 (year first), 5 March 2026, or month first as 03/05/2026 (the policy's DateOrder is MonthDayYear)",
        _ => "as 2026-03-05 (year first) or 5 March 2026 (the policy's DateOrder is YearMonthDay: dates with the year last are not read)",
    };

    private static DateTime NumericYearLast(string text, DateOrder order, Match match)
    {
        if (match.Groups["year"].Value.Length != 4)
        {
            throw match.Groups["year"].Value.Length <= 2 ? TwoDigitYear(text) : Invalid(text, order, null);
        }

        var year = Number(match, "year");
        var first = Number(match, "lead");
        var second = Number(match, "middle");
        if (order == DateOrder.YearMonthDay)
        {
            var readings = Array.FindAll(new[] { Reading(year, second, first), Reading(year, first, second) }, r => r is not null);
            var write = readings.Length == 0 ? "year first (yyyy-MM-dd)" : string.Join(" or ", readings);
            throw new DataShareException("DateAmbiguous", DataShareErrorCategory.InvalidArgument,
                $"'{text}' could be read day first or month first, and the policy's DateOrder (YearMonthDay) reads only dates written year first. Write it as {write}.",
                text);
        }

        if (order == DateOrder.DayMonthYear && first != second && first <= 12 && second <= 12 && PowerShellText.IsMatch(text))
        {
            throw new DataShareException("DateAmbiguous", DataShareErrorCategory.InvalidArgument,
                $"'{text}' is how PowerShell writes a date as text (month first, with the time: Export-Csv, \"$date\", [string]), so it is read neither day first nor month first: it may be {Reading(year, first, second)} (month first, as PowerShell wrote it) or {Reading(year, second, first)} (day first, as the policy's DateOrder reads typed dates). Write it year first, such as {Reading(year, first, second)}, or pass the date itself rather than its text; to export dates for reading back, write them as yyyy-MM-dd (e.g. Select-Object @{{n='EndsOn';e={{$_.EndsOn.ToString('yyyy-MM-dd')}}}} before Export-Csv).",
                text);
        }

        var (month, day) = order == DateOrder.DayMonthYear ? (second, first) : (first, second);
        return Build(text, order, year, month, day, match, order == DateOrder.DayMonthYear ? Reading(year, first, second) : Reading(year, second, first));
    }

    /// <summary>The date, or DateInvalid saying what is wrong; <paramref name="otherReading"/> is the other order's date, if real.</summary>
    private static DateTime Build(string text, DateOrder order, int year, int month, int day, Match match, string? otherReading)
    {
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            throw Invalid(text, order, otherReading);
        }

        var hour = Number(match, "hour");
        var minute = Number(match, "minute");
        var second = Number(match, "second");
        if (hour > 23 || minute > 59 || second > 59)
        {
            throw Invalid(text, order, null);
        }

        var ticks = 0L;
        if (match.Groups["fraction"].Success)
        {
            var fraction = match.Groups["fraction"].Value.PadRight(7, '0');
            ticks = long.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture);
        }

        return new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
    }

    private static DateTime WithZone(DateTime value, string zone, bool instant)
    {
        if (zone.Length == 0 || !instant)
        {
            return value;
        }

        if (zone == "Z")
        {
            return DateTime.SpecifyKind(value, DateTimeKind.Utc);
        }

        var sign = zone[0] == '-' ? -1 : 1;
        var digits = zone.Substring(1).Replace(":", string.Empty);
        var offset = new TimeSpan(int.Parse(digits.Substring(0, 2), CultureInfo.InvariantCulture), int.Parse(digits.Substring(2, 2), CultureInfo.InvariantCulture), 0);
        var utc = value.Ticks - (sign * offset.Ticks);
        if (offset > TimeSpan.FromHours(14) || offset.Minutes > 59 || utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
        {
            throw new DataShareException("DateInvalid", DataShareErrorCategory.InvalidArgument,
                $"The zone '{zone}' is not a UTC offset of at most 14 hours, or moves the time off the calendar. Write a time such as 2026-03-05T09:00:00Z or 2026-03-05T09:00:00+01:00.", zone);
        }

        return new DateTime(utc, DateTimeKind.Utc);
    }

    private static int? Month(string name)
    {
        var lower = name.ToLowerInvariant();
        for (var i = 0; i < MonthNames.Length; i++)
        {
            if (MonthNames[i] == lower || (lower.Length == 3 && MonthNames[i].StartsWith(lower, StringComparison.Ordinal)) || (lower == "sept" && i == 8))
            {
                return i + 1;
            }
        }

        return null;
    }

    private static int Number(Match match, string group) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].Value, NumberStyles.None, CultureInfo.InvariantCulture) : 0;

    private static string? Reading(int year, int month, int day) =>
        year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateTime(year, month, day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;

    private static DataShareException TwoDigitYear(string text) =>
        new("DateAmbiguous", DataShareErrorCategory.InvalidArgument,
            $"'{text}' has a two-digit year, which could be in any century. Write the year in full, such as 2026-03-05 or 05/03/2026.", text);

    private static DataShareException Invalid(string text, DateOrder order, string? otherReading)
    {
        var shown = text.Length > MaxLength ? text.Substring(0, MaxLength) + "…" : text;
        var hint = otherReading is null
            ? string.Empty
            : $" It is not a day read {(order == DateOrder.DayMonthYear ? "day first" : "month first")}; if {otherReading} is meant, write it that way: dates are never read in an order other than the policy's.";
        return new DataShareException("DateInvalid", DataShareErrorCategory.InvalidArgument,
            $"'{shown}' is not a date.{hint} Write dates {Accepted(order)}.", shown);
    }
}
