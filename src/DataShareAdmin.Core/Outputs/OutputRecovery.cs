using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.Core.Outputs;

/// <summary>A suppressed cell that the margins give away (or that could not be proved safe), and the cells that do it.</summary>
internal sealed class Recovery
{
    public Recovery(int cell, bool exact, IReadOnlyList<int> givenAwayBy)
    {
        Cell = cell;
        Exact = exact;
        GivenAwayBy = givenAwayBy;
    }

    public int Cell { get; }

    /// <summary>True: the cell's value follows exactly from the cells shown. False: too many suppressed cells are linked to prove it does not.</summary>
    public bool Exact { get; }

    /// <summary>The shown cells of the lines whose sums, combined, give the value.</summary>
    public IReadOnlyList<int> GivenAwayBy { get; }
}

/// <summary>
/// Which suppressed cells can be worked out from the rest of the table. Every line with a total is an equation (the
/// total is the sum of its members); the unknowns are the suppressed cells. A suppressed cell is given away when the
/// equations pin it to one value whatever the other unknowns are: when its unit vector lies in the span of the
/// equations, found by Gaussian elimination on each group of linked unknowns. That catches chains and combinations of
/// lines, not only a line with one suppressed cell. A group larger than <see cref="MaxExact"/> unknowns is solved by
/// following single-unknown lines only, and its remaining cells are sent for review.
/// </summary>
internal static class OutputRecovery
{
    public const int MaxExact = 300;

    private const double Epsilon = 1e-9;

    public static Dictionary<int, Recovery> Find(OutputLines lines, Func<int, bool> unknown)
    {
        var table = lines.Table;
        var equations = new List<Equation>();
        var localOf = new Dictionary<int, int>();
        var parent = new List<int>();
        for (var d = 0; d < table.Dimensions; d++)
        {
            for (var line = 0; line < lines.LineCount(d); line++)
            {
                var total = lines.TotalOf(d, line);
                if (total < 0)
                {
                    continue;
                }

                var terms = new List<(int Cell, double Sign)>();
                foreach (var member in lines.Members(d, line))
                {
                    if (unknown(member))
                    {
                        terms.Add((member, 1));
                    }
                }

                if (unknown(total))
                {
                    terms.Add((total, -1));
                }

                if (terms.Count == 0)
                {
                    continue;
                }

                foreach (var (cell, _) in terms)
                {
                    if (!localOf.ContainsKey(cell))
                    {
                        localOf[cell] = parent.Count;
                        parent.Add(parent.Count);
                    }
                }

                for (var i = 1; i < terms.Count; i++)
                {
                    Union(parent, localOf[terms[0].Cell], localOf[terms[i].Cell]);
                }

                equations.Add(new Equation(d, line, terms));
            }
        }

        var found = new Dictionary<int, Recovery>();
        foreach (var group in equations.GroupBy(e => Root(parent, localOf[e.Terms[0].Cell])))
        {
            var eqs = group.ToList();
            var cells = eqs.SelectMany(e => e.Terms.Select(t => t.Cell)).Distinct().ToList();
            if (cells.Count <= MaxExact && eqs.Count <= 4 * MaxExact)
            {
                Eliminate(lines, eqs, cells, unknown, found);
            }
            else
            {
                Peel(lines, eqs, cells, unknown, found);
            }
        }

        return found;
    }

