using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DataShareAdmin.Core.Storage;

namespace DataShareAdmin.Core.Retention;

/// <summary>One object in a holding: a blob, one of its snapshots or versions, or a file.</summary>
public sealed class HeldObject
{
    public string Name { get; set; } = string.Empty;

    public string? Snapshot { get; set; }

    public string? VersionId { get; set; }

    /// <summary>False for a previous version of a blob (the current one is deleted with its snapshots).</summary>
    public bool IsCurrent { get; set; } = true;

    public long Size { get; set; }

    public override string ToString() => Name + (Snapshot is null ? string.Empty : "@" + Snapshot) + (VersionId is null ? string.Empty : "#" + VersionId);
}

public enum DeleteResult
{
    Deleted,

    /// <summary>Already gone (deleted with its base blob, or by someone else): counts as deleted.</summary>
    Gone,

    /// <summary>Kept by a legal hold or an immutability policy.</summary>
    Blocked,

    /// <summary>
    /// Not deleted: the delete could not be proved to address exactly this object inside the holding (a name whose
    /// dot segments lead elsewhere, a folder that became a link). It stays, and so does the holding.
    /// </summary>
    Unsafe,
}

/// <summary>How one delete ended, and the service's reason when it was blocked.</summary>
public sealed record DeleteAnswer(DeleteResult Result, string? Reason = null)
{
    public static readonly DeleteAnswer Deleted = new(DeleteResult.Deleted);

    public static readonly DeleteAnswer Gone = new(DeleteResult.Gone);

    public static DeleteAnswer Unsafe(HeldObject item, string? why) => new(DeleteResult.Unsafe, $"'{item.Name}': {why}");
}

/// <summary>The deletes and listings of one holding's objects. <see cref="DeleteAsync"/> runs many at once.</summary>
public interface IHoldingStore
{
    /// <summary>Every object in the holding, snapshots and versions included, streamed.</summary>
    IEnumerable<HeldObject> List(CancellationToken cancellationToken);

    /// <summary>Deletes one object; a blocked one answers Blocked with the service's reason.</summary>
    Task<DeleteAnswer> DeleteAsync(HeldObject item, CancellationToken cancellationToken);

    /// <summary>After a verified-empty listing: removes the container or folder itself.</summary>
    void Finish(CancellationToken cancellationToken);

    /// <summary>
    /// Set by a listing that found the place itself gone, and proved it (a container the account no longer lists, a
    /// folder whose parent is there): what was found, for the destruction record. Null otherwise.
    /// </summary>
    string? Absence { get; }
}

/// <summary>
/// A store that can also list its whole container under a prefix wider than its own, so that one listing serves the
/// measuring (or verifying) of several due holdings in one container. Only listing: every delete still goes through
/// the holding's own <see cref="IHoldingStore.DeleteAsync"/>, with its own proof that the name lies inside it.
/// </summary>
public interface IContainerListing
{
    /// <summary>
    /// Every object in the store's container whose name starts with <paramref name="prefix"/> (the whole container
    /// when null), snapshots and versions included, streamed. A container proved gone sets
    /// <see cref="IHoldingStore.Absence"/> as <see cref="IHoldingStore.List"/> does.
    /// </summary>
    IEnumerable<HeldObject> ListContainer(string? prefix, CancellationToken cancellationToken);
}

/// <summary>What a sweep needs from a storage account: a store per blob holding, and the account's soft-delete setting.</summary>
public interface IRetentionStorage
{
    string AccountName { get; }

    /// <summary>The connected endpoint as <see cref="StorageEndpoint.Key"/> writes it: holdings are matched by it, never by account name alone.</summary>
    string Endpoint { get; }

    /// <summary>A store for a holding on this endpoint; SweepStorageNotConnected for a holding on any other.</summary>
    IHoldingStore Open(HoldingLocation location);

    /// <summary>"Off", "On (n days)" with the days, or "Unknown" when the settings cannot be read with the rights given.</summary>
    string ReadSoftDelete(out int? retentionDays, CancellationToken cancellationToken);
}

/// <summary>Holdings on Azure Blob Storage (or Azurite) through the session's connection.</summary>
public sealed class BlobRetentionStorage : IRetentionStorage
{
    private readonly StorageConnection connection;

    public BlobRetentionStorage(StorageConnection connection) => this.connection = connection;

    public string AccountName => connection.Info.AccountName;

    public string Endpoint => StorageEndpoint.Key(connection.Info.BlobEndpoint, connection.Info.AccountName);

