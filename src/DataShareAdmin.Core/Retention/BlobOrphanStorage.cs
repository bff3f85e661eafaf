using System;
using System.Collections.Generic;
using System.Threading;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DataShareAdmin.Core.Storage;

namespace DataShareAdmin.Core.Retention;

/// <summary>Listings for the orphan search on Azure Blob Storage (or Azurite), through the session's connection.</summary>
public sealed class BlobOrphanStorage : IOrphanStorage
{
    private readonly StorageConnection connection;

    public BlobOrphanStorage(StorageConnection connection) => this.connection = connection;

    public string AccountName => connection.Info.AccountName;

    public Uri BlobEndpoint => connection.Info.BlobEndpoint;

    public IEnumerable<ListedContainer> ListContainers(CancellationToken cancellationToken)
    {
        foreach (var item in connection.Client.GetBlobContainers(BlobContainerTraits.Metadata, BlobContainerStates.None, prefix: null, cancellationToken))
        {
            yield return new ListedContainer
            {
                Name = item.Name,
                Metadata = new Dictionary<string, string>(item.Properties.Metadata ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase),
                LastModified = item.Properties.LastModified,
            };
        }
    }

    public IEnumerable<ListedEntry> ListChildren(string container, string prefix, CancellationToken cancellationToken) =>
        Listing(connection.Client.GetBlobContainerClient(container).GetBlobsByHierarchy(BlobTraits.None, BlobStates.None, "/", prefix.Length == 0 ? null : prefix, cancellationToken),
            item => item.IsPrefix
                ? new ListedEntry { Name = item.Prefix, IsPrefix = true }
                : new ListedEntry { Name = item.Blob.Name, Size = item.Blob.Properties.ContentLength ?? 0, LastModified = item.Blob.Properties.LastModified });

    public IEnumerable<ListedEntry> ListAll(string container, string? prefix, CancellationToken cancellationToken) =>
        Listing(connection.Client.GetBlobContainerClient(container).GetBlobs(BlobTraits.None, BlobStates.None, prefix, cancellationToken),
            item => new ListedEntry { Name = item.Name, Size = item.Properties.ContentLength ?? 0, LastModified = item.Properties.LastModified });

    /// <summary>A listing, streamed; a container that is not there lists as nothing.</summary>
    private static IEnumerable<ListedEntry> Listing<T>(Pageable<T> pages, Func<T, ListedEntry> entry)
        where T : notnull
    {
        using var items = pages.GetEnumerator();
        while (true)
        {
            try
            {
                if (!items.MoveNext())
                {
                    yield break;
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                yield break;
            }

            yield return entry(items.Current);
        }
    }
}