    private static void Eliminate(OutputLines lines, List<Equation> eqs, List<int> cells, Func<int, bool> unknown, Dictionary<int, Recovery> found)
    {
        var column = new Dictionary<int, int>();
        for (var i = 0; i < cells.Count; i++)
        {
            column[cells[i]] = i;
        }

        var m = eqs.Count;
        var k = cells.Count;
        var a = new double[m][];
        var sources = new bool[m][];
        for (var r = 0; r < m; r++)
        {
            a[r] = new double[k];
            foreach (var (cell, sign) in eqs[r].Terms)
            {
                a[r][column[cell]] = sign;
            }

            sources[r] = new bool[m];
            sources[r][r] = true;
        }

        var pivotRow = 0;
        var pivotColumns = new List<(int Row, int Column)>();
        for (var c = 0; c < k && pivotRow < m; c++)
        {
            var best = pivotRow;
            for (var r = pivotRow + 1; r < m; r++)
            {
                if (Math.Abs(a[r][c]) > Math.Abs(a[best][c]))
                {
                    best = r;
                }
            }

            if (Math.Abs(a[best][c]) < Epsilon)
            {
                continue;
            }

            (a[best], a[pivotRow]) = (a[pivotRow], a[best]);
            (sources[best], sources[pivotRow]) = (sources[pivotRow], sources[best]);
            var scale = a[pivotRow][c];
            for (var j = 0; j < k; j++)
            {
                a[pivotRow][j] /= scale;
            }

            for (var r = 0; r < m; r++)
            {
                var factor = a[r][c];
                if (r == pivotRow || Math.Abs(factor) < Epsilon)
                {
                    continue;
                }

                for (var j = 0; j < k; j++)
                {
                    a[r][j] -= factor * a[pivotRow][j];
                }

                for (var s = 0; s < m; s++)
                {
                    sources[r][s] |= sources[pivotRow][s];
                }
            }

            pivotColumns.Add((pivotRow, c));
            pivotRow++;
        }

        foreach (var (row, col) in pivotColumns)
        {
            var alone = true;
            for (var j = 0; j < k && alone; j++)
            {
                alone = j == col || Math.Abs(a[row][j]) < Epsilon;
            }

            if (alone)
            {
                var used = Enumerable.Range(0, m).Where(s => sources[row][s]).Select(s => eqs[s]);
                found[cells[col]] = new Recovery(cells[col], true, KnownCells(lines, used, unknown));
            }
        }
    }

    private static void Peel(OutputLines lines, List<Equation> eqs, List<int> cells, Func<int, bool> unknown, Dictionary<int, Recovery> found)
    {
        var solved = new Dictionary<int, List<Equation>>();
        var progress = true;
        while (progress)
        {
            progress = false;
            foreach (var eq in eqs)
            {
                var open = eq.Terms.Where(t => !solved.ContainsKey(t.Cell)).ToList();
                if (open.Count != 1)
                {
                    continue;
                }

                var chain = new List<Equation> { eq };
                foreach (var term in eq.Terms.Where(t => solved.ContainsKey(t.Cell)))
                {
                    chain.AddRange(solved[term.Cell]);
                }

                solved[open[0].Cell] = chain.Distinct().ToList();
                progress = true;
            }
        }

        foreach (var cell in cells)
        {
            found[cell] = solved.TryGetValue(cell, out var chain)
                ? new Recovery(cell, true, KnownCells(lines, chain, unknown))
                : new Recovery(cell, false, Array.Empty<int>());
        }
    }

    private static List<int> KnownCells(OutputLines lines, IEnumerable<Equation> equations, Func<int, bool> unknown)
    {
        var known = new SortedSet<int>();
        foreach (var eq in equations)
        {
            var total = lines.TotalOf(eq.Dimension, eq.Line);
            if (!unknown(total))
            {
                known.Add(total);
            }

            foreach (var member in lines.Members(eq.Dimension, eq.Line))
            {
                if (!unknown(member))
                {
                    known.Add(member);
                }
            }
        }

        return known.ToList();
    }

    private static int Root(List<int> parent, int i)
    {
        while (parent[i] != i)
        {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }

        return i;
    }

    private static void Union(List<int> parent, int a, int b)
    {
        var ra = Root(parent, a);
        var rb = Root(parent, b);
        if (ra != rb)
        {
            parent[ra] = rb;
        }
    }

    private sealed record Equation(int Dimension, int Line, List<(int Cell, double Sign)> Terms);
}
