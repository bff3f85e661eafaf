using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>Transfers and holdings: a transfer is written with the holding its container is.</summary>
public sealed partial class SqliteRegister
{
    private const string InsertTransferSql = """
        INSERT INTO transfers (id, agreement_id, holding_id, account, blob_endpoint, container, files, total_bytes, recipients, link_kind,
            access_policy_id, allowed_ip_range, starts_on, expires_on, issued_at, issued_by, from_transfer_id, revoked_at, revoked_by, state, version)
        VALUES ($id, $agreement, $holding, $account, $endpoint, $container, $files, $bytes, $recipients, $kind, $policy, $ip, $starts,
            $expires, $issued, $issuedBy, $from, $revoked, $revokedBy, $state, $version)
        """;

    private const string InsertHoldingSql = """
        INSERT INTO holdings (id, agreement_id, kind, location, account, container, prefix, transfer_id, due_on, registered_at, registered_by,
            state, destroyed_at, identity, location_check, hold_until, hold_reason, hold_approved_by, hold_legal, hold_review_on, hold_placed_by, version)
        VALUES ($id, $agreement, $kind, $location, $account, $container, $prefix, $transfer, $due, $at, $by, $state, $destroyed, $identity, $check,
            $holdUntil, $holdReason, $holdBy, $holdLegal, $holdReview, $holdPlacedBy, $version)
        """;

    public DataShareTransfer? FindTransfer(string id) => First(Query("SELECT * FROM transfers WHERE id = $id", ReadTransfer, ("$id", id)));

    public IEnumerable<DataShareTransfer> ListTransfers(string? agreementId) => agreementId is null
        ? Query("SELECT * FROM transfers ORDER BY issued_at, id", ReadTransfer)
        : Query("SELECT * FROM transfers WHERE agreement_id = $agreement ORDER BY issued_at, id", ReadTransfer, ("$agreement", agreementId));

    public void InsertTransfer(DataShareTransfer transfer, DataShareHolding holding, AuditEvent audit) => Write(audit, transaction =>
    {
        WriteHolding(transaction, holding);
        transfer.Version = 1;
        if (!TryExecute(transaction, InsertTransferSql, Concat(TransferParameters(transfer), ("$version", transfer.Version))))
        {
            throw new DataShareException("TransferExists", DataShareErrorCategory.ResourceExists,
                $"A transfer with id '{transfer.Id}' already exists.", transfer.Id);
        }
    });

    public void UpdateTransfer(DataShareTransfer transfer, DataShareHolding holding, AuditEvent audit) => Write(audit, transaction =>
    {
        var parameters = new List<(string, object?)>(TransferParameters(transfer)) { ("$expected", transfer.Version) };
        if (Execute(transaction, """
            UPDATE transfers SET files = $files, total_bytes = $bytes, state = $state, revoked_at = $revoked, revoked_by = $revokedBy,
                version = version + 1
            WHERE id = $id AND version = $expected
            """, parameters.ToArray()) == 0)
        {
            throw new RegisterConflictException($"Transfer '{transfer.Id}' was changed by another writer.");
        }

        WriteHolding(transaction, holding);
        transfer.Version++;
    });

    public DataShareHolding? FindHolding(string id) => First(Query("SELECT * FROM holdings WHERE id = $id", ReadHolding, ("$id", id)));

    public IEnumerable<DataShareHolding> ListHoldings(string? agreementId) => agreementId is null
        ? Query("SELECT * FROM holdings ORDER BY due_on, id", ReadHolding)
        : Query("SELECT * FROM holdings WHERE agreement_id = $agreement ORDER BY due_on, id", ReadHolding, ("$agreement", agreementId));

    /// <summary>Inserts a new holding (version 0) or moves an existing one's due day at the version read.</summary>
    private void WriteHolding(SqliteTransaction transaction, DataShareHolding holding)
    {
        if (holding.Version == 0)
        {
            if (!TryExecute(transaction, InsertHoldingSql, Concat(HoldingParameters(holding), ("$version", 1))))
            {
                throw new DataShareException("HoldingExists", DataShareErrorCategory.ResourceExists, $"A holding with id '{holding.Id}' already exists.", holding.Id);
            }

            holding.Version = 1;
            return;
        }

        if (Execute(transaction, """
            UPDATE holdings SET due_on = $due, state = $state, destroyed_at = $destroyed, hold_until = $holdUntil, hold_reason = $holdReason,
                hold_approved_by = $holdBy, hold_legal = $holdLegal, hold_review_on = $holdReview, hold_placed_by = $holdPlacedBy, version = version + 1
            WHERE id = $id AND version = $expected
            """,
            HoldParameters(holding).Concat(new (string, object?)[]
            {
                ("$id", holding.Id), ("$due", DateText.FormatDate(holding.DueOn)), ("$state", holding.State.ToString()),
                ("$destroyed", holding.DestroyedAt is null ? null : DateText.FormatInstant(holding.DestroyedAt.Value)), ("$expected", holding.Version),
            }).ToArray()) == 0)
        {
            throw new RegisterConflictException($"Holding '{holding.Id}' was changed by another writer.");
        }

        holding.Version++;
    }

