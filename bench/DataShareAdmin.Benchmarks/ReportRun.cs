using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.Benchmarks;

/// <summary>
/// Parent side of the report scenario: for each count, one fresh register seeded as the recipients scenario seeds it
/// (schema by the module in a child process, rows bulk-inserted here); then, for each format, one fresh child process
/// that times <c>Export-DataShareReport -Kind SafePeople</c> over all of it and samples memory. Prints a row per count
/// and format, and per format the ratio of peak managed heap, largest count / smallest.
/// </summary>
internal static class ReportRun
{
    private const double MiB = 1024 * 1024;

    /// <summary>
    /// What the safe-people report keeps by design, per recipient: one (DateTime, string) entry in a List (16 bytes,
    /// up to twice that while the list grows) and the recipient id string ("RC-" + 10 characters: 48 bytes on x64).
    /// </summary>
    private const double SortKeyBytesPerRecipient = 16 + 48;

    public static int Run(Options options)
    {
        if (!File.Exists(options.Module))
        {
            throw new BenchmarkException($"No module manifest at {options.Module}: build with `dotnet build -c Release` first.");
        }

        Console.WriteLine($"Runtime {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier}, {Environment.ProcessorCount} logical processors");
        Console.WriteLine($"Load average before: {HostLoad.LoadAverage()}");
        ParentRun.WarnIfBusy();
        Console.WriteLine($"DataShareAdmin: {options.Module}");
        Console.WriteLine($"Export-DataShareReport -Kind SafePeople -Format <{string.Join('|', options.Formats)}> -AsOf {options.AsOf:yyyy-MM-dd} -Force over every active recipient; "
            + $"memory sampled every {options.SampleIntervalMs} ms; one fresh process per count and format; rows counted by reading each file back.");
        Console.WriteLine();

        var root = Path.Combine(Path.GetTempPath(), "dsa-bench-report-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var rows = new List<(int Count, ReportResult Result)>();
        try
        {
            foreach (var count in options.Counts)
            {
                var register = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"register-{count}.db"));
                var init = Stopwatch.GetTimestamp();
                RecipientsRun.RunChild(options, Options.InitRegisterScenario, register, expect: null);
                var initMs = Stopwatch.GetElapsedTime(init).TotalMilliseconds;
                var seed = RegisterSeeder.Seed(register, count, options.AsOf);
                Console.WriteLine(RecipientsRun.DescribeSeed(count, initMs, seed));

                foreach (var format in options.Formats)
                {
                    var report = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"safe-people-{count}.{Extension(format)}"));
                    var json = RecipientsRun.RunChild(options, Options.ReportScenario, register, count,
                        "--format", format, "--report-path", report);
                    var result = JsonSerializer.Deserialize<ReportResult>(json, ChildProcess.Json)
                        ?? throw new BenchmarkException("The child printed an empty result.");
                    rows.Add((count, result));
                    var connection = result.ReadOnly ? "read-only" : $"read-write (read-only failed: {result.ReadOnlyProblem})";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{"",7}  {format,-8} {result.Count:N0} rows in {result.ElapsedMs / 1000:0.00} s ({result.PerSecond:N0}/s); first bytes in the file after "
                        + $"{FirstBytes(result)}; file {result.FileBytes / MiB:0.0} MiB; connection {connection}; {result.Samples.Count} memory samples"));
                    if (!options.KeepRegisters)
                    {
                        RecipientsRun.TryDelete(root, Path.GetFileName(report));
                    }
                }

                if (!options.KeepRegisters)
                {
                    RecipientsRun.TryDelete(root, Path.GetFileName(register));
                }
            }

            var first = rows[0].Result;
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SQLite from {Path.GetDirectoryName(first.SqliteAssembly)} (load context '{first.SqliteLoadContext}'); server GC {first.ServerGc}"));
            Console.WriteLine();
            PrintTable(rows);
            Console.WriteLine();
            PrintDetail(rows);
            Console.WriteLine();
            PrintProgression(rows);

            var pass = PrintRatios(options, rows);
            if (options.KeepRegisters)
            {
                Console.WriteLine($"Registers and reports kept in {root}");
            }

            Console.WriteLine();
            Console.WriteLine($"Load average after: {HostLoad.LoadAverage()}");
            ParentRun.WarnIfBusy();
            return pass ? 0 : 3;
        }
        finally
        {
            if (!options.KeepRegisters)
            {
                RecipientsRun.TryDelete(root, null);
            }
        }
    }

    private static string Extension(string format) => format switch
    {
        "Csv" => "csv",
        "Json" => "json",
        "Html" => "html",
        _ => "md",
    };

    private static string FirstBytes(ReportResult r) => r.FirstBytesMs < 0
        ? "(never seen: the run was shorter than a sample)"
        : string.Create(CultureInfo.InvariantCulture, $"{r.FirstBytesMs / 1000:0.0} s ({100 * r.FirstBytesMs / r.ElapsedMs:0}% of the run: sort-key pass{(r.Label == "Html" ? " and summary" : string.Empty)})");

    private static void PrintTable(List<(int Count, ReportResult Result)> rows)
    {
        Console.WriteLine("     Count  Format     seconds      rows/s  peak managed MiB  peak working set MiB  file MiB");
        foreach (var (count, r) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count,10:N0}  {r.Label,-8} {r.ElapsedMs / 1000,9:0.00} {r.PerSecond,11:N0} {r.PeakManagedBytes / MiB,17:0.0} {r.PeakWorkingSetDuringBytes / MiB,21:0} {r.FileBytes / MiB,9:0.0}"));
        }
    }

    private static void PrintDetail(List<(int Count, ReportResult Result)> rows)
    {
        Console.WriteLine("     Count  Format   | first bytes s | managed MiB: before  peak-after-GC  after | working set MiB: before  process peak | alloc KiB/row  GCs 0/1/2 | bytes/row");
        foreach (var (count, r) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count,10:N0}  {r.Label,-8} | {(r.FirstBytesMs < 0 ? "-" : (r.FirstBytesMs / 1000).ToString("0.0", CultureInfo.InvariantCulture)),13} | "
                + $"{"",12}{r.ManagedBeforeBytes / MiB,6:0.0} {r.PeakHeapAfterGcBytes / MiB,14:0.0} {r.ManagedAfterBytes / MiB,6:0.0} | "
                + $"{"",16}{r.WorkingSetBeforeBytes / MiB,6:0} {r.PeakWorkingSetProcessBytes / MiB,13:0} | "
                + $"{r.AllocatedBytes / 1024.0 / Math.Max(1, r.Count),13:0.0}  {r.Gen0Collections,3}/{r.Gen1Collections}/{r.Gen2Collections} | {(double)r.FileBytes / Math.Max(1, r.Count),9:0}"));
        }
    }

    /// <summary>Memory and file progress through each run, so the key pass, the sort and the write pass show apart.</summary>
    private static void PrintProgression(List<(int Count, ReportResult Result)> rows)
    {
        Console.WriteLine("Through each run (highest sample in each tenth of its time): managed MiB / heap after GC MiB / working set MiB / file MiB written");
        foreach (var (count, r) in rows)
        {
            var cells = new List<string>();
            for (var tenth = 0; tenth < 10; tenth++)
            {
                var from = r.ElapsedMs * tenth / 10;
                var to = r.ElapsedMs * (tenth + 1) / 10;
                var slice = r.Samples.Where(s => s.Ms >= from && (s.Ms < to || tenth == 9)).ToList();
                cells.Add(slice.Count == 0
                    ? "-"
                    : string.Create(CultureInfo.InvariantCulture,
                        $"{slice.Max(s => s.Managed) / MiB:0}/{slice.Max(s => s.HeapAfterGc) / MiB:0}/{slice.Max(s => s.WorkingSet) / MiB:0}/{slice.Max(s => s.FileBytes) / MiB:0}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count,10:N0} {r.Label,-8} {string.Join("  ", cells)}"));
        }
    }

    /// <summary>Per format: peak managed heap, largest count / smallest, against the flat target; and the growth per recipient.</summary>
    private static bool PrintRatios(Options options, List<(int Count, ReportResult Result)> rows)
    {
        var pass = true;
        var smallestCount = rows.Min(r => r.Count);
        var largestCount = rows.Max(r => r.Count);
        if (largestCount == smallestCount)
        {
            return true;
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Peak managed heap {largestCount:N0} / {smallestCount:N0} (flat: < {RecipientsRun.FlatTarget:0.0}x). The sort keys grow linearly by design: "
            + $"~{SortKeyBytesPerRecipient:0} bytes per recipient (list entry + id string), ~{SortKeyBytesPerRecipient * (largestCount - smallestCount) / MiB:0.0} MiB more at {largestCount:N0}."));
        foreach (var format in options.Formats)
        {
            var small = rows.First(r => r.Count == smallestCount && r.Result.Label == format).Result;
            var large = rows.First(r => r.Count == largestCount && r.Result.Label == format).Result;
            var managed = (double)large.PeakManagedBytes / small.PeakManagedBytes;
            var afterGc = (double)large.PeakHeapAfterGcBytes / small.PeakHeapAfterGcBytes;
            var workingSet = (double)large.PeakWorkingSetDuringBytes / small.PeakWorkingSetDuringBytes;
            var perRecipient = (double)(large.PeakHeapAfterGcBytes - small.PeakHeapAfterGcBytes) / (largestCount - smallestCount);
            var flat = managed < RecipientsRun.FlatTarget;
            pass &= flat;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {format,-8} peak managed {managed:0.00}x {(flat ? "PASS (flat)" : "FAIL (grows with the count)")}; peak heap after GC {afterGc:0.00}x "
                + $"({perRecipient:+0;-0;0} bytes per extra recipient); peak working set {workingSet:0.00}x; rows/s {large.PerSecond / small.PerSecond:0.00}x; "
                + $"left behind by the {largestCount:N0} run {(large.ManagedAfterBytes - large.ManagedBeforeBytes) / MiB:+0.0;-0.0;0.0} MiB"));
        }

        return pass;
    }
}
