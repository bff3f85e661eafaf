using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.People;

/// <summary>The fields Set-DataShareRecipient may change; null means "leave as it is".</summary>
public sealed class RecipientChanges
{
    public string? Name { get; set; }

    public string? Role { get; set; }

    public DateTime? DeclarationSignedOn { get; set; }

    public DateTime? TrainingCompletedOn { get; set; }
}

/// <summary>Adds people to agreements, records their declarations and training, and ends their part.</summary>
public sealed class RecipientService
{
    private const string Noun = "Recipient";

    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly string actor;

    public RecipientService(IDataShareRegister register, ShareCalendar calendar, IClock clock, string actor)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.actor = actor;
    }

    /// <summary>
    /// Adds a person to an agreement. The person is found by normalised email or created; a person already on the
    /// agreement is an error. Returns null when the host declined.
    /// </summary>
    public DataShareRecipient? Add(string agreementId, string name, string email, string? role, IOperationHost host)
    {
        var normalisedEmail = EmailAddress.Require(email);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DataShareException("RecipientNameMissing", DataShareErrorCategory.InvalidArgument,
                $"A recipient needs the person's name as on their disclosure certificate; none was given for {email}.", email);
        }

        TextLimits.Check(Noun, "Name", name.Trim(), TextLimits.Name, email);
        TextLimits.Check(Noun, "Role", role?.Trim(), TextLimits.Role, email);

        var agreementKey = AgreementRules.NormaliseId(agreementId);
        var agreement = AgreementService.WithStatus(register.FindAgreement(agreementKey) ?? throw AgreementService.NotFound(agreementKey), calendar.Today);
        if (agreement.Status is AgreementStatus.Ended or AgreementStatus.Destroyed)
        {
            throw new DataShareException("AgreementNotOpen", DataShareErrorCategory.InvalidOperation,
                $"Agreement '{agreement.Id}' is {agreement.Status} (it ended on {DateText.FormatDate(agreement.EndsOn)}); no one can be added to it.", agreement.Id);
        }

        return Conflicts.Retry(first =>
        {
            var person = register.FindPersonByEmail(normalisedEmail);
            DataSharePerson? newPerson = null;
            if (person is null)
            {
                newPerson = person = new DataSharePerson
                {
                    Id = Ids.NewPersonId(),
                    Name = name.Trim(),
                    Email = email.Trim(),
                    NormalisedEmail = normalisedEmail,
                    CreatedAt = clock.UtcNow,
                };
            }
            else if (!string.Equals(person.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                host.WriteWarning($"{person.Email} is already in the register as '{person.Name}'; the name '{name.Trim()}' was not used. Set-DataShareRecipient -Name changes it.");
            }

            if (newPerson is null && register.FindActiveRecipient(agreement.Id, person.Id) is { } existing)
            {
                throw new DataShareException("RecipientExists", DataShareErrorCategory.ResourceExists,
                    $"{person.Email} is already a recipient on agreement '{agreement.Id}' ({existing.Id}).", existing.Id);
            }

            if (first && !host.ShouldProcess($"{person.Name} <{person.Email}> on agreement {agreement.Id}", "Add recipient"))
            {
                return null;
            }

            var recipient = new DataShareRecipient
            {
                Id = Ids.NewRecipientId(),
                AgreementId = agreement.Id,
                PersonId = person.Id,
                Name = person.Name,
                Email = person.Email,
                Role = string.IsNullOrWhiteSpace(role) ? null : role!.Trim(),
                TrainingCompletedOn = person.TrainingCompletedOn,
                AddedAt = clock.UtcNow,
                AddedBy = actor,
            };
            register.InsertRecipient(recipient, newPerson, new AuditEvent("Recipient.Add", "Recipient", recipient.Id, new Dictionary<string, string?>
            {
                ["AgreementId"] = agreement.Id,
                ["PersonId"] = person.Id,
                ["Email"] = person.Email,
                ["Name"] = person.Name,
                ["Role"] = recipient.Role,
            }));
            host.WriteVerbose($"Added {person.Email} to agreement {agreement.Id} as {recipient.Id}.");
            return recipient;
        });
    }

    /// <summary>The recipient, or a RecipientNotFound error.</summary>
    public DataShareRecipient Get(string id) => register.FindRecipient(RequireId(id)) ?? throw NotFound(id);


    /// <summary>Recipients of an agreement (which must exist), or of all agreements when <paramref name="agreementId"/> is null.</summary>
    public IEnumerable<DataShareRecipient> Find(string? agreementId, bool includeRemoved)
    {
        string? normalised = null;
        if (agreementId is not null)
        {
            normalised = AgreementRules.NormaliseId(agreementId);
            if (register.FindAgreement(normalised) is null)
            {
                throw AgreementService.NotFound(normalised);
            }
        }

        return register.ListRecipients(normalised, includeRemoved);
    }

    public DataShareRecipient? Update(string id, RecipientChanges changes, IOperationHost host)
    {
        id = RequireId(id);
        var today = calendar.Today;
        RequireNotFuture(changes.DeclarationSignedOn, "declaration", today, id);
        RequireNotFuture(changes.TrainingCompletedOn, "training", today, id);
        if (changes.Name is not null && string.IsNullOrWhiteSpace(changes.Name))
        {
            throw new DataShareException("RecipientNameMissing", DataShareErrorCategory.InvalidArgument, "A person's name cannot be empty.", id);
        }

        TextLimits.Check(Noun, "Name", changes.Name?.Trim(), TextLimits.Name, id);
        TextLimits.Check(Noun, "Role", changes.Role?.Trim(), TextLimits.Role, id);

        return Conflicts.Retry(first =>
        {
            var recipient = register.FindRecipient(id) ?? throw NotFound(id);
            if (!recipient.IsActive)
            {
                throw NotActive(recipient);
            }

            var person = register.FindPerson(recipient.PersonId) ?? throw NotFound(id);
            var details = new Dictionary<string, string?>(StringComparer.Ordinal);
            var personChanged = false;

            if (changes.Name is not null && !string.Equals(changes.Name.Trim(), person.Name, StringComparison.Ordinal))
            {
                details["Name"] = person.Name + " -> " + changes.Name.Trim();
                person.Name = recipient.Name = changes.Name.Trim();
                personChanged = true;
            }

            if (changes.TrainingCompletedOn is { } training && ShareCalendar.DateOf(training) != person.TrainingCompletedOn)
            {
                details["TrainingCompletedOn"] = DateText.FormatDate(person.TrainingCompletedOn) + " -> " + DateText.FormatDate(ShareCalendar.DateOf(training));
                person.TrainingCompletedOn = recipient.TrainingCompletedOn = ShareCalendar.DateOf(training);
                personChanged = true;
            }

            if (changes.DeclarationSignedOn is { } declaration && ShareCalendar.DateOf(declaration) != recipient.DeclarationSignedOn)
            {
                details["DeclarationSignedOn"] = DateText.FormatDate(recipient.DeclarationSignedOn) + " -> " + DateText.FormatDate(ShareCalendar.DateOf(declaration));
                recipient.DeclarationSignedOn = ShareCalendar.DateOf(declaration);
            }

            if (changes.Role is not null && !string.Equals(changes.Role.Trim(), recipient.Role ?? string.Empty, StringComparison.Ordinal))
            {
                details["Role"] = recipient.Role + " -> " + changes.Role.Trim();
                recipient.Role = changes.Role.Trim().Length == 0 ? null : changes.Role.Trim();
            }

            if (details.Count == 0)
            {
                host.WriteVerbose($"Recipient {recipient.Id} already has those values; nothing to change.");
                return recipient;
            }

            if (first && !host.ShouldProcess($"Recipient {recipient.Id} ({recipient.Email}, agreement {recipient.AgreementId})", "Change " + string.Join(", ", details.Keys)))
            {
                return null;
            }

            details["AgreementId"] = recipient.AgreementId;
            details["PersonId"] = person.Id;
            register.UpdateRecipient(recipient, personChanged ? person : null, new AuditEvent("Recipient.Update", "Recipient", recipient.Id, details));
            host.WriteVerbose($"Changed recipient {recipient.Id}.");
            return recipient;
        });
    }

    /// <summary>Ends the person's part in the agreement. The record stays, marked removed, for the history and audit.</summary>
    public DataShareRecipient? Remove(string id, string? reason, IOperationHost host)
    {
        id = RequireId(id);
        TextLimits.Check(Noun, "Reason", reason?.Trim(), TextLimits.Reason, id);
        return Conflicts.Retry(first =>
        {
            var recipient = register.FindRecipient(id) ?? throw NotFound(id);
            if (!recipient.IsActive)
            {
                throw NotActive(recipient);
            }

            if (first && !host.ShouldProcess($"Recipient {recipient.Id} ({recipient.Email}, agreement {recipient.AgreementId})", "Remove from agreement"))
            {
                return null;
            }

            recipient.RemovedAt = clock.UtcNow;
            recipient.RemovedReason = string.IsNullOrWhiteSpace(reason) ? null : reason!.Trim();
            register.UpdateRecipient(recipient, null, new AuditEvent("Recipient.Remove", "Recipient", recipient.Id, new Dictionary<string, string?>
            {
                ["AgreementId"] = recipient.AgreementId,
                ["PersonId"] = recipient.PersonId,
                ["Email"] = recipient.Email,
                ["Reason"] = recipient.RemovedReason,
            }));
            host.WriteVerbose($"Removed {recipient.Email} from agreement {recipient.AgreementId}.");
            return recipient;
        });
    }

    private static string RequireId(string id) =>
        Ids.Normalise(Ids.RecipientPrefix, id) ?? throw new DataShareException("RecipientIdInvalid", DataShareErrorCategory.InvalidArgument,
            $"'{id}' is not a recipient id. Recipient ids look like RC-7K2M9QX4AB; Get-DataShareRecipient -AgreementId lists them. (An agreement id goes to -AgreementId.)", id);

    private static void RequireNotFuture(DateTime? date, string what, DateTime today, string id)
    {
        if (date is { } value && value.Date > today)
        {
            throw new DataShareException("RecipientDateInvalid", DataShareErrorCategory.InvalidArgument,
                $"The {what} date {DateText.FormatDate(value.Date)} is in the future; record it on or after the day it happened.", id);
        }
    }

    private static DataShareException NotFound(string id) =>
        new("RecipientNotFound", DataShareErrorCategory.ObjectNotFound,
            $"There is no recipient '{id}' in the register. Get-DataShareRecipient -AgreementId <id> lists an agreement's recipients.", id);

    private static DataShareException NotActive(DataShareRecipient recipient) =>
        new("RecipientNotActive", DataShareErrorCategory.InvalidOperation,
            $"Recipient {recipient.Id} ({recipient.Email}) was removed from agreement {recipient.AgreementId} on {recipient.RemovedAt:yyyy-MM-dd}; add the person again to give them a new place.",
            recipient.Id);
}