    private static (string, object?)[] TransferParameters(DataShareTransfer t) => new (string, object?)[]
    {
        ("$id", t.Id), ("$agreement", t.AgreementId), ("$holding", t.HoldingId), ("$account", t.StorageAccount), ("$endpoint", t.BlobEndpoint),
        ("$container", t.Container), ("$files", TransferJson.WriteFiles(t.Files)), ("$bytes", t.TotalBytes), ("$recipients", TransferJson.WriteIds(t.RecipientIds)),
        ("$kind", t.LinkKind.ToString()), ("$policy", t.AccessPolicyId), ("$ip", t.AllowedIpRange), ("$starts", DateText.FormatInstant(t.StartsOn)),
        ("$expires", DateText.FormatInstant(t.ExpiresOn)), ("$issued", DateText.FormatInstant(t.IssuedAt)), ("$issuedBy", t.IssuedBy),
        ("$from", t.FromTransferId), ("$revoked", t.RevokedAt is null ? null : DateText.FormatInstant(t.RevokedAt.Value)), ("$revokedBy", t.RevokedBy),
        ("$state", t.State.ToString()),
    };

    private static DataShareTransfer ReadTransfer(SqliteDataReader r)
    {
        var files = TransferJson.ReadFiles(Text(r, "files")!);
        return new DataShareTransfer
        {
            Id = Text(r, "id")!,
            AgreementId = Text(r, "agreement_id")!,
            HoldingId = Text(r, "holding_id")!,
            StorageAccount = Text(r, "account")!,
            BlobEndpoint = Text(r, "blob_endpoint")!,
            Container = Text(r, "container")!,
            Files = files,
            TotalBytes = r.GetInt64(r.GetOrdinal("total_bytes")),
            RecipientIds = TransferJson.ReadIds(Text(r, "recipients")!),
            LinkKind = (TransferLinkKind)Enum.Parse(typeof(TransferLinkKind), Text(r, "link_kind")!),
            AccessPolicyId = Text(r, "access_policy_id"),
            AllowedIpRange = Text(r, "allowed_ip_range"),
            StartsOn = DateText.ParseInstant(Text(r, "starts_on")!),
            ExpiresOn = DateText.ParseInstant(Text(r, "expires_on")!),
            IssuedAt = DateText.ParseInstant(Text(r, "issued_at")!),
            IssuedBy = Text(r, "issued_by")!,
            FromTransferId = Text(r, "from_transfer_id"),
            RevokedAt = DateText.ParseOptionalInstant(Text(r, "revoked_at")),
            RevokedBy = Text(r, "revoked_by"),
            State = (TransferState)Enum.Parse(typeof(TransferState), Text(r, "state")!),
            Version = r.GetInt64(r.GetOrdinal("version")),
        };
    }

    private static DataShareHolding ReadHolding(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        AgreementId = Text(r, "agreement_id")!,
        Kind = (HoldingKind)Enum.Parse(typeof(HoldingKind), Text(r, "kind")!),
        Location = Text(r, "location")!,
        StorageAccount = Text(r, "account"),
        Container = Text(r, "container"),
        Prefix = Text(r, "prefix"),
        TransferId = Text(r, "transfer_id"),
        DueOn = DateText.ParseDate(Text(r, "due_on")!),
        RegisteredAt = DateText.ParseInstant(Text(r, "registered_at")!),
        RegisteredBy = Text(r, "registered_by")!,
        State = (HoldingState)Enum.Parse(typeof(HoldingState), Text(r, "state")!),
        LocationCheck = (HoldingLocationCheck)Enum.Parse(typeof(HoldingLocationCheck), Text(r, "location_check")!),
        DestroyedAt = DateText.ParseOptionalInstant(Text(r, "destroyed_at")),
        HoldUntil = Text(r, "hold_until") is { } until ? DateText.ParseDate(until) : null,
        HoldReason = Text(r, "hold_reason"),
        HoldApprovedBy = Text(r, "hold_approved_by"),
        HoldLegal = r.GetInt64(r.GetOrdinal("hold_legal")) != 0,
        HoldReviewOn = Text(r, "hold_review_on") is { } review ? DateText.ParseDate(review) : null,
        HoldPlacedBy = Text(r, "hold_placed_by"),
        Version = r.GetInt64(r.GetOrdinal("version")),
    };

