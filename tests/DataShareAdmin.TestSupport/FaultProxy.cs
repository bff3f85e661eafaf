using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DataShareAdmin.TestSupport;

/// <summary>One request that passed through a <see cref="FaultProxy"/>: the target as sent, what the server answered
/// (null when it never saw the request), and the fault applied (null when passed on as it was).</summary>
public sealed record ProxiedRequest(string Method, string Target, int? UpstreamStatus, FaultKind? Fault);

/// <summary>
/// A fault-injecting HTTP/1.1 proxy on 127.0.0.1 and a free port, in front of one plain-http server (Azurite): it
/// passes every request on byte for byte (the request target exactly as sent, so an escaped <c>%2E%2E</c> survives),
/// except those a <see cref="FaultRule"/> takes: answered with an error of its own, applied with the answer lost, or
/// lost before the server sees it.
/// </summary>
/// <remarks>
/// <para>From xunit:</para>
/// <code>
/// using var proxy = FaultProxy.Start(azurite.BlobEndpoint);
/// proxy.Add(FaultRule.Answer("GET", "[?&amp;]comp=list", 404, "ContainerNotFound"));
/// var connectionString = proxy.ConnectionStringFor(azurite); // BlobEndpoint through the proxy
/// </code>
/// <para>From PowerShell (Pester), dot-source <c>tests/DataShareAdmin.TestSupport/FaultProxy.ps1</c>, which loads the
/// built assembly: <c>$proxy = Start-TestFaultProxy -Upstream $Azurite.BlobEndpoint</c>.</para>
/// <para>Only http upstreams: the proxy reads and writes the messages, which TLS would hide.</para>
/// </remarks>
public sealed class FaultProxy : IDisposable
{
    private readonly TcpListener listener;
    private readonly Uri upstream;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<int, TcpClient> connections = new();
    private readonly ConcurrentQueue<ProxiedRequest> requests = new();
    private readonly List<FaultRule> rules = new();
    private readonly Task acceptLoop;
    private int nextConnection;
    private int disposed;

