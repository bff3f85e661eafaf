using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.SafePeople;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.People;

/// <summary>
/// A person's own data (Export-DataSharePersonData): everything the register holds about one person, gathered for a
/// data subject's access request, written as JSON and a readable HTML page, and the export audited. Reads only, but
/// the audit entry.
/// </summary>
public sealed class PersonDataService
{
    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly AuditIdentity identity;
    private readonly AgreementService agreements;
    private readonly ReadinessService readiness;

    public PersonDataService(IDataShareRegister register, ShareCalendar calendar, IClock clock, AuditIdentity identity, AgreementService agreements, ReadinessService readiness)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.identity = identity;
        this.agreements = agreements;
        this.readiness = readiness;
    }

    /// <summary>The person with this email (compared trimmed and without regard to case), or a PersonNotFound error.</summary>
    public DataSharePerson FindByEmail(string email)
    {
        var normalised = EmailAddress.Require(email);
        return register.FindPersonByEmail(normalised) ?? throw NotFound(email.Trim(), "email");
    }

    /// <summary>The person with this id (PE-…), or a PersonNotFound error.</summary>
    public DataSharePerson FindById(string personId)
    {
        var id = personId.Trim().ToUpperInvariant();
        return (Ids.LooksLike(Ids.PersonPrefix, id) ? register.FindPerson(id) : null) ?? throw NotFound(personId.Trim(), "id");
    }

    private static DataShareException NotFound(string key, string what) => new("PersonNotFound", DataShareErrorCategory.ObjectNotFound,
        $"The register holds no person with the {what} '{key}'. Get-DataShareRecipient lists the people on each agreement (a person's id begins PE-).", key);

    /// <summary>Gathers what the register holds about <paramref name="person"/>.</summary>
    public PersonDataDocument Collect(DataSharePerson person, IOperationHost host)
    {
        const string activity = "Gathering a person's data";
        var today = calendar.Today;
        var document = new PersonDataDocument
        {
            GeneratedAt = DateText.FormatInstant(DateText.Truncate(clock.UtcNow)),
            GeneratedBy = identity.User,
            AsOf = DateText.FormatDate(today),
            TimeZone = calendar.TimeZone.Id,
            Person = new PersonDataPerson { Id = person.Id, Name = person.Name, Email = person.Email, CreatedAt = DateText.FormatInstant(person.CreatedAt) },
            Training = new PersonDataTraining { CompletedOn = DateText.FormatDate(person.TrainingCompletedOn) },
            DirectoryAccount = person.DirectoryObjectId is null ? null : new PersonDataDirectoryAccount { ObjectId = person.DirectoryObjectId },
        };

        host.WriteProgress(activity, $"{person.Id}: places on agreements", 10, completed: false);
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { person.Id };
        foreach (var recipient in register.ListRecipients(null, includeRemoved: true).Where(r => string.Equals(r.PersonId, person.Id, StringComparison.OrdinalIgnoreCase)))
        {
            host.CancellationToken.ThrowIfCancellationRequested();
            ids.Add(recipient.Id);
            document.Recipients.Add(Recipient(recipient, today));
            if (recipient.DeclarationSignedOn is { } signed)
            {
                document.Declarations.Add(new PersonDataDeclaration { RecipientId = recipient.Id, AgreementId = recipient.AgreementId, SignedOn = DateText.FormatDate(signed) });
            }
        }

        host.WriteProgress(activity, $"{person.Id}: certificates", 30, completed: false);
        foreach (var certificate in register.ListCertificates(person.Id))
        {
            ids.Add(certificate.Id);
            document.Certificates.Add(Certificate(certificate));
        }

        host.WriteProgress(activity, $"{person.Id}: the audit log", 50, completed: false);
        foreach (var entry in register.ReadAuditLog(1))
        {
            host.CancellationToken.ThrowIfCancellationRequested();
            if (!IsAbout(entry, person, ids))
            {
                continue;
            }

            document.Audit.Add(Entry(entry));
            if (entry.Action == "Notice.Send")
            {
                document.Notices.Add(Notice(entry));
            }
        }

        host.WriteProgress(activity, "Done", 100, completed: true);
        return document;
    }

    /// <summary>
    /// About the person: its target is them, one of their places or certificates, or it names them (their person id,
    /// or their email, as a notice's recipients do) in its details. A certificate since removed is found by the person
    /// id its entries carry, and its later entries by its id.
    /// </summary>
    private static bool IsAbout(AuditEntry entry, DataSharePerson person, HashSet<string> ids)
    {
        if (ids.Contains(entry.TargetId))
        {
            return true;
        }

        foreach (var value in entry.Details.Values)
        {
            if (string.Equals(value, person.Id, StringComparison.OrdinalIgnoreCase) || NamesEmail(value, person.NormalisedEmail))
            {
                if (entry.TargetType == "Certificate")
                {
                    ids.Add(entry.TargetId);
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the text names this address anywhere — a list of recipients ("a@x, b@y") or free text such as a lay
    /// summary — as a whole address: not inside a longer one (bojo@x, jo@x.uk).
    /// </summary>
    private static bool NamesEmail(string? value, string normalisedEmail)
    {
        if (value is null || value.IndexOf('@') < 0)
        {
            return false;
        }

        for (var at = value.IndexOf(normalisedEmail, StringComparison.OrdinalIgnoreCase); at >= 0; at = value.IndexOf(normalisedEmail, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + normalisedEmail.Length;
            var startsWhole = at == 0 || !IsAddressChar(value[at - 1]);
            var endsWhole = end == value.Length || (value[end] == '.' ? end + 1 == value.Length || !char.IsLetterOrDigit(value[end + 1]) : !IsAddressChar(value[end]));
            if (startsWhole && endsWhole)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAddressChar(char c) => char.IsLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' or '\'';

    /// <summary>Writes the JSON file's bytes.</summary>
    public static void WriteJson(PersonDataDocument document, Stream output)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, Evidence.EvidenceService.Json);
        output.Write(bytes, 0, bytes.Length);
    }

    /// <summary>Writes the readable page.</summary>
    public static void WriteHtml(PersonDataDocument document, Stream output)
    {
        using var writer = new StreamWriter(output, new UTF8Encoding(false), 16 * 1024, leaveOpen: true) { NewLine = "\n" };
        PersonDataPage.Write(document, writer);
    }

    /// <summary>
    /// Records the export in the audit log (Person.Export): who exported (the entry's actor), whose data, how much and
    /// into which files. Never a certificate number, even masked: the entry says only how many certificates went.
    /// </summary>
    public void RecordExport(PersonDataDocument document, IEnumerable<string> fileNames)
    {
        register.AppendAudit(new AuditEvent("Person.Export", "Person", document.Person.Id, new Dictionary<string, string?>
        {
            ["ExportedBy"] = identity.User,
            ["PersonId"] = document.Person.Id,
            ["Files"] = string.Join(", ", fileNames),
            ["Recipients"] = Count(document.Recipients.Count),
            ["Certificates"] = Count(document.Certificates.Count),
            ["Notices"] = Count(document.Notices.Count),
            ["AuditEntries"] = Count(document.Audit.Count),
        }));
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private PersonDataRecipient Recipient(DataShareRecipient recipient, DateTime today)
    {
        var agreement = register.FindAgreement(recipient.AgreementId) is null ? null : agreements.Get(recipient.AgreementId);
        var result = new PersonDataRecipient
        {
            Id = recipient.Id,
            AgreementId = recipient.AgreementId,
            AgreementTitle = agreement?.Title,
            Organisation = agreement?.Organisation,
            AgreementStartsOn = agreement is null ? null : DateText.FormatDate(agreement.StartsOn),
            AgreementEndsOn = agreement is null ? null : DateText.FormatDate(agreement.EndsOn),
            AgreementStatus = agreement?.Status.ToString(),
            Role = recipient.Role,
            DeclarationSignedOn = DateText.FormatDate(recipient.DeclarationSignedOn),
            AddedAt = DateText.FormatInstant(recipient.AddedAt),
            AddedBy = recipient.AddedBy,
            RemovedAt = recipient.RemovedAt is null ? null : DateText.FormatInstant(recipient.RemovedAt.Value),
            RemovedReason = recipient.RemovedReason,
        };

        if (recipient.IsActive && agreement is not null)
        {
            var verdict = readiness.Test(recipient, today, null);
            result.Readiness = new PersonDataReadiness
            {
                AsOf = DateText.FormatDate(today),
                IsReady = verdict.IsReady,
                FailedChecks = verdict.FailedChecks.ToList(),
                Checks = verdict.Checks.Select(c => new PersonDataCheck { Name = c.Name, Passed = c.Passed, Reason = c.Reason }).ToList(),
            };
        }

        return result;
    }

    private static PersonDataCertificate Certificate(DisclosureCertificate c) => new()
    {
        Id = c.Id,
        Issuer = c.Issuer.ToString(),
        Level = c.Level.ToString(),
        Number = c.Number,
        IssuedOn = DateText.FormatDate(c.IssuedOn),
        HolderName = c.HolderName,
        DateOfBirth = DateText.FormatDate(c.DateOfBirth),
        SeenOriginalBy = c.SeenOriginalBy,
        SeenOriginalOn = DateText.FormatDate(c.SeenOriginalOn),
        AddedAt = DateText.FormatInstant(c.AddedAt),
        AddedBy = c.AddedBy,
        OnlineStatus = c.OnlineStatus,
        OnlineCheckedAt = c.OnlineCheckedAt is null ? null : DateText.FormatInstant(c.OnlineCheckedAt.Value),
    };

    private static PersonDataNotice Notice(AuditEntry entry)
    {
        string? Detail(string key) => entry.Details.TryGetValue(key, out var value) ? value : null;
        return new PersonDataNotice
        {
            Sequence = entry.Sequence,
            SentAt = DateText.FormatInstant(entry.Timestamp),
            SentBy = entry.Actor,
            Kind = Detail("Kind"),
            AgreementId = Detail("AgreementId"),
            Subject = entry.TargetId,
            To = Detail("To"),
            Cc = Detail("Cc"),
            Title = Detail("Title"),
            Due = Detail("Due"),
        };
    }

    private static PersonDataAuditEntry Entry(AuditEntry entry) => new()
    {
        Sequence = entry.Sequence,
        Timestamp = DateText.FormatInstant(entry.Timestamp),
        Actor = entry.Actor,
        Action = entry.Action,
        TargetType = entry.TargetType,
        TargetId = entry.TargetId,
        Details = new SortedDictionary<string, string>(entry.Details.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal),
        Problem = entry.Problem,
    };
}
