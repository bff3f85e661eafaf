using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Storage;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The sweep against real storage (Azurite), with the fault-injecting proxy in front where the network must
/// misbehave: a delete addresses exactly the listed blob and never one a normalised name points at; a holding is
/// swept only through a connection to its own endpoint; a listing answered 404 is not taken for an empty holding.
/// </summary>
public sealed class SweepOnAzuriteTests : IClassFixture<AzuriteBlobFixture>, IDisposable
{
    private readonly AzuriteServer azurite;
    private readonly FaultProxy proxy;
    private readonly BlobRest blobs;
    private readonly TestRegister test = new(new DateTimeOffset(2026, 8, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();
    private readonly List<DataShareException> errors = new();

    // Container names of this test only: the Azurite is shared by the class.
    private readonly string suffix = Guid.NewGuid().ToString("N").Substring(0, 8);

    public SweepOnAzuriteTests(AzuriteBlobFixture fixture)
    {
        azurite = fixture.Server;
        proxy = FaultProxy.Start(azurite.BlobEndpoint);
        blobs = new BlobRest(azurite);

        // ENDED ended on 30 June and keeps nothing after: its holdings are due. ACTIVE runs to the end of the year.
        foreach (var (id, ends) in new[] { ("ENDED", "2026-06-30"), ("ACTIVE", "2026-12-31") })
        {
            var agreement = Samples.Agreement(id, "2026-01-01", ends);
            agreement.RetentionDays = 0;
            test.Engine.Agreements.Create(agreement, host);
        }
    }

    private string Name(string container) => container + "-" + suffix;

    /// <summary>The blob endpoint the holdings are registered on and the sweep connects to: through the proxy, so its log shows every request.</summary>
    private string Endpoint => proxy.Map(azurite.BlobEndpoint).ToString().TrimEnd('/');

    private List<DestructionRecord> Sweep(string? connectionString = null)
    {
        var connection = StorageConnection.Create(new StorageConnectionOptions { ConnectionString = connectionString ?? proxy.ConnectionStringFor(azurite), AllowHttpLoopback = true });
        var storage = new BlobRetentionStorage(connection);
        return test.Engine.Retention.Sweep(new SweepOptions(), _ => storage, host, errors.Add).ToList();
    }

    private IEnumerable<string> Deletes => proxy.Requests.Where(r => r.Method == "DELETE").Select(r => r.Target);

    [Fact]
    public void A_dot_segment_name_in_an_ended_prefix_never_deletes_the_active_agreements_blob()
    {
        var container = Name("dots");
        blobs.CreateContainer(container);
        blobs.PutBlob(container, "p2/z.csv", new byte[] { 1 });
        blobs.PutBlob(container, "p/a.csv", new byte[] { 2 });
        blobs.PutBlobAtEscapedPath(container, "p/%2E%2E/p2/z.csv", new byte[] { 3 });
        blobs.PutBlobAtEscapedPath(container, "p/x/%2E/y.csv", new byte[] { 4 });
        test.Engine.Retention.Register("ACTIVE", $"{Endpoint}/{container}/p2/", host);
        var ended = test.Engine.Retention.Register("ENDED", $"{Endpoint}/{container}/p/", host)!;

        var record = Assert.Single(Sweep());

        Assert.Equal(new[] { "p/../p2/z.csv", "p2/z.csv" }, blobs.ListBlobNames(container).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Empty(errors);
        Assert.Equal((DestructionOutcome.Incomplete, false, 2L, 1L), (record.Outcome, record.Verified, record.ObjectsDeleted, record.ObjectsRemaining));
        Assert.Contains("'p/../p2/z.csv'", record.Reason, StringComparison.Ordinal);
        Assert.Equal(HoldingState.Held, test.Engine.Register.FindHolding(ended.Id)!.State);

        // Each delete went to exactly the listed name, its dot segment escaped; nothing was sent for the unsafe one.
        Assert.Equal(
            new[] { $"/devstoreaccount1/{container}/p/a.csv", $"/devstoreaccount1/{container}/p/x/%2E/y.csv" },
            Deletes.OrderBy(t => t, StringComparer.Ordinal));
    }

    [Fact]
    public void A_name_climbing_out_of_an_ended_container_never_deletes_a_blob_in_another_container()
    {
        var ended = Name("endedc");
        var active = Name("activez");
        blobs.CreateContainer(ended);
        blobs.CreateContainer(active);
        blobs.PutBlob(active, "keep.csv", new byte[] { 1 });
        blobs.PutBlob(ended, "a.csv", new byte[] { 2 });
        blobs.PutBlobAtEscapedPath(ended, $"%2E%2E/{active}/keep.csv", new byte[] { 3 });
        test.Engine.Retention.Register("ACTIVE", $"{Endpoint}/{active}", host);
        var holding = test.Engine.Retention.Register("ENDED", $"{Endpoint}/{ended}", host)!;

        var record = Assert.Single(Sweep());

        Assert.Equal(new[] { "keep.csv" }, blobs.ListBlobNames(active));
        Assert.Equal(new[] { $"../{active}/keep.csv" }, blobs.ListBlobNames(ended));
        Assert.Equal((DestructionOutcome.Incomplete, 1L, 1L), (record.Outcome, record.ObjectsDeleted, record.ObjectsRemaining));
        Assert.Contains($"'../{active}/keep.csv'", record.Reason, StringComparison.Ordinal);
        Assert.Equal(HoldingState.Held, test.Engine.Register.FindHolding(holding.Id)!.State);
        Assert.Equal(new[] { $"/devstoreaccount1/{ended}/a.csv" }, Deletes);
    }

    [Fact]
    public void A_holding_on_another_endpoint_with_the_same_account_name_is_not_swept_and_nothing_is_recorded()
    {
        // Registered on Azurite's own address; the session is connected to the same account name through the proxy.
        var container = Name("elsewhere");
        blobs.CreateContainer(container);
        blobs.PutBlob(container, "a.csv", new byte[] { 1 });
        var holding = test.Engine.Retention.Register("ENDED", $"{azurite.BlobEndpoint.ToString().TrimEnd('/')}/{container}", host)!;
        var before = test.AuditCount();

        Assert.Empty(Sweep());

        var error = Assert.Single(errors);
        Assert.Equal(("SweepStorageNotConnected", (object?)holding.Id), (error.ErrorId, error.Target));
        Assert.Contains(azurite.BlobEndpoint.Authority, error.Message, StringComparison.Ordinal);
        Assert.Contains(proxy.Address.Authority, error.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "a.csv" }, blobs.ListBlobNames(container));
        Assert.DoesNotContain(proxy.Requests, r => r.Target.Contains(container, StringComparison.Ordinal));
        Assert.Equal(before, test.AuditCount());
        Assert.Empty(test.Engine.Register.ListDestructions("ENDED"));
    }

    [Theory]
    [InlineData("[?&]comp=list", "ContainerNotFound")]
    [InlineData("restype=container&comp=list", "ContainerNotFound")]
    [InlineData("restype=container&comp=list", "ResourceNotFound")]
    public void A_listing_answered_404_is_not_taken_for_an_empty_holding(string listing, string code)
    {
        var container = Name("notfound");
        blobs.CreateContainer(container);
        for (var i = 0; i < 300; i++)
        {
            blobs.PutBlob(container, $"extract/{i:000}.csv", new byte[] { 1 });
        }

        var holding = test.Engine.Retention.Register("ENDED", $"{Endpoint}/{container}", host)!;
        var rule = proxy.Add(FaultRule.Answer("GET", listing, 404, code));
        var before = test.AuditCount();

        Assert.Empty(Sweep());

        Assert.True(rule.Hits > 0);
        var error = Assert.Single(errors);
        Assert.Equal(("SweepStorageFailed", (object?)holding.Id), (error.ErrorId, error.Target));
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
        Assert.Equal(300, blobs.ListBlobNames(container).Count);
        Assert.Empty(Deletes);
        Assert.Equal(HoldingState.Held, test.Engine.Register.FindHolding(holding.Id)!.State);
        Assert.Equal(before, test.AuditCount());
    }

    [Fact]
    public void A_container_that_no_longer_exists_on_the_endpoint_is_recorded_destroyed_saying_so()
    {
        var container = Name("gone");
        var holding = test.Engine.Retention.Register("ENDED", $"{Endpoint}/{container}", host)!;

        var record = Assert.Single(Sweep());

        Assert.Empty(errors);
        Assert.Equal((DestructionOutcome.Destroyed, true, 0L, 0L), (record.Outcome, record.Verified, record.ObjectsDeleted, record.ObjectsRemaining));
        Assert.Contains($"container {container} no longer exists on {Endpoint}", record.Reason, StringComparison.Ordinal);
        Assert.Equal(HoldingState.Destroyed, test.Engine.Register.FindHolding(holding.Id)!.State);
    }

    [Fact]
    public void Deletes_whose_answers_are_lost_are_retried_and_the_holding_is_still_destroyed_and_verified()
    {
        var container = Name("lost");
        blobs.CreateContainer(container);
        for (var i = 0; i < 5; i++)
        {
            blobs.PutBlob(container, $"{i}.csv", new byte[] { 1, 2 });
        }

        test.Engine.Retention.Register("ENDED", $"{Endpoint}/{container}", host);
        var lost = proxy.Add(FaultRule.ApplyThenDrop("DELETE", container, times: 3));

        var record = Assert.Single(Sweep());

        Assert.Equal(3, lost.Hits);
        Assert.Empty(errors);
        Assert.Equal((DestructionOutcome.Destroyed, true, 5L), (record.Outcome, record.Verified, record.ObjectsDeleted));
        Assert.DoesNotContain(container, blobs.ListContainers());
    }

    public void Dispose()
    {
        blobs.Dispose();
        proxy.Dispose();
        test.Dispose();
    }
}
