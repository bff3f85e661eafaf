using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Storage;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The sweep through the real Azure SDK against Azurite: a prefix of 1,500 blobs beside look-alike prefixes of an
/// agreement that is still active, and a container whose blob has snapshots. (The rules are in RetentionServiceTests;
/// what Azurite cannot do, a legal hold above all, is in BlobRetentionStorageTests.)
/// </summary>
public sealed class BlobSweepAzuriteTests : IClassFixture<AzuriteBlobFixture>, IDisposable
{
    private readonly AzuriteServer azurite;
    private readonly BlobRest blobs;
    private readonly TestRegister test = new();
    private readonly FakeHost host = new();
    private readonly string run = Guid.NewGuid().ToString("N").Substring(0, 8);

    public BlobSweepAzuriteTests(AzuriteBlobFixture fixture)
    {
        azurite = fixture.Server;
        blobs = new BlobRest(azurite);
    }

    private string Shared => "shared-" + run;

    private string Snaps => "snaps-" + run;

    private string Uri(string container) => azurite.BlobEndpoint.ToString().TrimEnd('/') + "/" + container;

    private void Put(string container, params string[] names)
    {
        foreach (var name in names)
        {
            blobs.PutBlob(container, name, Encoding.UTF8.GetBytes("content of " + name));
        }
    }

    private void Agreement(string id, string starts, string ends)
    {
        var agreement = Samples.Agreement(id, starts, ends);
        agreement.RetentionDays = 0;
        test.Engine.Agreements.Create(agreement, host);
    }

    [Fact]
    public void Every_due_blob_goes_snapshots_included_verified_and_the_look_alikes_of_an_active_agreement_stay()
    {
        // The clock is 2026-06-15: ENDED1 and ENDED2 ended with nothing kept after, ACTIVE1 runs to the end of the year.
        Agreement("ENDED1", "2026-01-01", "2026-06-01");
        Agreement("ENDED2", "2026-01-01", "2026-06-05");
        Agreement("ACTIVE1", "2026-01-01", "2026-12-31");

        blobs.CreateContainer(Shared);
        Put(Shared, "share-12/a.csv", "share-12/b/c.csv", "share-123/a.csv", "share-123/b/c.csv", "share-12x.csv");
        for (var i = 0; i < 1500; i++)
        {
            blobs.PutBlob(Shared, $"share-12/bulk/{i:0000}.csv", new byte[] { 1, 2, 3 });
        }

        blobs.CreateContainer(Snaps);
        Put(Snaps, "extract.csv", "lookup.csv");
        blobs.Snapshot(Snaps, "extract.csv");
        blobs.Snapshot(Snaps, "extract.csv");

        test.Engine.Retention.Register("ENDED1", Uri(Shared) + "/share-12/", host);
        test.Engine.Retention.Register("ACTIVE1", Uri(Shared) + "/share-123", host);
        test.Engine.Retention.Register("ENDED2", Uri(Snaps), host);
        var connection = StorageConnection.Create(new StorageConnectionOptions { ConnectionString = azurite.ConnectionString, AllowHttpLoopback = true });
        var errors = new List<DataShareException>();

        var records = test.Engine.Retention.Sweep(new SweepOptions(), _ => new BlobRetentionStorage(connection), host, errors.Add).ToList();

        Assert.Empty(errors);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal((DestructionOutcome.Destroyed, true, 0L, "Off"), (r.Outcome, r.Verified, r.ObjectsRemaining, r.SoftDelete)));
        Assert.Equal(1502, records.Single(r => r.Location.EndsWith("/share-12/", StringComparison.Ordinal)).ObjectsDeleted);
        Assert.Equal(4, records.Single(r => r.Location.EndsWith(Snaps, StringComparison.Ordinal)).ObjectsDeleted);
        Assert.Equal(new[] { "share-123/a.csv", "share-123/b/c.csv", "share-12x.csv" }, blobs.ListBlobNames(Shared).OrderBy(n => n, StringComparer.Ordinal));
        Assert.DoesNotContain(Snaps, blobs.ListContainers());

        // Nothing is left to do.
        Assert.Empty(test.Engine.Retention.Sweep(new SweepOptions(), _ => new BlobRetentionStorage(connection), host, errors.Add));
        Assert.Empty(errors);
    }

    public void Dispose()
    {
        blobs.Dispose();
        test.Dispose();
    }
}
