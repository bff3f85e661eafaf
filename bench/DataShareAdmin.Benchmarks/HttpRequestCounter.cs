using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net.Http;
using System.Threading;

namespace DataShareAdmin.Benchmarks;

/// <summary>
/// Counts the HTTP requests this process sends, by what they are to the Table service: a point read (GET of one
/// entity by PartitionKey and RowKey), a query page (GET with a filter; each continuation page is one more), an
/// entity-group transaction (POST $batch), anything else. It listens to System.Net.Http's own diagnostic events
/// ("System.Net.Http.Request", written by the handler every HttpClient uses), so it sees the module's Azure SDK,
/// which lives in the module's load context, without touching it. Costs one event per request.
/// </summary>
internal sealed class HttpRequestCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string RequestEvent = "System.Net.Http.Request";

    private readonly List<IDisposable> subscriptions = new();
    private readonly List<string> otherExamples = new();
    private readonly IDisposable all;
    private long pointReads;
    private long queryPages;
    private long batches;
    private long other;
    private long lastBatchTimestamp;

    private HttpRequestCounter()
    {
        all = DiagnosticListener.AllListeners.Subscribe(this);
    }

    public long PointReads => Interlocked.Read(ref pointReads);

    public long QueryPages => Interlocked.Read(ref queryPages);

    public long Batches => Interlocked.Read(ref batches);

    public long Other => Interlocked.Read(ref other);

    public long Total => PointReads + QueryPages + Batches + Other;

    /// <summary>Method and path of the first few requests counted as other (for telling what they were).</summary>
    public IReadOnlyList<string> OtherExamples
    {
        get
        {
            lock (otherExamples)
            {
                return otherExamples.ToArray();
            }
        }
    }

    /// <summary>Stopwatch timestamp of the last $batch request, or 0.</summary>
    public long LastBatchTimestamp => Interlocked.Read(ref lastBatchTimestamp);

    public static HttpRequestCounter Start() => new();

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == "HttpHandlerDiagnosticListener")
        {
            lock (subscriptions)
            {
                subscriptions.Add(value.Subscribe(this, name => name == RequestEvent));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key != RequestEvent || value.Value?.GetType().GetProperty("Request")?.GetValue(value.Value) is not HttpRequestMessage request)
        {
            return;
        }

        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        if (request.Method == HttpMethod.Post && path.EndsWith("$batch", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref batches);
            Interlocked.Exchange(ref lastBatchTimestamp, Stopwatch.GetTimestamp());
        }
        else if (request.Method == HttpMethod.Get && path.Contains("(PartitionKey=", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref pointReads);
        }
        else if (request.Method == HttpMethod.Get && path.EndsWith("()", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref queryPages);
        }
        else
        {
            Interlocked.Increment(ref other);
            lock (otherExamples)
            {
                if (otherExamples.Count < 5)
                {
                    otherExamples.Add(request.Method + " " + path);
                }
            }
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        all.Dispose();
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
            subscriptions.Clear();
        }
    }
}
