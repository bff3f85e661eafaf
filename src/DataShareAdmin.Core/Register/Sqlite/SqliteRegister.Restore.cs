using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// Restore: another register's records written into this empty one exactly as they are (Copy-DataShareRegister), kind
/// by kind in one transaction. How each kind's row is written is beside the rest of that kind (its Restore… method).
/// </summary>
public sealed partial class SqliteRegister
{
    public void Restore(RegisterSnapshot snapshot, Action<string, long>? progress)
    {
        if (ReadAuditHead() is not null || First(Query("SELECT id FROM agreements LIMIT 1", r => r.GetString(0))) is not null)
        {
            throw new DataShareException("RegisterCopyDestinationNotEmpty", DataShareErrorCategory.ResourceExists,
                $"The register {Info.Location} already holds records; a copy goes only into an empty register. Nothing was written.", Info.Location);
        }

        // One transaction: a copy is all there or not there at all.
        try
        {
            using var transaction = connection.BeginTransaction();
            void Each<T>(string kind, IEnumerable<T> items, Action<SqliteTransaction, T> insert)
            {
                long count = 0;
                foreach (var item in items)
                {
                    insert(transaction, item);
                    count++;
                }

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
            Each("Terms versions", snapshot.TermsVersions, (t, v) => Execute(t, InsertTermsVersionSql, TermsVersionParameters(v)));
            Each("Variations", snapshot.Variations, (t, v) => Execute(t, InsertVariationSql, VariationParameters(v)));
            Each("Output releases", snapshot.OutputReleases, RestoreOutputRelease);
            Each("Output release cells", snapshot.OutputReleaseCells, RestoreOutputReleaseCell);
            Each("DPIA revisions", snapshot.Dpias, RestoreDpia);
            Each("Reviews", snapshot.Reviews, RestoreReview);
            Each("Review triggers", snapshot.ReviewTriggers, RestoreReviewTrigger);
            Each("Incidents", snapshot.Incidents, RestoreIncident);
            Each("Legal gateways", snapshot.LegalGateways, (t, g) => Execute(t, "INSERT OR REPLACE" + InsertLegalGatewaySql.Trim().Substring("INSERT".Length), LegalGatewayParameters(g)));
            Each("Audit entries", snapshot.AuditLog, RestoreAuditEntry);
            RestoreAuditHead(transaction, snapshot.AuditHead);
            transaction.Commit();
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, Info.Location);
        }
    }
}
