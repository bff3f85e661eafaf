using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.SafePeople;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Blob storage in memory, for what Azurite cannot show: user-delegation links, failures injected at each step,
/// and the calls made. It reads each file and hashes it the way the real upload does.
/// </summary>
internal sealed class MemoryTransferStorage : ITransferStorage
{
    public string AccountName { get; set; } = "contosodata";

    public Uri BlobEndpoint { get; set; } = new("https://contosodata.blob.core.windows.net");

    public bool CanSignWithAccountKey { get; set; } = true;

    public bool AllowsHttp => false;

    public Dictionary<string, Dictionary<string, StoredFile>> Containers { get; } = new();

    public Dictionary<string, List<string>> Policies { get; } = new();

    /// <summary>Each container's metadata, as created.</summary>
    public Dictionary<string, Dictionary<string, string>> ContainerMetadata { get; } = new();

    /// <summary>Runs as a container is created, before it exists: to look at what the register holds at that moment.</summary>
    public Action<string>? OnCreate { get; set; }

    public List<string> Calls { get; } = new();

    /// <summary>Steps that throw: "Create", "Upload", "AddPolicy", "Sign", "Delete", "RemovePolicy".</summary>
    public HashSet<string> Failing { get; } = new();

    public string FailAt
    {
        set => Failing.Add(value);
    }

    public Action? DuringUpload { get; set; }

    public void CreateContainer(string container, IDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        Step("Create");
        OnCreate?.Invoke(container);
        if (Containers.ContainsKey(container))
        {
            throw new DataShareException("TransferContainerExists", DataShareErrorCategory.ResourceExists, "exists", container);
        }

        Containers[container] = new Dictionary<string, StoredFile>();
        Policies[container] = new List<string>();
        ContainerMetadata[container] = new Dictionary<string, string>(metadata);
    }

    public bool DeleteContainer(string container, CancellationToken cancellationToken)
    {
        Step("Delete");
        Policies.Remove(container);
        return Containers.Remove(container);
    }

    public TransferFile Upload(string container, string blobName, string path, IDictionary<string, string> metadata, UploadOptions options,
        Action<long> progress, CancellationToken cancellationToken)
    {
        Step("Upload");
        DuringUpload?.Invoke();
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = File.ReadAllBytes(path);
        var sha = Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
        metadata[BlobTransferStorage.Sha256Key] = sha;
        metadata[BlobTransferStorage.SizeKey] = bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Containers[container][blobName] = new StoredFile { Name = blobName, Size = bytes.Length, Metadata = new Dictionary<string, string>(metadata) };
        progress(bytes.Length);
        return new TransferFile { Size = bytes.Length, Sha256 = sha };
    }

    public IReadOnlyList<StoredFile>? ListFiles(string container, CancellationToken cancellationToken) =>
        Containers.TryGetValue(container, out var files) ? files.Values.ToList() : null;

    public void AddAccessPolicy(string container, string policyId, DateTimeOffset startsOn, DateTimeOffset expiresOn, CancellationToken cancellationToken)
    {
        Step("AddPolicy");
        if (Policies[container].Count >= 5)
        {
            throw new DataShareException("TransferAccessPoliciesFull", DataShareErrorCategory.LimitsExceeded, "full", container);
        }

        Policies[container].Add(policyId);
    }

    public bool RemoveAccessPolicy(string container, string policyId, CancellationToken cancellationToken)
    {
        Step("RemovePolicy");
        return Policies.TryGetValue(container, out var list) && list.Remove(policyId);
    }

    public Uri SignWithAccessPolicy(string container, string policyId, string? ipRange)
    {
        Step("Sign");
        return new Uri($"{BlobEndpoint}{container}?sv=2025-01-05&si={policyId}&sr=c&spr=https{(ipRange is null ? string.Empty : "&sip=" + ipRange)}&sig=SECRETSIGNATURE");
    }

    public (DateTimeOffset Start, DateTimeOffset Expiry)? DelegationWindow { get; private set; }

    public Uri SignWithUserDelegation(string container, DateTimeOffset startsOn, DateTimeOffset expiresOn, string? ipRange, CancellationToken cancellationToken)
    {
        Step("Sign");
        DelegationWindow = (startsOn, expiresOn);
        return new Uri($"{BlobEndpoint}{container}?sv=2025-01-05&skoid=x&sr=c&sp=rl&spr=https&sig=SECRETSIGNATURE");
    }

    private void Step(string name)
    {
        Calls.Add(name);
        if (Failing.Contains(name))
        {
            throw new DataShareException("StorageRequestFailed", DataShareErrorCategory.WriteError, $"Injected failure at {name}.", null);
        }
    }
}
