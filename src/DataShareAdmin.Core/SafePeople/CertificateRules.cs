using System;
using System.Globalization;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.SafePeople;

/// <summary>
/// Pure rules about disclosure certificates: what a valid number looks like for each issuer, how levels are named,
/// and whether a certificate is acceptable on a calendar day.
/// </summary>
public static class CertificateRules
{
    /// <summary>
    /// The last calendar day the certificate is acceptable: the issue date plus the maximum age in months. A
    /// certificate issued on 22 Nov 2023 is acceptable through 22 Nov 2025; one issued on 29 Feb 2024 through 28 Feb
    /// 2026 (the month has no 29th, so the age is reached on its last day).
    /// </summary>
    public static DateTime ValidUntil(DateTime issuedOn, int maxAgeMonths) => issuedOn.Date.AddMonths(maxAgeMonths);

    /// <summary>The verdict on one certificate on one day. Online status is not considered here: it never extends validity.</summary>
    public static CertificateTestResult Evaluate(DisclosureCertificate certificate, SafePeoplePolicy policy, DateTime asOf)
    {
        var day = asOf.Date;
        var validUntil = ValidUntil(certificate.IssuedOn, policy.CertificateMaxAgeMonths);
        var result = new CertificateTestResult
        {
            CertificateId = certificate.Id,
            PersonId = certificate.PersonId,
            Email = certificate.Email,
            HolderName = certificate.HolderName,
            Issuer = certificate.Issuer,
            Level = certificate.Level,
            Number = certificate.Number,
            IssuedOn = certificate.IssuedOn,
            AsOf = day,
            ValidUntil = validUntil,
            DaysRemaining = (int)(validUntil - day).TotalDays,
        };

        if (!policy.AcceptedIssuers.Contains(certificate.Issuer))
        {
            return Invalid(result, $"Certificates from {certificate.Issuer} are not accepted by policy (AcceptedCertificateIssuers).");
        }

        if (!policy.AcceptedLevels.Contains(certificate.Level))
        {
            return Invalid(result, $"A {certificate.Level} certificate does not meet policy (AcceptedCertificateLevels: {string.Join(", ", policy.AcceptedLevels)}).");
        }

        if (day < certificate.IssuedOn.Date)
        {
            return Invalid(result, $"It had not been issued on {Show(day)} (issued {Show(certificate.IssuedOn)}).");
        }

        if (day > validUntil)
        {
            return Invalid(result, $"It is more than {Months(policy.CertificateMaxAgeMonths)} old: issued {Show(certificate.IssuedOn)}, acceptable through {Show(validUntil)}.");
        }

        result.IsValid = true;
        result.Reason = $"Issued {Show(certificate.IssuedOn)}, acceptable through {Show(validUntil)} ({result.DaysRemaining} days left).";
        return result;
    }

    /// <summary>Parses a level, accepting Disclosure Scotland's "Level 1" for basic.</summary>
    public static CertificateLevel ParseLevel(string? text)
    {
        // Dashes are ignored as separators ("Level-1"), but a sign before a number ("-1", "Level -1", "+1") makes it
        // a number other than 1, which is refused: it must not become Level 1 by losing its sign.
        if (!HasSignedNumber(text ?? string.Empty))
        {
            var compact = (text ?? string.Empty).Replace(" ", string.Empty).Replace("-", string.Empty).Trim();

            // "1" alone is how Scottish spreadsheets write Level 1. Other numbers are not levels (Enum.TryParse would
            // read them as positions: "2" would become Enhanced).
            if (compact.Equals("Level1", StringComparison.OrdinalIgnoreCase) || compact.Equals("L1", StringComparison.OrdinalIgnoreCase) || compact == "1")
            {
                return CertificateLevel.Basic;
            }

            if (!StartsWithDigit(compact) && Enum.TryParse<CertificateLevel>(compact, ignoreCase: true, out var level) && Enum.IsDefined(typeof(CertificateLevel), level))
            {
                return level;
            }
        }

        throw new DataShareException("CertificateLevelInvalid", DataShareErrorCategory.InvalidArgument,
            $"'{text}' is not a certificate level. Use Basic, Standard or Enhanced (Disclosure Scotland's 'Level 1' is Basic).", text);
    }

    /// <summary>True when a '-' or '+' stands before a digit as a sign, not between a word and its number.</summary>
    private static bool HasSignedNumber(string text)
    {
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (text[i] is '-' or '+' && char.IsDigit(text[i + 1]) && (i == 0 || !char.IsLetter(text[i - 1])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses an issuer as officers write it: DBS, Disclosure Scotland, AccessNI / Access NI.</summary>
    public static CertificateIssuer ParseIssuer(string? text)
    {
        var compact = (text ?? string.Empty).Replace(" ", string.Empty).Replace("-", string.Empty).Trim();
        if (compact.StartsWith("DBS", StringComparison.OrdinalIgnoreCase) || compact.Equals("DisclosureAndBarringService", StringComparison.OrdinalIgnoreCase))
        {
            return CertificateIssuer.DBS;
        }

        if (!StartsWithDigit(compact) && Enum.TryParse<CertificateIssuer>(compact, ignoreCase: true, out var issuer) && Enum.IsDefined(typeof(CertificateIssuer), issuer))
        {
            return issuer;
        }

        throw new DataShareException("CertificateIssuerInvalid", DataShareErrorCategory.InvalidArgument,
            $"'{text}' is not a certificate issuer. Use DBS, DisclosureScotland or AccessNI.", text);
    }

    /// <summary>
    /// The number in its stored form, or a CertificateNumberInvalid error. A DBS number is exactly 12 digits (leading
    /// zeros kept). Disclosure Scotland and AccessNI numbers are checked as far as their formats are published: digits
    /// only, 8 to 20 of them. Spaces and a spreadsheet's leading apostrophe are removed first.
    /// </summary>
    public static string NormaliseNumber(CertificateIssuer issuer, string? number)
    {
        var compact = (number ?? string.Empty).Trim().TrimStart('\'').Replace(" ", string.Empty).Replace("-", string.Empty);
        if (compact.Length == 0 || !IsDigits(compact))
        {
            throw new DataShareException("CertificateNumberInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{number}' is not a certificate number: it must be digits only.", number);
        }

        if (issuer == CertificateIssuer.DBS && compact.Length != 12)
        {
            var hint = compact.Length < 12 ? " If it came from a spreadsheet, a leading zero may have been lost: format the column as text." : string.Empty;
            throw new DataShareException("CertificateNumberInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{number}' is not a DBS certificate number: those are exactly 12 digits, this has {compact.Length}.{hint}", number);
        }

        if (issuer != CertificateIssuer.DBS && (compact.Length < 8 || compact.Length > 20))
        {
            throw new DataShareException("CertificateNumberInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{number}' is not a {issuer} certificate number: expected 8 to 20 digits, found {compact.Length}.", number);
        }

        return compact;
    }

    internal static bool StartsWithDigit(string text) => text.Length > 0 && (char.IsDigit(text[0]) || text[0] == '-' || text[0] == '+');

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return true;
    }

    private static CertificateTestResult Invalid(CertificateTestResult result, string reason)
    {
        result.IsValid = false;
        result.Reason = reason;
        return result;
    }

    private static string Months(int months) => months % 12 == 0
        ? (months / 12).ToString(CultureInfo.InvariantCulture) + (months == 12 ? " year" : " years")
        : months.ToString(CultureInfo.InvariantCulture) + " months";

    internal static string Show(DateTime date) => DateText.FormatDate(date);
}
