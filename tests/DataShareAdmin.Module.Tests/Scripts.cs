using System;

namespace DataShareAdmin.Module.Tests;

/// <summary>Script snippets the tests share.</summary>
internal static class Scripts
{
    /// <summary>Today in the register's default time zone, for tests whose dates must be relative to the real clock.</summary>
    public static DateTime Today { get; } = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).Date;

    /// <summary>A day relative to today as yyyy-MM-dd.</summary>
    public static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string NewAgreement(string id, string startsOn = "2026-01-01", string endsOn = "2027-12-31", string route = "SecureResearchService") =>
        $"New-DataShareAgreement -Id {id} -Organisation 'University of Example' -Title 'Attainment study {id}' " +
        "-Purpose 'Research into attainment gaps' -LegalGateway 'Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009' " +
        $"-LawfulBasis 'Article 6(1)(e)' -AccessRoute {route} -StartsOn {startsOn} -EndsOn {endsOn} -DataItem 'KS2 attainment:B3', 'FSM eligibility:C4'";
}
