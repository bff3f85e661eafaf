using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text.Json;
using DataShareAdmin.BenchSupport;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Benchmarks;

/// <summary>
/// Parent side of the tables scenario: one SQLite register (schema by the module, recipients and holdings seeded with
/// raw SQL), copied by Copy-DataShareRegister into a Table register on an Azurite the harness starts; then
/// Test-DataShareRecipient and Get-DataShareRetentionPlan on each backend, each call in a fresh child process,
/// several samples with the backends' order alternating, and the medians side by side.
/// </summary>
internal static class TablesRun
{
    private const double MiB = 1024 * 1024;
    private const int DefaultSamples = 3;

    /// <summary>The plan day by default: the first day on which this share of the agreements' holdings are due.</summary>
    private const double DueShare = 0.9;

    private static readonly string[] Measures = { "recipients", "plan" };

    public static int Run(Options options)
    {
        if (!File.Exists(options.Module))
        {
            throw new BenchmarkException($"No module manifest at {options.Module}: build with `dotnet build -c Release` first.");
        }

        var samples = options.SamplesGiven ? options.Samples : DefaultSamples;

        // PowerShell's own start-up telemetry is an HTTP request too (POST /v2/track, from a background thread): keep it
        // out of the request counts, here and in the children, which inherit the variable.
        Environment.SetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT", "1");
        Console.WriteLine($"Runtime {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier}, {Environment.ProcessorCount} logical processors");
        Console.WriteLine($"Load average before: {HostLoad.LoadAverage()}");
        ParentRun.WarnIfBusy();
        Console.WriteLine($"DataShareAdmin: {options.Module}");
        Console.WriteLine();

        var root = Path.Combine(Path.GetTempPath(), "dsa-bench-tables-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var register = Path.Combine(root, "register.db");
            var (planAsOf, due) = Seed(options, register);

            Console.Write("Starting Azurite (table service)... ");
            var started = Stopwatch.GetTimestamp();
            using var azurite = AzuriteServer.Start(new AzuriteOptions { Services = AzuriteServices.Table });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s, {azurite.TableEndpoint}"));
            Environment.SetEnvironmentVariable(Options.TableConnectionVariable, azurite.ConnectionString);
            var copy = Copy(options, register);

            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Measuring: {samples} sample(s) of each call on each backend, each in a fresh process (import, connect -ReadOnly, one untimed Get-DataSharePolicy, then the timed call); "
                + $"backend order alternates per sample. Test-DataShareRecipient -AsOf {options.AsOf:yyyy-MM-dd}; Get-DataShareRetentionPlan -AsOf {planAsOf:yyyy-MM-dd}."));
            var results = new List<TablesResult>();
            for (var sample = 0; sample < samples; sample++)
            {
                foreach (var measure in Measures)
                {
                    var order = sample % 2 == 0 ? new[] { "sqlite", "tables" } : new[] { "tables", "sqlite" };
                    foreach (var backend in order)
                    {
                        var expect = measure == "recipients" ? options.Recipients : due;
                        var json = RecipientsRun.RunChild(options, Options.TablesChildScenario, register, expect: null,
                            "--measure", measure, "--backend", backend, "--expect", expect.ToString(CultureInfo.InvariantCulture),
                            "--as-of", Day(options.AsOf), "--plan-as-of", Day(planAsOf), "--table-name", options.TableName, "--register-name", options.RegisterName,
                            "--sample-interval", options.SampleIntervalMs.ToString(CultureInfo.InvariantCulture));
                        var result = JsonSerializer.Deserialize<TablesResult>(json, ChildProcess.Json) ?? throw new BenchmarkException("The child printed an empty result.");
                        results.Add(result);
                        var answer = measure == "recipients"
                            ? string.Create(CultureInfo.InvariantCulture, $"{result.Ready:N0} ready")
                            : string.Create(CultureInfo.InvariantCulture, $"{result.Warnings} warnings");
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"  sample {sample + 1}  {Title(measure),-26} {backend,-7} {result.ElapsedMs / 1000,8:0.00} s  {result.Count,7:N0} objects  {result.PerSecond,8:N0}/s  "
                            + $"peak managed {result.PeakManagedBytes / MiB,5:0.0} MiB  HTTP {result.PointReads:N0} point reads + {result.QueryPages:N0} query pages + {result.OtherRequests:N0} other{(result.OtherExamples.Count == 0 ? string.Empty : " [" + string.Join(", ", result.OtherExamples) + "]")}  ({answer})"));
                    }
                }
            }

            Console.WriteLine();
            PrintSummary(results, copy);
            CheckSameAnswers(results);

            if (options.KeepRegisters)
            {
                Console.WriteLine($"SQLite register kept in {root} (the Table register went with Azurite).");
            }

            Console.WriteLine();
            Console.WriteLine($"Load average after: {HostLoad.LoadAverage()}");
            ParentRun.WarnIfBusy();
            return 0;
        }
        finally
        {
            Environment.SetEnvironmentVariable(Options.TableConnectionVariable, null);
            if (!options.KeepRegisters)
            {
                RecipientsRun.TryDelete(root, null);
            }
        }
    }

    /// <summary>Schema by the module (child process), then recipients and holdings with raw SQL; returns the plan day and the holdings due on it.</summary>
    private static (DateTime PlanAsOf, long Due) Seed(Options options, string register)
    {
        var init = Stopwatch.GetTimestamp();
        RecipientsRun.RunChild(options, Options.InitRegisterScenario, register, expect: null);
        var initMs = Stopwatch.GetElapsedTime(init).TotalMilliseconds;
        var seed = RegisterSeeder.Seed(register, options.Recipients, options.AsOf);
        Console.WriteLine(RecipientsRun.DescribeSeed(options.Recipients, initMs, seed).TrimStart());

        var dueDays = HoldingSeeder.AgreementDueDays(register).Select(a => a.DueOn).Order().ToList();
        var planAsOf = options.PlanAsOf ?? dueDays[Math.Max(0, (int)Math.Ceiling(DueShare * dueDays.Count) - 1)];
        var holdings = HoldingSeeder.Seed(register, options.Holdings, planAsOf);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{options.Holdings:N0} holdings (BlobPrefix, round-robin over the {holdings.Agreements} agreements) seeded in {holdings.Milliseconds / 1000:0.0} s: "
            + $"due from {dueDays[0]:yyyy-MM-dd} to {dueDays[^1]:yyyy-MM-dd} by agreement; on {planAsOf:yyyy-MM-dd} {holdings.EndedAgreements} agreements' holdings are due, "
            + $"{holdings.Due:N0} holdings; register file {holdings.FileBytes / MiB:0.0} MiB"));
        return (planAsOf, holdings.Due);
    }

    /// <summary>Copy-DataShareRegister from the SQLite file into the Table register, in a runspace hosted here; timed, and its HTTP requests counted.</summary>
    private static CopyFigures Copy(Options options, string register)
    {
        using var runspace = ModuleRuntime.Open(options.Module, "dotnet build -c Release", out _, out _);
        using (var connect = PowerShell.Create())
        {
            connect.Runspace = runspace;
            connect.AddCommand("Connect-DataShareRegister").AddParameter("Path", register).AddParameter("ReadOnly").AddParameter("ErrorAction", "Stop");
            connect.AddStatement().AddCommand("Get-DataSharePolicy").AddCommand("Out-Null");
            ModuleRuntime.Invoke(connect, "Connect-DataShareRegister (copy source)");
        }

        using var copy = PowerShell.Create();
        copy.Runspace = runspace;
        copy.AddCommand("Copy-DataShareRegister").AddParameter("DestinationConnectionString", Options.TableConnectionVariable)
            .AddParameter("TableName", options.TableName).AddParameter("RegisterName", options.RegisterName).AddParameter("Confirm", false);
        using var requests = HttpRequestCounter.Start();
        var start = Stopwatch.GetTimestamp();
        var output = ModuleRuntime.Invoke(copy, "Copy-DataShareRegister");
        var elapsed = Stopwatch.GetElapsedTime(start);
        var written = requests.LastBatchTimestamp == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(start, requests.LastBatchTimestamp);
        var result = output.SingleOrDefault() ?? throw new BenchmarkException("Copy-DataShareRegister wrote no result.");
        long Number(string name) => Convert.ToInt64(result.Properties[name]?.Value, CultureInfo.InvariantCulture);
        if (result.Properties["Verified"]?.Value is not true)
        {
            throw new BenchmarkException($"Copy-DataShareRegister did not verify the copy: {result.Properties["Problem"]?.Value}");
        }

        var figures = new CopyFigures(elapsed.TotalSeconds, written.TotalSeconds, Number("Recipients"), Number("People"), Number("Certificates"), Number("Holdings"),
            Number("Agreements"), Number("Organisations"), requests.Batches, requests.PointReads, requests.QueryPages, requests.Other);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Copy-DataShareRegister into {options.TableName}#{options.RegisterName}: {figures.Seconds:0.0} s, verified; {figures.Organisations} organisations, {figures.Agreements} agreements, "
            + $"{figures.People:N0} people, {figures.Recipients:N0} recipients, {figures.Certificates:N0} certificates, {figures.Holdings:N0} holdings. "
            + $"Writing (reading SQLite, {figures.Batches:N0} entity-group transactions) until {figures.WrittenSeconds:0.0} s; then the check (counts on both sides, audit chain): "
            + $"{figures.PointReads:N0} point reads, {figures.QueryPages:N0} query pages, {figures.Other:N0} other requests."));
        return figures;
    }

    private static void PrintSummary(List<TablesResult> results, CopyFigures copy)
    {
        Console.WriteLine("Medians over the samples (fresh process each)         |   SQLite                                   |   Azure Tables (Azurite)                                     | Tables/SQLite");
        Console.WriteLine("call                          objects                  |  seconds   objects/s  peak managed MiB      |  seconds   objects/s  peak managed MiB  HTTP req/object       |  time");
        foreach (var measure in Measures)
        {
            var sqlite = results.Where(r => r.Label == measure && r.Backend == "sqlite").ToList();
            var tables = results.Where(r => r.Label == measure && r.Backend == "tables").ToList();
            var s = Stats.Of(sqlite.Select(r => r.ElapsedMs / 1000));
            var t = Stats.Of(tables.Select(r => r.ElapsedMs / 1000));
            var count = sqlite[0].Count;
            var requests = Stats.MedianOf(tables.Select(r => (double)(r.PointReads + r.QueryPages + r.OtherRequests)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Title(measure),-28} {count,8:N0}                  | {s.Median,8:0.00} {count / s.Median,11:N0} {Stats.MedianOf(sqlite.Select(r => r.PeakManagedBytes / MiB)),17:0.0}      | "
                + $"{t.Median,8:0.00} {count / t.Median,11:N0} {Stats.MedianOf(tables.Select(r => r.PeakManagedBytes / MiB)),17:0.0}  {requests / count,15:0.00}       | {t.Median / s.Median,6:0.0}x"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"",28} range (min-max)          | {s.Min,8:0.00}-{s.Max:0.00}{"",28}| {t.Min,8:0.00}-{t.Max:0.00}  HTTP median: {Stats.MedianOf(tables.Select(r => (double)r.PointReads)):N0} point reads, "
                + $"{Stats.MedianOf(tables.Select(r => (double)r.QueryPages)):N0} query pages; {t.Median * 1000 / requests:0.0} ms per request"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{"",28} allocated KiB/object     | {Stats.MedianOf(sqlite.Select(r => r.AllocatedBytes / 1024.0 / Math.Max(1, r.Count))),8:0.0}   peak working set {Stats.MedianOf(sqlite.Select(r => r.PeakWorkingSetDuringBytes / MiB)),4:0} MiB{"",10}| "
                + $"{Stats.MedianOf(tables.Select(r => r.AllocatedBytes / 1024.0 / Math.Max(1, r.Count))),8:0.0}   peak working set {Stats.MedianOf(tables.Select(r => r.PeakWorkingSetDuringBytes / MiB)),4:0} MiB"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Copy-DataShareRegister SQLite -> Tables: {copy.Seconds:0.0} s once ({copy.WrittenSeconds:0.0} s reading and writing, {copy.Seconds - copy.WrittenSeconds:0.0} s checking the copy)."));
    }

    /// <summary>Both backends hold the same register: every sample must give the same count, readiness and warnings.</summary>
    private static void CheckSameAnswers(List<TablesResult> results)
    {
        foreach (var measure in Measures)
        {
            var answers = results.Where(r => r.Label == measure).Select(r => (r.Count, r.Ready, r.Warnings)).Distinct().ToList();
            if (answers.Count != 1)
            {
                throw new BenchmarkException($"{Title(measure)} did not give the same answer on both backends: "
                    + string.Join("; ", results.Where(r => r.Label == measure).Select(r => $"{r.Backend} {r.Count} objects, {r.Ready} ready, {r.Warnings} warnings")));
            }
        }

        Console.WriteLine("Both backends gave the same answers in every sample (objects, ready recipients, plan warnings).");
    }

    private static string Title(string measure) => measure == "recipients" ? "Test-DataShareRecipient" : "Get-DataShareRetentionPlan";

    private static string Day(DateTime day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed record CopyFigures(double Seconds, double WrittenSeconds, long Recipients, long People, long Certificates, long Holdings, long Agreements, long Organisations,
        long Batches, long PointReads, long QueryPages, long Other);
}
