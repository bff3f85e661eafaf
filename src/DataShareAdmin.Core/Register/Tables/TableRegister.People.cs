using System.Collections.Generic;
using System.Linq;
using Azure.Data.Tables;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// People (<c>pe!ID</c>, found by email through <c>pemail!</c>) and recipients (<c>rc!ID</c>, and a full copy per agreement
/// under <c>rcag!</c>); each recipient row carries its person's name, email, training and account.
/// </summary>
public sealed partial class TableRegister
{
    public DataSharePerson? FindPerson(string id) => Read<DataSharePerson>(Get(Key("pe", id)));

    public DataSharePerson? FindPersonByEmail(string normalisedEmail) =>
        Get(LookupKey("pemail", normalisedEmail)) is { } pointer ? FindPerson(pointer.GetString("Id")) : null;

    public IEnumerable<DataSharePerson> ListPeople() => Range(Prefix("pe")).Select(e => Read<DataSharePerson>(e)!);

    public void SetPersonDirectoryId(string personId, string? objectId, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Get(Key("pe", personId)) ?? throw new DataShareException("PersonNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no person '{personId}' in the register.", personId);
        var person = Read<DataSharePerson>(current)!;
        person.DirectoryObjectId = objectId;
        person.Version++;
        var ops = new Ops();
        ops.Replace(Row(Key("pe", person.Id), "Person", person), current.ETag, () => Conflict($"Person '{person.Email}' was changed by another writer."));
        CopyPersonToPlaces(ops, person);
        return ops;
    });

    public DataShareRecipient? FindRecipient(string id) => Read<DataShareRecipient>(Get(Key("rc", id)));

    public IEnumerable<DataShareRecipient> ListRecipients(string? agreementId, bool includeRemoved)
    {
        foreach (var entity in Range(agreementId is null ? Prefix("rcag") : Prefix("rcag", Upper(agreementId))))
        {
            var recipient = Read<DataShareRecipient>(entity)!;
            if (includeRemoved || recipient.RemovedAt is null)
            {
                yield return recipient;
            }
        }
    }

    /// <summary>By the pointer of the person's active place on the agreement: one point read, then the recipient's own row.</summary>
    public DataShareRecipient? FindActiveRecipient(string agreementId, string personId) =>
        Get(Key("rcact", Upper(agreementId), personId)) is { } pointer ? FindRecipient(pointer.GetString("Id")) : null;

    public void InsertRecipient(DataShareRecipient recipient, DataSharePerson? newPerson, AuditEvent audit) => Write(audit, _ =>
    {
        var ops = new Ops();
        DataSharePerson person;
        if (newPerson is not null)
        {
            person = Copy(newPerson);
            person.Version = 1;
            ops.Add(Row(Key("pe", person.Id), "Person", person), () => Conflict($"A person with email '{newPerson.Email}' was added by another writer."));
            ops.Add(Pointer(LookupKey("pemail", person.NormalisedEmail), person.Id), () => Conflict($"A person with email '{newPerson.Email}' was added by another writer."));
        }
        else
        {
            person = FindPerson(recipient.PersonId) ?? throw Conflict($"Person '{recipient.PersonId}' is no longer in the register.");
        }

        var stored = WithPerson(Copy(recipient), person);
        stored.Version = 1;
        DataShareException Exists() => new("RecipientExists", DataShareErrorCategory.ResourceExists,
            $"{recipient.Email} is already a recipient on agreement '{recipient.AgreementId}'.", recipient.Email);
        ops.Add(Row(Key("rc", stored.Id), "Recipient", stored), Exists);
        ops.Add(Row(PlaceKey(stored), "Recipient", stored), Exists);
        ops.Add(Pointer(Key("rcpe", stored.PersonId, stored.Id), PlaceKey(stored)), Exists);
        ops.Add(Pointer(Key("rcact", Upper(stored.AgreementId), stored.PersonId), stored.Id), Exists);
        return ops.Then(() =>
        {
            recipient.Version = 1;
            if (newPerson is not null)
            {
                newPerson.Version = 1;
            }
        });
    });

    public void UpdateRecipient(DataShareRecipient recipient, DataSharePerson? person, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Current(Key("rc", recipient.Id), recipient.Version, $"Recipient '{recipient.Id}' was changed by another writer.");
        var before = Read<DataShareRecipient>(current)!;
        var ops = new Ops();
        DataSharePerson? storedPerson = null;
        if (person is not null)
        {
            var personRow = Current(Key("pe", person.Id), person.Version, $"Person '{person.Email}' was changed by another writer.");
            storedPerson = Read<DataSharePerson>(personRow)!;
            storedPerson.Name = person.Name;
            storedPerson.TrainingCompletedOn = person.TrainingCompletedOn;
            storedPerson.Version = person.Version + 1;
            ops.Replace(Row(Key("pe", person.Id), "Person", storedPerson), personRow.ETag, () => Conflict($"Person '{person.Email}' was changed by another writer."));
        }

        var stored = Copy(recipient);
        stored.Version = recipient.Version + 1;
        if (storedPerson is not null)
        {
            WithPerson(stored, storedPerson);
        }

        ops.Replace(Row(Key("rc", stored.Id), "Recipient", stored), current.ETag, () => Conflict($"Recipient '{recipient.Id}' was changed by another writer."));
        ops.Upsert(Row(PlaceKey(stored), "Recipient", stored));
        if (before.RemovedAt is null && stored.RemovedAt is not null)
        {
            ops.Delete(Key("rcact", Upper(stored.AgreementId), stored.PersonId));
        }

        if (storedPerson is not null)
        {
            CopyPersonToPlaces(ops, storedPerson, except: stored.Id);
        }

        return ops.Then(() =>
        {
            recipient.Version++;
            if (person is not null)
            {
                person.Version++;
            }
        });
    });

    /// <summary>Each recipient row carries its person's name, email, training and account: a person's change goes to all of them.</summary>
    private void CopyPersonToPlaces(Ops ops, DataSharePerson person, string? except = null)
    {
        foreach (var pointer in Range(Prefix("rcpe", person.Id)))
        {
            var placeKey = pointer.GetString("Id");
            if (Get(placeKey) is not { } place)
            {
                continue;
            }

            var recipient = WithPerson(Read<DataShareRecipient>(place)!, person);
            if (recipient.Id == except)
            {
                continue;
            }

            ops.Upsert(Row(placeKey, "Recipient", recipient));
            ops.Upsert(Row(Key("rc", recipient.Id), "Recipient", recipient));
        }
    }

    private static DataShareRecipient WithPerson(DataShareRecipient recipient, DataSharePerson person)
    {
        recipient.PersonId = person.Id;
        recipient.Name = person.Name;
        recipient.Email = person.Email;
        recipient.TrainingCompletedOn = person.TrainingCompletedOn;
        recipient.DirectoryObjectId = person.DirectoryObjectId;
        return recipient;
    }

    private static string PlaceKey(DataShareRecipient r) => Key("rcag", Upper(r.AgreementId), Instant(r.AddedAt), r.Id);

    private IEnumerable<TableEntity> RestorePerson(DataSharePerson p) => new[] { Row(Key("pe", p.Id), "Person", p), Pointer(LookupKey("pemail", p.NormalisedEmail), p.Id) };

    private IEnumerable<TableEntity> RestoreRecipient(DataShareRecipient r)
    {
        var rows = new List<TableEntity> { Row(Key("rc", r.Id), "Recipient", r), Row(PlaceKey(r), "Recipient", r), Pointer(Key("rcpe", r.PersonId, r.Id), PlaceKey(r)) };
        if (r.RemovedAt is null)
        {
            rows.Add(Pointer(Key("rcact", Upper(r.AgreementId), r.PersonId), r.Id));
        }

        return rows;
    }
}
