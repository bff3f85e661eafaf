using System;
using System.Collections.Generic;
using System.Linq;
using Azure;
using Azure.Data.Tables;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// The identity index of held holdings: a full copy of each held or pending holding under
/// <c>hdid!IDENTITY!ID</c>, written in the same transaction as the holding, so an overlap check reads the holding's
/// neighbours by key (its own range, and one small range per place that could contain it) rather than every holding.
/// </summary>
/// <remarks>
/// A key holds 512 characters and an escaped identity can be far longer (a location of 2,048 characters, escaped), so
/// the identity part is cut at <see cref="IdentityKeyChars"/>. Identities that share those characters share one range,
/// which the check reads whole; the caller decides overlap on the locations themselves. Each read is its own request:
/// an OData filter listing many ranges would be long enough for the service to refuse its headers (431).
/// </remarks>
public sealed partial class TableRegister
{
    private const int IdentityKeyChars = 400;

    private const string IndexedMarker = "HoldingIdentityIndex";

    public IEnumerable<DataShareHolding> ListHeldHoldingsNear(DataShareHolding holding)
    {
        var identity = IdentityPart(HoldingIdentity.Of(holding));
        var within = identity.Length < IdentityKeyChars
            ? Query($"PartitionKey eq '{Quote(partition)}' and RowKey ge '{Quote(Key("hdid") + Separator + identity)}' and RowKey lt '{Quote(Key("hdid") + Separator + identity + '~')}'")
            : Range(Key("hdid") + Separator + identity + Separator);
        foreach (var row in within)
        {
            yield return Read<DataShareHolding>(row)!;
        }

        foreach (var ancestor in HoldingIdentity.Ancestors(HoldingIdentity.Of(holding)).Select(IdentityPart).Where(a => a.Length < IdentityKeyChars))
        {
            foreach (var row in Range(Key("hdid") + Separator + ancestor + Separator))
            {
                yield return Read<DataShareHolding>(row)!;
            }
        }
    }

    /// <summary>The index row's key: the escaped identity, cut to fit a key, then the holding's id.</summary>
    private static string IdentityKey(DataShareHolding h) => Key("hdid") + Separator + IdentityPart(HoldingIdentity.Of(h)) + Separator + Key(h.Id);

    private static string IdentityPart(string identity)
    {
        var escaped = Key(identity);
        return escaped.Length > IdentityKeyChars ? escaped.Substring(0, IdentityKeyChars) : escaped;
    }

    /// <summary>
    /// Schema 11: index rows for the held holdings an older release wrote. Each row is written only while the holding's
    /// held row is as read (a holding destroyed meanwhile gets none); a row already there is written again unchanged, so
    /// two processes upgrading at once, or one stopped part-way, leave the same index. The marker says when it is done.
    /// </summary>
    private void IndexHeldHoldings(TableEntity meta)
    {
        for (var pass = 0; ; pass++)
        {
            var changed = 0;
            foreach (var row in Range(Prefix("hdheld")).ToList())
            {
                var holding = Read<DataShareHolding>(row)!;
                var actions = new[]
                {
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(partition, row.RowKey), row.ETag),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(IdentityKey(holding), "Holding", holding)),
                };
                try
                {
                    table.SubmitTransaction(actions);
                }
                catch (TableTransactionFailedException ex) when (ex.Status is 404 or 412 && pass < 5)
                {
                    // Changed by a writer since this pass read it: the next pass reads it again.
                    changed++;
                }
            }

            if (changed == 0)
            {
                break;
            }
        }

        meta[IndexedMarker] = true;
        table.UpdateEntity(new TableEntity(meta.PartitionKey, meta.RowKey) { [IndexedMarker] = true }, ETag.All, TableUpdateMode.Merge);
    }
}
