using System;
using System.Collections.Generic;
using System.Linq;
using Azure.Data.Tables;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// Organisations (<c>org!ID</c>, found by name through <c>orgname!</c>) and their security assessments (<c>sa!ORG!day!…</c>,
/// one reference once per organisation through <c>saref!</c>).
/// </summary>
public sealed partial class TableRegister
{
    /// <summary>
    /// An organisation's current name for an agreement or assessment read: one point read per organisation while this
    /// register is open (one cmdlet), not one per record; listing every agreement reads them all in one range first. A
    /// rename through this register updates it; one by another writer shows from the next opening.
    /// </summary>
    private string? OrganisationName(string id)
    {
        if (organisationNames.TryGetValue(id, out var name))
        {
            return name;
        }

        name = FindOrganisation(id)?.Name;
        if (name is not null)
        {
            organisationNames[id] = name;
        }

        return name;
    }

    public DataShareOrganisation? FindOrganisation(string id) => Organisation(Get(Key("org", id)));

    public DataShareOrganisation? FindOrganisationByName(string name) =>
        Get(NameKey(name)) is { } pointer ? FindOrganisation(pointer.GetString("Id")) : null;

    public IEnumerable<DataShareOrganisation> ListOrganisations() =>
        Range(Prefix("org")).Select(e => Organisation(e)!).OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase).ThenBy(o => o.Id, StringComparer.Ordinal).ToList();

    public void InsertOrganisation(DataShareOrganisation organisation, AuditEvent audit) => Write(audit, _ =>
    {
        var stored = Plain(organisation);
        stored.Version = 1;
        var ops = new Ops();
        ops.Add(Row(Key("org", stored.Id), "Organisation", stored), () => OrganisationExists(organisation.Name));
        ops.Add(Pointer(NameKey(stored.Name), stored.Id), () => OrganisationExists(organisation.Name));
        return ops.Then(() => organisation.Version = 1);
    });

    public void UpdateOrganisation(DataShareOrganisation organisation, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Current(Key("org", organisation.Id), organisation.Version, $"Organisation '{organisation.Name}' was changed by another writer.");
        var before = Read<DataShareOrganisation>(current)!;
        var stored = Plain(organisation);
        stored.Version = organisation.Version + 1;
        var ops = new Ops();
        ops.Replace(Row(Key("org", stored.Id), "Organisation", stored), current.ETag, () => Conflict($"Organisation '{organisation.Name}' was changed by another writer."));
        if (!string.Equals(before.Name, stored.Name, StringComparison.OrdinalIgnoreCase))
        {
            ops.Delete(NameKey(before.Name));
            ops.Add(Pointer(NameKey(stored.Name), stored.Id), () => OrganisationExists(organisation.Name));
        }
        else if (!string.Equals(before.Name, stored.Name, StringComparison.Ordinal))
        {
            ops.Upsert(Pointer(NameKey(stored.Name), stored.Id));
        }

        return ops.Then(() =>
        {
            organisation.Version++;
            organisationNames[stored.Id] = stored.Name;
        });
    });

    public IEnumerable<SecurityAssessment> ListAssessments(string? organisationId)
    {
        foreach (var entity in Range(organisationId is null ? Prefix("sa") : Prefix("sa", organisationId)))
        {
            var assessment = Read<SecurityAssessment>(entity)!;
            assessment.Organisation = OrganisationName(assessment.OrganisationId) ?? assessment.Organisation;
            yield return assessment;
        }
    }

    public void InsertAssessment(SecurityAssessment assessment, AuditEvent audit) => Write(audit, _ =>
    {
        var ops = new Ops();
        DataShareException Exists() => new("AssessmentExists", DataShareErrorCategory.ResourceExists,
            $"{assessment.Organisation} already has a security assessment with reference '{assessment.Reference}'. Get-DataShareOrganisation shows its assessments.", assessment.Reference);
        ops.Add(Row(Key("sa", assessment.OrganisationId, Date(assessment.AssessedOn), Instant(assessment.RecordedAt), assessment.Id), "Assessment", assessment), Exists);
        ops.Add(Pointer(Key("saref", assessment.OrganisationId, assessment.Reference.ToLowerInvariant()), assessment.Id), Exists);
        return ops;
    });

    private DataShareOrganisation? Organisation(TableEntity? entity) => Read<DataShareOrganisation>(entity);

    private static DataShareOrganisation Plain(DataShareOrganisation o) => new()
    {
        Id = o.Id,
        Name = o.Name,
        Address = o.Address,
        ProtectionOfficerName = o.ProtectionOfficerName,
        ProtectionOfficerEmail = o.ProtectionOfficerEmail,
        Sector = o.Sector,
        CreatedAt = o.CreatedAt,
        CreatedBy = o.CreatedBy,
        ModifiedAt = o.ModifiedAt,
        Version = o.Version,
    };

    private static DataShareException OrganisationExists(string name) =>
        new("OrganisationExists", DataShareErrorCategory.ResourceExists,
            $"There is already an organisation named '{name}' in the register. Get-DataShareOrganisation -Name '{name}' shows it.", name);

    private IEnumerable<TableEntity> RestoreOrganisation(DataShareOrganisation o) => new[] { Row(Key("org", o.Id), "Organisation", Plain(o)), Pointer(NameKey(o.Name), o.Id) };

    private IEnumerable<TableEntity> RestoreAssessment(SecurityAssessment a) => new[]
    {
        Row(Key("sa", a.OrganisationId, Date(a.AssessedOn), Instant(a.RecordedAt), a.Id), "Assessment", a),
        Pointer(Key("saref", a.OrganisationId, a.Reference.ToLowerInvariant()), a.Id),
    };
}
