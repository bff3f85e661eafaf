using System;
using System.Collections.Generic;
using System.Threading;
using DataShareAdmin.Core.Dbs;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.SafePeople;

/// <summary>A certificate as given by a user or a spreadsheet row, before it is checked.</summary>
public sealed class CertificateDraft
{
    public string? Issuer { get; set; }

    public string? Level { get; set; }

    public string? Number { get; set; }

    public DateTime IssuedOn { get; set; }

    public string? HolderName { get; set; }

    public DateTime? DateOfBirth { get; set; }

    /// <summary>Today when not given.</summary>
    public DateTime? SeenOriginalOn { get; set; }

    /// <summary>The acting user when not given.</summary>
    public string? SeenOriginalBy { get; set; }
}

/// <summary>The fields Set-DisclosureCertificate may correct; null means "leave as it is".</summary>
public sealed class CertificateChanges
{
    public string? Level { get; set; }

    public string? Number { get; set; }

    public DateTime? IssuedOn { get; set; }

    public string? HolderName { get; set; }

    public DateTime? DateOfBirth { get; set; }

    public DateTime? SeenOriginalOn { get; set; }

    public string? SeenOriginalBy { get; set; }
}

/// <summary>Records people's disclosure certificates, corrects them, and judges them on a day (optionally online).</summary>
public sealed class CertificateService
{
    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly string actor;
    private readonly Func<SafePeoplePolicy> policy;
    private readonly Func<Uri, IDbsStatusClient> dbsClientFactory;
    private IDbsStatusClient? dbsClient;

