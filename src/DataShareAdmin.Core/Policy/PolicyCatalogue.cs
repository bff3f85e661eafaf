using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Policy;

/// <summary>One setting: its name, default, meaning and how a value given by a user is checked and normalised.</summary>
public sealed class PolicyDefinition
{
    public PolicyDefinition(string name, string area, string defaultValue, string description, Func<string, string> normalise)
    {
        Name = name;
        Area = area;
        DefaultValue = defaultValue;
        Description = description;
        Normalise = normalise;
    }

    public string Name { get; }

    public string Area { get; }

    public string DefaultValue { get; }

    public string Description { get; }

    /// <summary>The default on the shared Azure Table register, when it differs from <see cref="DefaultValue"/> (the SQLite file's).</summary>
    public string? TableDefault { get; set; }

    /// <summary>The default on a register of this backend (RegisterInfo.Backend).</summary>
    public string DefaultFor(string? backend) => TableDefault is { } table && string.Equals(backend, "AzureTables", StringComparison.Ordinal) ? table : DefaultValue;

    /// <summary>Returns the value in its stored form, or throws a <see cref="PolicyValueException"/> saying what is accepted.</summary>
    public Func<string, string> Normalise { get; }
}

/// <summary>A value the setting does not accept; the message says what it does.</summary>
[Serializable]
public sealed class PolicyValueException : Exception
{
    public PolicyValueException()
    {
    }

    public PolicyValueException(string message)
        : base(message)
    {
    }

    public PolicyValueException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Every policy setting the module knows, with its default. Rules are policy, not constants in code: the defaults
/// follow the published practice (a basic disclosure no more than 2 years old, a signed declaration, completed
/// training), and an organisation may tighten or relax them in its register.
/// </summary>
public static class PolicyCatalogue
{
    public const string CertificateMaxAgeMonths = "CertificateMaxAgeMonths";
    public const string AcceptedCertificateLevels = "AcceptedCertificateLevels";
    public const string AcceptedCertificateIssuers = "AcceptedCertificateIssuers";
    public const string DeclarationRequired = "DeclarationRequired";
    public const string TrainingRequired = "TrainingRequired";
    public const string TrainingMaxAgeMonths = "TrainingMaxAgeMonths";
    public const string ReadinessWarningDays = "ReadinessWarningDays";
    public const string TimeZone = "TimeZone";
    public const string DateOrder = "DateOrder";
    public const string DbsUpdateServiceUri = "DbsUpdateServiceUri";
    public const string DbsOrganisationName = "DbsOrganisationName";
    public const string DbsCheckerForename = "DbsCheckerForename";
    public const string DbsCheckerSurname = "DbsCheckerSurname";
    public const string TransferMaxLifetimeDays = "TransferMaxLifetimeDays";
    public const string TransferGraceDays = "TransferGraceDays";
    public const string TransferClockSkewMinutes = "TransferClockSkewMinutes";
    public const string TransferAllowedSensitivity = "TransferAllowedSensitivity";
    public const string TransferAllowedIdentificationRisk = "TransferAllowedIdentificationRisk";
    public const string SweepMaxHoldings = "SweepMaxHoldings";
    public const string SweepMaxGiB = "SweepMaxGiB";
    public const string DestructionConfirmationDays = "DestructionConfirmationDays";
    public const string PersonReviewAfterDays = "PersonReviewAfterDays";
    public const string SecurityAssessmentValidMonths = "SecurityAssessmentValidMonths";
    public const string ReviewIntervalMonths = "ReviewIntervalMonths";
    public const string DirectoryAccountRequired = "DirectoryAccountRequired";
    public const string DirectoryRequiredGroupId = "DirectoryRequiredGroupId";
    public const string DirectoryBlockGuestSignIn = "DirectoryBlockGuestSignIn";
    public const string NoticeSender = "NoticeSender";
    public const string NoticeRepeatDays = "NoticeRepeatDays";
    public const string OutputThreshold = "OutputThreshold";
    public const string OutputZerosDisclosive = "OutputZerosDisclosive";
    public const string OutputDominanceN = "OutputDominanceN";
    public const string OutputDominanceK = "OutputDominanceK";
    public const string OutputPPercent = "OutputPPercent";
    public const string OutputRoundingBase = "OutputRoundingBase";
    public const string RequireSeparateApprover = "RequireSeparateApprover";

