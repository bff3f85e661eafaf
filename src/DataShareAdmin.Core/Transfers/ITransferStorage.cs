using System;
using System.Collections.Generic;
using System.Threading;

namespace DataShareAdmin.Core.Transfers;

/// <summary>A blob as listed: its name, size and metadata.</summary>
public sealed class StoredFile
{
    public string Name { get; set; } = string.Empty;

    public long Size { get; set; }

    public IDictionary<string, string> Metadata { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>How files are uploaded: the block size and how many blocks are in flight at once.</summary>
public sealed class UploadOptions
{
    public const int DefaultBlockSize = 8 * 1024 * 1024;

    /// <summary>Bytes per staged block; files no larger than this go up in one request.</summary>
    public int BlockSize { get; set; } = DefaultBlockSize;

    /// <summary>Blocks uploaded at once.</summary>
    public int Concurrency { get; set; } = Math.Max(4, Math.Min(16, Environment.ProcessorCount * 2));
}

/// <summary>
/// What a transfer needs from blob storage. The engine's one implementation talks to Azure Storage (or Azurite);
/// tests use it as the seam for what the emulator lacks (user-delegation keys, injected failures).
/// </summary>
public interface ITransferStorage
{
    string AccountName { get; }

    /// <summary>The blob endpoint, without a query string.</summary>
    Uri BlobEndpoint { get; }

    /// <summary>True with an account key: links are service SAS bound to stored access policies.</summary>
    bool CanSignWithAccountKey { get; }

    /// <summary>True when plain http to a loopback emulator was explicitly allowed; links then allow http too.</summary>
    bool AllowsHttp { get; }

    /// <summary>
    /// Creates a new container with its metadata. A container of that name already there is an error
    /// (TransferContainerExists), never reused, unless its metadata names the same holding: then it is this create's own,
    /// applied though its answer was lost and the request was sent again.
    /// </summary>
    void CreateContainer(string container, IDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <summary>Deletes a container and everything in it; false when it was not there.</summary>
    bool DeleteContainer(string container, CancellationToken cancellationToken);

    /// <summary>
    /// Uploads one file as a new blob, computing its SHA-256 in the same pass, and stores size and hash in the blob's
    /// metadata. <paramref name="progress"/> is called on the calling thread with the bytes uploaded so far. A blob of
    /// that name already there is TransferBlobExists, unless it is this very file (size and SHA-256): a write applied
    /// though its answer was lost.
    /// </summary>
    TransferFile Upload(string container, string blobName, string path, IDictionary<string, string> metadata, UploadOptions options,
        Action<long> progress, CancellationToken cancellationToken);

    /// <summary>The blobs in a container with their metadata; null when the container does not exist.</summary>
    IReadOnlyList<StoredFile>? ListFiles(string container, CancellationToken cancellationToken);

    /// <summary>Adds a read-and-list stored access policy to the container, keeping the ones already there.</summary>
    void AddAccessPolicy(string container, string policyId, DateTimeOffset startsOn, DateTimeOffset expiresOn, CancellationToken cancellationToken);

    /// <summary>Removes a stored access policy; false when it (or the container) was not there.</summary>
    bool RemoveAccessPolicy(string container, string policyId, CancellationToken cancellationToken);

    /// <summary>A container link: a service SAS bound to the stored access policy.</summary>
    Uri SignWithAccessPolicy(string container, string policyId, string? ipRange);

    /// <summary>A container link: a read-and-list user-delegation SAS over exactly this window.</summary>
    Uri SignWithUserDelegation(string container, DateTimeOffset startsOn, DateTimeOffset expiresOn, string? ipRange, CancellationToken cancellationToken);
}
