using System;
using System.Globalization;

namespace DataShareAdmin.Core.Time;

/// <summary>The one text form of dates and instants used in storage and in audit hashes, whatever the backend.</summary>
public static class DateText
{
    private const string DateFormat = "yyyy-MM-dd";
    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string FormatDate(DateTime date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static string? FormatDate(DateTime? date) => date is null ? null : FormatDate(date.Value);

    public static DateTime ParseDate(string text) =>
        DateTime.SpecifyKind(DateTime.ParseExact(text, DateFormat, CultureInfo.InvariantCulture), DateTimeKind.Unspecified);

    public static DateTime? ParseOptionalDate(string? text) => text is null ? null : ParseDate(text);

    /// <summary>UTC to the millisecond: the precision every backend keeps, so a hash over it is stable.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    public static string FormatInstant(DateTimeOffset instant) => Truncate(instant).UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseInstant(string text) =>
        new(DateTime.ParseExact(text, InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);

    public static DateTimeOffset? ParseOptionalInstant(string? text) => text is null ? null : ParseInstant(text);
}