    /// <summary>The endpoint as people read it, e.g. https://contosodata.blob.core.windows.net.</summary>
    private string EndpointText => connection.Info.BlobEndpoint.ToString().TrimEnd('/');

    /// <summary>Whether the account lists blob versions: asked once per account (the first holding), not per holding.</summary>
    private BlobStates? states;

    private readonly object probing = new();

    public IHoldingStore Open(HoldingLocation location)
    {
        if (!string.Equals(location.Endpoint, Endpoint, StringComparison.Ordinal))
        {
            throw new DataShareException("SweepStorageNotConnected", DataShareErrorCategory.ResourceUnavailable,
                $"{location} is on the storage endpoint {location.Endpoint}, but this connection is to {Endpoint}.", location.Location);
        }

        return new BlobHoldingStore(this, connection.Client.GetBlobContainerClient(location.Container), location);
    }

    public string ReadSoftDelete(out int? retentionDays, CancellationToken cancellationToken)
    {
        retentionDays = null;
        try
        {
            var policy = connection.Client.GetProperties(cancellationToken).Value.DeleteRetentionPolicy;
            if (policy?.Enabled == true)
            {
                retentionDays = policy.Days;
                return $"On ({policy.Days} days)";
            }

            return "Off";
        }
        catch (Exception ex) when (ex is RequestFailedException || RetentionSweep.IsStorageFailure(ex))
        {
            // Not readable with the rights given (403), not implemented (an emulator), or not reachable just now.
            return "Unknown";
        }
    }

    private sealed class BlobHoldingStore : IHoldingStore, IContainerListing
    {
        private readonly BlobRetentionStorage account;
        private readonly BlobContainerClient container;
        private readonly HoldingLocation location;
        private readonly BlobDeleteScope scope;

        /// <summary>The container's path as sent, e.g. /devstoreaccount1/data (path-style) or /data.</summary>
        private readonly string containerPath;

        public BlobHoldingStore(BlobRetentionStorage account, BlobContainerClient container, HoldingLocation location)
        {
            this.account = account;
            this.container = container;
            this.location = location;
            scope = new BlobDeleteScope(container.Uri, location.Prefix);
            containerPath = container.Uri.AbsolutePath.TrimEnd('/');
        }

        public string? Absence { get; private set; }

        public IEnumerable<HeldObject> List(CancellationToken cancellationToken) => ListContainer(location.Prefix, cancellationToken);

        public IEnumerable<HeldObject> ListContainer(string? prefix, CancellationToken cancellationToken)
        {
            Absence = null;
            var states = States(cancellationToken);
            if (states is null)
            {
                yield break;
            }

            using var items = container.GetBlobs(BlobTraits.None, states.Value, prefix, cancellationToken).GetEnumerator();
            while (true)
            {
                bool next;
                try
                {
                    next = items.MoveNext();
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    ProveGone(ex, cancellationToken);
                    yield break;
                }

                if (!next)
                {
                    yield break;
                }

                var item = items.Current;

                // A listing by prefix only returns names under it; checked again all the same.
                if (!item.Name.StartsWith(prefix ?? string.Empty, StringComparison.Ordinal))
                {
                    continue;
                }

                yield return new HeldObject
                {
                    Name = item.Name,
                    Snapshot = string.IsNullOrEmpty(item.Snapshot) ? null : item.Snapshot,
                    VersionId = string.IsNullOrEmpty(item.VersionId) ? null : item.VersionId,
                    // With versioning, only the current version carries the flag; without it there are no version ids.
                    IsCurrent = string.IsNullOrEmpty(item.VersionId) || item.IsLatestVersion == true,
                    Size = item.Properties.ContentLength ?? 0,
                };
            }
        }

        /// <summary>
        /// What to list: snapshots and versions, or snapshots only where the service refuses the versions option (an
        /// emulator); null when the container is proved gone. Asked once per holding with a one-item page.
        /// </summary>
        private BlobStates? States(CancellationToken cancellationToken)
        {
            if (account.states is { } known)
            {
                return known;
            }

            // Holdings are measured side by side: one probe for the account, not one for each holding that starts first.
            lock (account.probing)
            {
                return account.states ?? Probe(cancellationToken);
            }
        }

        private BlobStates? Probe(CancellationToken cancellationToken)
        {
            try
            {
                foreach (var _ in container.GetBlobs(BlobTraits.None, BlobStates.Snapshots | BlobStates.Version, location.Prefix, cancellationToken).AsPages(pageSizeHint: 1))
                {
                    break;
                }

                account.states = BlobStates.Snapshots | BlobStates.Version;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                ProveGone(ex, cancellationToken);
                return null;
            }
            catch (RequestFailedException ex) when (ex.Status is 400 or 501)
            {
                account.states = BlobStates.Snapshots;
            }

            return account.states;
        }

