using System.Collections.Generic;

namespace DataShareAdmin.Benchmarks;

/// <summary>One report run (one count, one format) in a fresh process, as the child prints it and the parent reads it back.</summary>
internal sealed class ReportResult
{
    public string Format { get; set; } = string.Empty;

    public double RunspaceOpenMs { get; set; }

    public double ImportMs { get; set; }

    /// <summary>True when Connect-DataShareRegister -ReadOnly was used (and the export worked through it).</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Why the read-only connection was not used, when it was not.</summary>
    public string? ReadOnlyProblem { get; set; }

    /// <summary>Connect-DataShareRegister, Get-DataSharePolicy and one small untimed export in the same format (-Kind Register).</summary>
    public double ConnectAndWarmUpMs { get; set; }

    /// <summary>The timed call alone: Export-DataShareReport -Kind SafePeople -Format F -Path P -AsOf D -Force.</summary>
    public double ElapsedMs { get; set; }

    /// <summary>First sample at which the partial file beside the target had any bytes: the sort-key pass (and, for
    /// HTML, the summary) is over and rows are being written. To the sampling interval.</summary>
    public double FirstBytesMs { get; set; } = -1;

    /// <summary>Rows counted in the written file (parsed per format, after the timing).</summary>
    public long Rows { get; set; }

    /// <summary>Rows the cmdlet said it wrote (its verbose message), or -1 when it said nothing.</summary>
    public long RowsReported { get; set; } = -1;

    public double RowsPerSecond { get; set; }

    public long FileBytes { get; set; }

    public long ManagedBeforeBytes { get; set; }

    /// <summary>Highest GC.GetTotalMemory(false) sampled during the run: live data plus not-yet-collected garbage.</summary>
    public long PeakManagedBytes { get; set; }

    /// <summary>Highest GC.GetGCMemoryInfo().HeapSizeBytes sampled during the run: the heap as the last GC left it.</summary>
    public long PeakHeapAfterGcBytes { get; set; }

    public long ManagedAfterBytes { get; set; }

    public long WorkingSetBeforeBytes { get; set; }

    public long PeakWorkingSetDuringBytes { get; set; }

    public long PeakWorkingSetProcessBytes { get; set; }

    public long AllocatedBytes { get; set; }

    public int Gen0Collections { get; set; }

    public int Gen1Collections { get; set; }

    public int Gen2Collections { get; set; }

    public bool ServerGc { get; set; }

    public string SqliteAssembly { get; set; } = string.Empty;

    public string SqliteLoadContext { get; set; } = string.Empty;

    public List<ReportSample> Samples { get; set; } = new();
}

/// <summary>One sample during a report run: memory, and how far the file being written has got.</summary>
internal sealed class ReportSample
{
    public double Ms { get; set; }

    public long Managed { get; set; }

    public long HeapAfterGc { get; set; }

    public long WorkingSet { get; set; }

    public long FileBytes { get; set; }
}
