using System.Collections.Generic;
using System.Linq;
using Azure.Data.Tables;

namespace DataShareAdmin.Core.Register;

/// <summary>Destruction records (by agreement and by time, written with their holding's new state) and confirmations (<c>cf!</c>).</summary>
public sealed partial class TableRegister
{
    public void InsertDestruction(DestructionRecord record, DataShareHolding holding, AuditEvent audit) => Write(audit, sequence =>
    {
        var ops = new Ops();
        ops.Add(Row(Key("dr", Upper(record.AgreementId), Instant(record.FinishedAt), record.Id), "Destruction", record), null);
        ops.Add(Row(Key("drtime", Instant(record.FinishedAt), record.Id), "Destruction", record), null);
        var written = WriteHolding(ops, holding);
        return ops.Then(written);
    });

    public IEnumerable<DestructionRecord> ListDestructions(string? agreementId) =>
        Range(agreementId is null ? Prefix("drtime") : Prefix("dr", Upper(agreementId))).Select(e => Read<DestructionRecord>(e)!);

    public DestructionConfirmation? FindConfirmation(string agreementId) => Read<DestructionConfirmation>(Get(Key("cf", Upper(agreementId))));

    public IEnumerable<DestructionConfirmation> ListConfirmations() => Range(Prefix("cf")).Select(e => Read<DestructionConfirmation>(e)!);

    public void InsertConfirmation(DestructionConfirmation confirmation, AuditEvent audit) => Write(audit, _ =>
    {
        var ops = new Ops();
        ops.Add(Row(Key("cf", Upper(confirmation.AgreementId)), "Confirmation", confirmation), () => new DataShareException("DestructionAlreadyConfirmed",
            DataShareErrorCategory.ResourceExists, $"The destruction of agreement {confirmation.AgreementId}'s copies is already confirmed.", confirmation.AgreementId));
        return ops;
    });

    private IEnumerable<TableEntity> RestoreDestruction(DestructionRecord d) => new[]
    {
        Row(Key("dr", Upper(d.AgreementId), Instant(d.FinishedAt), d.Id), "Destruction", d), Row(Key("drtime", Instant(d.FinishedAt), d.Id), "Destruction", d),
    };

    private IEnumerable<TableEntity> RestoreConfirmation(DestructionConfirmation c) => new[] { Row(Key("cf", Upper(c.AgreementId)), "Confirmation", c) };
}