    private FaultProxy(Uri upstream)
    {
        if (upstream.Scheme != Uri.UriSchemeHttp)
        {
            throw new ArgumentException($"The proxy forwards plain http only; {upstream} is {upstream.Scheme}.", nameof(upstream));
        }

        this.upstream = upstream;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Address = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The proxy's own address, e.g. <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Every request so far, in the order they arrived.</summary>
    public IReadOnlyList<ProxiedRequest> Requests => requests.ToArray();

    /// <summary>The rules, in the order they are tried.</summary>
    public IReadOnlyList<FaultRule> Rules
    {
        get
        {
            lock (rules)
            {
                return rules.ToArray();
            }
        }
    }

    /// <summary>Starts a proxy in front of <paramref name="upstream"/> (its scheme, host and port; any path is ignored).</summary>
    public static FaultProxy Start(Uri upstream) => new(upstream ?? throw new ArgumentNullException(nameof(upstream)));

    /// <summary>Adds a rule after the others and returns it (its <see cref="FaultRule.Hits"/> say what it did).</summary>
    public FaultRule Add(FaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (rules)
        {
            rules.Add(rule);
        }

        return rule;
    }

    /// <summary>Removes every rule: from now on every request is passed on as it is.</summary>
    public void ClearRules()
    {
        lock (rules)
        {
            rules.Clear();
        }
    }

    /// <summary>The same address through the proxy: <paramref name="address"/> with the proxy's host and port.</summary>
    public Uri Map(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new UriBuilder(address) { Host = Address.Host, Port = Address.Port }.Uri;
    }

    /// <summary>Azurite's connection string with its blob endpoint through this proxy (and no other service).</summary>
    public string ConnectionStringFor(AzuriteServer azurite)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        return $"DefaultEndpointsProtocol=http;AccountName={azurite.AccountName};AccountKey={azurite.AccountKey};BlobEndpoint={Map(azurite.BlobEndpoint)};";
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        stop.Cancel();
        listener.Stop();
        foreach (var connection in connections.Values)
        {
            connection.Dispose();
        }

        try
        {
            acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener; how does not matter here.
        }

        stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var id = Interlocked.Increment(ref nextConnection);
            connections[id] = client;
            _ = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(client).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidDataException)
                {
                    // The client went away, or was cut off on purpose: either way this connection is done.
                }
                finally
                {
                    connections.TryRemove(id, out _);
                    client.Dispose();
                }
            });
        }
    }

    /// <summary>Requests of one client connection, one after another (HTTP/1.1 keep-alive), each to the server on one upstream connection.</summary>
    private async Task ServeAsync(TcpClient client)
    {
        var token = stop.Token;
        var clientStream = client.GetStream();
        var fromClient = new HttpWireReader(clientStream);
        TcpClient? server = null;
        HttpWireReader? fromServer = null;
        try
        {
            while (true)
            {
                var request = await fromClient.ReadHeadAsync(token).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }

                var parts = request.StartLine.Split(' ');
                if (parts.Length != 3)
                {
                    throw new InvalidDataException($"Not a request line: '{request.StartLine}'.");
                }

                var (method, target) = (parts[0], parts[1]);
                if (request["Expect"]?.Contains("100-continue", StringComparison.OrdinalIgnoreCase) == true)
                {
                    // Let the client send its body now; the server gets the request whole, without the expectation.
                    await clientStream.WriteAsync(Encoding.Latin1.GetBytes("HTTP/1.1 100 Continue\r\n\r\n"), token).ConfigureAwait(false);
                    request.Set("Expect", null);
                }

                var body = await fromClient.ReadBodyAsync(request, toEnd: false, token).ConfigureAwait(false);
                var rule = Match(method, target);
                if (rule?.Kind == FaultKind.Answer)
                {
                    requests.Enqueue(new ProxiedRequest(method, target, null, FaultKind.Answer));
                    await clientStream.WriteAsync(ErrorAnswer(rule, method), token).ConfigureAwait(false);
                    if (request.WantsClose)
                    {
                        return;
                    }

                    continue;
                }

                if (rule?.Kind == FaultKind.Drop)
                {
                    requests.Enqueue(new ProxiedRequest(method, target, null, FaultKind.Drop));
                    Reset(client);
                    return;
                }

                request.Set("Host", upstream.Authority);
                HttpHead? response = null;
                for (var attempt = 1; response is null; attempt++)
                {
                    var reused = server is not null;
                    if (server is null)
                    {
                        server = new TcpClient();
                        await server.ConnectAsync(upstream.Host, upstream.Port, token).ConfigureAwait(false);
                        fromServer = new HttpWireReader(server.GetStream());
                    }

                    try
                    {
                        var serverStream = server.GetStream();
                        await serverStream.WriteAsync(request.ToBytes(), token).ConfigureAwait(false);
                        await serverStream.WriteAsync(body, token).ConfigureAwait(false);
                        response = await fromServer!.ReadHeadAsync(token).ConfigureAwait(false) ?? throw new IOException("The server closed the connection without answering.");
                    }
                    catch (IOException) when (reused && attempt == 1)
                    {
                        // The server had closed the idle kept-alive connection before this request reached it: it
                        // applied nothing, so send it again on a fresh connection (a fault only ever comes from a rule).
                        server.Dispose();
                        server = null;
                    }
                }

                var status = int.Parse(response.StartLine.Split(' ')[1], NumberStyles.None, CultureInfo.InvariantCulture);
                var bodiless = method == "HEAD" || status is 204 or 304 || status < 200;
                var closes = response.WantsClose || (!response.IsChunked && response.ContentLength is null && !bodiless);
                var answer = bodiless ? Array.Empty<byte>() : await fromServer!.ReadBodyAsync(response, toEnd: closes, token).ConfigureAwait(false);
                requests.Enqueue(new ProxiedRequest(method, target, status, rule?.Kind));

                if (rule?.Kind == FaultKind.ApplyThenDrop)
                {
                    Reset(client);
                    return;
                }

                if (rule?.Kind == FaultKind.ApplyThenStall)
                {
                    await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
                }

                await clientStream.WriteAsync(response.ToBytes(), token).ConfigureAwait(false);
                await clientStream.WriteAsync(answer, token).ConfigureAwait(false);
                if (closes || request.WantsClose)
                {
                    return;
                }

                if (server!.Client.Poll(0, SelectMode.SelectRead) && server.Available == 0)
                {
                    // The server closed its side after answering: open a fresh connection for the next request.
                    server.Dispose();
                    server = null;
                }
            }
        }
        finally
        {
            server?.Dispose();
        }
    }

    private FaultRule? Match(string method, string target)
    {
        lock (rules)
        {
            return rules.FirstOrDefault(r => r.TryTake(method, target));
        }
    }

    /// <summary>An abortive close (RST): the client's read fails at once, as on a lost connection.</summary>
    private static void Reset(TcpClient client)
    {
        client.LingerState = new LingerOption(true, 0);
        client.Client.Close();
    }

    private static byte[] ErrorAnswer(FaultRule rule, string method)
    {
        var code = SecurityElement.Escape(rule.ErrorCode ?? string.Empty);
        var body = method == "HEAD" ? string.Empty
            : $"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>Injected by the test proxy: {rule.Status} {code}.</Message></Error>";
        var head = new HttpHead($"HTTP/1.1 {rule.Status} {Reason(rule.Status)}", new List<KeyValuePair<string, string>>
        {
            new("Content-Type", "application/xml"),
            new("Content-Length", Encoding.UTF8.GetByteCount(body).ToString(CultureInfo.InvariantCulture)),
            new("Server", "DataShareAdmin-FaultProxy"),
            new("x-ms-request-id", Guid.NewGuid().ToString()),
            new("x-ms-version", "2025-01-05"),
            new("Date", DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture)),
        });
        if (rule.ErrorCode is not null)
        {
            head.Fields.Add(new("x-ms-error-code", rule.ErrorCode));
        }

        return head.ToBytes().Concat(Encoding.UTF8.GetBytes(body)).ToArray();
    }

    private static string Reason(int status) => status switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "The specified resource does not exist.",
        409 => "Conflict",
        412 => "Precondition Failed",
        500 => "Internal Server Error",
        503 => "Server Busy",
        _ => "Injected",
    };
}
