using System.Collections.Generic;

namespace DataShareAdmin.Benchmarks;

/// <summary>One recipients run in a fresh process, as the child prints it (one JSON line) and the parent reads it back.</summary>
internal sealed class RecipientsResult
{
    public string Consumer { get; set; } = string.Empty;

    public double RunspaceOpenMs { get; set; }

    public double ImportMs { get; set; }

    /// <summary>Connect-DataShareRegister -Path, then one untimed Get-DataSharePolicy that loads the engine and SQLite.</summary>
    public double ConnectAndWarmUpMs { get; set; }

    /// <summary>Results received: one per active recipient.</summary>
    public long Count { get; set; }

    public long Ready { get; set; }

    public long Warnings { get; set; }

    /// <summary>The timed call alone: Test-DataShareRecipient -AsOf over every active recipient.</summary>
    public double ElapsedMs { get; set; }

    public double RecipientsPerSecond { get; set; }

    /// <summary>GC.GetTotalMemory(forceFullCollection: true) just before the run: the session's live managed data.</summary>
    public long ManagedBeforeBytes { get; set; }

    /// <summary>Highest GC.GetTotalMemory(false) sampled during the run: live data plus not-yet-collected garbage.</summary>
    public long PeakManagedBytes { get; set; }

    /// <summary>Highest GC.GetGCMemoryInfo().HeapSizeBytes sampled during the run: the heap as the last GC left it.</summary>
    public long PeakHeapAfterGcBytes { get; set; }

    /// <summary>GC.GetTotalMemory(true) after the run, the runspace still open: what the run left behind.</summary>
    public long ManagedAfterBytes { get; set; }

    public long WorkingSetBeforeBytes { get; set; }

    /// <summary>Highest Process.WorkingSet64 sampled during the run.</summary>
    public long PeakWorkingSetDuringBytes { get; set; }

    /// <summary>Process.PeakWorkingSet64 before the run (the runspace and import's high-water mark) and after it.</summary>
    public long PeakWorkingSetBeforeBytes { get; set; }

    public long PeakWorkingSetProcessBytes { get; set; }

    /// <summary>GC.GetTotalAllocatedBytes(precise) during the run (the harness's own counting included, which is small).</summary>
    public long AllocatedBytes { get; set; }

    public int Gen0Collections { get; set; }

    public int Gen1Collections { get; set; }

    public int Gen2Collections { get; set; }

    public bool ServerGc { get; set; }

    /// <summary>Where Microsoft.Data.Sqlite was loaded from: it must be the module's Dependencies folder, not the harness's.</summary>
    public string SqliteAssembly { get; set; } = string.Empty;

    public string SqliteLoadContext { get; set; } = string.Empty;

    public List<MemorySample> Samples { get; set; } = new();
}

/// <summary>One memory sample during the run; Processed is -1 when the consumer cannot see progress (foreach).</summary>
internal sealed class MemorySample
{
    public double Ms { get; set; }

    public long Processed { get; set; }

    public long Managed { get; set; }

    public long HeapAfterGc { get; set; }

    public long WorkingSet { get; set; }
}
