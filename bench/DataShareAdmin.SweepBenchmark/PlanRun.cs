using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.SweepBenchmark;

/// <summary>One register size of part 3.</summary>
internal sealed record PlanRow(int Rows, double InitMs, HoldingSeedReport Seed, MeasuredRun Result);

/// <summary>
/// Part 3, parent side: for each size, a fresh register (schema and agreements made by the module in a child process,
/// holdings bulk-inserted here), then one fresh child process that runs Get-DataShareRetentionPlan over it and samples
/// its memory.
/// </summary>
internal static class PlanRun
{
    private const double MiB = 1024 * 1024;

    public static List<PlanRow> Run(Options options)
    {
        var root = Path.Combine(Path.GetTempPath(), "dsa-sweep-bench-plan-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var rows = new List<PlanRow>();
        var consumer = options.Consumer == "foreach" ? "| ForEach-Object { $n++ }" : "C# output collection, counted and dropped";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Plan scenario: Get-DataShareRetentionPlan over registers of {string.Join(", ", options.PlanRows)} holdings ({options.Agreements} agreements, 90% ended); consumer: {consumer}"
            + $"; memory sampled every {options.SampleIntervalMs} ms; one fresh process per size."));
        try
        {
            foreach (var count in options.PlanRows)
            {
                var register = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"register-{count}.db"));
                var init = Stopwatch.GetTimestamp();
                Machine.RunChild(new[] { "--child", Options.InitRegisterChild, "--module", options.Module, "--register", register, "--agreements", options.Agreements.ToString(CultureInfo.InvariantCulture) }, "init-register");
                var initMs = Stopwatch.GetElapsedTime(init).TotalMilliseconds;
                // Due means due on the child's day (today, no -AsOf), with two days' margin for a run that crosses midnight.
                var seed = HoldingSeeder.Seed(register, count, DateTime.UtcNow.Date.AddDays(-2));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {count,9:N0} holdings: schema and {seed.Agreements} agreements by the module ({initMs / 1000:0.0} s, child process); holdings seeded in {seed.Milliseconds / 1000:0.0} s, one transaction; "
                    + $"{seed.Due:N0} due; file {seed.FileBytes / MiB:0} MiB"));

                var json = Machine.RunChild(new[]
                {
                    "--child", Options.PlanChild, "--module", options.Module, "--register", register, "--expect", seed.Due.ToString(CultureInfo.InvariantCulture),
                    "--consumer", options.Consumer, "--sample-interval", options.SampleIntervalMs.ToString(CultureInfo.InvariantCulture),
                }, "plan");
                var result = JsonSerializer.Deserialize<MeasuredRun>(json, ChildProcess.Json) ?? throw new BenchmarkException("The plan child printed an empty result.");
                rows.Add(new PlanRow(count, initMs, seed, result));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {"",9}  plan: {result.Count:N0} items in {result.ElapsedMs / 1000:0.00} s, peak working set {result.PeakWorkingSetDuringBytes / MiB:0} MiB, peak managed {result.PeakManagedBytes / MiB:0.0} MiB, "
                    + $"{result.Samples.Count} samples; SQLite: {result.SqliteAssembly} ({result.SqliteLoadContext})"));

                if (!options.KeepRegisters)
                {
                    foreach (var file in Directory.EnumerateFiles(root, Path.GetFileName(register) + "*"))
                    {
                        TryDelete(file);
                    }
                }
            }
        }
        finally
        {
            if (options.KeepRegisters)
            {
                Console.WriteLine($"  Registers kept in {root}");
            }
            else
            {
                try
                {
                    Directory.Delete(root, recursive: true);
                }
                catch (IOException)
                {
                    // A temp folder left behind does not affect the figures.
                }
            }
        }

        return rows;
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // Likewise.
        }
    }
}
