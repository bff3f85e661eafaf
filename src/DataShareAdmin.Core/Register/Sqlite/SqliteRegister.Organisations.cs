using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>Organisations and their security assessments.</summary>
public sealed partial class SqliteRegister
{
    private const string InsertOrganisationSql = """
        INSERT INTO organisations (id, name, address, dpo_name, dpo_email, created_at, created_by, modified_at, version, sector)
        VALUES ($id, $name, $address, $dpoName, $dpoEmail, $created, $createdBy, $modified, $version, $sector)
        """;

    private const string InsertAssessmentSql = """
        INSERT INTO security_assessments (id, organisation_id, assessed_on, valid_until, outcome, reference, recorded_at, recorded_by)
        VALUES ($id, $org, $assessed, $until, $outcome, $reference, $recorded, $recordedBy)
        """;

    public DataShareOrganisation? FindOrganisation(string id) =>
        First(Query("SELECT * FROM organisations WHERE id = $id", ReadOrganisation, ("$id", id)));

    public DataShareOrganisation? FindOrganisationByName(string name) =>
        First(Query("SELECT * FROM organisations WHERE name = $name", ReadOrganisation, ("$name", name)));

    public IEnumerable<DataShareOrganisation> ListOrganisations() => Query("SELECT * FROM organisations ORDER BY name, id", ReadOrganisation);

    public void InsertOrganisation(DataShareOrganisation organisation, AuditEvent audit) => Write(audit, transaction =>
    {
        organisation.Version = 1;
        if (!TryExecute(transaction, InsertOrganisationSql, Concat(OrganisationParameters(organisation), ("$version", organisation.Version))))
        {
            throw OrganisationExists(organisation.Name);
        }
    });

    public void UpdateOrganisation(DataShareOrganisation organisation, AuditEvent audit) => Write(audit, transaction =>
    {
        var parameters = new List<(string, object?)>(OrganisationParameters(organisation)) { ("$expected", organisation.Version) };
        int changed;
        try
        {
            changed = Execute(transaction, """
                UPDATE organisations SET name = $name, address = $address, dpo_name = $dpoName, dpo_email = $dpoEmail, sector = $sector,
                    modified_at = $modified, version = version + 1
                WHERE id = $id AND version = $expected
                """, parameters.ToArray());
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint && ex.SqliteExtendedErrorCode != 787)
        {
            throw OrganisationExists(organisation.Name);
        }

        if (changed == 0)
        {
            throw new RegisterConflictException($"Organisation '{organisation.Name}' was changed by another writer.");
        }

        // Keep the name each agreement carries in step (reads take the name from the organisation record).
        Execute(transaction, "UPDATE agreements SET organisation = $name WHERE organisation_id = $id", ("$name", organisation.Name), ("$id", organisation.Id));
        organisation.Version++;
    });

    private const string AssessmentSelect = "SELECT s.*, o.name AS organisation_name FROM security_assessments s JOIN organisations o ON o.id = s.organisation_id";

    // Two statements, as for certificates, so one organisation's lookup seeks its index.
    public IEnumerable<SecurityAssessment> ListAssessments(string? organisationId) => organisationId is null
        ? Query(AssessmentSelect + " ORDER BY s.organisation_id, s.assessed_on, s.recorded_at, s.id", ReadAssessment)
        : Query(AssessmentSelect + " WHERE s.organisation_id = $org ORDER BY s.assessed_on, s.recorded_at, s.id", ReadAssessment, ("$org", organisationId));

    public void InsertAssessment(SecurityAssessment assessment, AuditEvent audit) => Write(audit, transaction =>
    {
        if (!TryExecute(transaction, InsertAssessmentSql, AssessmentParameters(assessment)))
        {
            throw new DataShareException("AssessmentExists", DataShareErrorCategory.ResourceExists,
                $"{assessment.Organisation} already has a security assessment with reference '{assessment.Reference}'. Get-DataShareOrganisation shows its assessments.",
                assessment.Reference);
        }
    });

    private static (string, object?)[] AssessmentParameters(SecurityAssessment a) => new (string, object?)[]
    {
        ("$id", a.Id), ("$org", a.OrganisationId), ("$assessed", DateText.FormatDate(a.AssessedOn)), ("$until", DateText.FormatDate(a.ValidUntil)),
        ("$outcome", a.Outcome.ToString()), ("$reference", a.Reference), ("$recorded", DateText.FormatInstant(a.RecordedAt)), ("$recordedBy", a.RecordedBy),
    };

    private static DataShareException OrganisationExists(string name) =>
        new("OrganisationExists", DataShareErrorCategory.ResourceExists,
            $"There is already an organisation named '{name}' in the register. Get-DataShareOrganisation -Name '{name}' shows it.", name);

    private static (string, object?)[] OrganisationParameters(DataShareOrganisation o) => new (string, object?)[]
    {
        ("$id", o.Id), ("$name", o.Name), ("$address", o.Address), ("$dpoName", o.ProtectionOfficerName), ("$dpoEmail", o.ProtectionOfficerEmail),
        ("$created", DateText.FormatInstant(o.CreatedAt)), ("$createdBy", o.CreatedBy), ("$modified", DateText.FormatInstant(o.ModifiedAt)),
        ("$sector", o.Sector?.ToString()),
    };

    private static DataShareOrganisation ReadOrganisation(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        Name = Text(r, "name")!,
        Address = Text(r, "address"),
        ProtectionOfficerName = Text(r, "dpo_name"),
        ProtectionOfficerEmail = Text(r, "dpo_email"),
        Sector = Text(r, "sector") is { } sector ? (OrganisationSector)Enum.Parse(typeof(OrganisationSector), sector) : null,
        CreatedAt = DateText.ParseInstant(Text(r, "created_at")!),
        CreatedBy = Text(r, "created_by")!,
        ModifiedAt = DateText.ParseInstant(Text(r, "modified_at")!),
        Version = r.GetInt64(r.GetOrdinal("version")),
    };

    private static SecurityAssessment ReadAssessment(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        OrganisationId = Text(r, "organisation_id")!,
        Organisation = Text(r, "organisation_name")!,
        AssessedOn = DateText.ParseDate(Text(r, "assessed_on")!),
        ValidUntil = DateText.ParseDate(Text(r, "valid_until")!),
        Outcome = (AssessmentOutcome)Enum.Parse(typeof(AssessmentOutcome), Text(r, "outcome")!),
        Reference = Text(r, "reference")!,
        RecordedAt = DateText.ParseInstant(Text(r, "recorded_at")!),
        RecordedBy = Text(r, "recorded_by")!,
    };

    private void RestoreOrganisation(SqliteTransaction transaction, DataShareOrganisation o) =>
        Execute(transaction, InsertOrganisationSql, Concat(OrganisationParameters(o), ("$version", o.Version)));

    private void RestoreAssessment(SqliteTransaction transaction, SecurityAssessment a) => Execute(transaction, InsertAssessmentSql, AssessmentParameters(a));
}
