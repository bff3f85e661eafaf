using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Threading;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.Benchmarks;

/// <summary>
/// Child side of the recipients scenario, in a fresh process: open a runspace, import the built module, connect to
/// the seeded register, then time <c>Test-DataShareRecipient -AsOf</c> over every active recipient while a background
/// thread samples the managed heap and the working set. Results are counted and dropped as they arrive: collecting
/// them would measure the harness, not the cmdlet. This class never touches Microsoft.Data.Sqlite itself.
/// </summary>
internal static class RecipientsChild
{
    /// <summary>Creates the register's schema through the real code: Connect-DataShareRegister -Create makes it.</summary>
    public static int InitRegister(Options options)
    {
        var register = RequireRegister(options);
        using var runspace = OpenRuntime(options, out _, out _);
        using var connect = PowerShell.Create();
        connect.Runspace = runspace;
        connect.AddCommand("Connect-DataShareRegister").AddParameter("Path", register).AddParameter("Create").AddParameter("PassThru").AddParameter("ErrorAction", "Stop");
        var info = ModuleRuntime.Invoke(connect, "Connect-DataShareRegister").Select(o => o.Properties["SchemaVersion"]?.Value).FirstOrDefault();
        ChildProcess.WriteResult(new { SchemaVersion = info });
        return 0;
    }

    public static int Run(Options options)
    {
        var register = RequireRegister(options);
        if (!File.Exists(register))
        {
            throw new BenchmarkException($"No seeded register at {register}.");
        }

        var result = new RecipientsResult { Consumer = options.Consumer, ServerGc = System.Runtime.GCSettings.IsServerGC };
        using var runspace = OpenRuntime(options, out var runspaceMs, out var importMs);
        result.RunspaceOpenMs = runspaceMs;
        result.ImportMs = importMs;

        var start = Stopwatch.GetTimestamp();
        using (var connect = PowerShell.Create())
        {
            // Connect, then one small call so loading the engine, SQLite and the native library is not in the timing.
            connect.Runspace = runspace;
            connect.AddCommand("Connect-DataShareRegister").AddParameter("Path", register).AddParameter("ErrorAction", "Stop");
            connect.AddStatement().AddCommand("Get-DataSharePolicy").AddCommand("Out-Null");
            ModuleRuntime.Invoke(connect, "Connect-DataShareRegister / Get-DataSharePolicy");
        }

        result.ConnectAndWarmUpMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        (result.SqliteAssembly, result.SqliteLoadContext) = ModuleRuntime.CheckSqliteIsTheModules(options.Module);

        using var process = Process.GetCurrentProcess();
        var baseline = MemoryBaseline.Take(process);
        result.ManagedBeforeBytes = baseline.ManagedBytes;
        result.WorkingSetBeforeBytes = baseline.WorkingSetBytes;
        result.PeakWorkingSetBeforeBytes = baseline.PeakWorkingSetBytes;

        var counter = new Counter { Tracking = options.Consumer != "foreach" };
        var runStart = Stopwatch.GetTimestamp();
        using (new MemorySampler(options.SampleIntervalMs, () => Sample(result, process, counter, runStart)))
        {
            var count = options.Consumer == "foreach" ? RunForEach(runspace, options) : RunDiscarding(runspace, options, counter);
            result.ElapsedMs = Stopwatch.GetElapsedTime(runStart).TotalMilliseconds;
            result.Count = count;
        }

        Sample(result, process, counter, runStart);
        result.AllocatedBytes = baseline.AllocatedBytesSince();
        result.Gen0Collections = baseline.CollectionsSince(0);
        result.Gen1Collections = baseline.CollectionsSince(1);
        result.Gen2Collections = baseline.CollectionsSince(2);
        result.Ready = counter.Ready;
        result.Warnings = counter.Warnings;
        result.RecipientsPerSecond = result.Count / (result.ElapsedMs / 1000);
        result.PeakManagedBytes = result.Samples.Max(s => s.Managed);
        result.PeakHeapAfterGcBytes = result.Samples.Max(s => s.HeapAfterGc);
        result.PeakWorkingSetDuringBytes = result.Samples.Max(s => s.WorkingSet);
        process.Refresh();
        result.PeakWorkingSetProcessBytes = process.PeakWorkingSet64;
        result.ManagedAfterBytes = GC.GetTotalMemory(forceFullCollection: true);

        if (options.Expect >= 0 && result.Count != options.Expect)
        {
            throw new BenchmarkException($"Test-DataShareRecipient returned {result.Count} results; the register holds {options.Expect} active recipients.");
        }

        ChildProcess.WriteResult(result);
        return 0;
    }

    /// <summary>Counts each result as it arrives and drops it from the output collection straight away.</summary>
    private static long RunDiscarding(Runspace runspace, Options options, Counter counter)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddCommand("Test-DataShareRecipient").AddParameter("AsOf", options.AsOf);
        ModuleRuntime.InvokeStreaming(shell, "Test-DataShareRecipient", item => counter.Add(item.BaseObject));
        return counter.Count;
    }

    /// <summary>What a user would type: the results go through a script block, which only counts them.</summary>
    private static long RunForEach(Runspace runspace, Options options)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript("param($AsOf) $n = 0; Test-DataShareRecipient -AsOf $AsOf | ForEach-Object { $n++ }; $n").AddParameter("AsOf", options.AsOf);
        var output = ModuleRuntime.Invoke(shell, "Test-DataShareRecipient | ForEach-Object");
        return Convert.ToInt64(output.Single().BaseObject, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Sample(RecipientsResult result, Process process, Counter counter, long runStart)
    {
        var memory = MemoryReading.Take(process);
        var sample = new MemorySample
        {
            Ms = Stopwatch.GetElapsedTime(runStart).TotalMilliseconds,
            Processed = counter.Tracking ? Interlocked.Read(ref counter.Processed) : -1,
            Managed = memory.Managed,
            HeapAfterGc = memory.HeapAfterGc,
            WorkingSet = memory.WorkingSet,
        };
        lock (result.Samples)
        {
            result.Samples.Add(sample);
        }
    }

    internal static Runspace OpenRuntime(Options options, out double runspaceMs, out double importMs) =>
        ModuleRuntime.Open(options.Module, "dotnet build -c Release", out runspaceMs, out importMs);

    internal static string RequireRegister(Options options) =>
        options.Register ?? throw new ArgumentException("--register FILE is required in this child mode.");

    /// <summary>Counts results and tallies IsReady / Warning through cached reflection (cheap, and nothing is kept).</summary>
    private sealed class Counter
    {
        public long Processed;

        private Type? type;
        private PropertyInfo? isReady;
        private PropertyInfo? warning;

        public bool Tracking { get; set; } = true;

        public long Count => Interlocked.Read(ref Processed);

        public long Ready { get; private set; }

        public long Warnings { get; private set; }

        public void Add(object item)
        {
            var itemType = item.GetType();
            if (itemType != type)
            {
                type = itemType;
                isReady = itemType.GetProperty("IsReady");
                warning = itemType.GetProperty("Warning");
            }

            if (isReady?.GetValue(item) is true)
            {
                Ready++;
            }

            if (warning?.GetValue(item) is true)
            {
                Warnings++;
            }

            Interlocked.Increment(ref Processed);
        }
    }
}
