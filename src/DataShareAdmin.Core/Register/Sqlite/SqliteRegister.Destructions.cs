using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>Destruction records (written with their holding's new state) and the organisations' confirmations.</summary>
public sealed partial class SqliteRegister
{
    private const string InsertDestructionSql = """
        INSERT INTO destructions (id, holding_id, agreement_id, location, outcome, reason, objects_deleted, bytes_deleted, objects_remaining,
            verified, soft_delete, recoverable_until, started_at, finished_at, operator, machine, as_of, access_removed)
        VALUES ($id, $holding, $agreement, $location, $outcome, $reason, $deleted, $bytes, $remaining, $verified, $soft, $recoverable,
            $started, $finished, $operator, $machine, $asOf, $access)
        """;

    private const string InsertConfirmationSql = """
        INSERT INTO confirmations (agreement_id, confirmed_by, confirmed_on, evidence, recorded_at, recorded_by)
        VALUES ($agreement, $by, $on, $evidence, $at, $recordedBy)
        """;

    public void InsertDestruction(DestructionRecord record, DataShareHolding holding, AuditEvent audit) => Write(audit, transaction =>
    {
        WriteHolding(transaction, holding);
        Execute(transaction, InsertDestructionSql, DestructionParameters(record));
    });

    private static (string, object?)[] DestructionParameters(DestructionRecord d) => new (string, object?)[]
    {
        ("$id", d.Id), ("$holding", d.HoldingId), ("$agreement", d.AgreementId), ("$location", d.Location), ("$outcome", d.Outcome.ToString()),
        ("$reason", d.Reason), ("$deleted", d.ObjectsDeleted), ("$bytes", d.BytesDeleted), ("$remaining", d.ObjectsRemaining), ("$verified", d.Verified ? 1 : 0),
        ("$soft", d.SoftDelete), ("$recoverable", d.RecoverableUntil is null ? null : DateText.FormatInstant(d.RecoverableUntil.Value)),
        ("$started", DateText.FormatInstant(d.StartedAt)), ("$finished", DateText.FormatInstant(d.FinishedAt)), ("$operator", d.Operator),
        ("$machine", d.Machine), ("$asOf", DateText.FormatDate(d.AsOf)), ("$access", d.AccessRemoved),
    };

    public IEnumerable<DestructionRecord> ListDestructions(string? agreementId) => agreementId is null
        ? Query("SELECT * FROM destructions ORDER BY finished_at, id", ReadDestruction)
        : Query("SELECT * FROM destructions WHERE agreement_id = $agreement ORDER BY finished_at, id", ReadDestruction, ("$agreement", agreementId));

    private static DestructionRecord ReadDestruction(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        HoldingId = Text(r, "holding_id")!,
        AgreementId = Text(r, "agreement_id")!,
        Location = Text(r, "location")!,
        Outcome = (DestructionOutcome)Enum.Parse(typeof(DestructionOutcome), Text(r, "outcome")!),
        Reason = Text(r, "reason"),
        ObjectsDeleted = r.GetInt64(r.GetOrdinal("objects_deleted")),
        BytesDeleted = r.GetInt64(r.GetOrdinal("bytes_deleted")),
        ObjectsRemaining = r.GetInt64(r.GetOrdinal("objects_remaining")),
        Verified = r.GetInt64(r.GetOrdinal("verified")) != 0,
        SoftDelete = Text(r, "soft_delete")!,
        RecoverableUntil = DateText.ParseOptionalInstant(Text(r, "recoverable_until")),
        StartedAt = DateText.ParseInstant(Text(r, "started_at")!),
        FinishedAt = DateText.ParseInstant(Text(r, "finished_at")!),
        Operator = Text(r, "operator")!,
        Machine = Text(r, "machine")!,
        AsOf = DateText.ParseDate(Text(r, "as_of")!),
        AccessRemoved = Text(r, "access_removed"),
    };

    public DestructionConfirmation? FindConfirmation(string agreementId) =>
        First(Query("SELECT * FROM confirmations WHERE agreement_id = $id", ReadConfirmation, ("$id", agreementId)));

    public IEnumerable<DestructionConfirmation> ListConfirmations() => Query("SELECT * FROM confirmations ORDER BY agreement_id", ReadConfirmation);

    private static DestructionConfirmation ReadConfirmation(SqliteDataReader r) => new()
    {
        AgreementId = Text(r, "agreement_id")!,
        ConfirmedBy = Text(r, "confirmed_by")!,
        ConfirmedOn = DateText.ParseDate(Text(r, "confirmed_on")!),
        Evidence = Text(r, "evidence"),
        RecordedAt = DateText.ParseInstant(Text(r, "recorded_at")!),
        RecordedBy = Text(r, "recorded_by")!,
    };

    private static (string, object?)[] ConfirmationParameters(DestructionConfirmation c) => new (string, object?)[]
    {
        ("$agreement", c.AgreementId), ("$by", c.ConfirmedBy), ("$on", DateText.FormatDate(c.ConfirmedOn)), ("$evidence", c.Evidence),
        ("$at", DateText.FormatInstant(c.RecordedAt)), ("$recordedBy", c.RecordedBy),
    };

    public void InsertConfirmation(DestructionConfirmation confirmation, AuditEvent audit) => Write(audit, transaction =>
    {
        if (!TryExecute(transaction, InsertConfirmationSql, ConfirmationParameters(confirmation)))
        {
            throw new DataShareException("DestructionAlreadyConfirmed", DataShareErrorCategory.ResourceExists,
                $"The destruction of agreement {confirmation.AgreementId}'s data is already confirmed.", confirmation.AgreementId);
        }
    });

    private void RestoreDestruction(SqliteTransaction transaction, DestructionRecord d) => Execute(transaction, InsertDestructionSql, DestructionParameters(d));

    private void RestoreConfirmation(SqliteTransaction transaction, DestructionConfirmation c) => Execute(transaction, InsertConfirmationSql, ConfirmationParameters(c));
}
