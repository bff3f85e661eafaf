using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace DataShareAdmin.BenchSupport;

/// <summary>
/// The one result type of a measured run in a fresh process, as the child prints it (<see cref="ChildProcess.WriteResult"/>)
/// and the parent reads it back: what was measured, the set-up times, the timed call and the memory around it.
/// A scenario that reports more derives from it and adds only its own figures.
/// </summary>
public class MeasuredRun
{
    /// <summary>What this run measured: the consumer, the format or the backend.</summary>
    public string Label { get; set; } = string.Empty;

    public double RunspaceOpenMs { get; set; }

    public double ImportMs { get; set; }

    /// <summary>Connecting, then untimed warm-up calls that load the engine, the backend's client and native libraries.</summary>
    public double ConnectAndWarmUpMs { get; set; }

    /// <summary>The timed call alone.</summary>
    public double ElapsedMs { get; set; }

    /// <summary>Objects (or rows) the timed call produced, and how many a second.</summary>
    public long Count { get; set; }

    public double PerSecond { get; set; }

    /// <summary>Recipients: how many came out ready. Plan: warnings written.</summary>
    public long Ready { get; set; }

    public long Warnings { get; set; }

    /// <summary>GC.GetTotalMemory(forceFullCollection: true) just before the run: the session's live managed data.</summary>
    public long ManagedBeforeBytes { get; set; }

    public long WorkingSetBeforeBytes { get; set; }

    /// <summary>Process.PeakWorkingSet64 before the run (the runspace and import's high-water mark) and after it.</summary>
    public long PeakWorkingSetBeforeBytes { get; set; }

    public long PeakWorkingSetProcessBytes { get; set; }

    /// <summary>Highest GC.GetTotalMemory(false) sampled during the run: live data plus not-yet-collected garbage.</summary>
    public long PeakManagedBytes { get; set; }

    /// <summary>Highest GC.GetGCMemoryInfo().HeapSizeBytes sampled during the run: the heap as the last GC left it.</summary>
    public long PeakHeapAfterGcBytes { get; set; }

    /// <summary>Highest Process.WorkingSet64 sampled during the run.</summary>
    public long PeakWorkingSetDuringBytes { get; set; }

    /// <summary>GC.GetTotalMemory(true) after the run, the runspace still open: what the run left behind.</summary>
    public long ManagedAfterBytes { get; set; }

    /// <summary>GC.GetTotalAllocatedBytes(precise) during the run (the harness's own counting included, which is small).</summary>
    public long AllocatedBytes { get; set; }

    public int Gen0Collections { get; set; }

    public int Gen1Collections { get; set; }

    public int Gen2Collections { get; set; }

    public bool ServerGc { get; set; } = System.Runtime.GCSettings.IsServerGC;

    /// <summary>Where Microsoft.Data.Sqlite was loaded from: it must be the module's Dependencies folder, not the harness's.</summary>
    public string SqliteAssembly { get; set; } = string.Empty;

    public string SqliteLoadContext { get; set; } = string.Empty;

    public List<MemorySample> Samples { get; set; } = new();

    /// <summary>
    /// Runs <paramref name="call"/> (which returns its count) after full collections, sampling memory every
    /// <paramref name="intervalMs"/> on a thread of its own (with <paramref name="progress"/>, items so far, and
    /// <paramref name="fileBytes"/>, bytes written so far, in each sample), and fills the time and memory figures.
    /// </summary>
    public void Measure(int intervalMs, Func<long> call, Func<long>? progress = null, Func<long>? fileBytes = null)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var process = Process.GetCurrentProcess();
        var baseline = MemoryBaseline.Take(process);
        ManagedBeforeBytes = baseline.ManagedBytes;
        WorkingSetBeforeBytes = baseline.WorkingSetBytes;
        PeakWorkingSetBeforeBytes = baseline.PeakWorkingSetBytes;
        var start = Stopwatch.GetTimestamp();
        void Sample()
        {
            var memory = MemoryReading.Take(process);
            var sample = new MemorySample(Stopwatch.GetElapsedTime(start).TotalMilliseconds, progress?.Invoke() ?? -1, memory.Managed, memory.HeapAfterGc, memory.WorkingSet, fileBytes?.Invoke() ?? 0);
            lock (Samples)
            {
                Samples.Add(sample);
            }
        }

        using (new MemorySampler(intervalMs, Sample))
        {
            Count = call();
            ElapsedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Sample();
        PerSecond = Count / (ElapsedMs / 1000);
        AllocatedBytes = baseline.AllocatedBytesSince();
        Gen0Collections = baseline.CollectionsSince(0);
        Gen1Collections = baseline.CollectionsSince(1);
        Gen2Collections = baseline.CollectionsSince(2);
        PeakManagedBytes = Samples.Max(s => s.Managed);
        PeakHeapAfterGcBytes = Samples.Max(s => s.HeapAfterGc);
        PeakWorkingSetDuringBytes = Samples.Max(s => s.WorkingSet);
        process.Refresh();
        PeakWorkingSetProcessBytes = process.PeakWorkingSet64;
        ManagedAfterBytes = GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>A counter the call increments and the sampler reads.</summary>
    public sealed class Counter
    {
        private long value;

        public long Value => Interlocked.Read(ref value);

        public void Add() => Interlocked.Increment(ref value);
    }
}

/// <summary>One memory sample during a run; Processed is -1 when the consumer cannot see progress (foreach), FileBytes 0 when no file is written.</summary>
public sealed record MemorySample(double Ms, long Processed, long Managed, long HeapAfterGc, long WorkingSet, long FileBytes);
