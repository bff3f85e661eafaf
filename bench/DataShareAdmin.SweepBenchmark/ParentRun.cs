using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.SweepBenchmark;

/// <summary>Runs the scenarios and prints the results tables, the machine and the command to reproduce them.</summary>
internal static class ParentRun
{
    /// <summary>The module's best sweep throughput should be at least this fraction of the SDK loop's best.</summary>
    public const double RatioTarget = 0.8;

    /// <summary>Plan memory is "flat" when the largest register's peak managed heap is below this multiple of the smallest's.</summary>
    public const double FlatTarget = 1.5;

    private const double MiB = 1024 * 1024;

    public static int Run(Options options)
    {
        var wall = Stopwatch.StartNew();
        Console.WriteLine("DataShareAdmin retention-sweep benchmark");
        foreach (var line in Machine.Describe())
        {
            Console.WriteLine(line);
        }

        Console.WriteLine($"Module: {options.Module}");
        Console.WriteLine($"Load average before: {HostLoad.LoadAverage()}");
        Machine.WarnIfBusy();
        Console.WriteLine();

        SweepReport? sweep = null;
        if (!options.SkipSweep)
        {
            sweep = SweepRun.Run(options);
            Console.WriteLine();
        }

        List<PlanRow>? plan = null;
        if (!options.SkipPlan)
        {
            plan = PlanRun.Run(options);
            Console.WriteLine();
        }

        Console.WriteLine("==================================================================== RESULTS");
        var pass = true;
        if (sweep is not null)
        {
            pass &= PrintSweep(sweep, options);
        }

        if (plan is not null)
        {
            pass &= PrintPlan(plan);
        }

        Console.WriteLine();
        foreach (var line in Machine.Describe())
        {
            Console.WriteLine(line);
        }

        Console.WriteLine($"Load average after: {HostLoad.LoadAverage()}");
        Machine.WarnIfBusy();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Whole run: {wall.Elapsed.TotalMinutes:0.0} min"));
        Console.WriteLine("Reproduce:");
        Console.WriteLine($"  cd {Options.Metadata("RepositoryRoot")?.TrimEnd('/') ?? "<repository>"} && dotnet build DataShareAdmin.sln -c Release && "
            + "dotnet run -c Release --project bench/DataShareAdmin.SweepBenchmark" + (options.Arguments.Count == 0 ? string.Empty : " -- " + string.Join(' ', options.Arguments.Select(Quote))));
        return pass || !options.Strict ? 0 : 3;
    }

