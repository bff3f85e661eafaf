using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.Core.Outputs;

/// <summary>A table already released under an agreement: what the differencing rule compares a new table with.</summary>
public sealed class ReleasedTable
{
    public ReleasedTable(string releaseId, string name, IReadOnlyList<string> dimensions)
    {
        ReleaseId = releaseId;
        Name = name;
        Dimensions = dimensions;
    }

    /// <summary>The release it belongs to (phase 2: the release record's id).</summary>
    public string ReleaseId { get; }

    /// <summary>The file's name as released.</summary>
    public string Name { get; }

    /// <summary>Its dimension columns, in the order <see cref="ReleasedCell.Categories"/> gives them.</summary>
    public IReadOnlyList<string> Dimensions { get; }

    public override string ToString() => ReleaseId + " (" + Name + ")";
}

/// <summary>One cell of a released table as it was released: its categories and its count (null when suppressed).</summary>
public sealed class ReleasedCell
{
    public ReleasedCell(IReadOnlyList<string> categories, long? count)
    {
        Categories = categories;
        Count = count;
    }

    public IReadOnlyList<string> Categories { get; }

    public long? Count { get; }
}

/// <summary>
/// Where the differencing rule finds what an agreement has released. Only approved releases count; the register
/// implements this in phase 2 from its release records. Cells are read one table at a time, streaming.
/// </summary>
public interface IReleasedOutputs
{
    IEnumerable<ReleasedTable> Released(string agreementId);

    IEnumerable<ReleasedCell> Cells(ReleasedTable table);
}

/// <summary>Released tables held in memory, for tests and for checking against tables a script supplies.</summary>
public sealed class InMemoryReleasedOutputs : IReleasedOutputs
{
    private readonly List<(string AgreementId, ReleasedTable Table, Func<IEnumerable<ReleasedCell>> Cells)> tables = new();

    public void Add(string agreementId, ReleasedTable table, IEnumerable<ReleasedCell> cells)
    {
        var held = cells.ToList();
        tables.Add((agreementId, table, () => held));
    }

    /// <summary>Adds a table whose cells are produced each time they are read (a benchmark's large tables).</summary>
    public void Add(string agreementId, ReleasedTable table, Func<IEnumerable<ReleasedCell>> cells) => tables.Add((agreementId, table, cells));

    public IEnumerable<ReleasedTable> Released(string agreementId) =>
        tables.Where(t => string.Equals(t.AgreementId, agreementId, StringComparison.OrdinalIgnoreCase)).Select(t => t.Table);

    public IEnumerable<ReleasedCell> Cells(ReleasedTable table) => tables.First(t => ReferenceEquals(t.Table, table)).Cells();
}
