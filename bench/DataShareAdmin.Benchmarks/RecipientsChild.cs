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

        var result = new MeasuredRun { Label = options.Consumer };
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

        var counter = new Counter();
        var foreach_ = options.Consumer == "foreach";
        result.Measure(options.SampleIntervalMs, () => foreach_ ? RunForEach(runspace, options) : RunDiscarding(runspace, options, counter), foreach_ ? null : () => counter.Count);
        result.Ready = counter.Ready;
        result.Warnings = counter.Warnings;
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

    internal static Runspace OpenRuntime(Options options, out double runspaceMs, out double importMs) =>
        ModuleRuntime.Open(options.Module, "dotnet build -c Release", out runspaceMs, out importMs);

    internal static string RequireRegister(Options options) =>
        options.Register ?? throw new ArgumentException("--register FILE is required in this child mode.");

    /// <summary>Counts results and tallies IsReady / Warning through cached reflection (cheap, and nothing is kept).</summary>
    private sealed class Counter
    {
        private long processed;
        private Type? type;
        private PropertyInfo? isReady;
        private PropertyInfo? warning;

        public long Count => Interlocked.Read(ref processed);

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

            Interlocked.Increment(ref processed);
        }
    }
}
