using System;
using System.Globalization;
using System.Threading;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.SweepBenchmark;

/// <summary>
/// Retention-sweep benchmark. The parent (default) starts Azurite, seeds the same blobs before every measurement,
/// times Invoke-DataShareRetentionSweep in a hosted runspace at several -ThrottleLimit values against a plain
/// Azure.Storage.Blobs delete loop at several concurrencies, then seeds large registers and measures the memory of
/// Get-DataShareRetentionPlan over them, one fresh child process (<c>--child plan</c>) per size.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage (from the repository root, after dotnet build DataShareAdmin.sln -c Release):
          dotnet run -c Release --project bench/DataShareAdmin.SweepBenchmark [-- options]
            --blobs N              blobs seeded before every sweep measurement (default 2000)
            --holdings N           due holdings they are spread over (default 100)
            --containers N         containers the holdings are spread over, holdings/containers prefixes each (default 10)
            --blob-bytes N         size of each blob (default 64)
            --repeats N            repetitions of every measurement; the median is reported (default 3)
            --throttle L1,L2,...   Invoke-DataShareRetentionSweep -ThrottleLimit values (default 8,16,32,64)
            --sdk-concurrency ...  concurrencies of the plain SDK delete loop; the best is the ceiling (default 8,16,32,64,128)
            --plan-rows N1,N2,...  register sizes for the plan memory scenario (default 100000,1000000)
            --agreements N         agreements in those registers, 90% ended (default 100)
            --consumer host|foreach  plan consumer: C# counts and drops each item (default) or | ForEach-Object { $n++ }
            --sample-interval MS   memory sampling interval in the plan child (default 100)
            --skip-sweep           only the plan memory scenario
            --skip-plan            only the sweep throughput scenario
            --skip-diagnostics     skip the SDK re-enactment of the sweep's steps (the time breakdown)
            --keep-registers       keep the plan scenario's seeded registers (their folder is printed)
            --strict               exit 3 when a target is missed (default: report it, exit 0)
            --module PSD1          the module manifest (default out/<Configuration>/DataShareAdmin/DataShareAdmin.psd1)
          Child modes (started by the parent):
            --child init-register --register FILE --agreements N --module PSD1
            --child plan --register FILE --expect N [--consumer host|foreach] [--sample-interval MS] --module PSD1
        Exit codes: 0 done, 1 a run failed (e.g. a sweep did not verify every holding), 2 bad arguments, 3 a target missed with --strict.
        """;

    public static int Main(string[] args)
    {
        Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;
        return HarnessMain.Run(Usage, () =>
        {
            var options = Options.Parse(args);
            if (options.Help)
            {
                Console.WriteLine(Usage);
                return 0;
            }

            return options.Child switch
            {
                Options.InitRegisterChild => PlanChild.InitRegister(options),
                Options.PlanChild => PlanChild.Run(options),
                _ => ParentRun.Run(options),
            };
        });
    }
}
