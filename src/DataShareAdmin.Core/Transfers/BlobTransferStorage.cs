using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using DataShareAdmin.Core.Storage;

namespace DataShareAdmin.Core.Transfers;

/// <summary>Transfers on Azure Blob Storage (or Azurite) through the session's connection.</summary>
public sealed class BlobTransferStorage : ITransferStorage
{
    public const string Sha256Key = "sha256";
    public const string SizeKey = "size";

    private const string LinkPermissions = "rl";

    private readonly StorageConnection connection;

    public BlobTransferStorage(StorageConnection connection) => this.connection = connection;

    public string AccountName => connection.Info.AccountName;

    public Uri BlobEndpoint => connection.Info.BlobEndpoint;

    public bool CanSignWithAccountKey => connection.Info.CanSignWithAccountKey;

    public bool AllowsHttp => connection.Info.IsInsecureLoopback;

    private BlobServiceClient Client => connection.Client;

    public void CreateContainer(string container, IDictionary<string, string> metadata, CancellationToken cancellationToken) => Call(container, () =>
    {
        var client = Client.GetBlobContainerClient(container);
        try
        {
            client.Create(PublicAccessType.None, metadata, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // The SDK sends a create again when its answer was lost, and the retry finds the container made: that is
            // this create's own work exactly when the container carries this holding's id.
            if (ex.ErrorCode == "ContainerAlreadyExists" && Carries(client, metadata, cancellationToken))
            {
                return;
            }

            throw new DataShareException("TransferContainerExists", DataShareErrorCategory.ResourceExists,
                $"Container '{container}' already exists in {AccountName} and was not created by this transfer; a transfer never reuses a container it did not create.", container, ex);
        }
    });

    /// <summary>True when the container is there and its metadata names the same holding.</summary>
    private static bool Carries(BlobContainerClient client, IDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        try
        {
            var stored = new Dictionary<string, string>(client.GetProperties(cancellationToken: cancellationToken).Value.Metadata, StringComparer.OrdinalIgnoreCase);
            return metadata.TryGetValue("holdingid", out var holding) && stored.TryGetValue("holdingid", out var found) && found == holding;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    public bool DeleteContainer(string container, CancellationToken cancellationToken) => Call(container, () =>
    {
        try
        {
            return Client.GetBlobContainerClient(container).DeleteIfExists(cancellationToken: cancellationToken).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 409 && ex.ErrorCode == "ContainerBeingDeleted")
        {
            // A delete sent again after its answer was lost finds the first one under way: it is going.
            return true;
        }
    });

    public TransferFile Upload(string container, string blobName, string path, IDictionary<string, string> metadata, UploadOptions options,
        Action<long> progress, CancellationToken cancellationToken) => Call(container, () =>
    {
        var blob = Client.GetBlobContainerClient(container).GetBlockBlobClient(blobName);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var length = file.Length;
        var headers = new BlobHttpHeaders { ContentType = "application/octet-stream" };

        // A new blob only: never overwrite something already there.
        var onlyNew = new BlobRequestConditions { IfNoneMatch = ETag.All };

        if (length <= options.BlockSize)
        {
            var content = new byte[length];
            var read = ReadBlock(file, content, content.Length, cancellationToken);
            sha.AppendData(content, 0, read);
            var result = Finish(sha, read, metadata);
            OnlyOnce(container, blobName, blob, result, () => blob.Upload(new MemoryStream(content, 0, read, writable: false), new BlobUploadOptions
            {
                Metadata = metadata,
                HttpHeaders = headers,
                Conditions = onlyNew,
            }, cancellationToken), cancellationToken);
            progress(read);
            return result;
        }

        var total = UploadBlocks(blob, file, sha, options, progress, cancellationToken, out var blockIds);
        var file256 = Finish(sha, total, metadata);
        OnlyOnce(container, blobName, blob, file256,
            () => blob.CommitBlockList(blockIds, new CommitBlockListOptions { Metadata = metadata, HttpHeaders = headers, Conditions = onlyNew }, cancellationToken), cancellationToken);
        return file256;
    });

    /// <summary>
    /// Writes a new blob that must not overwrite anything. When the service says one is there already (the SDK sent the
    /// write again after its answer was lost, and the retry found it applied), it is taken as written only if it is
    /// this very file: the same size and the SHA-256 computed while the file was read. Anything else is refused.
    /// </summary>
    private void OnlyOnce(string container, string blobName, BlockBlobClient blob, TransferFile file, Action write, CancellationToken cancellationToken)
    {
        try
        {
            write();
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            BlobProperties? there;
            try
            {
                there = blob.GetProperties(cancellationToken: cancellationToken).Value;
            }
            catch (RequestFailedException gone) when (gone.Status == 404)
            {
                there = null;
            }

            var stored = there is null ? null : new Dictionary<string, string>(there.Metadata, StringComparer.OrdinalIgnoreCase);
            if (there is null || there.ContentLength != file.Size || stored!.TryGetValue(Sha256Key, out var sha) != true || sha != file.Sha256)
            {
                throw new DataShareException("TransferBlobExists", DataShareErrorCategory.ResourceExists,
                    $"Storage account {AccountName} answered {ex.Status} {ex.ErrorCode}: a blob named '{blobName}' is already in container '{container}', and it is not this file ({(there is null ? "none can be read there" : "its size or SHA-256 differs")}). A transfer never overwrites a blob.",
                    container, ex);
            }
        }
    }

    /// <summary>
    /// Reads and hashes the file in order on the calling thread while up to <see cref="UploadOptions.Concurrency"/>
    /// blocks are staged in parallel: the one pass over the file both hashes and feeds the uploads.
    /// </summary>
    private static long UploadBlocks(BlockBlobClient blob, FileStream file, IncrementalHash sha, UploadOptions options, Action<long> progress,
        CancellationToken cancellationToken, out List<string> blockIds)
    {
        blockIds = new List<string>();
        var slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        var inFlight = new List<Task>();
        long uploaded = 0;
        long total = 0;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                // Wait for a free slot, reporting progress while waiting.
                while (!slots.Wait(250, failed.Token))
                {
                    progress(Interlocked.Read(ref uploaded));
                }

                var buffer = ArrayPool<byte>.Shared.Rent(options.BlockSize);
                int read;
                try
                {
                    read = ReadBlock(file, buffer, options.BlockSize, failed.Token);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    slots.Release();
                    throw;
                }

                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    slots.Release();
                    break;
                }

                sha.AppendData(buffer, 0, read);
                total += read;
                var blockId = Convert.ToBase64String(Encoding.ASCII.GetBytes(blockIds.Count.ToString("D8", CultureInfo.InvariantCulture)));
                blockIds.Add(blockId);
                inFlight.Add(Stage(blob, blockId, buffer, read, slots, failed, () => Interlocked.Add(ref uploaded, read)));
                progress(Interlocked.Read(ref uploaded));
                inFlight.RemoveAll(t => t.IsCompleted && !t.IsFaulted && !t.IsCanceled);
            }

            var all = Task.WhenAll(inFlight);
            while (!all.Wait(250, cancellationToken))
            {
                progress(Interlocked.Read(ref uploaded));
            }

            progress(total);
            return total;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && (ex is OperationCanceledException or AggregateException))
        {
            // A stage failed and cancelled the others: report that stage's own failure, not the cancellations.
            throw FirstFailure(inFlight) ?? ex;
        }
        catch (AggregateException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
        finally
        {
            failed.Cancel();
            try
            {
                Task.WaitAll(inFlight.ToArray());
            }
            catch (AggregateException)
            {
                // Already reported above; the buffers are back in the pool either way.
            }

            slots.Dispose();
        }
    }

    private static Exception? FirstFailure(List<Task> tasks)
    {
        try
        {
            Task.WaitAll(tasks.ToArray());
        }
        catch (AggregateException)
        {
            // Looked at one by one below.
        }

        foreach (var task in tasks)
        {
            if (task.IsFaulted && task.Exception!.InnerException is { } inner && inner is not OperationCanceledException)
            {
                return inner;
            }
        }

        return null;
    }

    private static async Task Stage(BlockBlobClient blob, string blockId, byte[] buffer, int count, SemaphoreSlim slots, CancellationTokenSource failed, Action done)
    {
        try
        {
            using var content = new MemoryStream(buffer, 0, count, writable: false);
            await blob.StageBlockAsync(blockId, content, options: null, failed.Token).ConfigureAwait(false);
            done();
        }
        catch
        {
            // One failed block fails the file: stop the rest at once.
            failed.Cancel();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            slots.Release();
        }
    }

    private static int ReadBlock(Stream file, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var read = file.Read(buffer, filled, count - filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private static TransferFile Finish(IncrementalHash sha, long size, IDictionary<string, string> metadata)
    {
        var hash = ToHex(sha.GetHashAndReset());
        metadata[Sha256Key] = hash;
        metadata[SizeKey] = size.ToString(CultureInfo.InvariantCulture);
        return new TransferFile { Size = size, Sha256 = hash };
    }

    public IReadOnlyList<StoredFile>? ListFiles(string container, CancellationToken cancellationToken) => Call(container, () =>
    {
        var client = Client.GetBlobContainerClient(container);
        var files = new List<StoredFile>();
        try
        {
            foreach (var item in client.GetBlobs(BlobTraits.Metadata, BlobStates.None, prefix: null, cancellationToken))
            {
                files.Add(new StoredFile
                {
                    Name = item.Name,
                    Size = item.Properties.ContentLength ?? 0,
                    Metadata = new Dictionary<string, string>(item.Metadata, StringComparer.OrdinalIgnoreCase),
                });
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        return (IReadOnlyList<StoredFile>?)files;
    });

    public void AddAccessPolicy(string container, string policyId, DateTimeOffset startsOn, DateTimeOffset expiresOn, CancellationToken cancellationToken) => Call(container, () =>
    {
        ChangePolicies(container, policyId, identifiers =>
        {
            // A transfer policy past its expiry grants nothing any more; dropping it frees one of the five slots.
            identifiers.RemoveAll(i => i.Id.StartsWith(Ids.TransferPrefix, StringComparison.Ordinal)
                && i.AccessPolicy?.PolicyExpiresOn is { } expired && expired < DateTimeOffset.UtcNow);
            if (identifiers.Count >= 5)
            {
                throw new DataShareException("TransferAccessPoliciesFull", DataShareErrorCategory.LimitsExceeded,
                    $"Container '{container}' already has 5 stored access policies (links), the most Azure allows. Revoke an older transfer of these files first.", container);
            }

            identifiers.Add(new BlobSignedIdentifier
            {
                Id = policyId,
                AccessPolicy = new BlobAccessPolicy { PolicyStartsOn = startsOn, PolicyExpiresOn = expiresOn, Permissions = LinkPermissions },
            });
        }, done: present => present, cancellationToken);
    });

    public bool RemoveAccessPolicy(string container, string policyId, CancellationToken cancellationToken) => Call(container, () =>
    {
        try
        {
            return ChangePolicies(container, policyId, identifiers => identifiers.RemoveAll(i => string.Equals(i.Id, policyId, StringComparison.Ordinal)), done: present => !present, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    });

    /// <summary>
    /// Reads the container's stored access policies, changes them and writes them back on condition that the container
    /// has not changed since (the service takes date conditions here, not ETags), so a concurrent change is not lost.
    /// A write refused because the container changed is read again: when <paramref name="done"/> says the policy is
    /// already as wanted (this change's own write, applied though its answer was lost), that is success; otherwise the
    /// change is made again. Returns false when the policy was as wanted before anything was written.
    /// </summary>
    private bool ChangePolicies(string container, string policyId, Action<List<BlobSignedIdentifier>> change, Func<bool, bool> done, CancellationToken cancellationToken)
    {
        var client = Client.GetBlobContainerClient(container);
        for (var attempt = 1; ; attempt++)
        {
            var current = client.GetAccessPolicy(cancellationToken: cancellationToken).Value;
            var identifiers = new List<BlobSignedIdentifier>(current.SignedIdentifiers);
            if (done(identifiers.Any(i => string.Equals(i.Id, policyId, StringComparison.Ordinal))))
            {
                return attempt > 1;
            }

            change(identifiers);
            try
            {
                client.SetAccessPolicy(PublicAccessType.None, identifiers, new BlobRequestConditions { IfUnmodifiedSince = current.LastModified }, cancellationToken);
                return true;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 3)
            {
                // Changed since it was read, perhaps by this very write: read again and look.
            }
        }
    }

    public Uri SignWithAccessPolicy(string container, string policyId, string? ipRange)
    {
        var builder = new BlobSasBuilder
        {
            BlobContainerName = container,
            Resource = "c",
            Identifier = policyId,
            Protocol = AllowsHttp ? SasProtocol.HttpsAndHttp : SasProtocol.Https,
        };
        SetIpRange(builder, ipRange);
        return Client.GetBlobContainerClient(container).GenerateSasUri(builder);
    }

    public Uri SignWithUserDelegation(string container, DateTimeOffset startsOn, DateTimeOffset expiresOn, string? ipRange, CancellationToken cancellationToken) => Call(container, () =>
    {
        var key = Client.GetUserDelegationKey(startsOn, expiresOn, cancellationToken).Value;
        var builder = new BlobSasBuilder
        {
            BlobContainerName = container,
            Resource = "c",
            StartsOn = startsOn,
            ExpiresOn = expiresOn,
            Protocol = AllowsHttp ? SasProtocol.HttpsAndHttp : SasProtocol.Https,
        };
        builder.SetPermissions(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List);
        SetIpRange(builder, ipRange);
        var uri = new BlobUriBuilder(Client.GetBlobContainerClient(container).Uri) { Sas = builder.ToSasQueryParameters(key, AccountName) };
        return uri.ToUri();
    });

    private static void SetIpRange(BlobSasBuilder builder, string? ipRange)
    {
        if (ipRange is not null)
        {
            builder.IPRange = SasIPRange.Parse(ipRange);
        }
    }

    private static string ToHex(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            text.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Storage failures as the engine's errors, without the SDK's request dump (which can quote headers).</summary>
    private T Call<T>(string container, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (RequestFailedException ex) when (ex.Status is 401 or 403)
        {
            throw new DataShareException("StorageAuthorizationFailed", DataShareErrorCategory.PermissionDenied,
                $"Storage account {AccountName} refused the request on container '{container}' ({StorageErrors.Describe(ex)}). With Microsoft Entra sign-in, transfers need the 'Storage Blob Data Contributor' role (and 'Storage Blob Delegator' for links).",
                container, ex);
        }
        catch (RequestFailedException ex)
        {
            throw new DataShareException("StorageRequestFailed", DataShareErrorCategory.WriteError,
                $"Storage account {AccountName} answered on container '{container}': {StorageErrors.Describe(ex)}", container, ex);
        }
        catch (Exception ex) when (ex is System.Net.Http.HttpRequestException || ex.InnerException is System.Net.Http.HttpRequestException || ex is AggregateException { InnerException: RequestFailedException or System.Net.Http.HttpRequestException })
        {
            throw new DataShareException("StorageUnavailable", DataShareErrorCategory.ResourceUnavailable,
                $"Storage account {AccountName} at {BlobEndpoint} could not be reached while working on container '{container}'.", container, ex);
        }
    }

    private void Call(string container, Action work) => Call(container, () =>
    {
        work();
        return true;
    });
}
