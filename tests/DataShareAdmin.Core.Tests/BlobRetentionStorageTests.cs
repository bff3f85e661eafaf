using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Storage;
using DataShareAdmin.Core.Tests.Dbs;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The sweep's blob client against a local server answering in the Blob service's formats, for what Azurite lacks:
/// a legal hold (409 BlobImmutableDueToLegalHold), an account whose settings cannot be read (403), and a service
/// that refuses to list versions.
/// </summary>
public sealed class BlobRetentionStorageTests : IDisposable
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly ConcurrentDictionary<string, long> blobs = new(StringComparer.Ordinal);
    private readonly FakeDbsServer server;
    private readonly TestRegister test = new(new DateTimeOffset(2026, 8, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();

    public BlobRetentionStorageTests()
    {
        blobs["held/a.csv"] = 5;
        blobs["held/b.csv"] = 7;
        blobs["held-not/c.csv"] = 9;
        server = new FakeDbsServer(Answer);
    }

    private static FakeAnswer Error(int status, string reason, string code) =>
        new(status, reason, $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>{code}</Message></Error>")
        {
            Headers = new Dictionary<string, string> { ["x-ms-error-code"] = code },
        };

    private int busy;

    private FakeAnswer Answer(ReceivedRequest request)
    {
        if (request.Method == "DELETE" && System.Threading.Interlocked.Decrement(ref busy) >= 0)
        {
            return Error(503, "Server Busy", "ServerBusy");
        }

        var query = request.RawQuery;
        if (request.Method == "GET" && query.Contains("comp=properties", StringComparison.Ordinal))
        {
            return Error(403, "Forbidden", "AuthorizationPermissionMismatch");
        }

        if (request.Method == "GET" && query.Contains("comp=list", StringComparison.Ordinal))
        {
            if (query.Contains("versions", StringComparison.Ordinal))
            {
                return Error(400, "Bad Request", "InvalidQueryParameterValue");
            }

            var prefix = Uri.UnescapeDataString(request.RawParameters.FirstOrDefault(p => p.Key == "prefix").Value ?? string.Empty);
            var items = blobs.Where(b => b.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(b => b.Key, StringComparer.Ordinal)
                .Select(b => $"<Blob><Name>{b.Key}</Name><Properties><Content-Length>{b.Value}</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>");
            return FakeAnswer.Xml($"<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults ServiceEndpoint=\"{server.BaseUri}devstoreaccount1/\" ContainerName=\"data\"><Prefix>{prefix}</Prefix><Blobs>{string.Concat(items)}</Blobs><NextMarker /></EnumerationResults>");
        }

        if (request.Method == "DELETE")
        {
            var name = Uri.UnescapeDataString(request.Path.Substring("/devstoreaccount1/data/".Length));
            if (name == "held/b.csv")
            {
                return Error(409, "Conflict", "BlobImmutableDueToLegalHold");
            }

            return blobs.TryRemove(name, out _) ? new FakeAnswer(202, "Accepted", string.Empty) : Error(404, "Not Found", "BlobNotFound");
        }

        return Error(400, "Bad Request", "UnexpectedRequest");
    }

    [Fact]
    public void A_legal_hold_blocks_the_holding_the_rest_is_deleted_and_unreadable_settings_are_unknown()
    {
        var connection = ConnectAndEndAgreement();
        var holding = test.Engine.Retention.Register("DS1", $"{server.BaseUri}devstoreaccount1/data/held/", host)!;
        var errors = new List<DataShareException>();

        var record = Assert.Single(test.Engine.Retention.Sweep(new SweepOptions(), _ => new BlobRetentionStorage(connection), host, errors.Add));

        Assert.Empty(errors);
        Assert.Equal((DestructionOutcome.Blocked, 1L, 5L, 1L, false), (record.Outcome, record.ObjectsDeleted, record.BytesDeleted, record.ObjectsRemaining, record.Verified));
        Assert.Contains("BlobImmutableDueToLegalHold", record.Reason, StringComparison.Ordinal);
        Assert.Equal("Unknown", record.SoftDelete);
        Assert.Equal(new[] { "held-not/c.csv", "held/b.csv" }, blobs.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(HoldingState.Held, test.Engine.Register.FindHolding(holding.Id)!.State);
        Assert.DoesNotContain(server.Requests, r => r.Method == "DELETE" && r.Path.Contains("held-not", StringComparison.Ordinal));
    }

    [Fact]
    public void A_busy_service_is_retried_with_backoff_and_the_holding_is_still_destroyed()
    {
        busy = 2;
        var connection = ConnectAndEndAgreement();
        test.Engine.Retention.Register("DS1", $"{server.BaseUri}devstoreaccount1/data/held-not/", host);

        var record = Assert.Single(test.Engine.Retention.Sweep(new SweepOptions(), _ => new BlobRetentionStorage(connection), host, e => throw e));

        Assert.Equal((DestructionOutcome.Destroyed, 1L, true), (record.Outcome, record.ObjectsDeleted, record.Verified));
        Assert.Equal(3, server.Requests.Count(r => r.Method == "DELETE"));
    }

    /// <summary>A connection to the fake server, and agreement DS1 ended with no retention days, so its holdings are due.</summary>
    private StorageConnection ConnectAndEndAgreement()
    {
        var agreement = Samples.Agreement("DS1", "2026-01-01", "2026-06-30");
        agreement.RetentionDays = 0;
        test.Engine.Agreements.Create(agreement, host);
        return StorageConnection.Create(new StorageConnectionOptions
        {
            ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};BlobEndpoint={server.BaseUri}devstoreaccount1;",
            AllowHttpLoopback = true,
        });
    }

    public void Dispose()
    {
        server.Dispose();
        test.Dispose();
    }
}