        /// <summary>
        /// A 404 to a listing is not an empty holding by itself: a wrong endpoint, a wrong account or a proxy answer
        /// looks the same. Only ContainerNotFound, confirmed by the account's own list of containers (which must be
        /// readable and must not have it), is taken for "no longer exists"; anything else fails the listing.
        /// </summary>
        private void ProveGone(RequestFailedException notFound, CancellationToken cancellationToken)
        {
            if (notFound.ErrorCode != "ContainerNotFound")
            {
                throw new StorageListingException(
                    $"the listing answered 404 {notFound.ErrorCode ?? "without an error code"}, not ContainerNotFound (a wrong endpoint or account answers like that), and a failed listing is never taken for an empty holding", notFound);
            }

            bool listed;
            try
            {
                listed = account.connection.Client.GetBlobContainers(prefix: location.Container, cancellationToken: cancellationToken)
                    .Any(c => string.Equals(c.Name, location.Container, StringComparison.Ordinal));
            }
            catch (RequestFailedException ex)
            {
                throw new StorageListingException(
                    $"the listing answered 404 ContainerNotFound, and the account's list of containers, read to confirm it, answered {ex.Status} {ex.ErrorCode}: not taken for an empty holding", ex);
            }

            if (listed)
            {
                throw new StorageListingException(
                    $"the listing answered 404 ContainerNotFound, yet the account still lists the container {location.Container}: not taken for an empty holding", notFound);
            }

            Absence = $"the container {location.Container} no longer exists on {account.EndpointText} (the account's list of containers does not have it)";
        }

        public async Task<DeleteAnswer> DeleteAsync(HeldObject item, CancellationToken cancellationToken)
        {
            // Proof before any request: the name lies inside the holding however it might be read, and its escaped
            // form names exactly it. The pipeline's guard checks the address once more just before it is sent.
            if (!BlobNames.IsInside(item.Name, location.Prefix, out var why))
            {
                return DeleteAnswer.Unsafe(item, why);
            }

            var escaped = BlobNames.Escape(item.Name);
            if (BlobNames.Unescape(escaped) != item.Name)
            {
                return DeleteAnswer.Unsafe(item, "its name cannot be written as an exact address");
            }

            var blob = container.GetBlobClient(item.Name);
            try
            {
                using (ExactBlobAddress.Use(scope, containerPath + "/" + escaped))
                {
                    if (item.Snapshot is not null)
                    {
                        await blob.WithSnapshot(item.Snapshot).DeleteAsync(DeleteSnapshotsOption.None, cancellationToken: cancellationToken).ConfigureAwait(false);
                    }
                    else if (item.VersionId is not null && !item.IsCurrent)
                    {
                        await blob.WithVersion(item.VersionId).DeleteAsync(DeleteSnapshotsOption.None, cancellationToken: cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        await blob.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
                        if (item.VersionId is not null)
                        {
                            // With versioning on, deleting the blob keeps its current version as a previous one: delete that too.
                            await DeleteVersionAsync(blob, item.VersionId, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }

                return DeleteAnswer.Deleted;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return DeleteAnswer.Gone;
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && ex.ErrorCode is "BlobImmutableDueToLegalHold" or "BlobImmutableDueToPolicy")
            {
                return new DeleteAnswer(DeleteResult.Blocked, ex.ErrorCode);
            }
            catch (BlobDeleteRefusedException ex)
            {
                return DeleteAnswer.Unsafe(item, ex.Message);
            }
        }

        private static async Task DeleteVersionAsync(BlobClient blob, string versionId, CancellationToken cancellationToken)
        {
            try
            {
                await blob.WithVersion(versionId).DeleteAsync(DeleteSnapshotsOption.None, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Already gone.
            }
        }

        public void Finish(CancellationToken cancellationToken)
        {
            if (location.Prefix is null)
            {
                using (ExactBlobAddress.Use(scope, null))
                {
                    container.DeleteIfExists(cancellationToken: cancellationToken);
                }
            }
        }
    }
}

/// <summary>A listing that failed in a way the SDK does not see as a failure (a 404 not proved to mean "gone").</summary>
public sealed class StorageListingException : Exception
{
    public StorageListingException()
    {
    }

    public StorageListingException(string message)
        : base(message)
    {
    }

    public StorageListingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
