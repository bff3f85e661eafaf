using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using DataShareAdmin;
using DataShareAdmin.BenchSupport;
using DataShareAdmin.Core.Outputs;

namespace DataShareAdmin.OutputsBenchmark;

/// <summary>
/// dotnet run -c Release --project bench/DataShareAdmin.OutputsBenchmark -- [--cells 1000000] [--releases 100] [--release-cells 100000]
/// Checks generated tables of a quarter, a half and all of --cells (three dimensions, about 1 % of cells under the
/// threshold), each in a fresh child process, then one table of --release-cells against --releases earlier releases of
/// the same shape. Prints a line per run.
/// </summary>
public static class Program
{
    private const string Usage = "usage: DataShareAdmin.OutputsBenchmark [--cells N] [--releases N] [--release-cells N]";

    public static int Main(string[] args) => HarnessMain.Run(Usage, () =>
    {
        var line = new CommandLine(args);
        var childCells = line.Text("--child-check");
        var childDifference = line.Text("--child-difference");
        var cells = line.Count("--cells", 1_000_000, 1000);
        var releases = line.Count("--releases", 100, 1);
        var releaseCells = line.Count("--release-cells", 100_000, 100);
        line.Finish();
        if (childCells is not null)
        {
            ChildProcess.WriteResult(CheckRun(CommandLine.ParseCount("--child-check", childCells, 1)));
            return 0;
        }

        if (childDifference is not null)
        {
            var parts = childDifference.Split(':');
            ChildProcess.WriteResult(DifferenceRun(CommandLine.ParseCount("--child-difference", parts[0], 1), CommandLine.ParseCount("--child-difference", parts[^1], 1)));
            return 0;
        }

        Console.WriteLine($"Machine: {Environment.ProcessorCount} processors, load {LoadAverage()}, .NET {Environment.Version}");
        foreach (var size in new[] { cells / 4, cells / 2, cells })
        {
            var json = ChildProcess.RunSelf(typeof(Program).Assembly, new[] { "--child-check", size.ToString(CultureInfo.InvariantCulture) }, "check child");
            Console.WriteLine("check      " + json);
        }

        var difference = ChildProcess.RunSelf(typeof(Program).Assembly, new[] { "--child-difference", releaseCells + ":" + releases }, "differencing child");
        Console.WriteLine("difference " + difference);
        Console.WriteLine($"Load after: {LoadAverage()}");
        return 0;
    });

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    // A three-way table without margins (margins would make the secondary check part of the run; the unit tests cover it).
    private static string Generate(int cells, string folder)
    {
        var side = (int)Math.Ceiling(Math.Pow(cells, 1.0 / 3));
        var path = Path.Combine(folder, $"table-{cells}.csv");
        var random = new Random(17);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("Area,Year group,Ethnicity,Count\n");
        var written = 0;
        for (var a = 0; a < side && written < cells; a++)
        {
            for (var b = 0; b < side && written < cells; b++)
            {
                for (var c = 0; c < side && written < cells; c++, written++)
                {
                    var count = random.Next(100) == 0 ? random.Next(1, 10) : random.Next(10, 5000);
                    writer.Write($"Area {a:D4},Year {b:D3},Group {c:D3},{count}\n");
                }
            }
        }

        return path;
    }

    private static Dictionary<string, object> CheckRun(int cells)
    {
        var folder = Directory.CreateTempSubdirectory("dsa-outputs-bench-").FullName;
        try
        {
            var path = Generate(cells, folder);
            var process = Process.GetCurrentProcess();
            var before = MemoryBaseline.Take(process);
            var clock = Stopwatch.StartNew();
            var check = new OutputChecker().Check(path, null, null, null);
            var loaded = clock.Elapsed.TotalSeconds;
            var failed = 0;
            foreach (var cell in check.Cells)
            {
                failed += cell.Verdict == OutputVerdict.Fail ? 1 : 0;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            process.Refresh();
            return new Dictionary<string, object>
            {
                ["cells"] = check.Summary.Cells,
                ["failed"] = failed,
                ["seconds"] = Math.Round(seconds, 2),
                ["readAndSummarySeconds"] = Math.Round(loaded, 2),
                ["cellsPerSecond"] = Math.Round(check.Summary.Cells / seconds),
                ["fileMB"] = Math.Round(new FileInfo(path).Length / 1048576.0, 1),
                ["baselineWorkingSetMB"] = Math.Round(before.WorkingSetBytes / 1048576.0, 1),
                ["peakWorkingSetMB"] = Math.Round(process.PeakWorkingSet64 / 1048576.0, 1),
                ["allocatedMB"] = Math.Round(before.AllocatedBytesSince() / 1048576.0),
                ["gen2"] = before.CollectionsSince(2),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // One table of `cells` two-way cells against `releases` earlier releases of the same shape, each produced as it is read.
    private static Dictionary<string, object> DifferenceRun(int cells, int releases)
    {
        var folder = Directory.CreateTempSubdirectory("dsa-outputs-bench-").FullName;
        try
        {
            var side = (int)Math.Ceiling(Math.Sqrt(cells));
            var path = Path.Combine(folder, "current.csv");
            File.WriteAllLines(path, new[] { "School,Month,Count" }.Concat(Enumerable.Range(0, side * side).Select(i => $"S{i / side},M{i % side},{1000 + (i % 97)}")));
            var released = new InMemoryReleasedOutputs();
            for (var r = 0; r < releases; r++)
            {
                var shift = r % 20;
                released.Add("DS1", new ReleasedTable("OR-" + r, "earlier-" + r + ".csv", new[] { "School", "Month" }),
                    () => Enumerable.Range(0, side * side).Select(i => new ReleasedCell(new[] { "S" + (i / side), "M" + (i % side) }, 1000 + (i % 97) - shift)));
            }

            var process = Process.GetCurrentProcess();
            var before = MemoryBaseline.Take(process);
            var clock = Stopwatch.StartNew();
            var check = new OutputChecker(released).Check(path, null, null, "DS1");
            var seconds = clock.Elapsed.TotalSeconds;
            process.Refresh();
            return new Dictionary<string, object>
            {
                ["cells"] = check.Summary.Cells,
                ["releases"] = releases,
                ["comparisons"] = (long)check.Summary.Cells * releases,
                ["failed"] = check.Summary.Failed,
                ["seconds"] = Math.Round(seconds, 2),
                ["comparisonsPerSecond"] = Math.Round((double)check.Summary.Cells * releases / seconds),
                ["baselineWorkingSetMB"] = Math.Round(before.WorkingSetBytes / 1048576.0, 1),
                ["peakWorkingSetMB"] = Math.Round(process.PeakWorkingSet64 / 1048576.0, 1),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
