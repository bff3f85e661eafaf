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
/// Parent side of the recipients scenario: for each count, a fresh register (schema made by the module in a child
/// process, rows bulk-inserted here), then one fresh child process that times Test-DataShareRecipient over all of it
/// and samples memory. Prints a row per count and the ratio of peak managed heap, largest count / smallest.
/// </summary>
internal static class RecipientsRun
{
    /// <summary>Memory is "flat" when the largest register's peak managed heap is below this multiple of the smallest's.</summary>
    public const double FlatTarget = 1.5;

    private const double MiB = 1024 * 1024;

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
        Console.WriteLine($"Test-DataShareRecipient -AsOf {options.AsOf:yyyy-MM-dd} over every active recipient; consumer: "
            + (options.Consumer == "foreach" ? "| ForEach-Object { $n++ }" : "C# output collection, counted and discarded")
            + $"; memory sampled every {options.SampleIntervalMs} ms; one fresh process per count.");
        Console.WriteLine();

        var root = Path.Combine(Path.GetTempPath(), "dsa-bench-recipients-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var rows = new List<(int Count, SeedReport Seed, MeasuredRun Result)>();
        try
        {
            foreach (var count in options.Counts)
            {
                var register = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"register-{count}.db"));
                var init = Stopwatch.GetTimestamp();
                RunChild(options, Options.InitRegisterScenario, register, expect: null);
                var initMs = Stopwatch.GetElapsedTime(init).TotalMilliseconds;
                var seed = RegisterSeeder.Seed(register, count, options.AsOf);
                Console.WriteLine(DescribeSeed(count, initMs, seed));

                var result = JsonSerializer.Deserialize<MeasuredRun>(RunChild(options, Options.RecipientsScenario, register, count), ChildProcess.Json)
                    ?? throw new BenchmarkException("The child printed an empty result.");
                rows.Add((count, seed, result));
                var readiness = options.Consumer == "foreach"
                    ? string.Empty
                    : string.Create(CultureInfo.InvariantCulture, $"{result.Ready:N0} ready, {result.Warnings:N0} with a warning; ");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{"",7}  measured: {result.Count:N0} results in {result.ElapsedMs / 1000:0.00} s ({result.PerSecond:N0}/s), {readiness}"
                    + $"{result.Samples.Count} memory samples; "
                    + $"SQLite from {Path.GetDirectoryName(result.SqliteAssembly)} (load context '{result.SqliteLoadContext}')"));

                if (!options.KeepRegisters)
                {
                    TryDelete(root, Path.GetFileName(register));
                }
            }

            Console.WriteLine();
            PrintTable(rows);
            Console.WriteLine();
            PrintProgression(rows);

            var smallest = rows.MinBy(r => r.Count);
            var largest = rows.MaxBy(r => r.Count);
            var pass = true;
            if (rows.Count > 1 && largest.Count > smallest.Count)
            {
                var managed = (double)largest.Result.PeakManagedBytes / smallest.Result.PeakManagedBytes;
                var afterGc = (double)largest.Result.PeakHeapAfterGcBytes / smallest.Result.PeakHeapAfterGcBytes;
                var workingSet = (double)largest.Result.PeakWorkingSetDuringBytes / smallest.Result.PeakWorkingSetDuringBytes;
                var retained = (largest.Result.ManagedAfterBytes - largest.Result.ManagedBeforeBytes) / MiB;
                pass = managed < FlatTarget;
                Console.WriteLine();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Peak managed heap {largest.Count:N0} / {smallest.Count:N0}: {managed:0.00}x  target < {FlatTarget:0.0}x  {(pass ? "PASS (flat)" : "FAIL (grows with the count)")}"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Peak heap after GC {afterGc:0.00}x; peak working set during the run {workingSet:0.00}x; "
                    + $"throughput {largest.Result.PerSecond / smallest.Result.PerSecond:0.00}x; "
                    + $"managed data left behind by the {largest.Count:N0} run {retained:+0.0;-0.0;0.0} MiB"));
            }

            if (options.KeepRegisters)
            {
                Console.WriteLine($"Registers kept in {root}");
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
                TryDelete(root, null);
            }
        }
    }

    private static void PrintTable(List<(int Count, SeedReport Seed, MeasuredRun Result)> rows)
    {
        Console.WriteLine("Recipients   elapsed   recipients/s | managed MiB: before  peak  peak-after-GC  after | working set MiB: before  peak (run)  process peak | alloc KiB/recipient  GCs 0/1/2");
        foreach (var (count, _, r) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{count,10:N0} {r.ElapsedMs / 1000,8:0.00} s {r.PerSecond,12:N0} | {"",12}{r.ManagedBeforeBytes / MiB,6:0.0} {r.PeakManagedBytes / MiB,5:0.0} {r.PeakHeapAfterGcBytes / MiB,14:0.0} {r.ManagedAfterBytes / MiB,6:0.0} | "
                + $"{"",16}{r.WorkingSetBeforeBytes / MiB,6:0} {r.PeakWorkingSetDuringBytes / MiB,11:0} {r.PeakWorkingSetProcessBytes / MiB,13:0} | "
                + $"{r.AllocatedBytes / 1024.0 / Math.Max(1, r.Count),19:0.0}  {r.Gen0Collections}/{r.Gen1Collections}/{r.Gen2Collections}"));
        }
    }

    /// <summary>Memory against progress through the run, so growth per recipient shows as a trend, not only a peak.</summary>
    private static void PrintProgression(List<(int Count, SeedReport Seed, MeasuredRun Result)> rows)
    {
        Console.WriteLine("Memory through the run (highest sample in each tenth of the run's time): managed MiB / heap after GC MiB / working set MiB");
        foreach (var (count, _, r) in rows)
        {
            var cells = new List<string>();
            for (var tenth = 0; tenth < 10; tenth++)
            {
                var from = r.ElapsedMs * tenth / 10;
                var to = r.ElapsedMs * (tenth + 1) / 10;
                var slice = r.Samples.Where(s => s.Ms >= from && (s.Ms < to || tenth == 9)).ToList();
                cells.Add(slice.Count == 0
                    ? "-"
                    : string.Create(CultureInfo.InvariantCulture, $"{slice.Max(s => s.Managed) / MiB:0}/{slice.Max(s => s.HeapAfterGc) / MiB:0}/{slice.Max(s => s.WorkingSet) / MiB:0}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{count,10:N0}  {string.Join("  ", cells)}"));
        }
    }

    /// <summary>One line on a seeded register: how its schema was made and what went into it.</summary>
    internal static string DescribeSeed(int count, double initMs, SeedReport seed) => string.Create(CultureInfo.InvariantCulture,
        $"{count,7:N0} recipients: schema by Connect-DataShareRegister ({initMs:0} ms, child process); seeded in {seed.Milliseconds / 1000:0.0} s, one transaction: "
        + $"{seed.Agreements} agreements, {seed.People:N0} people, {seed.Recipients:N0} recipients, {seed.Certificates:N0} certificates; "
        + $"{Percent(seed.PeopleWithValidCertificate, count)} with a current certificate ({Percent(seed.PeopleNearExpiry, count)} lapsing within 30 days), "
        + $"{Percent(seed.PeopleLapsedOnly, count)} lapsed only, {Percent(seed.PeopleWithoutCertificate, count)} none; "
        + $"{Percent(seed.WithoutDeclaration, count)} no declaration, {Percent(seed.WithoutTraining, count)} no training; file {seed.FileBytes / MiB:0.0} MiB");

    private static string Percent(int part, int whole) => string.Create(CultureInfo.InvariantCulture, $"{100.0 * part / whole:0.0}%");

    /// <summary>Starts the harness again in child mode and returns the JSON after "BENCH-RESULT ".</summary>
    internal static string RunChild(Options options, string scenario, string register, int? expect, params string[] extra)
    {
        var arguments = new List<string> { typeof(RecipientsRun).Assembly.Location, "--child", "--scenario", scenario, "--module", options.Module, "--register", register };
        if (expect is not null)
        {
            arguments.AddRange(new[]
            {
                "--expect", expect.Value.ToString(CultureInfo.InvariantCulture),
                "--as-of", options.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                "--consumer", options.Consumer,
                "--sample-interval", options.SampleIntervalMs.ToString(CultureInfo.InvariantCulture),
            });
        }

        arguments.AddRange(extra);
        return ChildProcess.Run(ChildProcess.DotnetHost(), arguments, $"{scenario} child for {register}");
    }

    /// <summary>Deletes one register (and its -wal/-shm files) or, with no name, the whole folder.</summary>
    internal static void TryDelete(string root, string? register)
    {
        try
        {
            if (register is null)
            {
                Directory.Delete(root, recursive: true);
                return;
            }

            foreach (var file in Directory.EnumerateFiles(root, register + "*"))
            {
                File.Delete(file);
            }
        }
        catch (IOException)
        {
            // A temp file left behind does not affect the figures.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
