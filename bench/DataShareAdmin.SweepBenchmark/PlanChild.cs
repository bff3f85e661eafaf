using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Threading;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.SweepBenchmark;

/// <summary>
/// Child side of part 3, each in a fresh process: making a register's schema and agreements through the module
/// (init-register), and timing Get-DataShareRetentionPlan over a seeded register while a background thread samples the
/// managed heap and the working set (plan). This class never touches Microsoft.Data.Sqlite itself.
/// </summary>
internal static class PlanChild
{
    /// <summary>Connect-DataShareRegister -Create makes the file; then the agreements, 90% ended (their holdings due), 10% active.</summary>
    public static int InitRegister(Options options)
    {
        var register = options.Register ?? throw new ArgumentException("--register FILE is required in this child mode.");
        using var runspace = OpenRuntime(options, out _);
        var today = DateTime.UtcNow.Date;
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var ended = options.Agreements * 9 / 10;
        var script = new StringBuilder("$info = Connect-DataShareRegister -Path $args[0] -Create -PassThru\n");
        script.Append("0..16 | ForEach-Object { New-DataShareOrganisation \"Organisation $_\" } | Out-Null\n");
        for (var a = 0; a < options.Agreements; a++)
        {
            var (endsOn, retention) = a < ended ? (Day(-30 - a), a % 4 * 7) : (Day(300 + a), 365);
            script.Append(string.Create(CultureInfo.InvariantCulture,
                $"New-DataShareAgreement -Id PLAN-{a + 1:000} -Organisation 'Organisation {a % 17}' -Title 'Linked outcomes study {a + 1}' -Purpose 'Research into educational outcomes' "
                + $"-LegalGateway 'Digital Economy Act 2017 s64' -LawfulBasis 'Public task' "
                + $"-AccessRoute DirectTransfer -StartsOn {Day(-1200)} -EndsOn {endsOn} -RetentionDays {retention} -DataItem 'KS2 attainment:B3' | Out-Null\n"));
        }

        script.Append("$info.SchemaVersion; @(Get-DataShareAgreement).Count");
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script.ToString()).AddArgument(register);
        var output = ModuleRuntime.Invoke(shell, "register setup");
        var schema = output.Count == 2 ? Convert.ToInt32(output[0].BaseObject, CultureInfo.InvariantCulture) : -1;
        var agreements = Convert.ToInt32(output.Last().BaseObject, CultureInfo.InvariantCulture);
        if (schema != RegisterRows.SchemaVersion)
        {
            throw new BenchmarkException($"Connect-DataShareRegister made a schema-{schema} register; the seeder writes schema-{RegisterRows.SchemaVersion} holdings.");
        }

        if (agreements != options.Agreements)
        {
            throw new BenchmarkException($"The register holds {agreements} agreements, not {options.Agreements}.");
        }

        ChildProcess.WriteResult(new { SchemaVersion = schema, Agreements = agreements, Ended = ended });
        return 0;
    }

    public static int Run(Options options)
    {
        var register = options.Register ?? throw new ArgumentException("--register FILE is required in this child mode.");
        if (!File.Exists(register))
        {
            throw new BenchmarkException($"No seeded register at {register}.");
        }

        var result = new MeasuredRun { Label = options.Consumer };
        using var runspace = OpenRuntime(options, out var importMs);
        result.ImportMs = importMs;

        var start = Stopwatch.GetTimestamp();
        using (var connect = PowerShell.Create())
        {
            // Connect read-only, then one small call so loading the engine, SQLite and the native library is not in the timing.
            connect.Runspace = runspace;
            connect.AddScript("Connect-DataShareRegister -Path $args[0] -ReadOnly -ErrorAction Stop; Get-DataSharePolicy | Out-Null").AddArgument(register);
            ModuleRuntime.Invoke(connect, "Connect-DataShareRegister -ReadOnly / Get-DataSharePolicy");
        }

        result.ConnectAndWarmUpMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        (result.SqliteAssembly, result.SqliteLoadContext) = ModuleRuntime.CheckSqliteIsTheModules(options.Module);

        var items = new MeasuredRun.Counter();
        result.Measure(options.SampleIntervalMs, () => options.Consumer == "foreach" ? RunForEach(runspace, result) : RunDiscarding(runspace, items, result), () => items.Value);
        if (options.Expect >= 0 && result.Count != options.Expect)
        {
            throw new BenchmarkException($"Get-DataShareRetentionPlan returned {result.Count} items; the register holds {options.Expect} due holdings.");
        }

        ChildProcess.WriteResult(result);
        return 0;
    }

    /// <summary>Counts each plan item as it arrives and drops it from the output collection straight away.</summary>
    private static long RunDiscarding(Runspace runspace, MeasuredRun.Counter items, MeasuredRun result)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddCommand("Get-DataShareRetentionPlan");
        string? wrongType = null;
        ModuleRuntime.InvokeStreaming(shell, "Get-DataShareRetentionPlan", item =>
        {
            if (wrongType is null && item.BaseObject.GetType().Name != "RetentionPlanItem")
            {
                wrongType = item.BaseObject.GetType().FullName;
            }

            items.Add();
        });

        if (wrongType is not null)
        {
            throw new BenchmarkException($"Get-DataShareRetentionPlan wrote a {wrongType}, not a RetentionPlanItem.");
        }

        result.Warnings = shell.Streams.Warning.Count;
        return items.Value;
    }

    /// <summary>What a user would type: the items go through a script block, which only counts them.</summary>
    private static long RunForEach(Runspace runspace, MeasuredRun result)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript("$n = 0; Get-DataShareRetentionPlan | ForEach-Object { $n++ }; $n");
        var output = ModuleRuntime.Invoke(shell, "Get-DataShareRetentionPlan | ForEach-Object");
        result.Warnings = shell.Streams.Warning.Count;
        return Convert.ToInt64(output.Single().BaseObject, CultureInfo.InvariantCulture);
    }

    private static Runspace OpenRuntime(Options options, out double importMs)
    {
        // Keep the module away from the user's own register, even before Connect-DataShareRegister.
        Environment.SetEnvironmentVariable("DATASHAREADMIN_REGISTER", options.Register);
        return ModuleRuntime.Open(options.Module, "dotnet build DataShareAdmin.sln -c Release", out _, out importMs);
    }
}
