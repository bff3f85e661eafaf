using System;
using System.IO;
using System.Linq;
using System.Text;
using DataShareAdmin.Core.Outputs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DataShareAdmin.Core.Tests.Outputs;

/// <summary>Protection is only worth having if its copy passes the very checks that made it, whatever the table.</summary>
public sealed class OutputPropertyTests
{
    // A two- or three-way table with every margin, built from arbitrary small and large counts (zeros included).
    private static string Table(byte[] seeds, int rows, int columns, bool layers)
    {
        var layerCount = layers ? 2 : 1;
        var counts = new long[layerCount, rows, columns];
        for (var l = 0; l < layerCount; l++)
        {
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    var seed = seeds.Length == 0 ? 0 : seeds[((l * rows * columns) + (r * columns) + c) % seeds.Length];
                    counts[l, r, c] = seed % 4 == 0 ? seed % 12 : seed;
                }
            }
        }

        var text = new StringBuilder(layers ? "Layer,Row,Column,Count\n" : "Row,Column,Count\n");
        for (var l = -1; l < layerCount; l++)
        {
            if (!layers && l >= 0)
            {
                break;
            }

            for (var r = -1; r < rows; r++)
            {
                for (var c = -1; c < columns; c++)
                {
                    long sum = 0;
                    for (var ll = 0; ll < layerCount; ll++)
                    {
                        for (var rr = 0; rr < rows; rr++)
                        {
                            for (var cc = 0; cc < columns; cc++)
                            {
                                var covered = (l < 0 || !layers || ll == l) && (r < 0 || rr == r) && (c < 0 || cc == c);
                                sum += covered ? counts[ll, rr, cc] : 0;
                            }
                        }
                    }

                    if (layers)
                    {
                        text.Append(l < 0 ? "Total" : "L" + l).Append(',');
                    }

                    text.Append(r < 0 ? "Total" : "R" + r).Append(',').Append(c < 0 ? "Total" : "C" + c).Append(',').Append(sum).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    private static bool ProtectedCopyPasses(string table, OutputRules rules)
    {
        var folder = Path.Combine(Path.GetTempPath(), "dsa-outputs-prop-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var source = Path.Combine(folder, "t.csv");
            File.WriteAllText(source, table);
            var check = new OutputChecker().Protect(source, Path.Combine(folder, "safe.csv"), null, rules, null, overwrite: false);
            var again = new OutputChecker().Check(Path.Combine(folder, "safe.csv"), null, rules, null);
            return check.Summary.Failed == 0 && again.Summary.Failed == 0 && again.Summary.Cells == check.Summary.Cells
                && File.ReadAllText(source) == table;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Property(MaxTest = 150)]
    public Property A_suppressed_copy_passes_the_checks_that_made_it(byte[] seeds, PositiveInt rows, PositiveInt columns, bool zerosDisclosive, bool layers)
    {
        var table = Table(seeds, 1 + (rows.Get % 5), 1 + (columns.Get % 5), layers);
        return ProtectedCopyPasses(table, new OutputRules { ZerosDisclosive = zerosDisclosive }).Label(table);
    }

    [Property(MaxTest = 150)]
    public Property A_rounded_copy_passes_the_checks_that_made_it(byte[] seeds, PositiveInt rows, PositiveInt columns, bool zerosDisclosive, bool layers, bool baseTen)
    {
        var table = Table(seeds, 1 + (rows.Get % 5), 1 + (columns.Get % 5), layers);
        return ProtectedCopyPasses(table, new OutputRules { ZerosDisclosive = zerosDisclosive, RoundingBase = baseTen ? 10 : 5, Threshold = baseTen ? 10 : 8 }).Label(table);
    }
}
