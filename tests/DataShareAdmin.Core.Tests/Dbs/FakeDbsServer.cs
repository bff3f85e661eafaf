using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DataShareAdmin.Core.Tests.Dbs;

/// <summary>A request as the fake server received it: the request target exactly as sent (still URL-encoded).</summary>
internal sealed record ReceivedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers)
{
    public string Path => RawTarget.Split('?')[0];

    public string RawQuery => RawTarget.Contains('?', StringComparison.Ordinal) ? RawTarget[(RawTarget.IndexOf('?', StringComparison.Ordinal) + 1)..] : string.Empty;

    /// <summary>The query's parameters in order, values still encoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RawParameters
    {
        get
        {
            var list = new List<KeyValuePair<string, string>>();
            foreach (var part in RawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                list.Add(equals < 0 ? new(part, string.Empty) : new(part[..equals], part[(equals + 1)..]));
            }

            return list;
        }
    }
}

/// <summary>What the fake server answers; <see cref="Hang"/> answers nothing until the server is disposed.</summary>
internal sealed record FakeAnswer(int StatusCode, string Reason, string Body, string ContentType = "application/xml; charset=utf-8")
{
    public bool Hang { get; init; }

    /// <summary>Send the status line and headers (announcing the body), then nothing more.</summary>
    public bool HangAfterHeaders { get; init; }

    /// <summary>More response headers, e.g. x-ms-error-code for a storage error.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public static FakeAnswer Xml(string body) => new(200, "OK", body);

    public static FakeAnswer Status(string resultType, string status) => Xml(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>" +
        "<statusCheckResult>" +
        $"<statusCheckResultType>{resultType}</statusCheckResultType>" +
        "<forename>JANE</forename><surname>O'BRIEN-SMITH</surname><printDate>01/02/2023</printDate>" +
        $"<status>{status}</status>" +
        "</statusCheckResult>");

    public static FakeAnswer Never() => new(0, string.Empty, string.Empty) { Hang = true };
}

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 and a free port: one request per connection (Connection: close),
/// recording each request line and its headers.
/// </summary>
internal sealed class FakeDbsServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<ReceivedRequest, FakeAnswer> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly Task _acceptLoop;

    public FakeDbsServer(Func<ReceivedRequest, FakeAnswer> answer)
    {
        _answer = answer;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public FakeDbsServer(FakeAnswer answer)
        : this(_ => answer)
    {
    }

    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    /// <summary>A port on 127.0.0.1 that nothing listens on (just freed by a listener).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream, _stop.Token).ConfigureAwait(false);
                if (head is null)
                {
                    return;
                }

                var request = Parse(head);
                _requests.Enqueue(request);
                var answer = _answer(request);
                if (answer.Hang)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                    return;
                }

                var body = Encoding.UTF8.GetBytes(answer.Body);
                var headText =
                    $"HTTP/1.1 {answer.StatusCode} {answer.Reason}\r\n" +
                    $"Content-Type: {answer.ContentType}\r\n" +
                    $"Content-Length: {body.Length}\r\n" +
                    string.Concat((answer.Headers ?? new Dictionary<string, string>()).Select(h => $"{h.Key}: {h.Value}\r\n")) +
                    "Connection: close\r\n\r\n";
                var headBytes = Encoding.ASCII.GetBytes(headText);
                await stream.WriteAsync(headBytes, _stop.Token).ConfigureAwait(false);
                if (answer.HangAfterHeaders)
                {
                    await stream.FlushAsync(_stop.Token).ConfigureAwait(false);
                    await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                    return;
                }

                await stream.WriteAsync(body, _stop.Token).ConfigureAwait(false);
                await stream.FlushAsync(_stop.Token).ConfigureAwait(false);
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken token)
    {
        var buffer = new byte[1];
        var head = new StringBuilder();
        while (head.Length < 16 * 1024)
        {
            var read = await stream.ReadAsync(buffer, token).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            head.Append((char)buffer[0]);
            if (head.Length >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n')
            {
                return head.ToString();
            }
        }

        return null;
    }

    private static ReceivedRequest Parse(string head)
    {
        var lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[lines[i][..colon].Trim()] = lines[i][(colon + 1)..].Trim();
            }
        }

        return new ReceivedRequest(requestLine[0], requestLine[1], headers);
    }
}
