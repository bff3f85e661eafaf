using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.Benchmarks;

/// <summary>One report run (one count, one format: the <see cref="MeasuredRun.Label"/>); Count is the rows counted in the written file.</summary>
internal sealed class ReportResult : MeasuredRun
{
    /// <summary>True when Connect-DataShareRegister -ReadOnly was used (and the export worked through it).</summary>
    public bool ReadOnly { get; set; }

    /// <summary>Why the read-only connection was not used, when it was not.</summary>
    public string? ReadOnlyProblem { get; set; }

    /// <summary>First sample at which the partial file beside the target had any bytes: the sort-key pass (and, for
    /// HTML, the summary) is over and rows are being written. To the sampling interval.</summary>
    public double FirstBytesMs { get; set; } = -1;

    /// <summary>Rows the cmdlet said it wrote (its verbose message), or -1 when it said nothing.</summary>
    public long RowsReported { get; set; } = -1;

    public long FileBytes { get; set; }
}
