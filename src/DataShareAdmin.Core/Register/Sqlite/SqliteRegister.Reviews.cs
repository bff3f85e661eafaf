using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>DPIA revisions, reviews and review triggers: each kind written once, never changed.</summary>
public sealed partial class SqliteRegister
{
    private const string InsertDpiaSql = """
        INSERT INTO dpias (id, agreement_id, revision, reference, signed_off_on, signed_off_by, residual_risk, mitigations, public_summary, recorded_at, recorded_by)
        VALUES ($id, $agreement, $revision, $reference, $signedOn, $signedBy, $risk, $mitigations, $summary, $at, $by)
        """;

    private const string InsertReviewSql = """
        INSERT INTO reviews (id, agreement_id, reviewed_on, reviewer, outcome, notes, next_review_due, recorded_at, recorded_by)
        VALUES ($id, $agreement, $on, $reviewer, $outcome, $notes, $next, $at, $by)
        """;

    private const string InsertReviewTriggerSql = """
        INSERT INTO review_triggers (id, agreement_id, reason, source_kind, source_id, due_on, recorded_at, recorded_by)
        VALUES ($id, $agreement, $reason, $kind, $source, $due, $at, $by)
        """;

    public IEnumerable<DataShareDpia> ListDpias(string? agreementId) => agreementId is null
        ? Query("SELECT * FROM dpias ORDER BY agreement_id, revision", ReadDpia)
        : Query("SELECT * FROM dpias WHERE agreement_id = $agreement ORDER BY revision", ReadDpia, ("$agreement", agreementId));

    public void InsertDpia(DataShareDpia dpia, AuditEvent audit) => Write(audit, transaction =>
    {
        if (!TryExecute(transaction, InsertDpiaSql, DpiaParameters(dpia)))
        {
            throw DpiaRevisionExists(dpia);
        }
    });

    public IEnumerable<DataShareReview> ListReviews(string? agreementId) => agreementId is null
        ? Query("SELECT * FROM reviews ORDER BY agreement_id, reviewed_on, recorded_at, id", ReadReview)
        : Query("SELECT * FROM reviews WHERE agreement_id = $agreement ORDER BY reviewed_on, recorded_at, id", ReadReview, ("$agreement", agreementId));

    public void InsertReview(DataShareReview review, AuditEvent audit) => Write(audit, transaction => Execute(transaction, InsertReviewSql, ReviewParameters(review)));

    public IEnumerable<ReviewTrigger> ListReviewTriggers(string? agreementId) => agreementId is null
        ? Query("SELECT * FROM review_triggers ORDER BY agreement_id, due_on, recorded_at, id", ReadReviewTrigger)
        : Query("SELECT * FROM review_triggers WHERE agreement_id = $agreement ORDER BY due_on, recorded_at, id", ReadReviewTrigger, ("$agreement", agreementId));

    public void InsertReviewTrigger(ReviewTrigger trigger, AuditEvent audit) => Write(audit, transaction => Execute(transaction, InsertReviewTriggerSql, TriggerParameters(trigger)));

    internal static DataShareException DpiaRevisionExists(DataShareDpia dpia) =>
        new("DpiaRevisionExists", DataShareErrorCategory.ResourceExists,
            $"Agreement {dpia.AgreementId} already has DPIA revision {dpia.Revision} (another writer recorded it at the same time). Run the command again to record the next revision.", dpia.AgreementId);

    private static (string, object?)[] DpiaParameters(DataShareDpia d) => new (string, object?)[]
    {
        ("$id", d.Id), ("$agreement", d.AgreementId), ("$revision", d.Revision), ("$reference", d.Reference), ("$signedOn", DateText.FormatDate(d.SignedOffOn)),
        ("$signedBy", d.SignedOffBy), ("$risk", d.ResidualRisk.ToString()), ("$mitigations", d.Mitigations), ("$summary", d.PublicSummary),
        ("$at", DateText.FormatInstant(d.RecordedAt)), ("$by", d.RecordedBy),
    };

    private static (string, object?)[] ReviewParameters(DataShareReview r) => new (string, object?)[]
    {
        ("$id", r.Id), ("$agreement", r.AgreementId), ("$on", DateText.FormatDate(r.ReviewedOn)), ("$reviewer", r.Reviewer), ("$outcome", r.Outcome.ToString()),
        ("$notes", r.Notes), ("$next", DateText.FormatDate(r.NextReviewDue)), ("$at", DateText.FormatInstant(r.RecordedAt)), ("$by", r.RecordedBy),
    };

    private static (string, object?)[] TriggerParameters(ReviewTrigger t) => new (string, object?)[]
    {
        ("$id", t.Id), ("$agreement", t.AgreementId), ("$reason", t.Reason), ("$kind", t.SourceKind), ("$source", t.SourceId),
        ("$due", DateText.FormatDate(t.DueOn)), ("$at", DateText.FormatInstant(t.RecordedAt)), ("$by", t.RecordedBy),
    };

    private static DataShareDpia ReadDpia(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        AgreementId = Text(r, "agreement_id")!,
        Revision = r.GetInt32(r.GetOrdinal("revision")),
        Reference = Text(r, "reference")!,
        SignedOffOn = DateText.ParseDate(Text(r, "signed_off_on")!),
        SignedOffBy = Text(r, "signed_off_by")!,
        ResidualRisk = (ResidualRisk)Enum.Parse(typeof(ResidualRisk), Text(r, "residual_risk")!),
        Mitigations = Text(r, "mitigations")!,
        PublicSummary = Text(r, "public_summary"),
        RecordedAt = DateText.ParseInstant(Text(r, "recorded_at")!),
        RecordedBy = Text(r, "recorded_by")!,
    };

    private static DataShareReview ReadReview(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        AgreementId = Text(r, "agreement_id")!,
        ReviewedOn = DateText.ParseDate(Text(r, "reviewed_on")!),
        Reviewer = Text(r, "reviewer")!,
        Outcome = (ReviewOutcome)Enum.Parse(typeof(ReviewOutcome), Text(r, "outcome")!),
        Notes = Text(r, "notes"),
        NextReviewDue = DateText.ParseDate(Text(r, "next_review_due")!),
        RecordedAt = DateText.ParseInstant(Text(r, "recorded_at")!),
        RecordedBy = Text(r, "recorded_by")!,
    };

    private static ReviewTrigger ReadReviewTrigger(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        AgreementId = Text(r, "agreement_id")!,
        Reason = Text(r, "reason")!,
        SourceKind = Text(r, "source_kind")!,
        SourceId = Text(r, "source_id"),
        DueOn = DateText.ParseDate(Text(r, "due_on")!),
        RecordedAt = DateText.ParseInstant(Text(r, "recorded_at")!),
        RecordedBy = Text(r, "recorded_by")!,
    };

    private void RestoreDpia(SqliteTransaction transaction, DataShareDpia d) => Execute(transaction, InsertDpiaSql, DpiaParameters(d));

    private void RestoreReview(SqliteTransaction transaction, DataShareReview r) => Execute(transaction, InsertReviewSql, ReviewParameters(r));

    private void RestoreReviewTrigger(SqliteTransaction transaction, ReviewTrigger t) => Execute(transaction, InsertReviewTriggerSql, TriggerParameters(t));
}
