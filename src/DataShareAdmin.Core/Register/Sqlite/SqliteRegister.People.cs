using System.Collections.Generic;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>People and their places on agreements (recipients), read joined with the person.</summary>
public sealed partial class SqliteRegister
{
    // Written by a change and by Restore alike (a new person or recipient has no account, no removal, version 1).
    private const string InsertPersonSql = """
        INSERT INTO people (id, name, email, normalised_email, training_completed_on, created_at, version, directory_object_id)
        VALUES ($id, $name, $email, $normalised, $training, $created, $version, $object)
        """;

    private const string InsertRecipientSql = """
        INSERT INTO recipients (id, agreement_id, person_id, role, declaration_signed_on, added_at, added_by, removed_at, removed_reason, version)
        VALUES ($id, $agreement, $person, $role, $declaration, $added, $addedBy, $removed, $reason, $version)
        """;

    public DataSharePerson? FindPerson(string id) => First(Query("SELECT * FROM people WHERE id = $id", ReadPerson, ("$id", id)));

    public DataSharePerson? FindPersonByEmail(string normalisedEmail) =>
        First(Query("SELECT * FROM people WHERE normalised_email = $email", ReadPerson, ("$email", normalisedEmail)));

    public IEnumerable<DataSharePerson> ListPeople() => Query("SELECT * FROM people ORDER BY id", ReadPerson);

    private const string RecipientSelect = """
        SELECT r.*, p.name AS person_name, p.email AS person_email, p.training_completed_on AS person_training,
            p.directory_object_id AS person_directory_id
        FROM recipients r JOIN people p ON p.id = r.person_id
        """;

    public void SetPersonDirectoryId(string personId, string? objectId, AuditEvent audit) => Write(audit, transaction =>
    {
        if (Execute(transaction, "UPDATE people SET directory_object_id = $object, version = version + 1 WHERE id = $id", ("$id", personId), ("$object", objectId)) == 0)
        {
            throw new DataShareException("PersonNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no person '{personId}' in the register.", personId);
        }
    });

    public DataShareRecipient? FindRecipient(string id) => First(Query(RecipientSelect + " WHERE r.id = $id", ReadRecipient, ("$id", id)));

    public IEnumerable<DataShareRecipient> ListRecipients(string? agreementId, bool includeRemoved)
    {
        // Separate statements for one agreement and for all, so the agreement's index is used (see ListCertificates).
        var sql = RecipientSelect + (agreementId is null ? " WHERE 1 = 1" : " WHERE r.agreement_id = $agreement")
            + (includeRemoved ? string.Empty : " AND r.removed_at IS NULL")
            + " ORDER BY r.agreement_id, r.added_at, r.id";
        return agreementId is null ? Query(sql, ReadRecipient) : Query(sql, ReadRecipient, ("$agreement", agreementId));
    }

    /// <summary>By the unique index of active places (agreement, person).</summary>
    public DataShareRecipient? FindActiveRecipient(string agreementId, string personId) =>
        First(Query(RecipientSelect + " WHERE r.agreement_id = $agreement AND r.person_id = $person AND r.removed_at IS NULL", ReadRecipient,
            ("$agreement", agreementId), ("$person", personId)));

    public void InsertRecipient(DataShareRecipient recipient, DataSharePerson? newPerson, AuditEvent audit) => Write(audit, transaction =>
    {
        if (newPerson is not null)
        {
            newPerson.Version = 1;
            if (!TryExecute(transaction, InsertPersonSql, PersonParameters(newPerson)))
            {
                throw new RegisterConflictException($"A person with email '{newPerson.Email}' was added by another writer.");
            }
        }

        recipient.Version = 1;
        if (!TryExecute(transaction, InsertRecipientSql, RecipientParameters(recipient)))
        {
            throw new DataShareException("RecipientExists", DataShareErrorCategory.ResourceExists,
                $"{recipient.Email} is already a recipient on agreement '{recipient.AgreementId}'.", recipient.Email);
        }
    });