    private const string SafePeople = "SafePeople";
    private const string Transfers = "Transfers";
    private const string Outputs = "Outputs";

    public static IReadOnlyList<PolicyDefinition> All { get; } = new[]
    {
        new PolicyDefinition(CertificateMaxAgeMonths, SafePeople, "24",
            "How old a disclosure certificate may be, in months: issued on 22 Nov 2023 with 24, it is acceptable through 22 Nov 2025.",
            v => WholeNumber(v, 1, 120)),
        new PolicyDefinition(AcceptedCertificateLevels, SafePeople, "Basic,Standard,Enhanced",
            "Certificate levels that satisfy the requirement (any level satisfies the basic requirement by default).",
            v => EnumList<CertificateLevel>(v)),
        new PolicyDefinition(AcceptedCertificateIssuers, SafePeople, "DBS,DisclosureScotland,AccessNI",
            "Certificate issuers that are accepted.",
            v => EnumList<CertificateIssuer>(v)),
        new PolicyDefinition(DeclarationRequired, SafePeople, "true",
            "Whether each recipient must have signed the individual declaration for the agreement.",
            Boolean),
        new PolicyDefinition(TrainingRequired, SafePeople, "true",
            "Whether each person must have completed data-protection and information-security training.",
            Boolean),
        new PolicyDefinition(TrainingMaxAgeMonths, SafePeople, "0",
            "How long completed training counts, in months; 0 means it does not lapse.",
            v => WholeNumber(v, 0, 120)),
        new PolicyDefinition(ReadinessWarningDays, SafePeople, "30",
            "Test-DataShareRecipient warns when a person stops being ready within this many days (unless -WarnWithinDays is given).",
            v => WholeNumber(v, 0, 3650)),
        new PolicyDefinition(TimeZone, "General", ShareCalendar.DefaultTimeZoneId,
            "The time zone in which calendar dates (agreement ends, certificate ages) are judged.",
            v =>
            {
                ShareCalendar.FindTimeZone(v.Trim());
                return v.Trim();
            }),
        new PolicyDefinition(DateOrder, "General", nameof(Time.DateOrder.DayMonthYear),
            "How a date written with the year last is read: DayMonthYear (05/03/2026 is 5 March), MonthDayYear (3 May) or YearMonthDay (refused: only 2026-03-05 and 5 March 2026 are read). Year-first dates and month names are read the same whatever it says; anything ambiguous is refused.",
            DateOrderName),
        new PolicyDefinition(DbsUpdateServiceUri, SafePeople, "https://secure.crbonline.gov.uk",
            "The DBS Update Service's base address for online status checks.",
            ServiceUri),
        new PolicyDefinition(DbsOrganisationName, SafePeople, string.Empty,
            "The organisation name sent with DBS Update Service checks (required for -Online).",
            v => v.Trim()),
        new PolicyDefinition(DbsCheckerForename, SafePeople, string.Empty,
            "The forename of the person carrying out DBS Update Service checks (required for -Online).",
            v => v.Trim()),
        new PolicyDefinition(DbsCheckerSurname, SafePeople, string.Empty,
            "The surname of the person carrying out DBS Update Service checks (required for -Online).",
            v => v.Trim()),
        new PolicyDefinition(TransferMaxLifetimeDays, Transfers, "7",
            "The longest a transfer link may work, in days. A longer -ValidFor is refused, never silently shortened.",
            v => WholeNumber(v, 1, 365)),
        new PolicyDefinition(TransferGraceDays, Transfers, "1",
            "Days a transfer's container is kept after its link expires or is revoked, before the retention sweep deletes it.",
            v => WholeNumber(v, 0, 365)),
        new PolicyDefinition(TransferClockSkewMinutes, Transfers, "5",
            "How many minutes before issue a link starts working, so a recipient whose clock is behind can use it at once.",
            v => WholeNumber(v, 0, 15)),
        new PolicyDefinition(TransferAllowedSensitivity, Transfers, "A,B,C,D,E",
            "Data-item sensitivity ratings that may leave by direct transfer; an agreement with any other is refused a transfer.",
            v => Ratings(v, "ABCDE", "sensitivity ratings A to E")),
        new PolicyDefinition(TransferAllowedIdentificationRisk, Transfers, "1,2,3,4,5,6",
            "Data-item identification-risk ratings that may leave by direct transfer.",
            v => Ratings(v, "123456", "identification-risk ratings 1 to 6")),
        new PolicyDefinition(SweepMaxHoldings, "Retention", "100",
            "The most holdings one retention sweep deletes; a sweep that would delete more stops before deleting anything unless -Force is given.",
            v => WholeNumber(v, 1, 1000000)),
        new PolicyDefinition(SweepMaxGiB, "Retention", "100",
            "The most data (GiB) one retention sweep deletes; a sweep that would delete more stops before deleting anything unless -Force is given.",
            v => WholeNumber(v, 1, 1000000)),
        new PolicyDefinition(DestructionConfirmationDays, "Retention", "30",
            "Days after an agreement's holdings fall due by which the recipient organisation must confirm it destroyed its own copies.",
            v => WholeNumber(v, 0, 3650)),

        // Six years: the limitation period for a claim under a contract in England and Wales (Limitation Act 1980 s.5),
        // which a data sharing agreement is; past it, who received data is rarely still needed as evidence.
        new PolicyDefinition(PersonReviewAfterDays, "Retention", "2190",
            "Days after a person's last agreement ended before the retention report lists them for review (storage limitation: does the register still need their records?); 0 switches the listing off. The default, six years, is the limitation period for a claim under a contract.",
            v => WholeNumber(v, 0, 36500)),
        new PolicyDefinition(SecurityAssessmentValidMonths, "Organisations", "12",
            "How long an organisation's security assessment stays current, in months, when Add-DataShareSecurityAssessment is given no -ValidUntil: assessed on 22 Nov 2025 with 12, it is current through 22 Nov 2026.",
            v => WholeNumber(v, 1, 60)),
        new PolicyDefinition(ReviewIntervalMonths, "Reviews", "12",
            "Months between periodic reviews of an agreement (Add-DataShareReview), counted from its last review or, before the first, from its approval; Set-DataShareAgreement -ReviewIntervalMonths overrides it for one agreement. An agreement whose review is overdue gets no new transfers.",
            v => WholeNumber(v, 1, 60)),
        new PolicyDefinition(DirectoryAccountRequired, "Directory", "true",
            "When the session is connected to the directory (Connect-DataShareDirectory), whether the safe-people test requires each person's directory account to exist and be enabled.",
            Boolean),
        new PolicyDefinition(DirectoryRequiredGroupId, "Directory", string.Empty,
            "The object id of a group every recipient must belong to when connected (such as the approved-researchers group); empty for none.",
            v => v.Trim().Length == 0 ? string.Empty : Guid.TryParse(v.Trim(), out var group) ? group.ToString("D") : throw new PolicyValueException("a group's object id (a GUID), or empty")),
        new PolicyDefinition(DirectoryBlockGuestSignIn, "Directory", "false",
            "Whether Revoke-DataShareAccess (and the nightly sweep) blocks sign-in for guest accounts that no longer have any current agreement.",
            Boolean),
        new PolicyDefinition(NoticeSender, "Directory", string.Empty,
            "The mailbox Send-DataShareNotice sends from when signed in with application permissions (Connect-DataShareDirectory -Sender overrides it).",
            v => v.Trim().Length == 0 ? string.Empty : People.EmailAddress.IsValid(v) ? v.Trim() : throw new PolicyValueException("an email address, or empty")),
        new PolicyDefinition(NoticeRepeatDays, "Directory", "7",
            "Days before Send-DataShareNotice mails the same notice (same kind, same subject, same day due) again; 0 mails it on every run. -Force mails it regardless.",
            v => WholeNumber(v, 0, 365)),
        new PolicyDefinition(OutputThreshold, Outputs, "10",
            "Safe outputs: a count (or a rate's numerator or denominator) from 1 to this value minus one fails the frequency threshold.",
            v => WholeNumber(v, 1, 1000000)),
        new PolicyDefinition(OutputZerosDisclosive, Outputs, "true",
            "Safe outputs: whether a zero count fails (false where zeros are structural).",
            Boolean),
        new PolicyDefinition(OutputDominanceN, Outputs, "2",
            "Safe outputs: how many of a magnitude cell's largest contributions the dominance rule adds up (1 or 2).",
            v => WholeNumber(v, 1, 2)),
        new PolicyDefinition(OutputDominanceK, Outputs, "90",
            "Safe outputs: the share of a magnitude cell's value, in per cent, its largest n contributions must not exceed (above 0, up to 100).",
            v => Percent(v, above: 0)),
        new PolicyDefinition(OutputPPercent, Outputs, "10",
            "Safe outputs: the p of the p % rule, in per cent (0 switches it off, up to 100).",
            v => Percent(v, above: null)),
        new PolicyDefinition(OutputRoundingBase, Outputs, "0",
            "Safe outputs: the base counts must be rounded to (0 for none, else 2 to 1000); totals must equal the sum of their rounded cells.",
            RoundingBase),
        new PolicyDefinition(RequireSeparateApprover, "Governance", "false",
            "Whether an approval (of an agreement, a variation or a retention hold) recorded by the account that created or requested it is refused. The default depends on the register: true for the shared Azure Table register, where a team works; false for the SQLite file, often one officer's. A self-approval that was allowed is always flagged in reports.",
            Boolean) { TableDefault = "true" },
    };

