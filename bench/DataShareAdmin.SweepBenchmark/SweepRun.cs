using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using DataShareAdmin.TestSupport;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.SweepBenchmark;

/// <summary>Every figure of the sweep scenario, raw, for the report.</summary>
internal sealed class SweepReport
{
    public int Blobs { get; set; }

    public int Holdings { get; set; }

    public int Containers { get; set; }

    public Dictionary<int, List<SweepTiming>> Module { get; } = new();

    public Dictionary<int, List<double>> Sdk { get; } = new();

    public List<(int Throttle, EmulationResult Result)> Emulation { get; } = new();

    public List<(int Throttle, SweepTiming Timing)> ModuleRaisedMinThreads { get; } = new();

    public int DefaultMinThreads { get; set; }

    public List<double> SeedMs { get; } = new();

    public List<double> RegisterSetupMs { get; } = new();

    public long Leftovers { get; set; }

    public double WallSeconds { get; set; }
}

/// <summary>
/// Parts 1 and 2: one Azurite, one hosted runspace. Before every measurement the blobs are reset to exactly the
/// layout (leftovers deleted, every blob seeded, counted); module measurements also get a fresh register. The two
/// sides alternate which goes first in each repetition, and the levels within a side alternate ascending and
/// descending, so a drift in Azurite's speed is spread over both.
/// </summary>
internal static class SweepRun
{
    public static SweepReport Run(Options options)
    {
        var started = DateTime.UtcNow;
        var layout = BlobLayout.Create(options.Blobs, options.Holdings, options.Containers);
        var report = new SweepReport { Blobs = layout.TotalBlobs, Holdings = layout.Holdings.Count, Containers = layout.Containers.Count };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Sweep scenario: {layout.TotalBlobs:N0} blobs of {options.BlobBytes} bytes in {layout.Holdings.Count} due holdings (prefixes) over {layout.Containers.Count} containers, "
            + $"{options.Repeats} repetition(s) of each measurement, reseeded before every one."));
        Console.Write("Starting Azurite... ");
        using var azurite = AzuriteServer.Start(new AzuriteOptions { Services = AzuriteServices.Blob });
        Console.WriteLine(azurite.BlobEndpoint);

        var workload = new BlobWorkload(azurite.ConnectionString, layout, options.BlobBytes);
        workload.CreateContainersAsync().GetAwaiter().GetResult();
        using var session = new ModuleSweepSession(options.Module, azurite.ConnectionString, azurite.BlobEndpoint);

        // Warm-up, discarded: JIT, connection pools, Azurite's first requests, on both sides.
        Reset(workload, report);
        report.RegisterSetupMs.Add(session.PrepareRegister(layout));
        var warm = session.Sweep(16, layout.Holdings.Count, layout.TotalBlobs);
        ExpectEmpty(workload, "the warm-up sweep");
        Reset(workload, report);
        var warmSdk = workload.DeleteKnownAsync(32).GetAwaiter().GetResult();
        ExpectEmpty(workload, "the warm-up SDK loop");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Warm-up (discarded): module -ThrottleLimit 16 {warm.TotalMs / 1000:0.00} s, SDK loop 32 {warmSdk / 1000:0.00} s"));

        for (var rep = 0; rep < options.Repeats; rep++)
        {
            var moduleFirst = rep % 2 == 0;
            var ascending = rep % 2 == 0;
            foreach (var side in moduleFirst ? new[] { "module", "sdk" } : new[] { "sdk", "module" })
            {
                var levels = side == "module" ? options.ThrottleLimits : options.SdkConcurrency;
                foreach (var level in ascending ? levels : levels.Reverse())
                {
                    Reset(workload, report);
                    if (side == "module")
                    {
                        report.RegisterSetupMs.Add(session.PrepareRegister(layout));
                        var timing = session.Sweep(level, layout.Holdings.Count, layout.TotalBlobs);
                        ExpectEmpty(workload, "the sweep");
                        Add(report.Module, level, timing);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  rep {rep + 1} module -ThrottleLimit {level,3}: {timing.TotalMs / 1000,6:0.00} s {layout.TotalBlobs / (timing.TotalMs / 1000),7:N0} blobs/s"
                            + $"  [plan {timing.PlanMs / 1000:0.00} s + listing {timing.ListingMs / 1000:0.00} s + holdings in flight {timing.InFlightMs / 1000:0.00} s + recording only {timing.RecordingMs / 1000:0.00} s;"
                            + $" pool threads {timing.ThreadPoolThreadsBefore}->{timing.ThreadPoolThreadsAfter}]"));
                    }
                    else
                    {
                        var ms = workload.DeleteKnownAsync(level).GetAwaiter().GetResult();
                        ExpectEmpty(workload, "the SDK loop");
                        Add(report.Sdk, level, ms);
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  rep {rep + 1} SDK loop concurrency {level,3}: {ms / 1000,6:0.00} s {layout.TotalBlobs / (ms / 1000),7:N0} blobs/s"));
                    }
                }
            }
        }

        if (!options.SkipDiagnostics)
        {
            // Where the module's time goes: its storage steps alone (no PowerShell, no register), with the module's
            // threading, with the same structure made asynchronous, and with one pool across holdings. One run each.
            var throttles = new[] { options.ThrottleLimits.Min(), options.ThrottleLimits.Max() }.Distinct().ToArray();
            foreach (var throttle in throttles)
            {
                foreach (var mode in Enum.GetValues<EmulationMode>())
                {
                    Reset(workload, report);
                    var emulation = workload.EmulateSweep(throttle, mode);
                    ExpectEmpty(workload, "the emulated sweep");
                    report.Emulation.Add((throttle, emulation));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  diagnostic: storage steps alone, {mode}, throttle {throttle}: {emulation.TotalMs / 1000:0.00} s = measure {emulation.MeasureMs / 1000:0.00} s + delete {emulation.DeleteMs / 1000:0.00} s + verify {emulation.VerifyMs / 1000:0.00} s; "
                        + $"{emulation.ListRequests} listings{(emulation.VersionsRefused ? ", versions refused by the emulator (probe fell back to snapshots)" : string.Empty)}"));
                }
            }

            // The module again with the host's thread pool minimum raised (a host setting, not a module change): does
            // its one-thread-per-delete threading starve on this machine's small default pool?
            ThreadPool.GetMinThreads(out var workers, out var io);
            report.DefaultMinThreads = workers;
            ThreadPool.SetMinThreads(Math.Max(workers, 2 * options.ThrottleLimits.Max()), io);
            try
            {
                foreach (var throttle in throttles)
                {
                    Reset(workload, report);
                    report.RegisterSetupMs.Add(session.PrepareRegister(layout));
                    var timing = session.Sweep(throttle, layout.Holdings.Count, layout.TotalBlobs);
                    ExpectEmpty(workload, "the sweep");
                    report.ModuleRaisedMinThreads.Add((throttle, timing));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  diagnostic: module -ThrottleLimit {throttle}, thread pool minimum {2 * options.ThrottleLimits.Max()} (default {workers}): {timing.TotalMs / 1000:0.00} s {layout.TotalBlobs / (timing.TotalMs / 1000):N0} blobs/s"
                        + $" [holdings in flight {timing.InFlightMs / 1000:0.00} s; pool threads {timing.ThreadPoolThreadsBefore}->{timing.ThreadPoolThreadsAfter}]"));
                }
            }
            finally
            {
                ThreadPool.SetMinThreads(workers, io);
            }
        }

        report.WallSeconds = (DateTime.UtcNow - started).TotalSeconds;
        return report;
    }

    private static void Reset(BlobWorkload workload, SweepReport report)
    {
        var (leftovers, seedMs) = workload.ResetAsync().GetAwaiter().GetResult();
        report.Leftovers += leftovers;
        report.SeedMs.Add(seedMs);
    }

    private static void ExpectEmpty(BlobWorkload workload, string what)
    {
        var left = workload.CountAsync().GetAwaiter().GetResult();
        if (left != 0)
        {
            throw new BenchmarkException($"{left} blobs were left after {what}.");
        }
    }

    private static void Add<T>(Dictionary<int, List<T>> table, int level, T value)
    {
        if (!table.TryGetValue(level, out var list))
        {
            table[level] = list = new List<T>();
        }

        list.Add(value);
    }
}