    public void UpdateRecipient(DataShareRecipient recipient, DataSharePerson? person, AuditEvent audit) => Write(audit, transaction =>
    {
        if (person is not null)
        {
            var changedPerson = Execute(transaction, """
                UPDATE people SET name = $name, training_completed_on = $training, version = version + 1
                WHERE id = $id AND version = $expected
                """,
                ("$id", person.Id), ("$name", person.Name), ("$training", DateText.FormatDate(person.TrainingCompletedOn)), ("$expected", person.Version));
            if (changedPerson == 0)
            {
                throw new RegisterConflictException($"Person '{person.Email}' was changed by another writer.");
            }
        }

        var changed = Execute(transaction, """
            UPDATE recipients SET role = $role, declaration_signed_on = $declaration, removed_at = $removed, removed_reason = $reason,
                version = version + 1
            WHERE id = $id AND version = $expected
            """,
            ("$id", recipient.Id), ("$role", recipient.Role), ("$declaration", DateText.FormatDate(recipient.DeclarationSignedOn)),
            ("$removed", recipient.RemovedAt is null ? null : DateText.FormatInstant(recipient.RemovedAt.Value)),
            ("$reason", recipient.RemovedReason), ("$expected", recipient.Version));
        if (changed == 0)
        {
            throw new RegisterConflictException($"Recipient '{recipient.Id}' was changed by another writer.");
        }

        recipient.Version++;
        if (person is not null)
        {
            person.Version++;
        }
    });

    private static DataSharePerson ReadPerson(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        Name = Text(r, "name")!,
        Email = Text(r, "email")!,
        NormalisedEmail = Text(r, "normalised_email")!,
        TrainingCompletedOn = DateText.ParseOptionalDate(Text(r, "training_completed_on")),
        DirectoryObjectId = Text(r, "directory_object_id"),
        CreatedAt = DateText.ParseInstant(Text(r, "created_at")!),
        Version = r.GetInt64(r.GetOrdinal("version")),
    };

    private static DataShareRecipient ReadRecipient(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        AgreementId = Text(r, "agreement_id")!,
        PersonId = Text(r, "person_id")!,
        Name = Text(r, "person_name")!,
        Email = Text(r, "person_email")!,
        Role = Text(r, "role"),
        DeclarationSignedOn = DateText.ParseOptionalDate(Text(r, "declaration_signed_on")),
        TrainingCompletedOn = DateText.ParseOptionalDate(Text(r, "person_training")),
        DirectoryObjectId = Text(r, "person_directory_id"),
        AddedAt = DateText.ParseInstant(Text(r, "added_at")!),
        AddedBy = Text(r, "added_by")!,
        RemovedAt = DateText.ParseOptionalInstant(Text(r, "removed_at")),
        RemovedReason = Text(r, "removed_reason"),
        Version = r.GetInt64(r.GetOrdinal("version")),
    };

    private static (string, object?)[] PersonParameters(DataSharePerson p) => new (string, object?)[]
    {
        ("$id", p.Id), ("$name", p.Name), ("$email", p.Email), ("$normalised", p.NormalisedEmail), ("$training", DateText.FormatDate(p.TrainingCompletedOn)),
        ("$created", DateText.FormatInstant(p.CreatedAt)), ("$version", p.Version), ("$object", p.DirectoryObjectId),
    };

    private static (string, object?)[] RecipientParameters(DataShareRecipient r) => new (string, object?)[]
    {
        ("$id", r.Id), ("$agreement", r.AgreementId), ("$person", r.PersonId), ("$role", r.Role), ("$declaration", DateText.FormatDate(r.DeclarationSignedOn)),
        ("$added", DateText.FormatInstant(r.AddedAt)), ("$addedBy", r.AddedBy), ("$removed", r.RemovedAt is null ? null : DateText.FormatInstant(r.RemovedAt.Value)),
        ("$reason", r.RemovedReason), ("$version", r.Version),
    };

    private void RestorePerson(SqliteTransaction transaction, DataSharePerson p) => Execute(transaction, InsertPersonSql, PersonParameters(p));

    private void RestoreRecipient(SqliteTransaction transaction, DataShareRecipient r) => Execute(transaction, InsertRecipientSql, RecipientParameters(r));
}