    public static PolicyDefinition? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    private static string DateOrderName(string value) => value.Trim().ToUpperInvariant() switch
    {
        "DAYMONTHYEAR" or "DMY" => nameof(Time.DateOrder.DayMonthYear),
        "MONTHDAYYEAR" or "MDY" => nameof(Time.DateOrder.MonthDayYear),
        "YEARMONTHDAY" or "YMD" or "ISO" => nameof(Time.DateOrder.YearMonthDay),
        _ => throw new PolicyValueException("DayMonthYear (DMY), MonthDayYear (MDY) or YearMonthDay (YMD, ISO)"),
    };

    private static string WholeNumber(string value, int min, int max)
    {
        if (!int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw new PolicyValueException($"a whole number from {min} to {max}");
        }

        return number.ToString(CultureInfo.InvariantCulture);
    }

    private static string RoundingBase(string value)
    {
        var number = WholeNumber(value, 0, 1000);
        return number == "1" ? throw new PolicyValueException("0, or a whole number from 2 to 1000") : number;
    }

    /// <summary>A percentage from 0 (or above <paramref name="above"/>) to 100, in its shortest invariant form.</summary>
    private static string Percent(string value, double? above)
    {
        if (!double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || double.IsNaN(number)
            || number > 100 || (above is { } floor ? number <= floor : number < 0))
        {
            throw new PolicyValueException(above is null ? "a number from 0 to 100" : "a number above 0, up to 100");
        }

        return number.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string Boolean(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "1" or "$true" => "true",
        "false" or "no" or "0" or "$false" => "false",
        _ => throw new PolicyValueException("true or false"),
    };

    private static string EnumList<T>(string value)
        where T : struct, Enum
    {
        var names = new List<string>();
        foreach (var part in value.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (DataShareAdmin.Core.SafePeople.CertificateRules.StartsWithDigit(part.Trim()) || !Enum.TryParse<T>(part.Trim(), ignoreCase: true, out var parsed) || !Enum.IsDefined(typeof(T), parsed))
            {
                throw new PolicyValueException("a comma-separated list of " + string.Join(", ", Enum.GetNames(typeof(T))));
            }

            if (!names.Contains(parsed.ToString()))
            {
                names.Add(parsed.ToString());
            }
        }

        if (names.Count == 0)
        {
            throw new PolicyValueException("at least one of " + string.Join(", ", Enum.GetNames(typeof(T))));
        }

        return string.Join(",", names);
    }

    /// <summary>A comma-separated list of single-character ratings drawn from <paramref name="allowed"/>, in scale order.</summary>
    private static string Ratings(string value, string allowed, string what)
    {
        var chosen = new bool[allowed.Length];
        var any = false;
        foreach (var part in value.Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var text = part.Trim().ToUpperInvariant();
            var index = text.Length == 1 ? allowed.IndexOf(text[0]) : -1;
            if (index < 0)
            {
                throw new PolicyValueException("a comma-separated list of " + what);
            }

            chosen[index] = any = true;
        }

        if (!any)
        {
            throw new PolicyValueException("at least one of the " + what);
        }

        var names = new List<string>();
        for (var i = 0; i < allowed.Length; i++)
        {
            if (chosen[i])
            {
                names.Add(allowed[i].ToString());
            }
        }

        return string.Join(",", names);
    }

    private static string ServiceUri(string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            throw new PolicyValueException("an absolute https:// address (http:// only for a loopback test server)");
        }

        return uri.ToString().TrimEnd('/');
    }
}
