using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Azure;
using Azure.Data.Tables;
using DataShareAdmin.Core.Audit;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// The write path: a change as the actions of one entity-group transaction, committed with its audit entry and the
/// new audit head, built again on the new head when another writer got there first; and the service's errors said
/// in the register's terms.
/// </summary>
public sealed partial class TableRegister
{
    private const int MaxAttempts = 60;

    private const int MaxActions = 100;

    /// <summary>The actions of one change, each with what to report if it is the one the service refuses.</summary>
    private sealed class Ops
    {
        public List<(TableTransactionAction Action, Func<Exception>? OnConflict)> Actions { get; } = new();

        public Action? Done { get; private set; }

        public void Add(TableEntity entity, Func<Exception>? onConflict) => Actions.Add((new TableTransactionAction(TableTransactionActionType.Add, entity), onConflict));

        public void Replace(TableEntity entity, ETag etag, Func<Exception> onConflict) =>
            Actions.Add((new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag), onConflict));

        public void Upsert(TableEntity entity) => Actions.Add((new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity), null));

        public void Delete(string rowKey, ETag? etag = null, Func<Exception>? onConflict = null) =>
            Actions.Add((new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(string.Empty, rowKey), etag ?? ETag.All), onConflict));

        public Ops Then(Action done)
        {
            Done = done;
            return this;
        }
    }

    /// <summary>
    /// One change with its audit entry: builds the change (reading what it needs), chains the entry on the head as
    /// read, and commits both in one transaction. If another writer extended the log first, the transaction fails on
    /// the head and the whole change is built again on the new head.
    /// </summary>
    private void Write(AuditEvent audit, Func<long, Ops> build)
    {
        if (Info.IsReadOnly)
        {
            throw new DataShareException("RegisterReadOnly", DataShareErrorCategory.PermissionDenied,
                $"The register {Info.Location} is open read-only; nothing was changed. Connect without -ReadOnly to make changes.", Info.Location) { IsTerminating = true };
        }

        var random = new Random();
        for (var attempt = 1; ; attempt++)
        {
            var headRow = Get("auhead");
            var head = WritableHead(headRow);
            var ops = build((head?.Sequence ?? 0) + 1);
            var entry = AuditChain.Chain(audit, clock.UtcNow, identity.User, identity.Machine, head);

            var actions = ops.Actions.Select(a => a.Action).ToList();
            foreach (var action in actions)
            {
                action.Entity.PartitionKey = partition;
            }

            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, EntryRow(entry)));
            var newHead = HeadRow(entry.Sequence, entry.Hash);
            actions.Add(headRow is null
                ? new TableTransactionAction(TableTransactionActionType.Add, newHead)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, newHead, headRow.ETag));
            if (actions.Count > MaxActions)
            {
                throw new DataShareException("RegisterChangeTooLarge", DataShareErrorCategory.LimitsExceeded,
                    $"This change would write {actions.Count} rows at once, more than one transaction of the Table service holds ({MaxActions}). Nothing was changed.", null);
            }

            try
            {
                table.SubmitTransaction(actions);
                ops.Done?.Invoke();
                return;
            }
            catch (TableTransactionFailedException ex)
            {
                var index = ex.FailedTransactionActionIndex ?? -1;
                if (index >= 0 && index < ops.Actions.Count)
                {
                    // 409 (already there), 412 (changed since read) and 404 (gone since read) are other writers; any
                    // other answer (400, 413…) says what is wrong with the change itself.
                    throw ex.Status is 409 or 412 or 404
                        ? ops.Actions[index].OnConflict?.Invoke() ?? Conflict("The record was changed by another writer.")
                        : Translate(ex, Info.Location);
                }

                if (ex.Status is not (409 or 412) || attempt >= MaxAttempts)
                {
                    throw Translate(ex, Info.Location);
                }

                // Another writer extended the audit log first: build again on its head, after a short random wait.
                Thread.Sleep(random.Next(5, 20 + Math.Min(attempt, 20) * 10));
            }
            catch (RequestFailedException ex)
            {
                throw Translate(ex, Info.Location);
            }
            catch (Azure.Identity.AuthenticationFailedException ex)
            {
                throw SignInFailed(ex, Info.Location);
            }
        }
    }

    /// <summary>The row at <paramref name="rowKey"/>, which must be at <paramref name="expectedVersion"/> (else a conflict).</summary>
    private TableEntity Current(string rowKey, long expectedVersion, string conflict)
    {
        var row = Get(rowKey);
        if (row is null || (row.GetInt64("Version") ?? 0) != expectedVersion)
        {
            throw Conflict(conflict);
        }

        return row;
    }

    private static RegisterConflictException Conflict(string message) => new(message);

    /// <summary>Microsoft Entra sign-in failed (no identity, expired, refused): the register cannot be reached.</summary>
    private static DataShareException SignInFailed(Exception ex, string location) =>
        new("RegisterAccessDenied", DataShareErrorCategory.PermissionDenied,
            $"Signing in to the register at {location} failed: {ex.Message.Split('\n')[0]}", location, ex) { IsTerminating = true };

    private static DataShareException Translate(RequestFailedException ex, string location) => ex.Status switch
    {
        401 or 403 => new DataShareException("RegisterAccessDenied", DataShareErrorCategory.PermissionDenied,
            $"The register at {location} refused access ({ex.Status} {ex.ErrorCode}). The sign-in needs the 'Storage Table Data Contributor' role (or 'Reader' for -ReadOnly).", location, ex) { IsTerminating = true },
        404 => new DataShareException("RegisterNotFound", DataShareErrorCategory.ObjectNotFound,
            $"There is no register table at {location} ({ex.ErrorCode}). Check the table name; to start a new, empty register, connect with -Create.", location, ex) { IsTerminating = true },
        409 or 412 => new RegisterConflictException($"The register at {location} was changed by another writer ({ex.ErrorCode}).", ex),
        _ => new DataShareException("RegisterUnavailable", DataShareErrorCategory.ResourceUnavailable,
            $"The register at {location} answered {ex.Status} {ex.ErrorCode}: {ex.Message.Split('\n')[0]}", location, ex) { IsTerminating = true },
    };
}
