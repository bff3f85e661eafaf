using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace DataShareAdmin.TestSupport;

/// <summary>
/// A few Blob REST calls signed with the account key (Shared Key), without the Azure SDK: the module tests keep an
/// older Azure.Core in the default load context on purpose, so they look at storage through plain HTTP.
/// </summary>
public sealed class BlobRest : IDisposable
{
    private const string Version = "2025-01-05";
    private readonly HttpClient http;
    private readonly Uri endpoint;
    private readonly string account;
    private readonly byte[] key;

    public BlobRest(Uri blobEndpoint, string accountName, string accountKey)
    {
        endpoint = new Uri(blobEndpoint.ToString().TrimEnd('/') + "/");
        account = accountName;
        key = Convert.FromBase64String(accountKey);
        http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public BlobRest(AzuriteServer azurite)
        : this(azurite.BlobEndpoint, azurite.AccountName, azurite.AccountKey)
    {
    }

    /// <summary>Every container's name.</summary>
    public IReadOnlyList<string> ListContainers()
    {
        var xml = Send(HttpMethod.Get, string.Empty, new SortedDictionary<string, string>(StringComparer.Ordinal) { ["comp"] = "list" });
        return XDocument.Parse(xml).Descendants("Container").Select(c => (string)c.Element("Name")!).ToList();
    }

    /// <summary>The blobs in a container with their metadata (keys lower case).</summary>
    public IReadOnlyList<(string Name, long Size, IReadOnlyDictionary<string, string> Metadata)> ListBlobs(string container)
    {
        var xml = Send(HttpMethod.Get, container, new SortedDictionary<string, string>(StringComparer.Ordinal) { ["comp"] = "list", ["include"] = "metadata", ["restype"] = "container" });
        return XDocument.Parse(xml).Descendants("Blob").Select(b => (
            (string)b.Element("Name")!,
            long.Parse((string)b.Element("Properties")!.Element("Content-Length")!, CultureInfo.InvariantCulture),
            (IReadOnlyDictionary<string, string>)(b.Element("Metadata")?.Elements().ToDictionary(e => e.Name.LocalName.ToLowerInvariant(), e => e.Value) ?? new Dictionary<string, string>()))).ToList();
    }

    /// <summary>The ids of the container's stored access policies.</summary>
    public IReadOnlyList<string> ListAccessPolicies(string container)
    {
        var xml = Send(HttpMethod.Get, container, new SortedDictionary<string, string>(StringComparer.Ordinal) { ["comp"] = "acl", ["restype"] = "container" });
        return XDocument.Parse(xml).Descendants("SignedIdentifier").Select(s => (string)s.Element("Id")!).ToList();
    }

    public void CreateContainer(string container) =>
        Send(HttpMethod.Put, container, new SortedDictionary<string, string>(StringComparer.Ordinal) { ["restype"] = "container" });

    /// <summary>Uploads a small block blob in one request.</summary>
    public void PutBlob(string container, string name, byte[] content) =>
        Send(HttpMethod.Put, container + "/" + Uri.EscapeDataString(name).Replace("%2F", "/", StringComparison.Ordinal),
            new SortedDictionary<string, string>(StringComparer.Ordinal), content, new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-ms-blob-type"] = "BlockBlob" });

    /// <summary>
    /// Uploads a small block blob at a path given already escaped and sent exactly as written, never normalised: so
    /// <c>p/%2E%2E/p2/z.csv</c> makes a blob named <c>p/../p2/z.csv</c>, which a client building its address from the
    /// name would turn into <c>p2/z.csv</c>.
    /// </summary>
    public void PutBlobAtEscapedPath(string container, string escapedName, byte[] content) =>
        Send(HttpMethod.Put, container + "/" + escapedName, new SortedDictionary<string, string>(StringComparer.Ordinal), content,
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-ms-blob-type"] = "BlockBlob" }, exactPath: true);

    /// <summary>Takes a snapshot of a blob.</summary>
    public void Snapshot(string container, string name) =>
        Send(HttpMethod.Put, container + "/" + Uri.EscapeDataString(name).Replace("%2F", "/", StringComparison.Ordinal),
            new SortedDictionary<string, string>(StringComparer.Ordinal) { ["comp"] = "snapshot" });

    /// <summary>Every blob name in a container, snapshots included (as name@snapshot).</summary>
    public IReadOnlyList<string> ListBlobNames(string container, bool withSnapshots = true)
    {
        var names = new List<string>();
        string? marker = null;
        do
        {
            var query = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["comp"] = "list", ["restype"] = "container" };
            if (withSnapshots)
            {
                query["include"] = "snapshots";
            }

            if (marker is not null)
            {
                query["marker"] = marker;
            }

            var document = XDocument.Parse(Send(HttpMethod.Get, container, query));
            names.AddRange(document.Descendants("Blob").Select(b => (string)b.Element("Name")! + ((string?)b.Element("Snapshot") is { Length: > 0 } snapshot ? "@" + snapshot : string.Empty)));
            marker = (string?)document.Root!.Element("NextMarker");
        }
        while (!string.IsNullOrEmpty(marker));

        return names;
    }

    private string Send(HttpMethod method, string path, SortedDictionary<string, string> query, byte[]? body = null, SortedDictionary<string, string>? headers = null, bool exactPath = false)
    {
        var relative = path + (query.Count == 0 ? string.Empty : "?" + string.Join("&", query.Select(q => q.Key + "=" + Uri.EscapeDataString(q.Value))));

        // System.Uri unescapes %2E and removes dot segments unless told not to; HttpClient then sends the path as it is.
        var address = exactPath
            ? new Uri(endpoint.AbsoluteUri + relative, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true })
            : new Uri(endpoint, relative);
        using var request = new HttpRequestMessage(method, address);
        var date = DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        var msHeaders = new SortedDictionary<string, string>(headers ?? new SortedDictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal)
        {
            ["x-ms-date"] = date,
            ["x-ms-version"] = Version,
        };
        foreach (var header in msHeaders)
        {
            request.Headers.Add(header.Key, header.Value);
        }

        var length = string.Empty;
        if (body is not null || method == HttpMethod.Put)
        {
            request.Content = new ByteArrayContent(body ?? Array.Empty<byte>());
            length = body is { Length: > 0 } ? body.Length.ToString(CultureInfo.InvariantCulture) : string.Empty;
        }

        // Shared Key: the verb, the standard headers (only Content-Length is ever set here), the x-ms- headers, the resource.
        var resource = "/" + account + address.AbsolutePath + string.Concat(query.Select(q => "\n" + q.Key + ":" + q.Value));
        var toSign = method.Method + "\n\n\n" + length + "\n" + new string('\n', 8)
            + string.Concat(msHeaders.Select(h => h.Key + ":" + h.Value + "\n")) + resource;
        using var hmac = new HMACSHA256(key);
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(toSign)));
        request.Headers.TryAddWithoutValidation("Authorization", "SharedKey " + account + ":" + signature);

        using var response = http.Send(request);
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {address} answered {(int)response.StatusCode}: {text}");
        }

        return text.TrimStart('\uFEFF');
    }

    public void Dispose() => http.Dispose();
}
