using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using DataShareAdmin.Core.Storage;
using DataShareAdmin.Core.Transfers;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The transfer's blob client against Azurite, for what only a real service shows: a link past its policy's expiry is
/// refused, and an expired policy no longer takes one of a container's five slots.
/// </summary>
public sealed class BlobTransferAzuriteTests : IClassFixture<AzuriteBlobFixture>, IDisposable
{
    private readonly AzuriteServer azurite;
    private readonly BlobRest blobs;
    private readonly HttpClient http = new();
    private readonly BlobTransferStorage storage;
    private readonly string container = "dsa-t-" + Guid.NewGuid().ToString("N").Substring(0, 12);

    public BlobTransferAzuriteTests(AzuriteBlobFixture fixture)
    {
        azurite = fixture.Server;
        blobs = new BlobRest(azurite);
        storage = new BlobTransferStorage(StorageConnection.Create(new StorageConnectionOptions { ConnectionString = azurite.ConnectionString, AllowHttpLoopback = true }));
    }

    private HttpStatusCode Status(Uri containerLink, string blob)
    {
        var file = new UriBuilder(containerLink) { Path = containerLink.AbsolutePath + "/" + blob }.Uri;
        using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, file));
        return response.StatusCode;
    }

    [Fact]
    public void An_expired_link_is_refused_and_its_policy_makes_room_for_five_fresh_ones_but_not_six()
    {
        storage.CreateContainer(container, new Dictionary<string, string>(), CancellationToken.None);
        blobs.PutBlob(container, "pupils.csv", Encoding.UTF8.GetBytes("upn\nA1\n"));
        var now = DateTimeOffset.UtcNow;

        storage.AddAccessPolicy(container, "TR-EXPIRED001", now.AddMinutes(-10), now.AddMinutes(-1), CancellationToken.None);
        storage.AddAccessPolicy(container, "TR-CURRENT001", now.AddMinutes(-10), now.AddHours(1), CancellationToken.None);
        Assert.Equal(HttpStatusCode.Forbidden, Status(storage.SignWithAccessPolicy(container, "TR-EXPIRED001", null), "pupils.csv"));
        Assert.Equal(HttpStatusCode.OK, Status(storage.SignWithAccessPolicy(container, "TR-CURRENT001", null), "pupils.csv"));

        var fresh = Enumerable.Range(2, 4).Select(i => $"TR-CURRENT00{i}").ToList();
        foreach (var id in fresh)
        {
            storage.AddAccessPolicy(container, id, now.AddMinutes(-10), now.AddHours(1), CancellationToken.None);
        }

        Assert.Equal(new[] { "TR-CURRENT001" }.Concat(fresh), blobs.ListAccessPolicies(container).Order(StringComparer.Ordinal));
        var full = Assert.Throws<DataShareException>(() => storage.AddAccessPolicy(container, "TR-CURRENT006", now, now.AddHours(1), CancellationToken.None));
        Assert.Equal(("TransferAccessPoliciesFull", DataShareErrorCategory.LimitsExceeded), (full.ErrorId, full.Category));
        Assert.Equal(5, blobs.ListAccessPolicies(container).Count);
    }

    public void Dispose()
    {
        storage.DeleteContainer(container, CancellationToken.None);
        http.Dispose();
        blobs.Dispose();
    }
}
