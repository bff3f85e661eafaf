using System;
using System.Collections.Generic;
using System.Linq;
using Azure;
using Azure.Data.Tables;
using DataShareAdmin.Core.Audit;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// Restore: another register's records written into this empty one exactly as they are (Copy-DataShareRegister), kind
/// by kind in transactions of up to 100 rows. Which rows each kind's record is written as is beside the rest of that
/// kind (its Restore… method).
/// </summary>
public sealed partial class TableRegister
{
    private const long MaxTransactionBytes = 3_500_000;

    public void Restore(RegisterSnapshot snapshot, Action<string, long>? progress)
    {
        if (Info.IsReadOnly)
        {
            throw new DataShareException("RegisterReadOnly", DataShareErrorCategory.PermissionDenied, $"The register {Info.Location} is open read-only; nothing was written.", Info.Location) { IsTerminating = true };
        }

        if (Get("auhead") is not null || Range(Prefix("ag")).Any() || Range(Prefix("org")).Any())
        {
            throw new DataShareException("RegisterCopyDestinationNotEmpty", DataShareErrorCategory.ResourceExists,
                $"The register {Info.Location} already holds records; a copy goes only into an empty register. Nothing was written.", Info.Location);
        }

        // Rows go in transactions of up to 100 rows and under the service's 4 MiB; the register is marked as a copy
        // in progress until the audit head, written last, is in, so a copy cut short is refused when opened (it
        // would otherwise look like a register with fewer records).
        Mark(copying: true);
        var batch = new List<TableTransactionAction>(MaxActions);
        long batchBytes = 0;
        void Flush()
        {
            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                table.SubmitTransaction(batch);
            }
            catch (RequestFailedException ex)
            {
                throw Translate(ex, Info.Location);
            }

            batch.Clear();
            batchBytes = 0;
        }

        void Put(IEnumerable<TableEntity> rows)
        {
            var list = rows.ToList();
            var bytes = list.Sum(Size);
            if (batch.Count + list.Count > MaxActions || batchBytes + bytes > MaxTransactionBytes)
            {
                Flush();
            }

            batch.AddRange(list.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)));
            batchBytes += bytes;
        }

        void Each<T>(string kind, IEnumerable<T> items, Func<T, IEnumerable<TableEntity>> rows)
        {
            long count = 0;
            foreach (var item in items)
            {
                Put(rows(item));
                count++;
            }

            Flush();
            progress?.Invoke(kind, count);
        }

        Each("Organisations", snapshot.Organisations, RestoreOrganisation);
        Each("Assessments", snapshot.Assessments, RestoreAssessment);
        Each("Agreements", snapshot.Agreements, RestoreAgreement);
        Each("People", snapshot.People, RestorePerson);
        Each("Recipients", snapshot.Recipients, RestoreRecipient);
        Each("Policy", snapshot.Policy, RestorePolicy);
        Each("Certificates", snapshot.Certificates, RestoreCertificate);
        Each("Holdings", snapshot.Holdings, RestoreHolding);
        Each("Transfers", snapshot.Transfers, RestoreTransfer);
        Each("Destructions", snapshot.Destructions, RestoreDestruction);
        Each("Confirmations", snapshot.Confirmations, RestoreConfirmation);
        Each("Terms versions", snapshot.TermsVersions, v => new[] { Row(TermsKey(v.AgreementId, v.Number), "TermsVersion", v) });
        Each("Variations", snapshot.Variations, v => new[] { Row(Key("va", Upper(v.Id)), "Variation", v), Row(VariationKey(v), "Variation", v) });
        Each("Output releases", snapshot.OutputReleases, RestoreOutputRelease);
        Each("Output release cells", CellChunks(snapshot.OutputReleaseCells), RestoreOutputReleaseCells);
        Each("DPIA revisions", snapshot.Dpias, RestoreDpia);
        Each("Reviews", snapshot.Reviews, RestoreReview);
        Each("Review triggers", snapshot.ReviewTriggers, RestoreReviewTrigger);
        Each("Incidents", snapshot.Incidents, RestoreIncident);
        Each("Legal gateways", snapshot.LegalGateways, g => new[] { Row(GatewayKey(g.Name), "LegalGateway", g) });
        Each("Audit entries", snapshot.AuditLog, e => new[] { EntryRow(e) });
        if (snapshot.AuditHead is { } head)
        {
            AuditStoredForm.RequireReadable(head);
            Put(new[] { HeadRow(head.Sequence, head.Hash) });
            Flush();
        }

        Mark(copying: false);
    }

    /// <summary>Sets or clears the marker that says a copy into this register has not finished.</summary>
    private void Mark(bool copying)
    {
        var meta = Get("meta") ?? new TableEntity(partition, "meta") { ["SchemaVersion"] = SchemaVersion, [TermsMarker] = true };
        meta["CopyInProgress"] = copying;
        try
        {
            table.UpsertEntity(meta, TableUpdateMode.Replace);
        }
        catch (RequestFailedException ex)
        {
            throw Translate(ex, Info.Location);
        }
    }

    /// <summary>A row's size as the service counts it, roughly: UTF-16 text and a little per property.</summary>
    private static long Size(TableEntity row) => row.Sum(p => (p.Key.Length * 2) + (p.Value is string text ? (text.Length * 2) + 8 : 16));
}
