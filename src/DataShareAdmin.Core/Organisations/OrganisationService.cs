using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Organisations;

/// <summary>The fields Set-DataShareOrganisation may change; null means "leave as it is", empty text clears.</summary>
public sealed class OrganisationChanges
{
    public string? Name { get; set; }

    public string? Address { get; set; }

    public string? ProtectionOfficerName { get; set; }

    public string? ProtectionOfficerEmail { get; set; }

    /// <summary>What sort of organisation it is, for the public register.</summary>
    public OrganisationSector? Sector { get; set; }
}

/// <summary>A security assessment as the user gives it; ValidUntil null means "as long as policy says".</summary>
public sealed class AssessmentRequest
{
    public string Organisation { get; set; } = string.Empty;

    public DateTime AssessedOn { get; set; }

    public DateTime? ValidUntil { get; set; }

    public AssessmentOutcome Outcome { get; set; }

    public string Reference { get; set; } = string.Empty;
}

/// <summary>Creates, finds and changes recipient organisations and records their security assessments; every change audited.</summary>
public sealed class OrganisationService
{
    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly string actor;
    private readonly PolicyService policy;
    private readonly Action? assessmentRecorded;

    /// <param name="assessmentRecorded">Called after an assessment is recorded, so caches of assessments are read again.</param>
    public OrganisationService(IDataShareRegister register, ShareCalendar calendar, IClock clock, string actor, PolicyService policy, Action? assessmentRecorded = null)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.actor = actor;
        this.policy = policy;
        this.assessmentRecorded = assessmentRecorded;
    }

    /// <summary>Adds an organisation; null when the host declined (-WhatIf, or "no" at -Confirm).</summary>
    public DataShareOrganisation? Create(string name, string? address, string? officerName, string? officerEmail, IOperationHost host, OrganisationSector? sector = null)
    {
        CheckText(address, officerName, name);
        CheckSector(sector, name);
        var now = clock.UtcNow;
        var organisation = new DataShareOrganisation
        {
            Id = Ids.NewOrganisationId(),
            Name = OrganisationRules.NormaliseName(name),
            Address = Optional(address),
            ProtectionOfficerName = Optional(officerName),
            ProtectionOfficerEmail = OfficerEmail(officerEmail),
            Sector = sector,
            CreatedAt = now,
            CreatedBy = actor,
            ModifiedAt = now,
        };

        if (register.FindOrganisationByName(organisation.Name) is { } existing)
        {
            throw new DataShareException("OrganisationExists", DataShareErrorCategory.ResourceExists,
                $"There is already an organisation named '{existing.Name}' ({existing.Id}) in the register. Set-DataShareOrganisation changes it.", organisation.Name);
        }

        if (!host.ShouldProcess($"Organisation '{organisation.Name}'", "Add organisation"))
        {
            return null;
        }

        register.InsertOrganisation(organisation, new AuditEvent("Organisation.Create", "Organisation", organisation.Id, new Dictionary<string, string?>
        {
            ["Name"] = organisation.Name,
            ["Address"] = organisation.Address,
            ["ProtectionOfficerName"] = organisation.ProtectionOfficerName,
            ["ProtectionOfficerEmail"] = organisation.ProtectionOfficerEmail,
            ["Sector"] = organisation.Sector?.ToString(),
        }));
        host.WriteVerbose($"Added organisation {organisation.Name} ({organisation.Id}).");
        return Describe(organisation, calendar.Today);
    }

    /// <summary>The organisation named by its id (OR-…) or its name, without its assessments; or an OrganisationNotFound error.</summary>
    public DataShareOrganisation Resolve(string? nameOrId)
    {
        var text = (nameOrId ?? string.Empty).Trim();
        var id = Ids.Normalise(Ids.OrganisationPrefix, text);
        var found = id is not null ? register.FindOrganisation(id) : text.Length == 0 ? null : register.FindOrganisationByName(text);
        return found ?? throw NotFound(text);
    }

    /// <summary>The organisation with its assessments, agreements and standing on <paramref name="asOf"/>.</summary>
    public DataShareOrganisation Get(string nameOrId, DateTime? asOf = null)
    {
        var organisation = Resolve(nameOrId);
        organisation.Assessments = register.ListAssessments(organisation.Id).ToArray();
        organisation.AgreementIds = register.ListAgreements().Where(a => a.OrganisationId == organisation.Id).Select(a => a.Id).ToArray();
        return Describe(organisation, asOf?.Date ?? calendar.Today);
    }

    /// <summary>Organisations whose name passes <paramref name="nameFilter"/>, ordered by name, each described as of <paramref name="asOf"/>.</summary>
    public IEnumerable<DataShareOrganisation> Find(Func<string, bool>? nameFilter, DateTime? asOf = null)
    {
        var day = asOf?.Date ?? calendar.Today;

        // Organisations are few (hundreds): their assessments and agreement ids are read once, not once each.
        var assessments = register.ListAssessments(null).ToLookup(a => a.OrganisationId, StringComparer.Ordinal);
        var agreements = register.ListAgreements().Where(a => a.OrganisationId is not null).ToLookup(a => a.OrganisationId!, a => a.Id, StringComparer.Ordinal);
        foreach (var organisation in register.ListOrganisations())
        {
            if (nameFilter is not null && !nameFilter(organisation.Name))
            {
                continue;
            }

            organisation.Assessments = assessments[organisation.Id].ToArray();
            organisation.AgreementIds = agreements[organisation.Id].ToArray();
            yield return Describe(organisation, day);
        }
    }

    /// <summary>The organisation's standing on <paramref name="day"/>.</summary>
    public AssessmentVerdict Verdict(string organisationId, DateTime day) =>
        OrganisationRules.Evaluate(register.ListAssessments(organisationId), day);

    /// <summary>Applies the changes; null when the host declined. Nothing is written when nothing changes.</summary>
    public DataShareOrganisation? Update(string nameOrId, OrganisationChanges changes, IOperationHost host)
    {
        var newName = changes.Name is null ? null : OrganisationRules.NormaliseName(changes.Name);
        CheckText(changes.Address, changes.ProtectionOfficerName, nameOrId);
        CheckSector(changes.Sector, nameOrId);
        var newEmail = changes.ProtectionOfficerEmail is null ? null : OfficerEmail(changes.ProtectionOfficerEmail) ?? string.Empty;
        var target = Resolve(nameOrId).Id;
        return Conflicts.Retry(first =>
        {
            var organisation = register.FindOrganisation(target) ?? throw NotFound(nameOrId ?? string.Empty);
            var before = $"Organisation '{organisation.Name}' ({organisation.Id})";
            var details = new Dictionary<string, string?>(StringComparer.Ordinal);
            void Set(string field, string? value, string? current, Action<string?> assign)
            {
                if (value is null)
                {
                    return;
                }

                var stored = value.Length == 0 ? null : value;
                if (!string.Equals(stored, current, StringComparison.Ordinal))
                {
                    details[field] = (current ?? "(none)") + " -> " + (stored ?? "(none)");
                    assign(stored);
                }
            }

            if (newName is not null && register.FindOrganisationByName(newName) is { } other && other.Id != organisation.Id)
            {
                throw new DataShareException("OrganisationExists", DataShareErrorCategory.ResourceExists,
                    $"There is already an organisation named '{other.Name}' ({other.Id}); two organisations cannot share a name.", newName);
            }

            Set("Name", newName, organisation.Name, v => organisation.Name = v!);
            Set("Address", changes.Address?.Trim(), organisation.Address, v => organisation.Address = v);
            Set("ProtectionOfficerName", changes.ProtectionOfficerName?.Trim(), organisation.ProtectionOfficerName, v => organisation.ProtectionOfficerName = v);
            Set("ProtectionOfficerEmail", newEmail, organisation.ProtectionOfficerEmail, v => organisation.ProtectionOfficerEmail = v);
            if (changes.Sector is { } sector && sector != organisation.Sector)
            {
                details["Sector"] = (organisation.Sector?.ToString() ?? "(none)") + " -> " + sector;
                organisation.Sector = sector;
            }
            if (details.Count == 0)
            {
                host.WriteVerbose($"Organisation {organisation.Name} already has those values; nothing to change.");
                return Get(organisation.Id);
            }

            if (first && !host.ShouldProcess(before, "Change " + string.Join(", ", details.Keys)))
            {
                return null;
            }

            organisation.ModifiedAt = clock.UtcNow;
            register.UpdateOrganisation(organisation, new AuditEvent("Organisation.Update", "Organisation", organisation.Id, details));
            host.WriteVerbose($"Changed organisation {organisation.Name}: {string.Join(", ", details.Keys)}.");
            return Get(organisation.Id);
        });
    }

    private static void CheckSector(OrganisationSector? sector, object? target)
    {
        if (sector is { } value && !Enum.IsDefined(typeof(OrganisationSector), value))
        {
            throw new DataShareException("OrganisationSectorInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{value}' is not a sector. Use one of: {string.Join(", ", Enum.GetNames(typeof(OrganisationSector)))}.", target);
        }
    }

    private static void CheckText(string? address, string? officerName, object? target)
    {
        TextLimits.Check("Organisation", "Address", address?.Trim(), TextLimits.Address, target);
        TextLimits.Check("Organisation", "ProtectionOfficerName", officerName?.Trim(), TextLimits.Name, target);
    }

    /// <summary>Records a security assessment; null when the host declined.</summary>
    public SecurityAssessment? AddAssessment(AssessmentRequest request, IOperationHost host)
    {
        var reference = TextLimits.Check("Assessment", "Reference", (request.Reference ?? string.Empty).Trim(), TextLimits.Reference, request.Organisation)!;
        if (reference.Length == 0)
        {
            throw new DataShareException("AssessmentReferenceMissing", DataShareErrorCategory.InvalidArgument,
                "A security assessment needs the assessor's reference for the questionnaire or report (1 to 100 characters), e.g. ISQ-2026-014.", request.Reference);
        }

        if (!Enum.IsDefined(typeof(AssessmentOutcome), request.Outcome))
        {
            throw new DataShareException("AssessmentOutcomeInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{request.Outcome}' is not an assessment outcome. Use Passed or Failed.", request.Outcome.ToString());
        }

        var assessedOn = ShareCalendar.DateOf(request.AssessedOn);
        if (assessedOn > calendar.Today)
        {
            throw new DataShareException("AssessmentDateInvalid", DataShareErrorCategory.InvalidArgument,
                $"The assessment date {DateText.FormatDate(assessedOn)} is in the future. Record an assessment on or after the day it was made.", DateText.FormatDate(assessedOn));
        }

        var months = (int)policy.Number(PolicyCatalogue.SecurityAssessmentValidMonths);
        var validUntil = request.ValidUntil is { } given ? ShareCalendar.DateOf(given) : assessedOn.AddMonths(months);
        if (validUntil < assessedOn)
        {
            throw new DataShareException("AssessmentDatesInvalid", DataShareErrorCategory.InvalidArgument,
                $"ValidUntil {DateText.FormatDate(validUntil)} is before AssessedOn {DateText.FormatDate(assessedOn)}. ValidUntil is the last day the assessment counts; leave it out to use policy ({months} months).",
                DateText.FormatDate(validUntil));
        }

        var organisation = Resolve(request.Organisation);
        if (register.ListAssessments(organisation.Id).FirstOrDefault(a => string.Equals(a.Reference, reference, StringComparison.OrdinalIgnoreCase)) is { } duplicate)
        {
            throw new DataShareException("AssessmentExists", DataShareErrorCategory.ResourceExists,
                $"{organisation.Name} already has security assessment {duplicate.Reference} (assessed {DateText.FormatDate(duplicate.AssessedOn)}, {duplicate.Outcome}). Each assessment is recorded once.",
                reference);
        }

        var assessment = new SecurityAssessment
        {
            Id = Ids.NewAssessmentId(),
            OrganisationId = organisation.Id,
            Organisation = organisation.Name,
            AssessedOn = assessedOn,
            ValidUntil = validUntil,
            Outcome = request.Outcome,
            Reference = reference,
            RecordedAt = clock.UtcNow,
            RecordedBy = actor,
        };

        if (!host.ShouldProcess($"Organisation '{organisation.Name}' ({organisation.Id})",
            $"Record security assessment {reference}: {assessment.Outcome} on {DateText.FormatDate(assessedOn)}, current through {DateText.FormatDate(validUntil)}"))
        {
            return null;
        }

        register.InsertAssessment(assessment, new AuditEvent("Organisation.Assessment", "Organisation", organisation.Id, new Dictionary<string, string?>
        {
            ["AssessmentId"] = assessment.Id,
            ["Reference"] = assessment.Reference,
            ["AssessedOn"] = DateText.FormatDate(assessment.AssessedOn),
            ["ValidUntil"] = DateText.FormatDate(assessment.ValidUntil),
            ["Outcome"] = assessment.Outcome.ToString(),
        }));
        assessmentRecorded?.Invoke();
        host.WriteVerbose($"Recorded security assessment {reference} for {organisation.Name}: {assessment.Outcome}, current through {DateText.FormatDate(validUntil)}.");
        return assessment;
    }

    internal static DataShareException NotFound(string nameOrId) =>
        new("OrganisationNotFound", DataShareErrorCategory.ObjectNotFound,
            $"There is no organisation '{nameOrId}' in the register. Get-DataShareOrganisation lists them; New-DataShareOrganisation adds one.", nameOrId);

    private static DataShareOrganisation Describe(DataShareOrganisation organisation, DateTime day)
    {
        var verdict = OrganisationRules.Evaluate(organisation.Assessments, day);
        organisation.StatusAsOf = day;
        organisation.AssessmentStatus = verdict.State;
        organisation.AssessmentValidUntil = verdict.Deciding?.Outcome == AssessmentOutcome.Passed ? verdict.Deciding.ValidUntil : null;
        organisation.AssessmentReason = verdict.Reason;
        return organisation;
    }

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

    private static string? OfficerEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        if (!EmailAddress.IsValid(email))
        {
            throw new DataShareException("OrganisationEmailInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{email}' is not a valid email address for the data protection officer, e.g. dpo@example.ac.uk.", email);
        }

        return email!.Trim();
    }

}
