using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Agreements;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>The schema step for variations and versions of the terms.</summary>
internal static partial class SqliteSchema
{
    /// <summary>
    /// Variations (Request-/Approve-DataShareVariation) and the numbered versions of each approved agreement's terms,
    /// stored as JSON (the same text in every backend); a suspension's day and reason. Every agreement approved before
    /// becomes version 1 of its terms, approved by its own reference (see <see cref="TermsFromApprovals"/>).
    /// </summary>
    private const string TermsVersionsSql = """
        CREATE TABLE terms_versions (
            agreement_id       TEXT NOT NULL COLLATE NOCASE REFERENCES agreements (id),
            number             INTEGER NOT NULL,
            terms              TEXT NOT NULL,
            approval_reference TEXT NOT NULL,
            approved_on        TEXT NOT NULL,
            approved_by        TEXT NOT NULL,
            effective_from     TEXT NOT NULL,
            variation_id       TEXT NULL,
            recorded_at        TEXT NOT NULL,
            recorded_by        TEXT NOT NULL,
            PRIMARY KEY (agreement_id, number)
        );
        CREATE TABLE variations (
            id               TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            agreement_id     TEXT NOT NULL COLLATE NOCASE REFERENCES agreements (id),
            kind             TEXT NOT NULL,
            state            TEXT NOT NULL,
            reason           TEXT NOT NULL,
            changes          TEXT NOT NULL,
            terms            TEXT NOT NULL,
            based_on_version INTEGER NOT NULL,
            requested_at     TEXT NOT NULL,
            requested_by     TEXT NOT NULL,
            decided_on       TEXT NULL,
            decided_by       TEXT NULL,
            decided_at       TEXT NULL,
            reference        TEXT NULL,
            decision_reason  TEXT NULL,
            terms_version    INTEGER NULL,
            version          INTEGER NOT NULL
        );
        CREATE INDEX ix_variations_agreement ON variations (agreement_id, requested_at);
        ALTER TABLE agreements ADD COLUMN suspended_on TEXT NULL;
        ALTER TABLE agreements ADD COLUMN suspension_reason TEXT NULL;
        """;

    /// <summary>
    /// Each agreement approved before versions were kept becomes version 1 of its terms (as they are now), approved by
    /// its own reference, on its own day, by the account that recorded it; audited, so the history says the upgrade made it.
    /// </summary>
    private static void TermsFromApprovals(SqliteConnection connection, SqliteTransaction transaction, Action<AuditEvent> audit)
    {
        var found = new List<(string Id, AgreementTerms Terms, string Reference, string ApprovedOn, string ApprovedBy, string ModifiedAt)>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                SELECT a.id, COALESCE(o.name, a.organisation), a.organisation_id, a.purpose, a.legal_gateway, a.lawful_basis, a.access_route,
                    a.direct_transfer_justification, a.starts_on, a.ends_on, a.retention_days, a.data_items, a.approval_reference, a.approved_on,
                    a.approved_by, a.modified_at
                FROM agreements a LEFT JOIN organisations o ON o.id = a.organisation_id
                WHERE a.approved_on IS NOT NULL ORDER BY a.id
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                string? Optional(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                var terms = new AgreementTerms
                {
                    Organisation = reader.GetString(1),
                    OrganisationId = Optional(2),
                    Purpose = reader.GetString(3),
                    LegalGateway = reader.GetString(4),
                    LawfulBasis = reader.GetString(5),
                    AccessRoute = (AccessRoute)Enum.Parse(typeof(AccessRoute), reader.GetString(6)),
                    DirectTransferJustification = Optional(7),
                    StartsOn = Time.DateText.ParseDate(reader.GetString(8)),
                    EndsOn = Time.DateText.ParseDate(reader.GetString(9)),
                    RetentionDays = reader.GetInt32(10),
                    DataItems = DataItemJson.Read(reader.GetString(11)),
                };
                found.Add((reader.GetString(0), terms, Optional(12) ?? "(none recorded)", reader.GetString(13), Optional(14) ?? "(unknown)", reader.GetString(15)));
            }
        }

        foreach (var (id, terms, reference, approvedOn, approvedBy, modifiedAt) in found)
        {
            Execute(connection, transaction, """
                INSERT INTO terms_versions (agreement_id, number, terms, approval_reference, approved_on, approved_by, effective_from, variation_id, recorded_at, recorded_by)
                VALUES ($id, 1, $terms, $reference, $on, $by, $on, NULL, $at, $by)
                """, ("$id", id), ("$terms", TermsJson.Write(terms)), ("$reference", reference), ("$on", approvedOn), ("$by", approvedBy), ("$at", modifiedAt));
            audit(new AuditEvent("Agreement.TermsVersion", "Agreement", id, new Dictionary<string, string?>
            {
                ["Number"] = "1",
                ["ApprovalReference"] = reference,
                ["Source"] = "Register upgrade: the terms approved by the agreement's own reference became version 1 of its terms.",
            }));
        }
    }
}
