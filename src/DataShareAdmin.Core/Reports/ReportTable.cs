using System;
using System.Collections.Generic;

namespace DataShareAdmin.Core.Reports;

/// <summary>What a column holds: text is escaped and neutralised per format; numbers and dates are written as values.</summary>
public enum ReportColumnKind
{
    Text,
    Number,

    /// <summary>A calendar date, written yyyy-MM-dd.</summary>
    Date,

    /// <summary>An instant, written in ISO 8601 UTC with milliseconds.</summary>
    Instant,
    Boolean,
}

/// <summary>One column: a stable name for scripts, a heading for people, and what it holds.</summary>
public sealed class ReportColumn
{
    public ReportColumn(string name, string heading, ReportColumnKind kind = ReportColumnKind.Text)
    {
        Name = name;
        Heading = heading;
        Kind = kind;
    }

    /// <summary>The CSV header and JSON property name; never changes once published.</summary>
    public string Name { get; }

    public string Heading { get; }

    public ReportColumnKind Kind { get; }
}

/// <summary>Who made a report, when, from which register and as of which day: every report says so.</summary>
public sealed class ReportContext
{
    public string Title { get; set; } = string.Empty;

    public DateTimeOffset GeneratedAt { get; set; }

    public string GeneratedBy { get; set; } = string.Empty;

    public string Register { get; set; } = string.Empty;

    public DateTime AsOf { get; set; }

    /// <summary>For the audit report: the result of the integrity check, shown at the top.</summary>
    public string? Integrity { get; set; }
}

/// <summary>
/// A report's rows as a stream: the columns, then one value array per row in column order. Rows are produced while
/// the report is written, so a report over 100,000 recipients never holds them all.
/// </summary>
public sealed class ReportTable
{
    public ReportTable(ReportContext context, IReadOnlyList<ReportColumn> columns, IEnumerable<object?[]> rows)
    {
        Context = context;
        Columns = columns;
        Rows = rows;
    }

    public ReportContext Context { get; }

    public IReadOnlyList<ReportColumn> Columns { get; }

    public IEnumerable<object?[]> Rows { get; }
}

/// <summary>What the orphan search found for a Retention report, where it looked (an account and its endpoint), and in how many places its listing failed.</summary>
public sealed class OrphanScan
{
    public OrphanScan(string where, IReadOnlyList<DataShareOrphan> found, int failures = 0)
    {
        Where = where;
        Found = found;
        Failures = failures;
    }

    public string Where { get; }

    public IReadOnlyList<DataShareOrphan> Found { get; }

    /// <summary>Places that could not be listed: the orphans there, if any, are not in the report.</summary>
    public int Failures { get; }
}
