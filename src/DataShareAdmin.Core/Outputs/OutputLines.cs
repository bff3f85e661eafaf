using System;
using System.Collections.Generic;

namespace DataShareAdmin.Core.Outputs;

/// <summary>
/// The table's lines: for each dimension, the cells that differ only in that dimension. A line's members are its
/// cells with a category in that dimension; its total (where the table has one) is the cell with the dimension's
/// total label. Every margin rule works on lines: a total should be the sum of its members.
/// </summary>
internal sealed class OutputLines
{
    private readonly int[][] lineOf;
    private readonly int[][] totalOf;
    private readonly int[][] start;
    private readonly int[][] members;

    public OutputLines(OutputTable table)
    {
        Table = table;
        var n = table.CellCount;
        var dims = table.Dimensions;
        lineOf = new int[dims][];
        totalOf = new int[dims][];
        start = new int[dims][];
        members = new int[dims][];
        for (var d = 0; d < dims; d++)
        {
            var index = new Dictionary<int, int>(new LineComparer(table, d));
            var of = new int[n];
            var sizes = new List<int>();
            var totals = new List<int>();
            for (var cell = 0; cell < n; cell++)
            {
                if (!index.TryGetValue(cell, out var line))
                {
                    line = sizes.Count;
                    index.Add(cell, line);
                    sizes.Add(0);
                    totals.Add(-1);
                }

                of[cell] = line;
                if (table.Coord(cell, d) < 0)
                {
                    totals[line] = cell;
                }
                else
                {
                    sizes[line]++;
                }
            }

            var first = new int[sizes.Count + 1];
            for (var line = 0; line < sizes.Count; line++)
            {
                first[line + 1] = first[line] + sizes[line];
            }

            var fill = (int[])first.Clone();
            var list = new int[first[sizes.Count]];
            for (var cell = 0; cell < n; cell++)
            {
                if (table.Coord(cell, d) >= 0)
                {
                    list[fill[of[cell]]++] = cell;
                }
            }

            lineOf[d] = of;
            totalOf[d] = totals.ToArray();
            start[d] = first;
            members[d] = list;
        }
    }

    public OutputTable Table { get; }

    public int LineCount(int dimension) => totalOf[dimension].Length;

    public int LineOf(int dimension, int cell) => lineOf[dimension][cell];

    /// <summary>The line's total cell, or -1 when the table has none.</summary>
    public int TotalOf(int dimension, int line) => totalOf[dimension][line];

    public ArraySegment<int> Members(int dimension, int line) =>
        new(members[dimension], start[dimension][line], start[dimension][line + 1] - start[dimension][line]);

    // Cells are on the same line of dimension d when every other dimension's category matches.
    private sealed class LineComparer : IEqualityComparer<int>
    {
        private readonly OutputTable table;
        private readonly int dimension;

        public LineComparer(OutputTable table, int dimension)
        {
            this.table = table;
            this.dimension = dimension;
        }

        public bool Equals(int x, int y)
        {
            for (var d = 0; d < table.Dimensions; d++)
            {
                if (d != dimension && table.Coord(x, d) != table.Coord(y, d))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(int obj)
        {
            var hash = 17;
            for (var d = 0; d < table.Dimensions; d++)
            {
                if (d != dimension)
                {
                    hash = unchecked((hash * 31) + table.Coord(obj, d));
                }
            }

            return hash;
        }
    }
}
