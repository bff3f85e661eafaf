using System;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Storage;

/// <summary>
/// The session's storage connection (Connect-DataShareStorage), as the engine's services need it: the adapters for
/// transfers, the sweep and the orphan search are made here, not by the cmdlets.
/// </summary>
public sealed class SessionStorage
{
    public SessionStorage(StorageConnection? connection) => Connection = connection;

    /// <summary>The verified connection; null when the session has none.</summary>
    public StorageConnection? Connection { get; }

    /// <summary>Where transfers upload and where their links are revoked; null when not connected.</summary>
    public ITransferStorage? ForTransfers() => Connection is null ? null : new BlobTransferStorage(Connection);

    /// <summary>
    /// The storage a sweep reaches a holding's account through: the connected account, and only for its own name;
    /// null for any other account (the sweep reports it and leaves the holding due).
    /// </summary>
    public Func<string, IRetentionStorage?> ForRetention()
    {
        var storage = Connection is null ? null : new BlobRetentionStorage(Connection);
        return account => storage is not null && string.Equals(storage.AccountName, account, StringComparison.OrdinalIgnoreCase) ? storage : null;
    }

    /// <summary>Where Find-DataShareOrphan looks; null when not connected.</summary>
    public IOrphanStorage? ForOrphans() => Connection is null ? null : new BlobOrphanStorage(Connection);

    /// <summary>Where to look for orphans; StorageNotConnected (terminating) when the session has no storage.</summary>
    public IOrphanStorage RequireForOrphans() => ForOrphans() ?? throw NotConnected();

    /// <summary>StorageNotConnected, terminating: a command that only looks in storage has nothing to do without it.</summary>
    public static DataShareException NotConnected() => new("StorageNotConnected", DataShareErrorCategory.InvalidOperation,
        "No storage account is connected, so there is nothing to look in. Run Connect-DataShareStorage first.", null) { IsTerminating = true };
}
