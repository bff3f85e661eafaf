using System;
using System.Collections.Generic;
using System.Linq;
using Azure.Data.Tables;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// Transfers (<c>tr!</c>, by agreement and by time) and holdings (<c>hd!</c>, by agreement, by due day, and held ones under
/// <c>hdheld!</c>): a transfer is written with the holding its container is.
/// </summary>
public sealed partial class TableRegister
{
    public DataShareTransfer? FindTransfer(string id) => Read<DataShareTransfer>(Get(Key("tr", id)));

    public IEnumerable<DataShareTransfer> ListTransfers(string? agreementId) =>
        Range(agreementId is null ? Prefix("trtime") : Prefix("trag", Upper(agreementId))).Select(e => Read<DataShareTransfer>(e)!);

    public void InsertTransfer(DataShareTransfer transfer, DataShareHolding holding, AuditEvent audit) => Write(audit, _ =>
    {
        var stored = WithoutLink(transfer);
        stored.Version = 1;
        var ops = new Ops();
        DataShareException Exists() => new("TransferExists", DataShareErrorCategory.ResourceExists, $"A transfer with id '{transfer.Id}' already exists.", transfer.Id);
        foreach (var key in TransferKeys(stored))
        {
            ops.Add(Row(key, "Transfer", stored), Exists);
        }

        var written = WriteHolding(ops, holding);
        return ops.Then(() =>
        {
            transfer.Version = 1;
            written();
        });
    });

    public void UpdateTransfer(DataShareTransfer transfer, DataShareHolding holding, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Current(Key("tr", transfer.Id), transfer.Version, $"Transfer '{transfer.Id}' was changed by another writer.");
        var stored = WithoutLink(transfer);
        stored.Version = transfer.Version + 1;
        var ops = new Ops();
        ops.Replace(Row(Key("tr", stored.Id), "Transfer", stored), current.ETag, () => Conflict($"Transfer '{transfer.Id}' was changed by another writer."));
        foreach (var key in TransferKeys(stored).Skip(1))
        {
            ops.Upsert(Row(key, "Transfer", stored));
        }

        var written = WriteHolding(ops, holding);
        return ops.Then(() =>
        {
            transfer.Version++;
            written();
        });
    });

    private static string[] TransferKeys(DataShareTransfer t) => new[]
    {
        Key("tr", t.Id), Key("trag", Upper(t.AgreementId), Instant(t.IssuedAt), t.Id), Key("trtime", Instant(t.IssuedAt), t.Id),
    };

    /// <summary>The link is a secret: it is never stored.</summary>
    private static DataShareTransfer WithoutLink(DataShareTransfer transfer)
    {
        var copy = Copy(transfer);
        copy.Uri = null;
        copy.Note = null;
        copy.Files = copy.Files.Select(f =>
        {
            var file = Copy(f);
            file.Uri = null;
            return file;
        }).ToList();
        return copy;
    }

    public DataShareHolding? FindHolding(string id) => Read<DataShareHolding>(Get(Key("hd", id)));

    public IEnumerable<DataShareHolding> ListHoldings(string? agreementId) =>
        Range(agreementId is null ? Prefix("hddue") : Prefix("hdag", Upper(agreementId))).Select(e => Read<DataShareHolding>(e)!);

    public IEnumerable<DataShareHolding> ListHeldHoldings() => Range(Prefix("hdheld")).Select(e => Read<DataShareHolding>(e)!);

    public void InsertHolding(DataShareHolding holding, AuditEvent audit) => Write(audit, _ =>
    {
        if (holding.Version != 0)
        {
            throw new ArgumentException("A new holding has version 0.", nameof(holding));
        }

        var ops = new Ops();
        var written = WriteHolding(ops, holding);
        return ops.Then(written);
    });

    public void UpdateHolding(DataShareHolding holding, AuditEvent audit) => Write(audit, _ =>
    {
        if (holding.Version == 0)
        {
            throw new ArgumentException("An update is of a holding read from the register (version 1 or more).", nameof(holding));
        }

        var ops = new Ops();
        var written = WriteHolding(ops, holding);
        return ops.Then(written);
    });

    /// <summary>A new holding (version 0) is added; an existing one is written at the version read, its index rows moved.</summary>
    private Action WriteHolding(Ops ops, DataShareHolding holding)
    {
        var stored = Copy(holding);
        stored.Version = holding.Version + 1;
        if (holding.Version == 0)
        {
            DataShareException Exists() => new("HoldingExists", DataShareErrorCategory.ResourceExists, $"A holding with id '{holding.Id}' already exists.", holding.Id);
            foreach (var key in HoldingKeys(stored))
            {
                ops.Add(Row(key, "Holding", stored), Exists);
            }

            return () => holding.Version = 1;
        }

        var current = Current(Key("hd", holding.Id), holding.Version, $"Holding '{holding.Id}' was changed by another writer.");
        var before = Read<DataShareHolding>(current)!;
        var oldKeys = HoldingKeys(before);
        var newKeys = HoldingKeys(stored);
        ops.Replace(Row(newKeys[0], "Holding", stored), current.ETag, () => Conflict($"Holding '{holding.Id}' was changed by another writer."));
        foreach (var key in oldKeys.Skip(1).Except(newKeys))
        {
            ops.Delete(key);
        }

        foreach (var key in newKeys.Skip(1))
        {
            ops.Upsert(Row(key, "Holding", stored));
        }

        return () => holding.Version++;
    }

    private static List<string> HoldingKeys(DataShareHolding h)
    {
        var keys = new List<string> { Key("hd", h.Id), Key("hdag", Upper(h.AgreementId), Date(h.DueOn), h.Id), Key("hddue", Date(h.DueOn), h.Id) };
        if (h.State is not (HoldingState.Destroyed or HoldingState.Withdrawn))
        {
            // Held and pending alike: both may hold data, so both are what a sweep and an overlap check list.
            keys.Add(Key("hdheld", Date(h.DueOn), h.Id));
            keys.Add(IdentityKey(h));
        }

        return keys;
    }

    private IEnumerable<TableEntity> RestoreHolding(DataShareHolding h) => HoldingKeys(h).Select(key => Row(key, "Holding", h));

    private IEnumerable<TableEntity> RestoreTransfer(DataShareTransfer t)
    {
        var stored = WithoutLink(t);
        return TransferKeys(stored).Select(key => Row(key, "Transfer", stored));
    }
}
