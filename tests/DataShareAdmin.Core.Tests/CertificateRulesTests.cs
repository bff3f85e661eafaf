using System;
using System.Globalization;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.SafePeople;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DataShareAdmin.Core.Tests;

public sealed class CertificateRulesTests
{
    private static readonly SafePeoplePolicy Defaults = SafePeoplePolicy.From(new System.Collections.Generic.Dictionary<string, string>());

    private static DisclosureCertificate Certificate(string issued, CertificateLevel level = CertificateLevel.Basic, CertificateIssuer issuer = CertificateIssuer.DBS) => new()
    {
        Id = "DC-0000000001",
        Issuer = issuer,
        Level = level,
        Number = "001234567890",
        IssuedOn = Day(issued),
    };

    private static DateTime Day(string text) => DateTime.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2023-11-22", "2025-11-22", true)]
    [InlineData("2023-11-22", "2025-11-23", false)]
    [InlineData("2024-02-29", "2026-02-28", true)]
    [InlineData("2024-02-29", "2026-03-01", false)]
    [InlineData("2023-11-22", "2023-11-22", true)]
    [InlineData("2023-11-22", "2023-11-21", false)]
    public void The_two_year_rule_is_judged_on_calendar_days(string issued, string asOf, bool valid)
    {
        var result = CertificateRules.Evaluate(Certificate(issued), Defaults, Day(asOf));
        Assert.Equal(valid, result.IsValid);
    }

    [Fact]
    public void Valid_until_is_the_last_acceptable_day_and_days_remaining_counts_to_it()
    {
        var result = CertificateRules.Evaluate(Certificate("2023-11-22"), Defaults, Day("2025-11-12"));
        Assert.Equal(Day("2025-11-22"), result.ValidUntil);
        Assert.Equal(10, result.DaysRemaining);
        Assert.Contains("acceptable through 2025-11-22", result.Reason, StringComparison.Ordinal);

        var lapsed = CertificateRules.Evaluate(Certificate("2023-11-22"), Defaults, Day("2025-11-23"));
        Assert.Equal(-1, lapsed.DaysRemaining);
        Assert.Contains("more than 2 years old", lapsed.Reason, StringComparison.Ordinal);
        Assert.Equal(Day("2026-02-28"), CertificateRules.Evaluate(Certificate("2024-02-29"), Defaults, Day("2025-01-01")).ValidUntil);
    }

    [Property(MaxTest = 2000)]
    public Property A_certificate_is_acceptable_exactly_until_its_issue_date_plus_the_maximum_age(int issueOffset, int probeOffset, byte months)
    {
        var maxAge = 1 + (months % 60);
        var issued = new DateTime(2000, 1, 1).AddDays(Math.Abs(issueOffset % 10000));
        var asOf = issued.AddDays(probeOffset % 2500);
        var policy = SafePeoplePolicy.From(new System.Collections.Generic.Dictionary<string, string> { [PolicyCatalogue.CertificateMaxAgeMonths] = maxAge.ToString(CultureInfo.InvariantCulture) });
        var certificate = new DisclosureCertificate { Issuer = CertificateIssuer.DBS, Level = CertificateLevel.Basic, Number = "000000000000", IssuedOn = issued };

        var result = CertificateRules.Evaluate(certificate, policy, asOf);

        // Independent statement of the rule: no more than maxAge whole calendar months have passed, counting a
        // month from the same day number (or the month's last day when it has no such day).
        var lastDay = issued.AddMonths(maxAge);
        var expected = asOf >= issued && asOf <= lastDay;
        return (result.IsValid == expected && result.ValidUntil == lastDay && result.DaysRemaining == (lastDay - asOf).Days).ToProperty();
    }

    [Property(MaxTest = 500)]
    public Property The_day_after_valid_until_is_never_acceptable_and_valid_until_always_is(int issueOffset)
    {
        var issued = new DateTime(1995, 1, 1).AddDays(Math.Abs(issueOffset % 15000));
        var certificate = new DisclosureCertificate { Issuer = CertificateIssuer.DBS, Level = CertificateLevel.Basic, Number = "000000000000", IssuedOn = issued };
        var until = CertificateRules.ValidUntil(issued, 24);
        return (CertificateRules.Evaluate(certificate, Defaults, until).IsValid
                && !CertificateRules.Evaluate(certificate, Defaults, until.AddDays(1)).IsValid
                && until.Year == issued.Year + 2
                && until.Month == issued.Month).ToProperty();
    }

