using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// The SQLite register's schema and its forward migrations. The version lives in <c>PRAGMA user_version</c>;
/// <c>application_id</c> marks the file as a DataShareAdmin register. Each migration runs once, in order, inside
/// the same write transaction that records the new version, so a crash leaves the old schema intact.
/// </summary>
internal static partial class SqliteSchema
{
    /// <summary>"DSA1" — a file with another application id is not a register.</summary>
    public const int ApplicationId = 0x44534131;

    public static readonly IReadOnlyList<string> Migrations = new[]
    {
        // Version 1: agreements, people, recipients, audit log and its head.
        """
        CREATE TABLE agreements (
            id                 TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            organisation       TEXT NOT NULL,
            title              TEXT NOT NULL,
            purpose            TEXT NOT NULL,
            legal_gateway      TEXT NOT NULL,
            lawful_basis       TEXT NOT NULL,
            access_route       TEXT NOT NULL,
            starts_on          TEXT NOT NULL,
            ends_on            TEXT NOT NULL,
            retention_days     INTEGER NOT NULL,
            data_items         TEXT NOT NULL,
            approval_reference TEXT NULL,
            approved_on        TEXT NULL,
            approved_by        TEXT NULL,
            is_suspended       INTEGER NOT NULL DEFAULT 0,
            destroyed_on       TEXT NULL,
            created_at         TEXT NOT NULL,
            created_by         TEXT NOT NULL,
            modified_at        TEXT NOT NULL,
            version            INTEGER NOT NULL
        );
        CREATE TABLE people (
            id                    TEXT NOT NULL PRIMARY KEY,
            name                  TEXT NOT NULL,
            email                 TEXT NOT NULL,
            normalised_email      TEXT NOT NULL UNIQUE,
            training_completed_on TEXT NULL,
            created_at            TEXT NOT NULL,
            version               INTEGER NOT NULL
        );
        CREATE TABLE recipients (
            id                    TEXT NOT NULL PRIMARY KEY,
            agreement_id          TEXT NOT NULL COLLATE NOCASE REFERENCES agreements (id),
            person_id             TEXT NOT NULL REFERENCES people (id),
            role                  TEXT NULL,
            declaration_signed_on TEXT NULL,
            added_at              TEXT NOT NULL,
            added_by              TEXT NOT NULL,
            removed_at            TEXT NULL,
            removed_reason        TEXT NULL,
            version               INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX ux_recipients_active ON recipients (agreement_id, person_id) WHERE removed_at IS NULL;
        CREATE INDEX ix_recipients_person ON recipients (person_id);
        CREATE TABLE audit_log (
            sequence      INTEGER NOT NULL PRIMARY KEY,
            timestamp     TEXT NOT NULL,
            actor         TEXT NOT NULL,
            machine       TEXT NOT NULL,
            action        TEXT NOT NULL,
            target_type   TEXT NOT NULL,
            target_id     TEXT NOT NULL,
            details       TEXT NOT NULL,
            previous_hash TEXT NOT NULL,
            hash          TEXT NOT NULL
        );
        CREATE TABLE audit_head (
            id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
            sequence INTEGER NOT NULL,
            hash     TEXT NOT NULL
        );
        """,

        // Version 2: safe people. Policy settings shared by every administrator, and disclosure certificates
        // (metadata only; the same issuer and number is the same certificate).
        """
        CREATE TABLE policy (
            name        TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            value       TEXT NOT NULL,
            modified_at TEXT NOT NULL,
            modified_by TEXT NOT NULL
        );
        CREATE TABLE certificates (
            id                TEXT NOT NULL PRIMARY KEY,
            person_id         TEXT NOT NULL REFERENCES people (id),
            issuer            TEXT NOT NULL,
            level             TEXT NOT NULL,
            number            TEXT NOT NULL,
            issued_on         TEXT NOT NULL,
            holder_name       TEXT NULL,
            date_of_birth     TEXT NULL,
            seen_original_by  TEXT NOT NULL,
            seen_original_on  TEXT NOT NULL,
            added_at          TEXT NOT NULL,
            added_by          TEXT NOT NULL,
            online_status     TEXT NULL,
            online_checked_at TEXT NULL,
            version           INTEGER NOT NULL,
            UNIQUE (issuer, number)
        );
        CREATE INDEX ix_certificates_person ON certificates (person_id, issued_on);
        """,

        // Version 3: transfers and the holdings they create. A holding is identified by what it is (account,
        // container, prefix or folder), stored apart, so the retention sweep never matches one by how names look.
        """
        CREATE TABLE holdings (
            id            TEXT NOT NULL PRIMARY KEY,
            agreement_id  TEXT NOT NULL COLLATE NOCASE REFERENCES agreements (id),
            kind          TEXT NOT NULL,
            location      TEXT NOT NULL,
            account       TEXT NULL,
            container     TEXT NULL,
            prefix        TEXT NULL,
            transfer_id   TEXT NULL,
            due_on        TEXT NOT NULL,
            registered_at TEXT NOT NULL,
            registered_by TEXT NOT NULL,
            version       INTEGER NOT NULL
        );
        CREATE INDEX ix_holdings_agreement ON holdings (agreement_id, due_on);
        CREATE INDEX ix_holdings_due ON holdings (due_on);
        CREATE TABLE transfers (
            id               TEXT NOT NULL PRIMARY KEY,
            agreement_id     TEXT NOT NULL COLLATE NOCASE REFERENCES agreements (id),
            holding_id       TEXT NOT NULL REFERENCES holdings (id),
            account          TEXT NOT NULL,
            blob_endpoint    TEXT NOT NULL,
            container        TEXT NOT NULL,
            files            TEXT NOT NULL,
            total_bytes      INTEGER NOT NULL,
            recipients       TEXT NOT NULL,
            link_kind        TEXT NOT NULL,
            access_policy_id TEXT NULL,
            allowed_ip_range TEXT NULL,
            starts_on        TEXT NOT NULL,
            expires_on       TEXT NOT NULL,
            issued_at        TEXT NOT NULL,
            issued_by        TEXT NOT NULL,
            from_transfer_id TEXT NULL,
            revoked_at       TEXT NULL,
            revoked_by       TEXT NULL,
            version          INTEGER NOT NULL
        );
        CREATE INDEX ix_transfers_agreement ON transfers (agreement_id, issued_at);
        CREATE INDEX ix_transfers_holding ON transfers (holding_id);
        """,

        // Version 4: retention. A holding's state (verified destroyed or not), destruction records, and the recipient
        // organisations' own confirmations. The identity column is what overlap checks compare: account, container
        // and prefix (or a folder), each ending in '/', so 'share-12/' is never taken for a part of 'share-123/'.
        """
        ALTER TABLE holdings ADD COLUMN state TEXT NOT NULL DEFAULT 'Held';
        ALTER TABLE holdings ADD COLUMN destroyed_at TEXT NULL;
        ALTER TABLE holdings ADD COLUMN identity TEXT NULL;
        UPDATE holdings SET identity = 'blob:' || lower(account) || '/' || container || '/' WHERE kind = 'BlobContainer';
        CREATE INDEX ix_holdings_state ON holdings (state, due_on);
        CREATE INDEX ix_holdings_identity ON holdings (identity);
        CREATE TABLE destructions (
            id                TEXT NOT NULL PRIMARY KEY,
            holding_id        TEXT NOT NULL REFERENCES holdings (id),
            agreement_id      TEXT NOT NULL COLLATE NOCASE,
            location          TEXT NOT NULL,
            outcome           TEXT NOT NULL,
            reason            TEXT NULL,
            objects_deleted   INTEGER NOT NULL,
            bytes_deleted     INTEGER NOT NULL,
            objects_remaining INTEGER NOT NULL,
            verified          INTEGER NOT NULL,
            soft_delete       TEXT NOT NULL,
            recoverable_until TEXT NULL,
            started_at        TEXT NOT NULL,
            finished_at       TEXT NOT NULL,
            operator          TEXT NOT NULL,
            machine           TEXT NOT NULL,
            as_of             TEXT NOT NULL
        );
        CREATE INDEX ix_destructions_agreement ON destructions (agreement_id, finished_at);
        CREATE INDEX ix_destructions_holding ON destructions (holding_id, finished_at);
        CREATE TABLE confirmations (
            agreement_id TEXT NOT NULL PRIMARY KEY COLLATE NOCASE REFERENCES agreements (id),
            confirmed_by TEXT NOT NULL,
            confirmed_on TEXT NOT NULL,
            evidence     TEXT NULL,
            recorded_at  TEXT NOT NULL,
            recorded_by  TEXT NOT NULL
        );
        """,

        // Version 5: recipient organisations as records of their own, their security assessments, and why an
        // agreement sends data directly. Agreements point at an organisation; the old name column stays, written
        // with the organisation's name, so nothing that read it is lost. See OrganisationsFromAgreements.
        """
        CREATE TABLE organisations (
            id          TEXT NOT NULL PRIMARY KEY,
            name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
            address     TEXT NULL,
            dpo_name    TEXT NULL,
            dpo_email   TEXT NULL,
            created_at  TEXT NOT NULL,
            created_by  TEXT NOT NULL,
            modified_at TEXT NOT NULL,
            version     INTEGER NOT NULL
        );
        CREATE TABLE security_assessments (
            id              TEXT NOT NULL PRIMARY KEY,
            organisation_id TEXT NOT NULL REFERENCES organisations (id),
            assessed_on     TEXT NOT NULL,
            valid_until     TEXT NOT NULL,
            outcome         TEXT NOT NULL,
            reference       TEXT NOT NULL COLLATE NOCASE,
            recorded_at     TEXT NOT NULL,
            recorded_by     TEXT NOT NULL,
            UNIQUE (organisation_id, reference)
        );
        CREATE INDEX ix_assessments_organisation ON security_assessments (organisation_id, assessed_on);
        ALTER TABLE agreements ADD COLUMN organisation_id TEXT NULL REFERENCES organisations (id);
        ALTER TABLE agreements ADD COLUMN direct_transfer_justification TEXT NULL;
        CREATE INDEX ix_agreements_organisation ON agreements (organisation_id);
        """,

        // Version 6: the directory. A person's account (object id), an agreement's access groups and responsible
        // officer, and the access a sweep removed.
        """
        ALTER TABLE people ADD COLUMN directory_object_id TEXT NULL;
        ALTER TABLE agreements ADD COLUMN access_group_ids TEXT NULL;
        ALTER TABLE agreements ADD COLUMN officer_name TEXT NULL;
        ALTER TABLE agreements ADD COLUMN officer_email TEXT NULL;
        ALTER TABLE destructions ADD COLUMN access_removed TEXT NULL;
        """,

        // Version 7: no untracked copies. A transfer is recorded (Incomplete, with its holding Pending) before its
        // container exists, and becomes Issued only when every file is uploaded and checked; transfers already in the
        // register were all complete. A holding's state column takes 'Pending' as it is (no change needed there), but a
        // release that knows only 'Held' and 'Destroyed' must not open the file: the version says so.
        """
        ALTER TABLE transfers ADD COLUMN state TEXT NOT NULL DEFAULT 'Issued';
        """,

        // Version 8: safe outputs. A release of checked output files under an agreement, its files as checked (with
        // every cell, what differencing against it reads) and the exceptions its requester justified.
        """
        CREATE TABLE output_releases (
            id             TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            agreement_id   TEXT NOT NULL COLLATE NOCASE REFERENCES agreements (id),
            state          TEXT NOT NULL,
            purpose        TEXT NULL,
            rules          TEXT NOT NULL,
            verdict        TEXT NOT NULL,
            requested_by   TEXT NOT NULL,
            requested_at   TEXT NOT NULL,
            approved_by    TEXT NULL,
            approved_at    TEXT NULL,
            revoked_by     TEXT NULL,
            revoked_at     TEXT NULL,
            revoked_reason TEXT NULL,
            version        INTEGER NOT NULL
        );
        CREATE INDEX ix_output_releases_agreement ON output_releases (agreement_id, requested_at);
        CREATE TABLE output_release_files (
            release_id TEXT NOT NULL COLLATE NOCASE REFERENCES output_releases (id),
            position   INTEGER NOT NULL,
            name       TEXT NOT NULL,
            sha256     TEXT NOT NULL,
            size       INTEGER NOT NULL,
            kind       TEXT NOT NULL,
            dimensions TEXT NOT NULL,
            cells      INTEGER NOT NULL,
            failed     INTEGER NOT NULL,
            review     INTEGER NOT NULL,
            suppressed INTEGER NOT NULL,
            verdict    TEXT NOT NULL,
            PRIMARY KEY (release_id, position)
        );
        CREATE TABLE output_release_exceptions (
            release_id    TEXT NOT NULL COLLATE NOCASE REFERENCES output_releases (id),
            position      INTEGER NOT NULL,
            file          TEXT NOT NULL,
            cell          TEXT NOT NULL,
            rules         TEXT NOT NULL,
            justification TEXT NOT NULL,
            written_by    TEXT NOT NULL,
            written_at    TEXT NOT NULL,
            PRIMARY KEY (release_id, position)
        );
        CREATE TABLE output_release_cells (
            release_id TEXT NOT NULL COLLATE NOCASE REFERENCES output_releases (id),
            file       INTEGER NOT NULL,
            position   INTEGER NOT NULL,
            categories TEXT NOT NULL,
            count      INTEGER NULL,
            PRIMARY KEY (release_id, file, position)
        ) WITHOUT ROWID;
        """,

        // Version 9: the public register. An agreement's category (every earlier agreement was a panel-approved share, so
        // it reads as DsapResearch), its other public fields as one JSON object, a refusal or withdrawal with its public
        // reason, and an organisation's sector. The upgrade's audit entry says so (see CategoriesFromUpgrade).
        """
        ALTER TABLE agreements ADD COLUMN category TEXT NOT NULL DEFAULT 'DsapResearch';
        ALTER TABLE agreements ADD COLUMN publication TEXT NULL;
        ALTER TABLE agreements ADD COLUMN refused_on TEXT NULL;
        ALTER TABLE agreements ADD COLUMN withdrawn_on TEXT NULL;
        ALTER TABLE agreements ADD COLUMN closure_reason TEXT NULL;
        ALTER TABLE organisations ADD COLUMN sector TEXT NULL;
        """,

        // Version 10: what was checked of a holding's location when it was registered (Found, Missing, NotChecked);
        // holdings registered before read as Unknown. A withdrawn holding's state is 'Withdrawn' (text, no change).
        """
        ALTER TABLE holdings ADD COLUMN location_check TEXT NOT NULL DEFAULT 'Unknown';
        """,

        // Version 11: overlap checks by index. Only held and pending holdings are indexed by identity (a destroyed one
        // never overlaps), and every row's identity is written again in code (a folder's upper-cased; holdings from
        // before version 4 had none but whole containers'), so a registration reads its neighbours, not the register.
        """
        DROP INDEX IF EXISTS ix_holdings_identity;
        CREATE INDEX ix_holdings_held_identity ON holdings (identity) WHERE state IN ('Held', 'Pending');
        """,

        // Version 12: a hold past the due day (Add-DataShareRetentionHold), as fields of the holding; none before.
        """
        ALTER TABLE holdings ADD COLUMN hold_until TEXT NULL;
        ALTER TABLE holdings ADD COLUMN hold_reason TEXT NULL;
        ALTER TABLE holdings ADD COLUMN hold_approved_by TEXT NULL;
        ALTER TABLE holdings ADD COLUMN hold_legal INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE holdings ADD COLUMN hold_review_on TEXT NULL;
        """,

        // Version 13: DPIAs (each revision kept), periodic reviews, and what made a review due early (issue 21); an agreement's own
        // review interval. Existing agreements have none of these: their first review falls due from their approval.
        """
        ALTER TABLE agreements ADD COLUMN review_interval_months INTEGER NULL;
        CREATE TABLE dpias (
            id             TEXT NOT NULL PRIMARY KEY,
            agreement_id   TEXT NOT NULL COLLATE NOCASE REFERENCES agreements (id),
            revision       INTEGER NOT NULL,
            reference      TEXT NOT NULL,
            signed_off_on  TEXT NOT NULL,
            signed_off_by  TEXT NOT NULL,
            residual_risk  TEXT NOT NULL,
            mitigations    TEXT NOT NULL,
            public_summary TEXT NULL,
            recorded_at    TEXT NOT NULL,
            recorded_by    TEXT NOT NULL,
            UNIQUE (agreement_id, revision)
        );
        CREATE TABLE reviews (
            id              TEXT NOT NULL PRIMARY KEY,
            agreement_id    TEXT NOT NULL COLLATE NOCASE REFERENCES agreements (id),
            reviewed_on     TEXT NOT NULL,
            reviewer        TEXT NOT NULL,
            outcome         TEXT NOT NULL,
            notes           TEXT NULL,
            next_review_due TEXT NOT NULL,
            recorded_at     TEXT NOT NULL,
            recorded_by     TEXT NOT NULL
        );
        CREATE INDEX ix_reviews_agreement ON reviews (agreement_id, reviewed_on);
        CREATE TABLE review_triggers (
            id           TEXT NOT NULL PRIMARY KEY,
            agreement_id TEXT NOT NULL COLLATE NOCASE REFERENCES agreements (id),
            reason       TEXT NOT NULL,
            source_kind  TEXT NOT NULL,
            source_id    TEXT NULL,
            due_on       TEXT NOT NULL,
            recorded_at  TEXT NOT NULL,
            recorded_by  TEXT NOT NULL
        );
        CREATE INDEX ix_review_triggers_agreement ON review_triggers (agreement_id, due_on);
        """,

        // Version 14: incidents (New-DataShareIncident): a breach, complaint or near miss under an agreement, with the ICO's 72 hours
        // judged from discovered_at; instants in UTC as everywhere else. None before. "IF NOT EXISTS": a register taken
        // back to an earlier version by hand (as the upgrade tests do) keeps its table, and the step still runs.
        """
        CREATE TABLE IF NOT EXISTS incidents (
            id                  TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            agreement_id        TEXT NOT NULL COLLATE NOCASE REFERENCES agreements (id),
            kind                TEXT NOT NULL,
            occurred_at         TEXT NULL,
            discovered_at       TEXT NOT NULL,
            summary             TEXT NOT NULL,
            severity            TEXT NOT NULL,
            is_reportable       INTEGER NOT NULL,
            ico_notified_at     TEXT NULL,
            ico_reference       TEXT NULL,
            actions             TEXT NULL,
            closed_on           TEXT NULL,
            suspended_agreement INTEGER NOT NULL,
            recorded_by         TEXT NOT NULL,
            recorded_at         TEXT NOT NULL,
            modified_at         TEXT NOT NULL,
            version             INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_incidents_agreement ON incidents (agreement_id, discovered_at);
        """,

        // Version 15: terms versions and variations (SqliteSchema.Terms.cs).
        TermsVersionsSql,

        // Version 16 (issue 21, the panel's decision): the decision recorded with an approval or refusal (JSON; none
        // for agreements decided before), the account that placed a hold, and the legal gateway catalogue, seeded with
        // the gateways the department publishes (see SeedLegalGateways).
        """
        ALTER TABLE agreements ADD COLUMN decision TEXT NULL;
        ALTER TABLE holdings ADD COLUMN hold_placed_by TEXT NULL;
        CREATE TABLE legal_gateways (
            name            TEXT NOT NULL,
            normalised_name TEXT NOT NULL PRIMARY KEY,
            is_seeded       INTEGER NOT NULL DEFAULT 0,
            is_retired      INTEGER NOT NULL DEFAULT 0,
            retired_reason  TEXT NULL,
            added_at        TEXT NOT NULL,
            added_by        TEXT NOT NULL,
            modified_at     TEXT NOT NULL,
            version         INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    };

    /// <summary>
    /// Steps in code that run after a version's SQL, inside the same transaction: (version reached, step). Each is
    /// given a way to append to the audit log, so what a migration creates is audited like any other change.
    /// </summary>
    private static readonly IReadOnlyDictionary<int, Action<SqliteConnection, SqliteTransaction, Action<AuditEvent>>> DataSteps =
        new Dictionary<int, Action<SqliteConnection, SqliteTransaction, Action<AuditEvent>>>
        {
            [5] = OrganisationsFromAgreements,
            [9] = CategoriesFromUpgrade,
            [11] = HoldingIdentities,

            // Found by its text, not a number, so the step follows its migration wherever it is in the list.
            [IndexOf(TermsVersionsSql) + 1] = TermsFromApprovals,
            [16] = SeedLegalGateways,
        };

    private static int IndexOf(string migration)
    {
        for (var i = 0; i < Migrations.Count; i++)
        {
            if (ReferenceEquals(Migrations[i], migration))
            {
                return i;
            }
        }

        throw new InvalidOperationException("The migration is not in the list.");
    }

    public static int CurrentVersion => Migrations.Count;

    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction = null) =>
        Convert.ToInt32(Scalar(connection, transaction, "PRAGMA user_version"), System.Globalization.CultureInfo.InvariantCulture);

    public static int ReadApplicationId(SqliteConnection connection) =>
        Convert.ToInt32(Scalar(connection, null, "PRAGMA application_id"), System.Globalization.CultureInfo.InvariantCulture);

    public static long CountUserTables(SqliteConnection connection) =>
        Convert.ToInt64(Scalar(connection, null, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Brings the file to the current version in one transaction. <paramref name="audit"/> appends an audit entry in
    /// that transaction (for records a migration creates).
    /// </summary>
    public static void Migrate(SqliteConnection connection, Action<SqliteTransaction, AuditEvent> audit)
    {
        using var transaction = connection.BeginTransaction();

        // Another process may have migrated while we waited for the write lock.
        var version = ReadVersion(connection, transaction);
        for (var next = version; next < Migrations.Count; next++)
        {
            Execute(connection, transaction, Migrations[next]);
            if (DataSteps.TryGetValue(next + 1, out var step))
            {
                step(connection, transaction, e => audit(transaction, e));
            }
        }

        if (version < Migrations.Count)
        {
            Execute(connection, transaction, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {Migrations.Count};");
        }

        transaction.Commit();
    }

    /// <summary>
    /// Version 5: each distinct organisation name on the agreements (ignoring case and surrounding spaces) becomes an
    /// organisation record, named as the earliest agreement spelt it, and every agreement points at its record.
    /// </summary>
    private static void OrganisationsFromAgreements(SqliteConnection connection, SqliteTransaction transaction, Action<AuditEvent> audit)
    {
        var names = new List<(string Name, string CreatedAt, string CreatedBy, List<string> Agreements)>();
        var byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT id, organisation, created_at, created_by FROM agreements ORDER BY created_at, id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(1).Trim();
                if (!byName.TryGetValue(name, out var index))
                {
                    index = names.Count;
                    byName[name] = index;
                    names.Add((name, reader.GetString(2), reader.GetString(3), new List<string>()));
                }

                names[index].Agreements.Add(reader.GetString(0));
            }
        }

        foreach (var (name, createdAt, createdBy, agreements) in names)
        {
            var id = Ids.NewOrganisationId();
            Execute(connection, transaction, """
                INSERT INTO organisations (id, name, address, dpo_name, dpo_email, created_at, created_by, modified_at, version)
                VALUES ($id, $name, NULL, NULL, NULL, $created, $by, $created, 1)
                """, ("$id", id), ("$name", name), ("$created", createdAt), ("$by", createdBy));
            foreach (var agreement in agreements)
            {
                Execute(connection, transaction, "UPDATE agreements SET organisation_id = $org, organisation = $name WHERE id = $id",
                    ("$org", id), ("$name", name), ("$id", agreement));
            }

            audit(new AuditEvent("Organisation.Create", "Organisation", id, new Dictionary<string, string?>
            {
                ["Name"] = name,
                ["Source"] = "Register upgrade to schema 5: the organisation named by agreements " + string.Join(", ", agreements),
            }));
        }
    }

    /// <summary>
    /// Version 9: each agreement already in the register gets an audit entry saying its category was set to
    /// DsapResearch by the upgrade, not by an officer, so the public register's grouping can be checked and corrected.
    /// </summary>
    private static void CategoriesFromUpgrade(SqliteConnection connection, SqliteTransaction transaction, Action<AuditEvent> audit)
    {
        var ids = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT id FROM agreements ORDER BY id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }
        }

        foreach (var id in ids)
        {
            audit(new AuditEvent("Agreement.Upgrade", "Agreement", id, new Dictionary<string, string?>
            {
                ["Category"] = "DsapResearch",
                ["Source"] = "Register upgrade to schema 9: agreements recorded before categories read as DsapResearch (a panel-approved share). Correct it with Set-DataShareAgreement -Category.",
            }));
        }
    }

    /// <summary>Version 11: every holding's identity as <see cref="HoldingIdentity"/> writes it now. Changes no record: not audited.</summary>
    private static void HoldingIdentities(SqliteConnection connection, SqliteTransaction transaction, Action<AuditEvent> audit)
    {
        var identities = new List<(string Id, string Identity)>();
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT id, kind, location, account, container, prefix FROM holdings";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                string? Optional(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                var holding = new DataShareHolding
                {
                    Kind = (HoldingKind)Enum.Parse(typeof(HoldingKind), reader.GetString(1)),
                    Location = reader.GetString(2),
                    StorageAccount = Optional(3),
                    Container = Optional(4),
                    Prefix = Optional(5),
                };
                identities.Add((reader.GetString(0), HoldingIdentity.Of(holding)));
            }
        }

        foreach (var (id, identity) in identities)
        {
            Execute(connection, transaction, "UPDATE holdings SET identity = $identity WHERE id = $id", ("$identity", identity), ("$id", id));
        }
    }

    /// <summary>
    /// Version 13: the legal gateway catalogue starts with the gateways the department publishes, on a new register and
    /// on an upgraded one alike. Part of the schema (like the policy defaults), so not audited.
    /// </summary>
    private static void SeedLegalGateways(SqliteConnection connection, SqliteTransaction transaction, Action<AuditEvent> audit)
    {
        foreach (var gateway in Decisions.LegalGatewaySeeds.Entries(DateTimeOffset.UtcNow))
        {
            Execute(connection, transaction, SqliteRegister.InsertLegalGatewaySql, SqliteRegister.LegalGatewayParameters(gateway));
        }
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }
}
