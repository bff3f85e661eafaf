using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using DataShareAdmin.Core.Storage;
using DataShareAdmin.Core.Transfers;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// A request the service applied but whose answer was lost (the connection reset after the write): the Azure SDK sends
/// it again, and the retry finds its own work done. Each of the transfer's writes must take that as done, when what is
/// there is its own (checked by the holding id, the SHA-256 or the policy id), and nothing else; and every container
/// made must be one the register knows. On Azurite, through the fault-injecting proxy.
/// </summary>
public sealed class TransferLostResponseTests : TransferTestsBase, IClassFixture<AzuriteTablesFixture>
{
    private readonly AzuriteServer azurite;
    private readonly FaultProxy proxy;
    private readonly BlobTransferStorage blobs;
    private readonly BlobRest rest;

    public TransferLostResponseTests(AzuriteTablesFixture fixture)
    {
        azurite = fixture.Server;
        proxy = FaultProxy.Start(azurite.BlobEndpoint);
        blobs = new BlobTransferStorage(StorageConnection.Create(new StorageConnectionOptions { ConnectionString = proxy.ConnectionStringFor(azurite), AllowHttpLoopback = true }));
        rest = new BlobRest(azurite);
    }

    /// <summary>Every container this test made (the PUTs that created one) is a holding in the register.</summary>
    private void AssertEveryContainerIsKnown()
    {
        var made = proxy.Requests.Where(r => r.Method == "PUT" && Regex.IsMatch(r.Target, @"^/[^/]+/(dsa-[^/?]+)\?restype=container$"))
            .Select(r => Regex.Match(r.Target, @"^/[^/]+/(dsa-[^/?]+)\?").Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(made);
        var held = Engine.Register.ListHoldings(null).Select(h => h.Container).ToHashSet();
        Assert.All(made, container => Assert.Contains(container, held));
    }

    private DataShareTransfer IssueThroughFault(FaultRule rule, TransferRequest? request = null)
    {
        proxy.Add(rule);
        var transfer = Engine.Transfers.Issue(request ?? Request(), blobs, host)!;
        Assert.Equal(1, rule.Hits);
        Assert.Equal(TransferState.Issued, Engine.Register.FindTransfer(transfer.Id)!.State);
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(transfer.HoldingId)!.State);
        AssertEveryContainerIsKnown();
        return transfer;
    }

    [Fact]
    public void A_lost_answer_to_creating_the_container_is_taken_as_done_when_the_container_is_this_transfer_s()
    {
        var transfer = IssueThroughFault(FaultRule.ApplyThenDrop("PUT", @"^/[^/]+/dsa-[^/?]+\?restype=container$", times: 1));

        Assert.Equal(2, proxy.Requests.Count(r => r.Method == "PUT" && r.Target.EndsWith("/" + transfer.Container + "?restype=container", StringComparison.Ordinal)));
        Assert.Equal(new[] { "pupils.csv" }, rest.ListBlobNames(transfer.Container));
    }

