using System;

namespace DataShareAdmin.Core.Time;

/// <summary>The current instant; a seam so tests can fix "now".</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
}

public sealed class SystemClock : IClock
{
    public static readonly SystemClock Instance = new();

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
}

public sealed class FixedClock : IClock
{
    public FixedClock(DateTimeOffset utcNow) => UtcNow = utcNow;

    public DateTimeOffset UtcNow { get; set; }
}

/// <summary>
/// Dates in this product are calendar dates judged in one time zone (Europe/London unless policy says otherwise):
/// an agreement that ends on the 31st is active all day on the 31st in London, whatever the server's zone.
/// </summary>
public sealed class ShareCalendar
{
    public const string DefaultTimeZoneId = "Europe/London";

    private readonly IClock clock;

    public ShareCalendar(IClock clock, TimeZoneInfo timeZone)
    {
        this.clock = clock;
        TimeZone = timeZone;
    }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Today's date in the calendar's zone.</summary>
    public DateTime Today => TimeZoneInfo.ConvertTime(clock.UtcNow, TimeZone).Date;

    /// <summary>The calendar date, in the calendar's zone, on which an instant falls.</summary>
    public DateTime DayOf(DateTimeOffset instant) => DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(instant, TimeZone).Date, DateTimeKind.Unspecified);

    public static TimeZoneInfo FindTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new DataShareException("TimeZoneNotFound", DataShareErrorCategory.InvalidArgument,
                $"The time zone '{id}' is not known on this machine. Use an IANA or Windows zone id such as 'Europe/London'.", id, ex);
        }
    }

    /// <summary>
    /// The instant a user means by a date and time: UTC and local values as they are; a value with no zone (what
    /// PowerShell makes of '2026-06-01 09:00') is read in the calendar's zone, like every other date in the product.
    /// </summary>
    public DateTimeOffset ToInstant(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => new DateTimeOffset(value, TimeSpan.Zero),
        DateTimeKind.Local => new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(value, TimeZone), TimeSpan.Zero),
    };

    /// <summary>The calendar date of a value given by a user: its date part, with no zone conversion.</summary>
    public static DateTime DateOf(DateTime value) => DateTime.SpecifyKind(value.Date, DateTimeKind.Unspecified);

    /// <summary>
    /// A day plus (or minus) some days, held at the calendar's first or last day instead of overflowing: an agreement
    /// ending on 9999-12-31 (a common way to write "open-ended") is due on 9999-12-31, never an exception that stops
    /// every other holding from being planned.
    /// </summary>
    public static DateTime AddDays(DateTime day, long days)
    {
        var date = day.Date;
        var room = days >= 0 ? (DateTime.MaxValue.Date - date).Days : (date - DateTime.MinValue.Date).Days;
        if (days >= 0 ? days > room : days < -(long)room)
        {
            return DateTime.SpecifyKind(days >= 0 ? DateTime.MaxValue.Date : DateTime.MinValue.Date, day.Kind);
        }

        return date.AddDays(days);
    }
}
