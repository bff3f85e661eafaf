using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Storage;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// One listing per container on real storage (Azurite, through the proxy that logs every request): due prefixes in
/// one container cost one measuring and one verifying listing, another agreement's sibling prefix and names that only
/// look as if they were under a due prefix are never deleted, and a blob written under a due prefix during the sweep
/// is still found and deleted before the holding is recorded destroyed.
/// </summary>
public sealed class SweepSharedListingAzuriteTests : IClassFixture<AzuriteBlobFixture>, IDisposable
{
    private readonly AzuriteServer azurite;
    private readonly FaultProxy proxy;
    private readonly BlobRest blobs;
    private readonly TestRegister test = new(new DateTimeOffset(2026, 8, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();
    private readonly List<DataShareException> errors = new();
    private readonly string container = "shared-" + Guid.NewGuid().ToString("N").Substring(0, 8);
    private readonly Dictionary<string, DataShareHolding> due = new(StringComparer.Ordinal);

    public SweepSharedListingAzuriteTests(AzuriteBlobFixture fixture)
    {
        azurite = fixture.Server;
        proxy = FaultProxy.Start(azurite.BlobEndpoint);
        blobs = new BlobRest(azurite);
        foreach (var (id, ends) in new[] { ("ENDED", "2026-06-30"), ("ACTIVE", "2026-12-31") })
        {
            var agreement = Samples.Agreement(id, "2026-01-01", ends);
            agreement.RetentionDays = 0;
            test.Engine.Agreements.Create(agreement, host);
        }

        // ENDED holds p/a/, p/b/, p/c/ (two blobs each); ACTIVE holds the sibling p/ab/. Beside them, names that are
        // under no due prefix however they are read.
        blobs.CreateContainer(container);
        foreach (var p in new[] { "a", "b", "c" })
        {
            blobs.PutBlob(container, $"p/{p}/1.csv", new byte[] { 1 });
            blobs.PutBlob(container, $"p/{p}/sub/2.csv", new byte[] { 2, 2 });
            due[p] = test.Engine.Retention.Register("ENDED", $"{Endpoint}/{container}/p/{p}/", host)!;
        }

        test.Engine.Retention.Register("ACTIVE", $"{Endpoint}/{container}/p/ab/", host);
        blobs.PutBlob(container, "p/ab/keep.csv", new byte[] { 3 });
        blobs.PutBlob(container, "p/\u00e1/keep.csv", new byte[] { 3 });
        blobs.PutBlob(container, "p/a\uFF0Fkeep.csv", new byte[] { 3 });
        blobs.PutBlobAtEscapedPath(container, "p/a%252Fkeep.csv", new byte[] { 3 });
    }

    private static readonly string[] Beside = { "p/a%2Fkeep.csv", "p/ab/keep.csv", "p/a\uFF0Fkeep.csv", "p/\u00e1/keep.csv" };

    private string Endpoint => proxy.Map(azurite.BlobEndpoint).ToString().TrimEnd('/');

    private List<DestructionRecord> Sweep(bool share)
    {
        var connection = StorageConnection.Create(new StorageConnectionOptions { ConnectionString = proxy.ConnectionStringFor(azurite), AllowHttpLoopback = true });
        var storage = new BlobRetentionStorage(connection);
        return test.Engine.Retention.Sweep(new SweepOptions { ShareListings = share }, _ => storage, host, errors.Add).ToList();
    }

    private int Listings => proxy.Requests.Count(r => r.Method == "GET" && r.Target.Contains(container, StringComparison.Ordinal) && r.Target.Contains("comp=list", StringComparison.Ordinal));

    private IEnumerable<string> Deletes => proxy.Requests.Where(r => r.Method == "DELETE").Select(r => r.Target);

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 7)]
    public void Due_prefixes_in_one_container_cost_one_measuring_and_one_verifying_listing_and_nothing_beside_them_is_deleted(bool share, int listings)
    {
        // Under the due p/b/, a name whose dot segments lead into ACTIVE's p/ab/: listed for b, refused by b's own proof.
        blobs.PutBlobAtEscapedPath(container, "p/b/%2E%2E/ab/keep2.csv", new byte[] { 4 });

        var records = Sweep(share);

        Assert.Empty(errors);
        Assert.Equal(3, records.Count);
        foreach (var p in new[] { "a", "c" })
        {
            var record = records.Single(r => r.HoldingId == due[p].Id);
            Assert.Equal((DestructionOutcome.Destroyed, true, 2L, 3L), (record.Outcome, record.Verified, record.ObjectsDeleted, record.BytesDeleted));
        }

        var b = records.Single(r => r.HoldingId == due["b"].Id);
        Assert.Equal((DestructionOutcome.Incomplete, false, 2L, 1L), (b.Outcome, b.Verified, b.ObjectsDeleted, b.ObjectsRemaining));
        Assert.Contains("'p/b/../ab/keep2.csv'", b.Reason, StringComparison.Ordinal);
        Assert.Equal(HoldingState.Held, test.Engine.Register.FindHolding(due["b"].Id)!.State);

        Assert.Equal(Beside.Append("p/b/../ab/keep2.csv").OrderBy(n => n, StringComparer.Ordinal), blobs.ListBlobNames(container).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(
            new[] { "a", "b", "c" }.SelectMany(p => new[] { $"/devstoreaccount1/{container}/p/{p}/1.csv", $"/devstoreaccount1/{container}/p/{p}/sub/2.csv" }),
            Deletes.OrderBy(t => t, StringComparer.Ordinal));

        // Requests per sweep: the account's versions probe, then one listing to measure and one to verify (shared), or
        // one of each per holding.
        Assert.Equal(listings, Listings);
    }

    [Fact]
    public void A_blob_written_under_a_due_prefix_during_the_sweep_is_found_by_the_shared_verification_and_deleted()
    {
        // Asked about p/c/ (the last), after p/a/'s deletes have been sent: a new blob lands under p/a/, and one under p/ab/.
        host.ApproveTarget = target =>
        {
            if (target.EndsWith("/p/c/", StringComparison.Ordinal))
            {
                blobs.PutBlob(container, "p/a/written-meanwhile.csv", new byte[] { 5, 5, 5 });
                blobs.PutBlob(container, "p/ab/written-meanwhile.csv", new byte[] { 5 });
            }

            return true;
        };

        var records = Sweep(share: true);

        Assert.Empty(errors);
        Assert.All(records, r => Assert.Equal((DestructionOutcome.Destroyed, true, 0L), (r.Outcome, r.Verified, r.ObjectsRemaining)));
        Assert.Equal((3L, 6L), records.Where(r => r.HoldingId == due["a"].Id).Select(r => (r.ObjectsDeleted, r.BytesDeleted)).Single());
        Assert.Equal(Beside.Append("p/ab/written-meanwhile.csv").OrderBy(n => n, StringComparer.Ordinal), blobs.ListBlobNames(container).OrderBy(n => n, StringComparer.Ordinal));

        // Probe, shared measuring, shared verifying, then p/a/ alone to verify its second round.
        Assert.Equal(4, Listings);
    }

    public void Dispose()
    {
        blobs.Dispose();
        proxy.Dispose();
        test.Dispose();
    }
}

/// <summary>
/// The requests of one sweep over the benchmark's layout (bench/DataShareAdmin.SweepBenchmark): ten containers of ten
/// due prefixes each, here two blobs a prefix. Listings do not grow with the number of blobs (a page is 5,000
/// names), so the counts are those of the benchmark's 2,000-blob sets, whatever the load of the machine.
/// </summary>
public sealed class SweepRequestCountAzuriteTests : IClassFixture<AzuriteBlobFixture>, IDisposable
{
    private readonly AzuriteServer azurite;
    private readonly FaultProxy proxy;
    private readonly BlobRest blobs;
    private readonly TestRegister test = new(new DateTimeOffset(2026, 8, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();
    private readonly string run = "count-" + Guid.NewGuid().ToString("N").Substring(0, 8);

    public SweepRequestCountAzuriteTests(AzuriteBlobFixture fixture)
    {
        azurite = fixture.Server;
        proxy = FaultProxy.Start(azurite.BlobEndpoint);
        blobs = new BlobRest(azurite);
    }

    [Theory]
    [InlineData(true, 21)]
    [InlineData(false, 201)]
    public void A_sweep_of_ten_containers_of_ten_due_prefixes_lists_each_container_twice(bool share, int listings)
    {
        var endpoint = proxy.Map(azurite.BlobEndpoint).ToString().TrimEnd('/');
        for (var a = 0; a < 10; a++)
        {
            var agreement = Samples.Agreement($"DS{a:00}", "2026-01-01", "2026-06-30");
            agreement.RetentionDays = 0;
            test.Engine.Agreements.Create(agreement, host);
        }

        for (var c = 0; c < 10; c++)
        {
            var container = $"{run}-c{c:00}";
            blobs.CreateContainer(container);
            for (var h = c * 10; h < c * 10 + 10; h++)
            {
                blobs.PutBlob(container, $"p{h:000}/part-0000.csv", new byte[] { 1 });
                blobs.PutBlob(container, $"p{h:000}/part-0001.csv", new byte[] { 2 });
                test.Engine.Retention.Register($"DS{h % 10:00}", $"{endpoint}/{container}/p{h:000}/", host);
            }
        }

        var connection = StorageConnection.Create(new StorageConnectionOptions { ConnectionString = proxy.ConnectionStringFor(azurite), AllowHttpLoopback = true });
        var storage = new BlobRetentionStorage(connection);
        var errors = new List<DataShareException>();
        var records = test.Engine.Retention.Sweep(new SweepOptions { ShareListings = share, Force = true, ThrottleLimit = 32 }, _ => storage, host, errors.Add).ToList();

        Assert.Empty(errors);
        Assert.Equal(100, records.Count);
        Assert.All(records, r => Assert.Equal((DestructionOutcome.Destroyed, true, 2L), (r.Outcome, r.Verified, r.ObjectsDeleted)));
        Assert.Equal(200, proxy.Requests.Count(r => r.Method == "DELETE"));

        // The account's versions probe, then per container (shared) or per holding one measuring and one verifying listing.
        Assert.Equal(listings, proxy.Requests.Count(r => r.Method == "GET" && r.Target.Contains("comp=list", StringComparison.Ordinal)));
        Assert.Equal(200 + listings, proxy.Requests.Count(r => r.Target.Contains(run, StringComparison.Ordinal)));
    }

    public void Dispose()
    {
        blobs.Dispose();
        proxy.Dispose();
        test.Dispose();
    }
}
