using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Azure.Data.Tables;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// DPIA revisions (<c>dpia!AG!revision</c>, the revision zero-padded so a range reads them in order), reviews
/// (<c>rev!AG!day!recorded!id</c>) and review triggers (<c>revdue!AG!day!recorded!id</c>): each written once.
/// </summary>
public sealed partial class TableRegister
{
    public IEnumerable<DataShareDpia> ListDpias(string? agreementId) =>
        Range(agreementId is null ? Prefix("dpia") : Prefix("dpia", Upper(agreementId))).Select(e => Read<DataShareDpia>(e)!);

    public void InsertDpia(DataShareDpia dpia, AuditEvent audit) => Write(audit, _ =>
    {
        var ops = new Ops();
        ops.Add(Row(DpiaKey(dpia), "Dpia", dpia), () => SqliteRegister.DpiaRevisionExists(dpia));
        return ops;
    });

    public IEnumerable<DataShareReview> ListReviews(string? agreementId) =>
        Range(agreementId is null ? Prefix("rev") : Prefix("rev", Upper(agreementId))).Select(e => Read<DataShareReview>(e)!);

    public void InsertReview(DataShareReview review, AuditEvent audit) => Write(audit, _ =>
    {
        var ops = new Ops();
        ops.Add(Row(ReviewKey(review), "Review", review), () => Conflict($"Review '{review.Id}' already exists."));
        return ops;
    });

    public IEnumerable<ReviewTrigger> ListReviewTriggers(string? agreementId) =>
        Range(agreementId is null ? Prefix("revdue") : Prefix("revdue", Upper(agreementId))).Select(e => Read<ReviewTrigger>(e)!);

    public void InsertReviewTrigger(ReviewTrigger trigger, AuditEvent audit) => Write(audit, _ =>
    {
        var ops = new Ops();
        ops.Add(Row(TriggerKey(trigger), "ReviewTrigger", trigger), () => Conflict($"Review trigger '{trigger.Id}' already exists."));
        return ops;
    });

    private static string DpiaKey(DataShareDpia d) => Key("dpia", Upper(d.AgreementId), d.Revision.ToString("D6", CultureInfo.InvariantCulture));

    private static string ReviewKey(DataShareReview r) => Key("rev", Upper(r.AgreementId), Date(r.ReviewedOn), Instant(r.RecordedAt), r.Id);

    private static string TriggerKey(ReviewTrigger t) => Key("revdue", Upper(t.AgreementId), Date(t.DueOn), Instant(t.RecordedAt), t.Id);

    private IEnumerable<TableEntity> RestoreDpia(DataShareDpia d) => new[] { Row(DpiaKey(d), "Dpia", d) };

    private IEnumerable<TableEntity> RestoreReview(DataShareReview r) => new[] { Row(ReviewKey(r), "Review", r) };

    private IEnumerable<TableEntity> RestoreReviewTrigger(ReviewTrigger t) => new[] { Row(TriggerKey(t), "ReviewTrigger", t) };
}