    /// <summary>Held and pending holdings (an unfinished transfer's container holds data too): every one not verified destroyed.</summary>
    public IEnumerable<DataShareHolding> ListHeldHoldings() => Query("SELECT * FROM holdings WHERE state IN ('Held', 'Pending') ORDER BY due_on, id", ReadHolding);

    /// <summary>
    /// Candidates by the partial index on held identities: one range for the holding and everything inside it, one
    /// point read per place that could contain it. Nothing else is read, however many holdings the register has (named:
    /// without statistics the planner would take the state index and read every held holding).
    /// </summary>
    public IEnumerable<DataShareHolding> ListHeldHoldingsNear(DataShareHolding holding)
    {
        var identity = HoldingIdentity.Of(holding);
        foreach (var inside in Query("SELECT * FROM holdings INDEXED BY ix_holdings_held_identity WHERE state IN ('Held', 'Pending') AND identity >= $from AND identity < $to ORDER BY identity, id",
            ReadHolding, ("$from", identity), ("$to", HoldingIdentity.AfterDescendants(identity))))
        {
            yield return inside;
        }

        foreach (var ancestor in HoldingIdentity.Ancestors(identity))
        {
            foreach (var around in Query("SELECT * FROM holdings INDEXED BY ix_holdings_held_identity WHERE state IN ('Held', 'Pending') AND identity = $identity ORDER BY id", ReadHolding, ("$identity", ancestor)))
            {
                yield return around;
            }
        }
    }

    public void InsertHolding(DataShareHolding holding, AuditEvent audit) => Write(audit, transaction => WriteHolding(transaction, holding));

    public void UpdateHolding(DataShareHolding holding, AuditEvent audit)
    {
        if (holding.Version == 0)
        {
            throw new ArgumentException("An update is of a holding read from the register (version 1 or more).", nameof(holding));
        }

        Write(audit, transaction => WriteHolding(transaction, holding));
    }

    /// <summary>A holding's row, without its version; its identity (what it is, not how it is named) is stored with it.</summary>
    private static (string, object?)[] HoldingParameters(DataShareHolding h) => new (string, object?)[]
    {
        ("$id", h.Id), ("$agreement", h.AgreementId), ("$kind", h.Kind.ToString()), ("$location", h.Location), ("$account", h.StorageAccount),
        ("$container", h.Container), ("$prefix", h.Prefix), ("$transfer", h.TransferId), ("$due", DateText.FormatDate(h.DueOn)),
        ("$at", DateText.FormatInstant(h.RegisteredAt)), ("$by", h.RegisteredBy), ("$state", h.State.ToString()),
        ("$destroyed", h.DestroyedAt is null ? null : DateText.FormatInstant(h.DestroyedAt.Value)), ("$identity", HoldingIdentity.Of(h)),
        ("$check", h.LocationCheck.ToString()),
    }.Concat(HoldParameters(h)).ToArray();

    /// <summary>A holding's hold past its due day: all null (and not legal) when it has none.</summary>
    private static (string, object?)[] HoldParameters(DataShareHolding h) => new (string, object?)[]
    {
        ("$holdUntil", h.HoldUntil is null ? null : DateText.FormatDate(h.HoldUntil.Value)), ("$holdReason", h.HoldReason), ("$holdBy", h.HoldApprovedBy),
        ("$holdLegal", h.HoldLegal ? 1 : 0), ("$holdReview", h.HoldReviewOn is null ? null : DateText.FormatDate(h.HoldReviewOn.Value)),
        ("$holdPlacedBy", h.HoldPlacedBy),
    };

    private void RestoreHolding(SqliteTransaction transaction, DataShareHolding h) => Execute(transaction, InsertHoldingSql, Concat(HoldingParameters(h), ("$version", h.Version)));

    private void RestoreTransfer(SqliteTransaction transaction, DataShareTransfer t) => Execute(transaction, InsertTransferSql, Concat(TransferParameters(t), ("$version", t.Version)));
}