    [Fact]
    public void Levels_and_issuers_outside_policy_are_not_acceptable()
    {
        var policy = SafePeoplePolicy.From(new System.Collections.Generic.Dictionary<string, string>
        {
            [PolicyCatalogue.AcceptedCertificateLevels] = "Standard,Enhanced",
            [PolicyCatalogue.AcceptedCertificateIssuers] = "DBS",
        });

        var basic = CertificateRules.Evaluate(Certificate("2026-01-01"), policy, Day("2026-06-01"));
        Assert.False(basic.IsValid);
        Assert.Contains("AcceptedCertificateLevels", basic.Reason, StringComparison.Ordinal);

        var scottish = CertificateRules.Evaluate(Certificate("2026-01-01", CertificateLevel.Enhanced, CertificateIssuer.DisclosureScotland), policy, Day("2026-06-01"));
        Assert.False(scottish.IsValid);
        Assert.Contains("AcceptedCertificateIssuers", scottish.Reason, StringComparison.Ordinal);
        Assert.True(CertificateRules.Evaluate(Certificate("2026-01-01", CertificateLevel.Enhanced), policy, Day("2026-06-01")).IsValid);
    }

    [Theory]
    [InlineData("Basic", CertificateLevel.Basic)]
    [InlineData("level 1", CertificateLevel.Basic)]
    [InlineData("Level1", CertificateLevel.Basic)]
    [InlineData("1", CertificateLevel.Basic)]
    [InlineData("Level-1", CertificateLevel.Basic)]
    [InlineData("L-1", CertificateLevel.Basic)]
    [InlineData(" ENHANCED ", CertificateLevel.Enhanced)]
    [InlineData("standard", CertificateLevel.Standard)]
    public void Levels_parse_including_scotlands_level_1(string text, CertificateLevel expected) =>
        Assert.Equal(expected, CertificateRules.ParseLevel(text));

    [Theory]
    [InlineData("DBS", CertificateIssuer.DBS)]
    [InlineData("DBS (England & Wales)", CertificateIssuer.DBS)]
    [InlineData("Disclosure Scotland", CertificateIssuer.DisclosureScotland)]
    [InlineData("access ni", CertificateIssuer.AccessNI)]
    [InlineData("Access-NI", CertificateIssuer.AccessNI)]
    public void Issuers_parse_as_officers_write_them(string text, CertificateIssuer expected) =>
        Assert.Equal(expected, CertificateRules.ParseIssuer(text));

    [Theory]
    [InlineData("Level 2", "CertificateLevelInvalid")]
    [InlineData("2", "CertificateLevelInvalid")]
    [InlineData("0", "CertificateLevelInvalid")]
    [InlineData("", "CertificateLevelInvalid")]
    [InlineData("-1", "CertificateLevelInvalid")]
    [InlineData(" -1 ", "CertificateLevelInvalid")]
    [InlineData("+1", "CertificateLevelInvalid")]
    [InlineData("Level -1", "CertificateLevelInvalid")]
    [InlineData("L +1", "CertificateLevelInvalid")]
    [InlineData("-2", "CertificateLevelInvalid")]
    [InlineData("\u22121", "CertificateLevelInvalid")]
    public void Unknown_levels_are_refused(string text, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<DataShareException>(() => CertificateRules.ParseLevel(text)).ErrorId);

    [Theory]
    [InlineData("Police")]
    [InlineData("2")]
    public void Unknown_issuers_are_refused(string text) =>
        Assert.Equal("CertificateIssuerInvalid", Assert.Throws<DataShareException>(() => CertificateRules.ParseIssuer(text)).ErrorId);

    [Theory]
    [InlineData(CertificateIssuer.DBS, "001234567890", "001234567890")]
    [InlineData(CertificateIssuer.DBS, "'001234567890", "001234567890")]
    [InlineData(CertificateIssuer.DBS, " 0012 3456 7890 ", "001234567890")]
    [InlineData(CertificateIssuer.DisclosureScotland, "1234567890123456", "1234567890123456")]
    [InlineData(CertificateIssuer.AccessNI, "12345678", "12345678")]
    public void Numbers_keep_leading_zeros_and_lose_spreadsheet_decoration(CertificateIssuer issuer, string given, string stored) =>
        Assert.Equal(stored, CertificateRules.NormaliseNumber(issuer, given));

    [Theory]
    [InlineData(CertificateIssuer.DBS, "1234567890")]
    [InlineData(CertificateIssuer.DBS, "12345678901")]
    [InlineData(CertificateIssuer.DBS, "1234567890123")]
    [InlineData(CertificateIssuer.DBS, "00123456789X")]
    [InlineData(CertificateIssuer.DBS, "")]
    [InlineData(CertificateIssuer.DisclosureScotland, "1234567")]
    [InlineData(CertificateIssuer.AccessNI, "123456789012345678901")]
    public void Malformed_numbers_are_refused(CertificateIssuer issuer, string number)
    {
        var error = Assert.Throws<DataShareException>(() => CertificateRules.NormaliseNumber(issuer, number));
        Assert.Equal(("CertificateNumberInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
    }

    [Fact]
    public void An_eleven_digit_dbs_number_suggests_a_lost_leading_zero()
    {
        var error = Assert.Throws<DataShareException>(() => CertificateRules.NormaliseNumber(CertificateIssuer.DBS, "12345678901"));
        Assert.Contains("leading zero", error.Message, StringComparison.Ordinal);
    }
}
