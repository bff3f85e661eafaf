using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace DataShareAdmin.Core.Outputs;

/// <summary>
/// An aggregate table held compactly: per cell, its category numbers (one int per dimension, -1 for a total) and its
/// measures in parallel arrays, with categories stored once per dimension. A million cells of three dimensions take
/// about 40 MB, not the gigabyte the rows' text would.
/// </summary>
internal sealed class OutputTable
{
    private readonly List<int> coords = new();
    private readonly Dictionary<string, int>[] categoryIndex;
    private readonly Dictionary<int, int> cells;
    private readonly int[] scratch;
    private readonly bool[] totalSeen;

    public OutputTable(string path, OutputColumns columns)
    {
        Path = path;
        Columns = columns;
        DimensionNames = columns.DimensionNames;
        Dimensions = DimensionNames.Length;
        categoryIndex = new Dictionary<string, int>[Dimensions];
        Categories = new List<string>[Dimensions];
        TotalText = new string[Dimensions];
        for (var d = 0; d < Dimensions; d++)
        {
            categoryIndex[d] = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            Categories[d] = new List<string>();
            TotalText[d] = "Total";
        }

        scratch = new int[Dimensions];
        totalSeen = new bool[Dimensions];
        cells = new Dictionary<int, int>(new CellComparer(this));
        Numerators = new List<long>[columns.Rates.Count];
        Denominators = new List<long>[columns.Rates.Count];
        for (var r = 0; r < columns.Rates.Count; r++)
        {
            Numerators[r] = new List<long>();
            Denominators[r] = new List<long>();
        }
    }

    public string Path { get; }

    public string Sha256 { get; set; } = string.Empty;

    public OutputColumns Columns { get; }

    public string[] DimensionNames { get; }

    public int Dimensions { get; }

    /// <summary>Each dimension's categories other than its total, by number.</summary>
    public List<string>[] Categories { get; }

    /// <summary>How each dimension's total is written in the file (its first occurrence).</summary>
    public string[] TotalText { get; }

    public int CellCount => Lines.Count;

    public List<int> Lines { get; } = new();

    /// <summary>The count (contributors in a magnitude table); meaningless where <see cref="Suppressed"/>.</summary>
    public List<long> Counts { get; } = new();

    public List<bool> Suppressed { get; } = new();

    /// <summary>Magnitudes (NaN where blank or suppressed); empty lists for a frequency table.</summary>
    public List<double> Values { get; } = new();

    public List<double> Largest { get; } = new();

    public List<double> Second { get; } = new();

    /// <summary>Per rate column, per cell: the numerator and denominator, -1 where blank or suppressed.</summary>
    public List<long>[] Numerators { get; }

    public List<long>[] Denominators { get; }

    public int Coord(int cell, int dimension) => coords[(cell * Dimensions) + dimension];

    public bool IsTotal(int cell)
    {
        for (var d = 0; d < Dimensions; d++)
        {
            if (Coord(cell, d) < 0)
            {
                return true;
            }
        }

        return false;
    }

    public string Label(int cell)
    {
        var text = new StringBuilder();
        for (var d = 0; d < Dimensions; d++)
        {
            if (d > 0)
            {
                text.Append(", ");
            }

            var c = Coord(cell, d);
            text.Append(DimensionNames[d]).Append('=').Append(c < 0 ? TotalText[d] : Categories[d][c]);
        }

        return text.ToString();
    }

    /// <summary>Adds a cell by its categories' text; returns the cell number, or the earlier cell's number (negated, minus one) when the same categories are already there.</summary>
    public int Add(IReadOnlyList<string> categories, int line)
    {
        for (var d = 0; d < Dimensions; d++)
        {
            coords.Add(Intern(d, categories[d]));
        }

        var cell = Lines.Count;
        if (cells.TryGetValue(cell, out var earlier))
        {
            coords.RemoveRange(coords.Count - Dimensions, Dimensions);
            return -earlier - 1;
        }

        cells.Add(cell, cell);
        Lines.Add(line);
        return cell;
    }

    /// <summary>The cell with these category numbers (-1 for a total), or -1.</summary>
    public int Find(IReadOnlyList<int> categoryNumbers)
    {
        for (var d = 0; d < Dimensions; d++)
        {
            scratch[d] = categoryNumbers[d];
        }

        return cells.TryGetValue(-1, out var cell) ? cell : -1;
    }

    /// <summary>A category's number in a dimension: -1 for a total label, -2 when the table has no such category.</summary>
    public int CategoryNumber(int dimension, string category)
    {
        var text = category.Trim();
        if (Columns.TotalLabels.Contains(text))
        {
            return -1;
        }

        return categoryIndex[dimension].TryGetValue(text, out var n) ? n : -2;
    }

    internal static string FormatNumber(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private int Intern(int dimension, string category)
    {
        var text = category.Trim();
        if (Columns.TotalLabels.Contains(text))
        {
            if (!totalSeen[dimension])
            {
                totalSeen[dimension] = true;
                TotalText[dimension] = text;
            }

            return -1;
        }

        if (!categoryIndex[dimension].TryGetValue(text, out var n))
        {
            n = Categories[dimension].Count;
            categoryIndex[dimension].Add(text, n);
            Categories[dimension].Add(text);
        }

        return n;
    }

    // Compares cells by their category numbers; cell -1 stands for the scratch categories a lookup fills in.
    private sealed class CellComparer : IEqualityComparer<int>
    {
        private readonly OutputTable table;

        public CellComparer(OutputTable table)
        {
            this.table = table;
        }

        public bool Equals(int x, int y)
        {
            for (var d = 0; d < table.Dimensions; d++)
            {
                if (Get(x, d) != Get(y, d))
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
                hash = unchecked((hash * 31) + Get(obj, d));
            }

            return hash;
        }

        private int Get(int cell, int d) => cell < 0 ? table.scratch[d] : table.coords[(cell * table.Dimensions) + d];
    }
}