    public CertificateService(IDataShareRegister register, ShareCalendar calendar, IClock clock, string actor,
        Func<SafePeoplePolicy> policy, Func<Uri, IDbsStatusClient> dbsClientFactory)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.actor = actor;
        this.policy = policy;
        this.dbsClientFactory = dbsClientFactory;
    }

    /// <summary>The DBS client, if one was created; the engine disposes it.</summary>
    internal IDbsStatusClient? DbsClient => dbsClient;

    /// <summary>Told of a certificate the DBS Update Service answered NEW_INFO for, once the answer is recorded (the engine makes reviews due).</summary>
    public Action<DisclosureCertificate, IOperationHost>? NewInformation { get; set; }

    /// <summary>Adds a certificate for the person behind a recipient (RC-…), a person id (PE-…) or an email.</summary>
    public DisclosureCertificate? Add(string owner, CertificateDraft draft, IOperationHost host)
    {
        var person = ResolvePerson(owner);
        var certificate = Build(person, draft);
        if (register.FindCertificateByNumber(certificate.Issuer, certificate.Number) is { } existing)
        {
            throw new DataShareException("CertificateExists", DataShareErrorCategory.ResourceExists,
                $"A {existing.Issuer} certificate numbered {existing.Number} is already recorded ({existing.Id}, for {existing.Email}). Set-DisclosureCertificate corrects it.",
                existing.Id);
        }

        if (!host.ShouldProcess($"{certificate.Issuer} {certificate.Level} certificate {certificate.Number} for {person.Email}", "Add disclosure certificate"))
        {
            return null;
        }

        register.InsertCertificate(certificate, new AuditEvent("Certificate.Add", "Certificate", certificate.Id, Describe(certificate)));
        host.WriteVerbose($"Added certificate {certificate.Id} for {person.Email}.");
        return certificate;
    }

    /// <summary>Checks a draft and builds the certificate it describes, without writing anything.</summary>
    internal DisclosureCertificate Build(DataSharePerson person, CertificateDraft draft)
    {
        CheckText(draft.HolderName, draft.SeenOriginalBy, person.Email);
        var issuer = CertificateRules.ParseIssuer(draft.Issuer);
        var today = calendar.Today;
        var certificate = new DisclosureCertificate
        {
            Id = Ids.NewCertificateId(),
            PersonId = person.Id,
            Email = person.Email,
            Issuer = issuer,
            Level = CertificateRules.ParseLevel(draft.Level),
            Number = CertificateRules.NormaliseNumber(issuer, draft.Number),
            IssuedOn = ShareCalendar.DateOf(draft.IssuedOn),
            HolderName = string.IsNullOrWhiteSpace(draft.HolderName) ? null : draft.HolderName!.Trim(),
            DateOfBirth = draft.DateOfBirth is null ? null : ShareCalendar.DateOf(draft.DateOfBirth.Value),
            SeenOriginalOn = ShareCalendar.DateOf(draft.SeenOriginalOn ?? today),
            SeenOriginalBy = string.IsNullOrWhiteSpace(draft.SeenOriginalBy) ? actor : draft.SeenOriginalBy!.Trim(),
            AddedAt = clock.UtcNow,
            AddedBy = actor,
        };
        CheckDates(certificate, today);
        return certificate;
    }

    private static void CheckText(string? holderName, string? seenBy, object target)
    {
        TextLimits.Check("Certificate", "HolderName", holderName?.Trim(), TextLimits.Name, target);
        TextLimits.Check("Certificate", "SeenOriginalBy", seenBy?.Trim(), TextLimits.Name, target);
    }

    public DisclosureCertificate Get(string id) =>
        register.FindCertificate(RequireId(id)) ?? throw NotFound(id);

    /// <summary>Certificates of a person (given as recipient, person id or email), or all when null.</summary>
    public IEnumerable<DisclosureCertificate> Find(string? owner) =>
        register.ListCertificates(owner is null ? null : ResolvePerson(owner).Id);

    public DisclosureCertificate? Update(string id, CertificateChanges changes, IOperationHost host)
    {
        id = RequireId(id);
        CheckText(changes.HolderName, changes.SeenOriginalBy, id);
        return Conflicts.Retry(first =>
        {
            var certificate = register.FindCertificate(id) ?? throw NotFound(id);
            var details = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (changes.Level is not null && CertificateRules.ParseLevel(changes.Level) is var level && level != certificate.Level)
            {
                details["Level"] = certificate.Level + " -> " + level;
                certificate.Level = level;
            }

            if (changes.Number is not null && CertificateRules.NormaliseNumber(certificate.Issuer, changes.Number) is var number && number != certificate.Number)
            {
                details["Number"] = Mask(certificate.Number) + " -> " + Mask(number);
                certificate.Number = number;
            }

            if (changes.IssuedOn is { } issued && ShareCalendar.DateOf(issued) != certificate.IssuedOn)
            {
                details["IssuedOn"] = DateText.FormatDate(certificate.IssuedOn) + " -> " + DateText.FormatDate(ShareCalendar.DateOf(issued));
                certificate.IssuedOn = ShareCalendar.DateOf(issued);
            }

            if (changes.HolderName is not null && changes.HolderName.Trim() != (certificate.HolderName ?? string.Empty))
            {
                details["HolderName"] = "changed";
                certificate.HolderName = changes.HolderName.Trim().Length == 0 ? null : changes.HolderName.Trim();
            }

            if (changes.DateOfBirth is { } birth && ShareCalendar.DateOf(birth) != certificate.DateOfBirth)
            {
                // Personal data: the audit says that it changed, not what to.
                details["DateOfBirth"] = "changed";
                certificate.DateOfBirth = ShareCalendar.DateOf(birth);
            }

            if (changes.SeenOriginalOn is { } seen && ShareCalendar.DateOf(seen) != certificate.SeenOriginalOn)
            {
                details["SeenOriginalOn"] = DateText.FormatDate(certificate.SeenOriginalOn) + " -> " + DateText.FormatDate(ShareCalendar.DateOf(seen));
                certificate.SeenOriginalOn = ShareCalendar.DateOf(seen);
            }

            if (changes.SeenOriginalBy is not null && changes.SeenOriginalBy.Trim() != certificate.SeenOriginalBy && changes.SeenOriginalBy.Trim().Length > 0)
            {
                details["SeenOriginalBy"] = certificate.SeenOriginalBy + " -> " + changes.SeenOriginalBy.Trim();
                certificate.SeenOriginalBy = changes.SeenOriginalBy.Trim();
            }

            CheckDates(certificate, calendar.Today);
            if (details.Count == 0)
            {
                host.WriteVerbose($"Certificate {certificate.Id} already has those values; nothing to change.");
                return certificate;
            }

            if (first && !host.ShouldProcess($"Certificate {certificate.Id} ({certificate.Issuer} {Mask(certificate.Number)}, {certificate.Email})", "Correct " + string.Join(", ", details.Keys)))
            {
                return null;
            }

            details["PersonId"] = certificate.PersonId;
            register.UpdateCertificate(certificate, new AuditEvent("Certificate.Update", "Certificate", certificate.Id, details));
            return certificate;
        });
    }

    /// <summary>Removes a certificate recorded by mistake; the audit log keeps that it existed and why it went.</summary>
    public DisclosureCertificate? Remove(string id, string? reason, IOperationHost host)
    {
        id = RequireId(id);
        TextLimits.Check("Certificate", "Reason", reason?.Trim(), TextLimits.Reason, id);
        return Conflicts.Retry(first =>
        {
            var certificate = register.FindCertificate(id) ?? throw NotFound(id);
            if (first && !host.ShouldProcess($"Certificate {certificate.Id} ({certificate.Issuer} {Mask(certificate.Number)}, {certificate.Email})", "Remove disclosure certificate"))
            {
                return null;
            }

            var details = Describe(certificate);
            details["Reason"] = string.IsNullOrWhiteSpace(reason) ? null : reason!.Trim();
            register.DeleteCertificate(certificate, new AuditEvent("Certificate.Remove", "Certificate", certificate.Id, details));
            return certificate;
        });
    }

    /// <summary>
    /// Judges a certificate on a day. Online, a standard or enhanced DBS certificate is also checked on the Update
    /// Service: NEW_INFO or NO_MATCH_FOUND make it invalid; a clear answer never extends its age limit.
    /// </summary>
    public CertificateTestResult Test(DisclosureCertificate certificate, DateTime? asOf, bool online, IOperationHost host)
    {
        var result = CertificateRules.Evaluate(certificate, policy(), asOf ?? calendar.Today);
        if (!online)
        {
            return result;
        }

        if (certificate.Issuer != CertificateIssuer.DBS)
        {
            result.OnlineStatus = "NotAvailable";
            result.Reason += $" Not checked online: only DBS certificates are on the Update Service, not {certificate.Issuer}.";
            return result;
        }

        if (certificate.Level == CertificateLevel.Basic)
        {
            result.OnlineStatus = "NotAvailable";
            result.Reason += " Not checked online: basic certificates cannot be checked on the DBS Update Service.";
            return result;
        }

        var answer = CheckOnline(certificate, host.CancellationToken);
        result.OnlineStatus = answer.StatusText;
        if (!answer.Passes)
        {
            result.IsValid = false;
            result.Reason = answer.Status == DbsCertificateStatus.NewInfo
                ? "The DBS Update Service reports new information since this certificate was issued (NEW_INFO): a new certificate is needed."
                : "The DBS Update Service found no certificate matching these details (NO_MATCH_FOUND): check the number, surname and date of birth.";
        }
        else
        {
            result.Reason += $" The DBS Update Service reports {answer.StatusText}.";
        }

        if (register.Info.IsReadOnly)
        {
            // A compliance reader on a read-only connection can still check; the answer just is not recorded.
            host.WriteWarning($"The register is read-only, so the online answer for {certificate.Id} was not recorded.");
            return result;
        }

        certificate.OnlineStatus = answer.StatusText;
        certificate.OnlineCheckedAt = clock.UtcNow;
        register.UpdateCertificate(certificate, new AuditEvent("Certificate.OnlineCheck", "Certificate", certificate.Id, new Dictionary<string, string?>
        {
            ["PersonId"] = certificate.PersonId,
            ["Status"] = answer.StatusText,
        }));
        if (answer.Status == DbsCertificateStatus.NewInfo)
        {
            NewInformation?.Invoke(certificate, host);
        }

        return result;
    }

    private DbsStatusResult CheckOnline(DisclosureCertificate certificate, CancellationToken cancellationToken)
    {
        var rules = policy();
        if (rules.DbsOrganisationName.Length == 0 || rules.DbsCheckerForename.Length == 0 || rules.DbsCheckerSurname.Length == 0)
        {
            throw new DataShareException("DbsCheckNotConfigured", DataShareErrorCategory.InvalidOperation,
                "Online checks need the organisation and the checker's name: set DbsOrganisationName, DbsCheckerForename and DbsCheckerSurname with Set-DataSharePolicy.", null)
            { IsTerminating = true };
        }

        var surname = Surname(certificate.HolderName);
        if (certificate.DateOfBirth is null || surname.Length == 0)
        {
            throw new DataShareException("CertificateOnlineDetailsMissing", DataShareErrorCategory.InvalidData,
                $"Certificate {certificate.Id} cannot be checked online without the holder's name and date of birth: add them with Set-DisclosureCertificate -HolderName -DateOfBirth.", certificate.Id);
        }

        dbsClient ??= dbsClientFactory(new Uri(rules.DbsUpdateServiceUri));
        return dbsClient.CheckAsync(new DbsStatusRequest
        {
            CertificateNumber = certificate.Number,
            DateOfBirth = certificate.DateOfBirth.Value,
            Surname = surname,
            OrganisationName = rules.DbsOrganisationName,
            CheckerForename = rules.DbsCheckerForename,
            CheckerSurname = rules.DbsCheckerSurname,
        }, cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>The person behind a recipient id, a person id or an email.</summary>
    internal DataSharePerson ResolvePerson(string owner)
    {
        var text = (owner ?? string.Empty).Trim();
        if (Ids.Normalise(Ids.RecipientPrefix, text) is { } recipientId)
        {
            var recipient = register.FindRecipient(recipientId) ?? throw new DataShareException("RecipientNotFound", DataShareErrorCategory.ObjectNotFound,
                $"There is no recipient '{text}' in the register.", text);
            return register.FindPerson(recipient.PersonId)!;
        }

        if (Ids.Normalise(Ids.PersonPrefix, text) is { } personId)
        {
            return register.FindPerson(personId) ?? throw new DataShareException("PersonNotFound", DataShareErrorCategory.ObjectNotFound,
                $"There is no person '{text}' in the register.", text);
        }

        if (EmailAddress.IsValid(text))
        {
            return register.FindPersonByEmail(EmailAddress.Normalise(text)) ?? throw new DataShareException("PersonNotFound", DataShareErrorCategory.ObjectNotFound,
                $"No one with the email {text} is in the register: add them to an agreement with Add-DataShareRecipient first.", text);
        }

        throw new DataShareException("RecipientIdInvalid", DataShareErrorCategory.InvalidArgument,
            $"'{owner}' is not a recipient id (RC-…), a person id (PE-…) or an email address.", owner);
    }

    private static void CheckDates(DisclosureCertificate certificate, DateTime today)
    {
        if (certificate.IssuedOn > today)
        {
            throw new DataShareException("CertificateIssueDateInvalid", DataShareErrorCategory.InvalidArgument,
                $"The issue date {DateText.FormatDate(certificate.IssuedOn)} is in the future. Give the date printed on the certificate.", certificate.Number);
        }

        if (certificate.DateOfBirth is { } birth && (birth >= certificate.IssuedOn || birth.Year < 1900))
        {
            throw new DataShareException("CertificateDateOfBirthInvalid", DataShareErrorCategory.InvalidArgument,
                "The date of birth must be a real date before the certificate was issued.", certificate.Number);
        }

        if (certificate.SeenOriginalOn < certificate.IssuedOn || certificate.SeenOriginalOn > today)
        {
            throw new DataShareException("CertificateSeenDateInvalid", DataShareErrorCategory.InvalidArgument,
                $"The original was seen on {DateText.FormatDate(certificate.SeenOriginalOn)}, which is before it was issued ({DateText.FormatDate(certificate.IssuedOn)}) or in the future.",
                certificate.Number);
        }
    }

    internal static Dictionary<string, string?> Describe(DisclosureCertificate certificate) => new(StringComparer.Ordinal)
    {
        ["PersonId"] = certificate.PersonId,
        ["Issuer"] = certificate.Issuer.ToString(),
        ["Level"] = certificate.Level.ToString(),
        ["Number"] = Mask(certificate.Number),
        ["IssuedOn"] = DateText.FormatDate(certificate.IssuedOn),
        ["SeenOriginalBy"] = certificate.SeenOriginalBy,
        ["SeenOriginalOn"] = DateText.FormatDate(certificate.SeenOriginalOn),
    };

    /// <summary>The audit log names a certificate by its last four digits: enough to tell them apart, not to look one up.</summary>
    internal static string Mask(string number) => number.Length <= 4 ? number : "…" + number.Substring(number.Length - 4);

    private static string Surname(string? holderName)
    {
        var parts = (holderName ?? string.Empty).Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? string.Empty : parts[parts.Length - 1];
    }

    private static string RequireId(string id) =>
        Ids.Normalise(Ids.CertificatePrefix, id) ?? throw new DataShareException("CertificateIdInvalid", DataShareErrorCategory.InvalidArgument,
            $"'{id}' is not a certificate id. Certificate ids look like DC-7K2M9QX4AB; Get-DisclosureCertificate lists them.", id);

    private static DataShareException NotFound(string id) =>
        new("CertificateNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no certificate '{id}' in the register.", id);
}
