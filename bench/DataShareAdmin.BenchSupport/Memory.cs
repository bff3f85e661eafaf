using System;
using System.Diagnostics;
using System.Threading;

namespace DataShareAdmin.BenchSupport;

/// <summary>One reading of the managed heap, the heap after the last GC and the working set.</summary>
public readonly record struct MemoryReading(long Managed, long HeapAfterGc, long WorkingSet)
{
    public static MemoryReading Take(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        process.Refresh();
        return new MemoryReading(GC.GetTotalMemory(forceFullCollection: false), GC.GetGCMemoryInfo().HeapSizeBytes, process.WorkingSet64);
    }
}

/// <summary>The memory before a measured run (after full collections), and the allocations and collections since.</summary>
public sealed class MemoryBaseline
{
    private readonly long allocated;
    private readonly int[] collections;

    private MemoryBaseline(long managedBytes, long workingSetBytes, long peakWorkingSetBytes)
    {
        ManagedBytes = managedBytes;
        WorkingSetBytes = workingSetBytes;
        PeakWorkingSetBytes = peakWorkingSetBytes;
        allocated = GC.GetTotalAllocatedBytes(precise: true);
        collections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
    }

    public long ManagedBytes { get; }

    public long WorkingSetBytes { get; }

    public long PeakWorkingSetBytes { get; }

    /// <summary>Collects fully, then reads the managed heap and <paramref name="process"/>'s working set.</summary>
    public static MemoryBaseline Take(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        process.Refresh();
        return new MemoryBaseline(managed, process.WorkingSet64, process.PeakWorkingSet64);
    }

    public long AllocatedBytesSince() => GC.GetTotalAllocatedBytes(precise: true) - allocated;

    public int CollectionsSince(int generation) => GC.CollectionCount(generation) - collections[generation];
}

/// <summary>
/// A background thread that calls a sampling action at once and then every interval until disposed (which waits for it).
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private readonly ManualResetEventSlim stop = new();
    private readonly Thread thread;

    public MemorySampler(int intervalMs, Action sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        thread = new Thread(() =>
        {
            sample();
            while (!stop.Wait(intervalMs))
            {
                sample();
            }
        })
        {
            IsBackground = true,
            Name = "memory sampler",
        };
        thread.Start();
    }

    public void Dispose()
    {
        stop.Set();
        thread.Join();
        stop.Dispose();
    }
}

/// <summary>The highest working set seen while it runs: sampled at once, every interval, and when stopped.</summary>
public sealed class PeakWorkingSet : IDisposable
{
    private readonly MemorySampler sampler;
    private long peak;
    private bool stopped;

    private PeakWorkingSet(int intervalMs) => sampler = new MemorySampler(intervalMs, See);

    public static PeakWorkingSet Start(int intervalMs = 50) => new(intervalMs);

    /// <summary>Stops sampling; the highest working set seen, in bytes.</summary>
    public long Stop()
    {
        if (!stopped)
        {
            stopped = true;
            sampler.Dispose();
            See();
        }

        return Interlocked.Read(ref peak);
    }

    public void Dispose() => Stop();

    private void See()
    {
        // Environment.WorkingSet reads the current value afresh each time (no Process snapshot to refresh).
        var current = Environment.WorkingSet;
        long seen;
        do
        {
            seen = Interlocked.Read(ref peak);
        }
        while (current > seen && Interlocked.CompareExchange(ref peak, current, seen) != seen);
    }
}
