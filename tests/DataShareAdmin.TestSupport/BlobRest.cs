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

    private string Send(HttpMethod method, string path, SortedDictionary<string, string> query)
    {
        var address = new Uri(endpoint, path + "?" + string.Join("&", query.Select(q => q.Key + "=" + Uri.EscapeDataString(q.Value))));
        using var request = new HttpRequestMessage(method, address);
        var date = DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-version", Version);

        // Shared Key: the verb, eleven empty standard headers (no body), the x-ms- headers, then the resource.
        var resource = "/" + account + address.AbsolutePath + string.Concat(query.Select(q => "\n" + q.Key + ":" + q.Value));
        var toSign = method.Method + "\n" + new string('\n', 11) + "x-ms-date:" + date + "\nx-ms-version:" + Version + "\n" + resource;
        using var hmac = new HMACSHA256(key);
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(toSign)));
        request.Headers.TryAddWithoutValidation("Authorization", "SharedKey " + account + ":" + signature);

        using var response = http.Send(request);
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {address} answered {(int)response.StatusCode}: {body}");
        }

        return body.TrimStart('\uFEFF');
    }

    public void Dispose() => http.Dispose();
}
