using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The fault-injecting proxy of the test support, against Azurite: each kind of fault does what the storage tests
/// rely on, a rule takes only its turns, and everything else passes through unchanged.
/// </summary>
public sealed class FaultProxyTests : IClassFixture<AzuriteBlobFixture>, IDisposable
{
    private readonly AzuriteServer azurite;
    private readonly FaultProxy proxy;
    private readonly BlobRest direct;
    private readonly BlobRest throughProxy;
    private readonly string container = "proxy-" + Guid.NewGuid().ToString("N").Substring(0, 8);

    public FaultProxyTests(AzuriteBlobFixture fixture)
    {
        azurite = fixture.Server;
        proxy = FaultProxy.Start(azurite.BlobEndpoint);
        direct = new BlobRest(azurite);
        throughProxy = new BlobRest(proxy.Map(azurite.BlobEndpoint), azurite.AccountName, azurite.AccountKey);
        direct.CreateContainer(container);
    }

    [Fact]
    public void An_answer_rule_takes_its_turns_and_then_lets_requests_through()
    {
        var rule = proxy.Add(FaultRule.Answer("GET", "[?&]comp=list", 404, "ContainerNotFound", times: 2));

        var first = Assert.Throws<InvalidOperationException>(() => throughProxy.ListBlobNames(container));
        Assert.Throws<InvalidOperationException>(() => throughProxy.ListBlobNames(container));
        Assert.Empty(throughProxy.ListBlobNames(container));

        Assert.Contains("answered 404", first.Message, StringComparison.Ordinal);
        Assert.Contains("ContainerNotFound", first.Message, StringComparison.Ordinal);
        Assert.Equal((2, 0), (rule.Hits, rule.Remaining));
        Assert.Equal(new int?[] { null, null, 200 }, proxy.Requests.Select(r => r.UpstreamStatus));
    }

    [Fact]
    public void Apply_then_drop_lets_the_server_apply_a_put_whose_answer_the_client_never_gets()
    {
        var rule = proxy.Add(FaultRule.ApplyThenDrop("PUT", "/lost\\.csv$", times: 1));

        Assert.ThrowsAny<HttpRequestException>(() => throughProxy.PutBlob(container, "lost.csv", new byte[] { 1, 2, 3 }));

        Assert.Equal(new[] { "lost.csv" }, direct.ListBlobNames(container));
        Assert.Equal(1, rule.Hits);
        var request = Assert.Single(proxy.Requests);
        Assert.Equal((201, (FaultKind?)FaultKind.ApplyThenDrop), (request.UpstreamStatus, request.Fault));

        // Its one turn taken, the same request goes through.
        throughProxy.PutBlob(container, "lost.csv", new byte[] { 4 });
    }

    [Fact]
    public void Drop_loses_a_request_before_the_server_sees_it()
    {
        proxy.Add(FaultRule.Drop("PUT", "/never\\.csv$"));

        Assert.ThrowsAny<HttpRequestException>(() => throughProxy.PutBlob(container, "never.csv", new byte[] { 1 }));

        Assert.Empty(direct.ListBlobNames(container));
        Assert.Equal(((int?)null, (FaultKind?)FaultKind.Drop), (proxy.Requests.Single().UpstreamStatus, proxy.Requests.Single().Fault));
    }

    [Fact]
    public async Task Apply_then_stall_forwards_and_then_answers_nothing_until_the_client_gives_up()
    {
        proxy.Add(FaultRule.ApplyThenStall("GET", "comp=list"));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };

        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => client.GetAsync(proxy.Map(new Uri(azurite.BlobEndpoint + "?comp=list"))));

        // The client may give up before the server has answered the proxy; the log entry follows that answer.
        Assert.True(System.Threading.SpinWait.SpinUntil(() => proxy.Requests.Count > 0, TimeSpan.FromSeconds(60)));
        // Unsigned, so the server refused it: what counts is that it got there and its answer never came back.
        var request = Assert.Single(proxy.Requests);
        Assert.Equal(((int?)(int)HttpStatusCode.Forbidden, (FaultKind?)FaultKind.ApplyThenStall), (request.UpstreamStatus, request.Fault));
    }

    [Fact]
    public void A_request_target_passes_through_exactly_as_sent()
    {
        throughProxy.PutBlobAtEscapedPath(container, "p/%2E%2E/q%20r.csv", new byte[] { 1 });

        Assert.Equal($"/devstoreaccount1/{container}/p/%2E%2E/q%20r.csv", proxy.Requests.Single().Target);
        Assert.Equal(new[] { "p/../q r.csv" }, direct.ListBlobNames(container));
    }

    [Fact]
    public void A_rule_needs_a_method_a_status_and_a_number_of_times_that_make_sense()
    {
        Assert.Throws<ArgumentException>(() => FaultRule.Drop(" ", "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.Answer("GET", "x", 42));
        Assert.Throws<ArgumentOutOfRangeException>(() => FaultRule.Drop("GET", "x", times: 0));
        Assert.Equal("ServerBusy", FaultRule.Answer("GET", "x", 503).ErrorCode);
    }

    public void Dispose()
    {
        throughProxy.Dispose();
        direct.Dispose();
        proxy.Dispose();
    }
}
