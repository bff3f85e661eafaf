using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Reflection;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.Benchmarks;

/// <summary>One timed call of the tables scenario: the measure (Label) on a backend, and the HTTP requests it made.</summary>
internal sealed class TablesResult : MeasuredRun
{
    public string Backend { get; set; } = string.Empty;

    /// <summary>HTTP requests during the timed call, by kind (all zero on SQLite).</summary>
    public long PointReads { get; set; }

    public long QueryPages { get; set; }

    public long OtherRequests { get; set; }

    /// <summary>Method and path of the first few of the other requests.</summary>
    public IReadOnlyList<string> OtherExamples { get; set; } = Array.Empty<string>();
}

/// <summary>
/// Child side of the tables scenario, in a fresh process: import the built module, connect read-only to the SQLite
/// file or to the Table register (its connection string from the environment variable the parent set), warm up with
/// one untimed call, then time one call while sampling memory and counting HTTP requests. Output is counted and
/// dropped as it arrives. This class never touches Microsoft.Data.Sqlite or the Azure SDK itself.
/// </summary>
internal static class TablesChild
{
    public static int Run(Options options)
    {
        var register = RecipientsChild.RequireRegister(options);

        // Keep the module away from the user's own register, even before Connect-DataShareRegister.
        Environment.SetEnvironmentVariable("DATASHAREADMIN_REGISTER", register);
        var result = new TablesResult { Label = options.Measure, Backend = options.Backend };
        using var runspace = RecipientsChild.OpenRuntime(options, out _, out var importMs);
        result.ImportMs = importMs;

        var start = Stopwatch.GetTimestamp();
        using (var connect = PowerShell.Create())
        {
            connect.Runspace = runspace;
            if (options.Backend == "sqlite")
            {
                connect.AddCommand("Connect-DataShareRegister").AddParameter("Path", register);
            }
            else
            {
                // The parameter takes the name of an environment variable holding the connection string.
                connect.AddCommand("Connect-DataShareRegister").AddParameter("ConnectionString", Options.TableConnectionVariable)
                    .AddParameter("TableName", options.TableName).AddParameter("RegisterName", options.RegisterName);
            }

            connect.AddParameter("ReadOnly").AddParameter("ErrorAction", "Stop");
            connect.AddStatement().AddCommand("Get-DataSharePolicy").AddCommand("Out-Null");
            ModuleRuntime.Invoke(connect, "Connect-DataShareRegister / Get-DataSharePolicy");
        }

        result.ConnectAndWarmUpMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (options.Backend == "sqlite")
        {
            ModuleRuntime.CheckSqliteIsTheModules(options.Module);
        }

        using var requests = HttpRequestCounter.Start();
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        if (options.Measure == "recipients")
        {
            shell.AddCommand("Test-DataShareRecipient").AddParameter("AsOf", options.AsOf);
        }
        else
        {
            shell.AddCommand("Get-DataShareRetentionPlan").AddParameter("AsOf", options.PlanAsOf ?? throw new ArgumentException("--plan-as-of is required for --measure plan."));
        }

        var isReady = new CachedProperty("IsReady");
        long ready = 0;
        result.Measure(options.SampleIntervalMs, () =>
        {
            long count = 0;
            ModuleRuntime.InvokeStreaming(shell, options.Measure == "recipients" ? "Test-DataShareRecipient" : "Get-DataShareRetentionPlan", item =>
            {
                count++;
                if (isReady.Get(item.BaseObject) is true)
                {
                    ready++;
                }
            });
            return count;
        });
        result.Ready = ready;
        result.Warnings = shell.Streams.Warning.Count;
        result.PointReads = requests.PointReads;
        result.QueryPages = requests.QueryPages;
        result.OtherRequests = requests.Batches + requests.Other;
        result.OtherExamples = requests.OtherExamples;

        if (options.Expect >= 0 && result.Count != options.Expect)
        {
            throw new BenchmarkException($"{options.Measure} on {options.Backend} returned {result.Count} objects; the register should give {options.Expect}.");
        }

        ChildProcess.WriteResult(result);
        return 0;
    }

    /// <summary>One property read through reflection, cached per type (cheap next to the call measured; absent is null).</summary>
    private sealed class CachedProperty(string name)
    {
        private Type? type;
        private PropertyInfo? property;

        public object? Get(object item)
        {
            var itemType = item.GetType();
            if (itemType != type)
            {
                type = itemType;
                property = itemType.GetProperty(name);
            }

            return property?.GetValue(item);
        }
    }
}
