using System;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Tests.Time;

/// <summary>
/// Dates typed or read from a spreadsheet drive deletion: each is read only in the order the user meant (ISO always,
/// day-first or month-first only as the policy's DateOrder says), and anything else is refused, never guessed.
/// </summary>
public sealed class DateInputTests
{
    private static DateTime Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);

    [Theory]
    [InlineData("2026-03-05")]
    [InlineData(" 2026-03-05 ")]
    [InlineData("2026-3-5")]
    [InlineData("2026/03/05")]
    [InlineData("2026.03.05")]
    [InlineData("5 March 2026")]
    [InlineData("5 Mar 2026")]
    [InlineData("05-Mar-2026")]
    [InlineData("March 5, 2026")]
    [InlineData("mar 5 2026")]
    [InlineData("5  MARCH  2026")]
    public void Year_first_and_month_name_dates_mean_the_same_in_every_order(string text)
    {
        foreach (var order in Enum.GetValues<DateOrder>())
        {
            Assert.Equal(Day(2026, 3, 5), DateInput.Parse(text, order));
        }
    }

    [Theory]
    [InlineData("05/03/2026")]
    [InlineData("5/3/2026")]
    [InlineData("05.03.2026")]
    [InlineData("05-03-2026")]
    public void A_numeric_date_is_read_in_the_policy_s_order(string text)
    {
        Assert.Equal(Day(2026, 3, 5), DateInput.Parse(text, DateOrder.DayMonthYear));
        Assert.Equal(Day(2026, 5, 3), DateInput.Parse(text, DateOrder.MonthDayYear));
        var error = Assert.Throws<DataShareException>(() => DateInput.Parse(text, DateOrder.YearMonthDay));
        Assert.Equal(("DateAmbiguous", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Contains("2026-03-05", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-05-03", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_day_in_the_month_s_place_is_refused_not_swapped()
    {
        var error = Assert.Throws<DataShareException>(() => DateInput.Parse("03/13/2026", DateOrder.DayMonthYear));
        Assert.Equal(("DateInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Contains("DateOrder", error.Message, StringComparison.Ordinal);
        Assert.Contains("DayMonthYear", error.Message, StringComparison.Ordinal);
        Assert.Contains("2026-03-13", error.Message, StringComparison.Ordinal);

        Assert.Equal(Day(2026, 3, 13), DateInput.Parse("03/13/2026", DateOrder.MonthDayYear));
        Assert.Equal("DateInvalid", Assert.Throws<DataShareException>(() => DateInput.Parse("13/03/2026", DateOrder.MonthDayYear)).ErrorId);
    }

    [Theory]
    [InlineData("11/01/2026 00:00:00", "2026-11-01", "2026-01-11")]
    [InlineData("10/02/2026 00:00:00", "2026-10-02", "2026-02-10")]
    [InlineData("03/05/2026 14:30:00", "2026-03-05", "2026-05-03")]
    public void PowerShell_s_own_text_for_a_date_is_not_read_day_first(string text, string monthFirst, string dayFirst)
    {
        // Export-Csv, "$date" and [string] write a DateTime month first with the time (MM/dd/yyyy HH:mm:ss), whatever
        // the register's DateOrder: reading that text back day first moved an agreement's end ten months early.
        var error = Assert.Throws<DataShareException>(() => DateInput.Parse(text, DateOrder.DayMonthYear));
        Assert.Equal(("DateAmbiguous", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Contains(monthFirst, error.Message, StringComparison.Ordinal);
        Assert.Contains(dayFirst, error.Message, StringComparison.Ordinal);
        Assert.Contains("Export-Csv", error.Message, StringComparison.Ordinal);

        // Month first it is what PowerShell meant; a day that can only be a day, or a day and month alike, is not in doubt.
        Assert.Equal(DateTime.Parse(monthFirst + "T" + text.Substring(11), System.Globalization.CultureInfo.InvariantCulture), DateInput.Parse(text, DateOrder.MonthDayYear));
        Assert.Equal(Day(2026, 1, 13), DateInput.Parse("13/01/2026 00:00:00", DateOrder.DayMonthYear));
        Assert.Equal(Day(2026, 5, 5), DateInput.Parse("05/05/2026 00:00:00", DateOrder.DayMonthYear));
        Assert.Equal(Day(2026, 1, 11), DateInput.Parse("11/01/2026", DateOrder.DayMonthYear));
    }

    [Theory]
    [InlineData("05/03/26")]
    [InlineData("5-3-26")]
    [InlineData("05 Mar 26")]
    public void A_two_digit_year_is_ambiguous(string text)
    {
        var error = Assert.Throws<DataShareException>(() => DateInput.Parse(text, DateOrder.DayMonthYear));
        Assert.Equal("DateAmbiguous", error.ErrorId);
        Assert.Contains("year in full", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("31/02/2026")]
    [InlineData("29/02/2026")]
    [InlineData("2026-02-30")]
    [InlineData("2026-13-01")]
    [InlineData("00/01/2026")]
    [InlineData("0000-01-01")]
    [InlineData("10000-01-01")]
    [InlineData("2026-03-05T25:00")]
    [InlineData("05/03")]
    [InlineData("2026")]
    [InlineData("20260305")]
    [InlineData("tomorrow")]
    [InlineData("5 mars 2026")]
    [InlineData("２０２６-03-05")]
    [InlineData("٢٠٢٦-٠٣-٠٥")]
    [InlineData("2026-03-05; DROP TABLE")]
    [InlineData("")]
    [InlineData("   ")]
    public void Anything_else_is_not_a_date(string text)
    {
        var error = Assert.Throws<DataShareException>(() => DateInput.Parse(text, DateOrder.DayMonthYear));
        Assert.Equal(("DateInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Contains("2026-03-05", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calendar_edges_are_dates_like_any_other()
    {
        Assert.Equal(Day(2028, 2, 29), DateInput.Parse("29/02/2028", DateOrder.DayMonthYear));
        Assert.Equal(Day(9999, 12, 31), DateInput.Parse("9999-12-31", DateOrder.DayMonthYear));
        Assert.Equal(Day(9999, 12, 31), DateInput.Parse("31/12/9999", DateOrder.DayMonthYear));
        Assert.Equal(Day(1, 1, 1), DateInput.Parse("0001-01-01", DateOrder.DayMonthYear));
    }

    [Fact]
    public void A_huge_field_is_refused_quickly_without_echoing_it_whole()
    {
        var text = new string('1', 100_000) + "/03/2026";
        var error = Assert.Throws<DataShareException>(() => DateInput.Parse(text, DateOrder.DayMonthYear));
        Assert.Equal("DateInvalid", error.ErrorId);
        Assert.True(error.Message.Length < 600, $"{error.Message.Length} characters");
    }

    [Fact]
    public void A_time_of_day_is_kept_and_a_zone_is_honoured_only_for_instants()
    {
        Assert.Equal(new DateTime(2026, 3, 5, 14, 30, 0, DateTimeKind.Unspecified), DateInput.Parse("05/03/2026 14:30", DateOrder.DayMonthYear));
        Assert.Equal(new DateTime(2026, 3, 5, 14, 30, 15, DateTimeKind.Unspecified), DateInput.Parse("2026-03-05T14:30:15", DateOrder.DayMonthYear));
        Assert.Equal(new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Unspecified), DateInput.Parse("2026-03-05 00:00:00", DateOrder.YearMonthDay));

        // As an instant, a zone moves it to UTC; as a calendar date, the day written is the day meant.
        var instant = DateInput.Parse("2026-03-05T00:30:00+01:00", DateOrder.DayMonthYear, instant: true);
        Assert.Equal((new DateTime(2026, 3, 4, 23, 30, 0), DateTimeKind.Utc), (instant, instant.Kind));
        Assert.Equal(DateTimeKind.Utc, DateInput.Parse("2026-03-05T14:30:00Z", DateOrder.DayMonthYear, instant: true).Kind);
        Assert.Equal(new DateTime(2026, 3, 5, 0, 30, 0), DateInput.Parse("2026-03-05T00:30:00+01:00", DateOrder.DayMonthYear));
    }

    [Theory]
    [InlineData("DayMonthYear", "DayMonthYear")]
    [InlineData("monthdayyear", "MonthDayYear")]
    [InlineData(" DMY ", "DayMonthYear")]
    [InlineData("mdy", "MonthDayYear")]
    [InlineData("YMD", "YearMonthDay")]
    [InlineData("ISO", "YearMonthDay")]
    public void The_policy_takes_the_order_by_name_or_abbreviation(string value, string stored)
    {
        var definition = PolicyCatalogue.Find("DateOrder")!;
        Assert.Equal("DayMonthYear", definition.DefaultValue);
        Assert.Equal(stored, definition.Normalise(value));
    }

    [Theory]
    [InlineData("DayFirst2")]
    [InlineData("1")]
    [InlineData("")]
    public void The_policy_refuses_any_other_order(string value) =>
        Assert.Throws<PolicyValueException>(() => PolicyCatalogue.Find("DateOrder")!.Normalise(value));
}
