using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Threading;

namespace DataShareAdmin.Benchmarks;

/// <summary>
/// Child side of the recipients scenario, in a fresh process: open a runspace, import the built module, connect to
/// the seeded register, then time <c>Test-DataShareRecipient -AsOf</c> over every active recipient while a background
/// thread samples the managed heap and the working set. Results are counted and dropped as they arrive: collecting
/// them would measure the harness, not the cmdlet. This class never touches Microsoft.Data.Sqlite itself.
/// </summary>
internal static class RecipientsChild
{
    /// <summary>Creates the register's schema through the real code: Connect-DataShareRegister opens (and so creates) it.</summary>
    public static int InitRegister(Options options)
    {
        var register = RequireRegister(options);
        using var runspace = OpenRuntime(options, out _, out _);
        using var connect = PowerShell.Create();
        connect.Runspace = runspace;
        connect.AddCommand("Connect-DataShareRegister").AddParameter("Path", register).AddParameter("PassThru").AddParameter("ErrorAction", "Stop");
        var info = Invoke(connect, "Connect-DataShareRegister").Select(o => o.Properties["SchemaVersion"]?.Value).FirstOrDefault();
        Console.WriteLine(ChildRun.ResultPrefix + JsonSerializer.Serialize(new { SchemaVersion = info }, ChildRun.Json));
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
            Invoke(connect, "Connect-DataShareRegister / Get-DataSharePolicy");
        }

        result.ConnectAndWarmUpMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        CheckSqliteIsTheModules(options, result);

