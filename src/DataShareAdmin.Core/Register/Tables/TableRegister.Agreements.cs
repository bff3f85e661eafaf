using System.Collections.Generic;
using System.Linq;
using Azure.Data.Tables;

namespace DataShareAdmin.Core.Register;

/// <summary>Agreements: row <c>ag!ID</c>, read with the current name of each agreement's organisation.</summary>
public sealed partial class TableRegister
{
    public DataShareAgreement? FindAgreement(string id) => Agreement(Get(Key("ag", Upper(id))));

    public IEnumerable<DataShareAgreement> ListAgreements()
    {
        // Organisations are few: their current names are read in one range, not once per agreement.
        foreach (var organisation in Range(Prefix("org")).Select(e => Read<DataShareOrganisation>(e)!))
        {
            organisationNames[organisation.Id] = organisation.Name;
        }

        foreach (var entity in Range(Prefix("ag")))
        {
            yield return Agreement(entity)!;
        }
    }

    public void InsertAgreement(DataShareAgreement agreement, AuditEvent audit) => Write(audit, _ =>
    {
        var stored = Copy(agreement);
        stored.Version = 1;
        var ops = new Ops();
        ops.Add(Row(Key("ag", Upper(stored.Id)), "Agreement", stored), () => new DataShareException("AgreementExists", DataShareErrorCategory.ResourceExists,
            $"An agreement with id '{agreement.Id}' already exists. Use Set-DataShareAgreement to change it.", agreement.Id));
        return ops.Then(() => agreement.Version = 1);
    });

    public void UpdateAgreement(DataShareAgreement agreement, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Current(Key("ag", Upper(agreement.Id)), agreement.Version, $"Agreement '{agreement.Id}' was changed by another writer.");
        var stored = Copy(agreement);
        stored.Version = agreement.Version + 1;
        var ops = new Ops();
        ops.Replace(Row(Key("ag", Upper(stored.Id)), "Agreement", stored), current.ETag, () => Conflict($"Agreement '{agreement.Id}' was changed by another writer."));
        return ops.Then(() => agreement.Version++);
    });

    private DataShareAgreement? Agreement(TableEntity? entity)
    {
        var agreement = Read<DataShareAgreement>(entity);
        if (agreement is { OrganisationId: { } organisationId } && OrganisationName(organisationId) is { } name)
        {
            agreement.Organisation = name;
        }

        if (agreement is not null)
        {
            agreement.Status = default;
            agreement.StatusAsOf = default;
            agreement.NextReviewDue = null;
            agreement.ReviewOverdue = false;
            agreement.OpenIncidents = 0;
        }

        return agreement;
    }

    private IEnumerable<TableEntity> RestoreAgreement(DataShareAgreement a) => new[] { Row(Key("ag", Upper(a.Id)), "Agreement", Copy(a)) };
}