    private static bool PrintSweep(SweepReport report, Options options)
    {
        double Rate(double ms) => report.Blobs / (ms / 1000);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Sweep throughput: {report.Blobs:N0} blobs in {report.Holdings} due holdings over {report.Containers} containers, Azurite on loopback; "
            + $"median of {options.Repeats} (min-max); blobs/s = {report.Blobs:N0} / median seconds"));
        Console.WriteLine("  Side                                                  Level   median s     min-max s      blobs/s");
        var moduleBest = (Level: 0, Rate: 0.0);
        foreach (var (level, timings) in report.Module.OrderBy(p => p.Key))
        {
            var stats = Stats.Of(timings.Select(t => t.TotalMs / 1000));
            var rate = report.Blobs / stats.Median;
            if (rate > moduleBest.Rate)
            {
                moduleBest = (level, rate);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  Invoke-DataShareRetentionSweep -Force -ThrottleLimit   {level,5} {stats.Median,10:0.00} {stats.Min,7:0.00}-{stats.Max,-7:0.00} {rate,11:N0}"));
        }

        var sdkBest = (Level: 0, Rate: 0.0);
        foreach (var (level, times) in report.Sdk.OrderBy(p => p.Key))
        {
            var stats = Stats.Of(times.Select(t => t / 1000));
            var rate = report.Blobs / stats.Median;
            if (rate > sdkBest.Rate)
            {
                sdkBest = (level, rate);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  SDK loop, BlobClient.DeleteAsync by name, concurrency {level,5} {stats.Median,10:0.00} {stats.Min,7:0.00}-{stats.Max,-7:0.00} {rate,11:N0}"));
        }

        var pass = true;
        if (moduleBest.Rate > 0 && sdkBest.Rate > 0)
        {
            var ratio = moduleBest.Rate / sdkBest.Rate;
            pass = ratio >= RatioTarget;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  Ratio module best (-ThrottleLimit {moduleBest.Level}, {moduleBest.Rate:N0}/s) / SDK best (concurrency {sdkBest.Level}, {sdkBest.Rate:N0}/s) = {ratio:0.00}   "
                + $"target >= {RatioTarget:0.0}: {(pass ? "MET" : "MISSED")}"));
        }

        if (report.Module.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("Where the sweep's time goes: wall-clock phases, one after another, that add up to the total (medians, seconds).");
            Console.WriteLine("  plan = to the \"Measuring\" progress record; listing = measuring listings to the first holding's StartedAt;");
            Console.WriteLine("  in flight = time with at least one holding between its StartedAt and FinishedAt (shared delete pool + verifying listings);");
            Console.WriteLine("  recording only = no holding in flight: register writes, marking agreements, output. Busy per holding overlaps (one pool): not additive.");
            Console.WriteLine("  -ThrottleLimit   total =   plan + listing + in flight + recording only  | busy per holding (ms)  pool threads after");
            foreach (var (level, timings) in report.Module.OrderBy(p => p.Key))
            {
                double M(Func<SweepTiming, double> f) => Stats.Of(timings.Select(f)).Median / 1000;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {level,14} {M(t => t.TotalMs),7:0.00} = {M(t => t.PlanMs),6:0.00} + {M(t => t.ListingMs),7:0.00} + {M(t => t.InFlightMs),9:0.00} + {M(t => t.RecordingMs),14:0.00}  | "
                    + $"{M(t => t.BusyMs) * 1000 / report.Holdings,21:0.0} {timings.Max(t => t.ThreadPoolThreadsAfter),19}"));
            }
        }

        if (report.Emulation.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("The sweep's storage steps alone (diagnostic, one run each; same SDK calls and listings, no PowerShell, no register):");
            Console.WriteLine("  ModuleThreading = the module's SweepOne: per holding, sync list + sync deletes each in Task.Run under a semaphore, wait for the holding's last;");
            Console.WriteLine("  PerHoldingAsync = the same per-holding structure, async; OnePool = the measuring pass's names deleted by one async pool across holdings.");
            Console.WriteLine("  throttle  mode               total s  measure s  delete s  verify s  listings   blobs/s");
            foreach (var (level, e) in report.Emulation.OrderBy(p => p.Throttle).ThenBy(p => p.Result.Mode))
            {
                var note = e.VersionsRefused ? "  (versions probe refused: fell back to snapshots)" : string.Empty;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {level,8}  {e.Mode,-17} {e.TotalMs / 1000,8:0.00} {e.MeasureMs / 1000,10:0.00} {e.DeleteMs / 1000,9:0.00} {e.VerifyMs / 1000,9:0.00} {e.ListRequests,9} {Rate(e.TotalMs),9:N0}{note}"));
            }

            var sdkBestMs = report.Blobs / sdkBest.Rate * 1000;
            var measure = Stats.Of(report.Emulation.Select(e => e.Result.MeasureMs)).Median;
            var verify = Stats.Of(report.Emulation.Select(e => e.Result.VerifyMs)).Median;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  Safety costs (medians over these runs) against the SDK best ({sdkBestMs / 1000:0.00} s): measuring pass {measure / 1000:0.00} s ({100 * measure / sdkBestMs:0}%), "
                + $"verification listings {verify / 1000:0.00} s ({100 * verify / sdkBestMs:0}%)."));
        }

        if (report.ModuleRaisedMinThreads.Count > 0)
        {
            foreach (var (level, t) in report.ModuleRaisedMinThreads)
            {
                var usual = report.Module.TryGetValue(level, out var timings) ? Stats.Of(timings.Select(x => x.TotalMs)).Median : double.NaN;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  Module -ThrottleLimit {level} with the host's thread pool minimum raised from {report.DefaultMinThreads}: {t.TotalMs / 1000:0.00} s ({Rate(t.TotalMs):N0}/s) vs median {usual / 1000:0.00} s ({Rate(usual):N0}/s) with the default (one run)."));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Untimed set-up per measurement: seeding {Stats.Of(report.SeedMs).Median / 1000:0.00} s (median of {report.SeedMs.Count}), "
            + $"fresh register with {report.Holdings} holdings through the module {Stats.Of(report.RegisterSetupMs).Median / 1000:0.00} s; "
            + $"leftover blobs found before seeding: {report.Leftovers}; sweep scenario wall time {report.WallSeconds / 60:0.0} min"));
        return pass;
    }

    private static bool PrintPlan(List<PlanRow> rows)
    {
        Console.WriteLine();
        Console.WriteLine("Plan memory: Get-DataShareRetentionPlan over a seeded register, fresh child process each (read-only connection)");
        Console.WriteLine("        rows   plan items   seconds   items/s | peak working set MiB  peak managed MiB  peak heap after GC MiB | before: WS MiB  managed MiB | alloc B/item  GCs 0/1/2");
        foreach (var row in rows)
        {
            var r = row.Result;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {row.Rows,10:N0} {r.Count,12:N0} {r.ElapsedMs / 1000,9:0.00} {r.Count / (r.ElapsedMs / 1000),9:N0} | {r.PeakWorkingSetDuringBytes / MiB,20:0} {r.PeakManagedBytes / MiB,17:0.0} {r.PeakHeapAfterGcBytes / MiB,23:0.0} | "
                + $"{r.WorkingSetBeforeBytes / MiB,14:0} {r.ManagedBeforeBytes / MiB,12:0.0} | {r.AllocatedBytes / (double)Math.Max(1, r.Count),12:N0}  {r.Gen0Collections}/{r.Gen1Collections}/{r.Gen2Collections}"));
        }

        Console.WriteLine("  Memory through the run (highest sample in each tenth of the run's time): managed MiB / working set MiB");
        foreach (var row in rows)
        {
            var r = row.Result;
            var cells = new List<string>();
            for (var tenth = 0; tenth < 10; tenth++)
            {
                var from = r.ElapsedMs * tenth / 10;
                var to = r.ElapsedMs * (tenth + 1) / 10;
                var slice = r.Samples.Where(s => s.Ms >= from && (s.Ms < to || tenth == 9)).ToList();
                cells.Add(slice.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{slice.Max(s => s.Managed) / MiB:0}/{slice.Max(s => s.WorkingSet) / MiB:0}"));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {row.Rows,10:N0}  {string.Join("  ", cells)}"));
        }

        if (rows.Count < 2)
        {
            return true;
        }

        var smallest = rows.MinBy(r => r.Rows)!;
        var largest = rows.MaxBy(r => r.Rows)!;
        var managed = (double)largest.Result.PeakManagedBytes / smallest.Result.PeakManagedBytes;
        var workingSet = (double)largest.Result.PeakWorkingSetDuringBytes / smallest.Result.PeakWorkingSetDuringBytes;
        var pass = managed < FlatTarget;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {largest.Rows:N0} vs {smallest.Rows:N0} rows ({(double)largest.Rows / smallest.Rows:0}x): peak managed {managed:0.00}x, peak working set {workingSet:0.00}x, "
            + $"time {largest.Result.ElapsedMs / smallest.Result.ElapsedMs:0.0}x   flat target (peak managed < {FlatTarget:0.0}x): {(pass ? "MET" : "MISSED")}"));
        return pass;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or ',' or '.' or '/' or ':' or '=') ? argument : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