        using var process = Process.GetCurrentProcess();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        result.ManagedBeforeBytes = GC.GetTotalMemory(forceFullCollection: true);
        process.Refresh();
        result.WorkingSetBeforeBytes = process.WorkingSet64;
        result.PeakWorkingSetBeforeBytes = process.PeakWorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);

        var counter = new Counter { Tracking = options.Consumer != "foreach" };
        using var stop = new ManualResetEventSlim();
        var runStart = Stopwatch.GetTimestamp();
        var sampler = new Thread(() =>
        {
            Sample(result, process, counter, runStart);
            while (!stop.Wait(options.SampleIntervalMs))
            {
                Sample(result, process, counter, runStart);
            }
        })
        {
            IsBackground = true,
            Name = "memory sampler",
        };
        sampler.Start();

        try
        {
            var count = options.Consumer == "foreach" ? RunForEach(runspace, options) : RunDiscarding(runspace, options, counter);
            result.ElapsedMs = Stopwatch.GetElapsedTime(runStart).TotalMilliseconds;
            result.Count = count;
        }
        finally
        {
            stop.Set();
            sampler.Join();
        }

        Sample(result, process, counter, runStart);
        result.AllocatedBytes = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        result.Gen0Collections = GC.CollectionCount(0) - gen0;
        result.Gen1Collections = GC.CollectionCount(1) - gen1;
        result.Gen2Collections = GC.CollectionCount(2) - gen2;
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

        Console.WriteLine(ChildRun.ResultPrefix + JsonSerializer.Serialize(result, ChildRun.Json));
        return 0;
    }

    /// <summary>Counts each result as it arrives and drops it from the output collection straight away.</summary>
    private static long RunDiscarding(Runspace runspace, Options options, Counter counter)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddCommand("Test-DataShareRecipient").AddParameter("AsOf", options.AsOf);
        using var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, _) =>
        {
            foreach (var item in output.ReadAll())
            {
                counter.Add(item.BaseObject);
            }
        };

        try
        {
            shell.Invoke<PSObject, PSObject>(null, output, null);
        }
        catch (RuntimeException ex)
        {
            throw new BenchmarkException($"Test-DataShareRecipient failed: {ex.Message}", ex);
        }

        ThrowOnErrors(shell, "Test-DataShareRecipient");
        foreach (var item in output.ReadAll())
        {
            counter.Add(item.BaseObject);
        }

        return counter.Count;
    }

    /// <summary>What a user would type: the results go through a script block, which only counts them.</summary>
    private static long RunForEach(Runspace runspace, Options options)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript("param($AsOf) $n = 0; Test-DataShareRecipient -AsOf $AsOf | ForEach-Object { $n++ }; $n").AddParameter("AsOf", options.AsOf);
        var output = Invoke(shell, "Test-DataShareRecipient | ForEach-Object");
        return Convert.ToInt64(output.Single().BaseObject, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Sample(RecipientsResult result, Process process, Counter counter, long runStart)
    {
        process.Refresh();
        var sample = new MemorySample
        {
            Ms = Stopwatch.GetElapsedTime(runStart).TotalMilliseconds,
            Processed = counter.Tracking ? Interlocked.Read(ref counter.Processed) : -1,
            Managed = GC.GetTotalMemory(forceFullCollection: false),
            HeapAfterGc = GC.GetGCMemoryInfo().HeapSizeBytes,
            WorkingSet = process.WorkingSet64,
        };
        lock (result.Samples)
        {
            result.Samples.Add(sample);
        }
    }

    /// <summary>The module must use its own SQLite (Dependencies/, its load context), not a copy the harness carries for seeding.</summary>
    private static void CheckSqliteIsTheModules(Options options, RecipientsResult result)
    {
        (result.SqliteAssembly, result.SqliteLoadContext) = CheckSqliteIsTheModules(options);
    }

    /// <summary>Where the one Microsoft.Data.Sqlite was loaded from and its load context; throws unless it is the module's.</summary>
    internal static (string Location, string LoadContext) CheckSqliteIsTheModules(Options options)
    {
        var sqlite = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "Microsoft.Data.Sqlite").ToList();
        if (sqlite.Count != 1)
        {
            throw new BenchmarkException($"Expected one Microsoft.Data.Sqlite loaded after the warm-up call, found {sqlite.Count}.");
        }

        var location = sqlite[0].Location;
        var loadContext = AssemblyLoadContext.GetLoadContext(sqlite[0])?.Name ?? "?";
        var moduleDirectory = Path.GetDirectoryName(options.Module)! + Path.DirectorySeparatorChar;
        if (!location.StartsWith(moduleDirectory, StringComparison.Ordinal))
        {
            throw new BenchmarkException($"Microsoft.Data.Sqlite was loaded from {location}, not from the module folder {moduleDirectory}.");
        }

        return (location, loadContext);
    }

    internal static Runspace OpenRuntime(Options options, out double runspaceMs, out double importMs)
    {
        if (!File.Exists(options.Module))
        {
            throw new BenchmarkException($"No module manifest at {options.Module}: build it first (dotnet build -c Release).");
        }

        var start = Stopwatch.GetTimestamp();
        var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        try
        {
            runspace.Open();
            runspaceMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            using var import = PowerShell.Create();
            import.Runspace = runspace;
            import.AddCommand("Import-Module").AddParameter("Name", options.Module).AddParameter("ErrorAction", "Stop");
            start = Stopwatch.GetTimestamp();
            Invoke(import, "Import-Module");
            importMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            return runspace;
        }
        catch
        {
            runspace.Dispose();
            throw;
        }
    }

    internal static string RequireRegister(Options options) =>
        options.Register ?? throw new ArgumentException("--register FILE is required in this child mode.");

    internal static System.Collections.ObjectModel.Collection<PSObject> Invoke(PowerShell shell, string what)
    {
        try
        {
            var output = shell.Invoke();
            ThrowOnErrors(shell, what);
            return output;
        }
        catch (RuntimeException ex)
        {
            throw new BenchmarkException($"{what} failed: {ex.Message}", ex);
        }
    }

    internal static void ThrowOnErrors(PowerShell shell, string what)
    {
        if (shell.HadErrors && shell.Streams.Error.Count > 0)
        {
            var errors = string.Join(Environment.NewLine, shell.Streams.Error.Take(5));
            throw new BenchmarkException($"{what} reported {shell.Streams.Error.Count} error(s): {errors}");
        }
    }

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
