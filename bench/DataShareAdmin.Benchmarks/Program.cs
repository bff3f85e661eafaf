using System;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.Benchmarks;

/// <summary>
/// Import-time benchmark. Parent mode (the default) spawns one fresh process per sample and summarises; child mode
/// (<c>--child</c>) is one sample: open a runspace, time Import-Module, optionally time cmdlet calls, print one line.
/// <c>--scenario recipients</c> instead seeds registers of each size and times Test-DataShareRecipient over all of
/// them, one fresh child process per size, sampling memory in the child. <c>--scenario report</c> seeds the same
/// registers and times Export-DataShareReport -Kind SafePeople over them, one fresh child process per size and format.
/// <c>--scenario tables</c> seeds one register with recipients and holdings, copies it into a Table register on
/// Azurite, and times Test-DataShareRecipient and Get-DataShareRetentionPlan on both backends in fresh child processes.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage:
          DataShareAdmin.Benchmarks [--samples N] [--warmup W] [--calls K] [--module PSD1] [--baseline PSD1]
                                    [--module-call CMDLET] [--baseline-call CMDLET] [--breakdown] [--trace]
            --samples N        fresh-process samples per module (default 15)
            --warmup W         discarded warm-up samples per module (default 1)
            --calls K          cmdlet calls timed after the import in each sample (default 5; 0 = import only)
            --module PSD1      DataShareAdmin manifest (default out/<Configuration>/DataShareAdmin/DataShareAdmin.psd1)
            --baseline PSD1    baseline manifest (default out/<Configuration>/Baseline/Baseline.psd1)
            --module-call      cmdlet called after importing DataShareAdmin (default Get-DataShareAgreement,
                               against a fresh temp register given by DATASHAREADMIN_REGISTER)
            --baseline-call    cmdlet called after importing the baseline (default Get-BaselineGreeting)
            --breakdown        also time variants of the module (no format file, no loader, no help, neither)
            --trace            print the assemblies each module's import and first call load, then exit
          DataShareAdmin.Benchmarks --scenario import-pwsh [--samples N] [--warmup W] [--calls K] [--breakdown] ...
            the same comparison in real pwsh 7.6 (dotnet pwsh, the pinned tool), one fresh pwsh per sample: after a
            warm-up import of another one-cmdlet module, Import-Module and K calls (default 5) on an empty register,
            each by wall clock and process CPU time; --breakdown adds the module's variants
          DataShareAdmin.Benchmarks --scenario recipients [--counts N1,N2,...] [--as-of yyyy-MM-dd]
                                    [--consumer host|foreach] [--sample-interval MS] [--keep-registers] [--module PSD1]
            --counts           register sizes (default 10000,100000): each is seeded into a fresh temp register and
                               Test-DataShareRecipient runs over every recipient in a fresh process
            --as-of            the -AsOf day (default 2026-12-01)
            --consumer         host: C# counts and discards each result as it arrives (default);
                               foreach: Test-DataShareRecipient | ForEach-Object { $n++ }
            --sample-interval  milliseconds between memory samples in the child (default 100)
            --keep-registers   keep the seeded register files (their folder is printed)
          DataShareAdmin.Benchmarks --scenario report [--counts N1,N2,...] [--formats F1,F2,...] [--as-of yyyy-MM-dd]
                                    [--sample-interval MS] [--keep-registers] [--module PSD1]
            --counts           register sizes (default 10000,100000), seeded as for recipients
            --formats          Export-DataShareReport -Format values: Csv, Json, Html, Markdown (default Csv,Json,Html);
                               Export-DataShareReport -Kind SafePeople runs once per count and format, each in a
                               fresh process; rows are counted by reading the written file back
            --keep-registers   keep the seeded registers and the written reports (their folder is printed)
          DataShareAdmin.Benchmarks --scenario tables [--recipients N] [--holdings N] [--samples S] [--as-of yyyy-MM-dd]
                                    [--plan-as-of yyyy-MM-dd] [--table-name T] [--register-name R] [--sample-interval MS]
                                    [--keep-registers] [--module PSD1]
            --recipients       active recipients in the register (default 10000), seeded as for recipients
            --holdings         holdings in the same register (default 10000), round-robin over its 50 agreements
            --samples          fresh-process samples of each call on each backend (default 3), the backends'
                               order alternating; Azurite (table service) is started by the harness, and the
                               SQLite register is copied into it with Copy-DataShareRegister (timed)
            --as-of            Test-DataShareRecipient's -AsOf (default 2026-12-01)
            --plan-as-of       Get-DataShareRetentionPlan's -AsOf (default: the first day on which the holdings of
                               90% of the agreements are due)
            --table-name       the Table register's table (default DataShareRegister); --register-name its
                               register name (default bench)
          DataShareAdmin.Benchmarks --child --module PSD1 [--call CMDLET] [--calls K] [--trace]
            one sample; prints a single line "BENCH-RESULT {json}"
          DataShareAdmin.Benchmarks --child --scenario recipients|init-register --module PSD1 --register FILE ...
            one recipients run (or creating a register's schema through the module); prints "BENCH-RESULT {json}"
          DataShareAdmin.Benchmarks --child --scenario report --module PSD1 --register FILE --format F --report-path FILE ...
            one report run; prints "BENCH-RESULT {json}"
          DataShareAdmin.Benchmarks --child --scenario tables-run --module PSD1 --register FILE --measure recipients|plan
                                    --backend sqlite|tables ...
            one timed call of the tables scenario (Tables: connection string from DSA_BENCH_TABLE_CONNECTION)
        """;

    public static int Main(string[] args) => HarnessMain.Run(Usage, () =>
    {
        var options = Options.Parse(args);
        if (options.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        return (options.Child, options.Scenario) switch
        {
            (true, Options.RecipientsScenario) => RecipientsChild.Run(options),
            (true, Options.InitRegisterScenario) => RecipientsChild.InitRegister(options),
            (true, Options.ReportScenario) => ReportChild.Run(options),
            (true, Options.TablesChildScenario) => TablesChild.Run(options),
            (true, _) => ChildRun.Run(options),
            (false, Options.ImportPwshScenario) => PwshImportRun.Run(options),
            (false, Options.RecipientsScenario) => RecipientsRun.Run(options),
            (false, Options.ReportScenario) => ReportRun.Run(options),
            (false, Options.TablesScenario) => TablesRun.Run(options),
            (false, Options.InitRegisterScenario or Options.TablesChildScenario) => throw new ArgumentException($"--scenario {options.Scenario} is for child processes only."),
            _ => ParentRun.Run(options),
        };
    });
}
