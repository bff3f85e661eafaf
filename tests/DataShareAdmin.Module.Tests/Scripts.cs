using System;

namespace DataShareAdmin.Module.Tests;

/// <summary>Script snippets the tests share.</summary>
internal static class Scripts
{
    /// <summary>Today in the register's default time zone, for tests whose dates must be relative to the real clock.</summary>
    public static DateTime Today { get; } = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).Date;

    /// <summary>A day relative to today as yyyy-MM-dd.</summary>
    public static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Adds the organisations the scripts name, once per register: 'University of Example' with a passed security
    /// assessment current for a year, and 'O' with none.
    /// </summary>
    public static string Organisations =>
        "if (-not (Get-DataShareOrganisation -Name 'University of Example' -ErrorAction Ignore)) {" + Environment.NewLine +
        "    $null = New-DataShareOrganisation -Name 'University of Example' -Address '1 College Road, Exampleton' -ProtectionOfficerName 'Dee Pioh' -ProtectionOfficerEmail dpo@example.ac.uk" + Environment.NewLine +
        $"    $null = Add-DataShareSecurityAssessment -Organisation 'University of Example' -AssessedOn {Day(-60)} -ValidUntil {Day(365)} -Outcome Passed -Reference ISQ-1" + Environment.NewLine +
        "    $null = New-DataShareOrganisation -Name O" + Environment.NewLine +
        "}";

    public const string Justification = "The analysis needs software the secure research service does not offer.";

    public static string NewAgreement(string id, string startsOn = "2026-01-01", string endsOn = "2027-12-31", string route = "SecureResearchService") =>
        $"New-DataShareAgreement -Id {id} -Organisation 'University of Example' -Title 'Attainment study {id}' " +
        "-Purpose 'Research into attainment gaps' -LegalGateway 'Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009' " +
        $"-LawfulBasis 'Article 6(1)(e)' -AccessRoute {route} -StartsOn {startsOn} -EndsOn {endsOn} -DataItem 'KS2 attainment:B3', 'FSM eligibility:C4'" +
        (route == "DirectTransfer" ? $" -DirectTransferJustification '{Justification}'" : string.Empty);
}