    [Fact]
    public void A_lost_answer_to_uploading_a_file_is_taken_as_done_when_the_blob_has_its_hash()
    {
        var transfer = IssueThroughFault(FaultRule.ApplyThenDrop("PUT", @"/pupils\.csv$", times: 1));

        var stored = rest.ListBlobs(transfer.Container).Single();
        Assert.Equal(("pupils.csv", 17L, transfer.Files[0].Sha256), (stored.Name, stored.Size, stored.Metadata["sha256"]));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(extract))).ToLowerInvariant(), transfer.Files[0].Sha256);
    }

    [Theory]
    [InlineData(@"comp=blocklist")]
    [InlineData(@"comp=block&")]
    public void A_lost_answer_while_a_large_file_goes_up_in_blocks_is_taken_as_done(string target)
    {
        var big = Path.Combine(folder, "big.bin");
        var bytes = new byte[200_000];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(big, bytes);
        var request = Request(null, big);
        request.Upload = new UploadOptions { BlockSize = 64 * 1024, Concurrency = 2 };

        var transfer = IssueThroughFault(FaultRule.ApplyThenDrop("PUT", target, times: 1), request);

        var stored = rest.ListBlobs(transfer.Container).Single();
        Assert.Equal((200_000L, Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant()), (stored.Size, stored.Metadata["sha256"]));
    }

    /// <summary>
    /// The policies are written on condition that the container has not changed since they were read, so the retry of
    /// an applied write is refused (412) on Azure; Azurite's second-granular clock lets it through within the second,
    /// so the proxy answers the retry as Azure would.
    /// </summary>
    private FaultRule RetryRefused() => proxy.Add(FaultRule.Answer("PUT", @"comp=acl", 412, "ConditionNotMet", times: 1));

    [Fact]
    public void A_lost_answer_to_adding_the_link_s_stored_access_policy_is_taken_as_done_when_the_policy_is_there()
    {
        var lost = FaultRule.ApplyThenDrop("PUT", @"comp=acl", times: 1);
        proxy.Add(lost);
        var refused = RetryRefused();

        var transfer = Engine.Transfers.Issue(Request(), blobs, host)!;

        Assert.Equal((1, 1), (lost.Hits, refused.Hits));
        Assert.Equal(new[] { transfer.Id }, rest.ListAccessPolicies(transfer.Container));
        Assert.Equal(TransferState.Issued, Engine.Register.FindTransfer(transfer.Id)!.State);
    }

    [Fact]
    public void A_lost_answer_to_revoking_is_taken_as_done_when_the_policy_is_gone()
    {
        var transfer = Engine.Transfers.Issue(Request(), blobs, host)!;
        var rule = proxy.Add(FaultRule.ApplyThenDrop("PUT", @"comp=acl", times: 1));
        var refused = RetryRefused();

        var revoked = Engine.Transfers.Revoke(transfer.Id, blobs, host)!;

        Assert.Equal((1, 1, TransferStatus.Revoked), (rule.Hits, refused.Hits, revoked.Status));
        Assert.Empty(rest.ListAccessPolicies(transfer.Container));
        Assert.Equal("true", Engine.Register.ReadAuditLog(0).Last().Details["AccessPolicyDeleted"]);
    }

    [Fact]
    public void A_conflict_that_is_not_this_transfer_s_own_write_still_fails_it_and_removes_the_container()
    {
        // The service says the blob is there, but it is not: no earlier write of this transfer made it.
        var rule = proxy.Add(FaultRule.Answer("PUT", @"/pupils\.csv$", 409, "BlobAlreadyExists"));

        var error = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(), blobs, host));

        Assert.True(rule.Hits >= 1);
        Assert.Equal(("TransferBlobExists", DataShareErrorCategory.ResourceExists), (error.ErrorId, error.Category));
        Assert.Contains("pupils.csv", error.Message, StringComparison.Ordinal);
        var transfer = Engine.Transfers.Find("DS1", null).Single();
        Assert.Equal(TransferStatus.Incomplete, transfer.Status);
        Assert.DoesNotContain(transfer.Container, rest.ListContainers());
        AssertEveryContainerIsKnown();
    }

    [Fact]
    public void A_container_of_the_same_name_that_is_not_this_transfer_s_is_refused_and_left_alone()
    {
        var rule = proxy.Add(FaultRule.Answer("PUT", @"^/[^/]+/dsa-[^/?]+\?restype=container$", 409, "ContainerAlreadyExists"));

        var error = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(), blobs, host));

        var container = Engine.Transfers.Find("DS1", null).Single().Container;
        Assert.Equal(1, rule.Hits);
        Assert.Equal("TransferContainerExists", error.ErrorId);
        Assert.Contains("left alone", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(proxy.Requests, r => r.Method == "DELETE");
        Assert.DoesNotContain(container, rest.ListContainers());
    }

    protected override void Cleanup()
    {
        proxy.Dispose();
        rest.Dispose();
    }
}
