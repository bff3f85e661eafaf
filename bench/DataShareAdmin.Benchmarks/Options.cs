using System;
using System.Collections.Generic;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.Benchmarks;

/// <summary>The command line, parsed (see Program's usage for what each option does).</summary>
internal sealed class Options
{
    public const string ImportScenario = "import";

    /// <summary>Import-Module and the first calls in real pwsh (dotnet pwsh), one fresh pwsh per sample, against the baseline.</summary>
    public const string ImportPwshScenario = "import-pwsh";

    public const string RecipientsScenario = "recipients";

    /// <summary>Export-DataShareReport -Kind SafePeople over seeded registers: rows per second and peak memory, per format.</summary>
    public const string ReportScenario = "report";

    /// <summary>The same register on SQLite and on Azure Tables (Azurite): Test-DataShareRecipient and Get-DataShareRetentionPlan on each.</summary>
    public const string TablesScenario = "tables";

    /// <summary>Child mode only: create the register's schema through the module (Connect-DataShareRegister), nothing else.</summary>
    public const string InitRegisterScenario = "init-register";

    /// <summary>Child mode only: one timed call of the tables scenario (--measure, --backend).</summary>
    public const string TablesChildScenario = "tables-run";

    /// <summary>Tables scenario: the environment variable through which the parent hands Azurite's connection string to its children.</summary>
    public const string TableConnectionVariable = "DSA_BENCH_TABLE_CONNECTION";

    private static readonly string[] ReportFormats = { "Csv", "Json", "Html", "Markdown" };

    private Options()
    {
    }

    public bool Help { get; private init; }

    public bool Child { get; private init; }

    public bool Trace { get; private init; }

    public bool Breakdown { get; private init; }

    public int Samples { get; private init; } = 15;

    /// <summary>Whether --samples was given (the tables scenario's default is 3, not 15).</summary>
    public bool SamplesGiven { get; private init; }

    public int Warmup { get; private init; } = 1;

    public int Calls { get; private init; } = 5;

    public string Module { get; private init; } = ModuleManifest.DefaultPath(typeof(Options).Assembly);

    public string Baseline { get; private init; } = ModuleManifest.DefaultPath(typeof(Options).Assembly, "Baseline", "Baseline.psd1");

    /// <summary>Child mode: the cmdlet to call after the import; parent mode: unused.</summary>
    public string? Call { get; private init; }

    public string ModuleCall { get; private init; } = "Get-DataShareAgreement";

    public string BaselineCall { get; private init; } = "Get-BaselineGreeting";

    /// <summary>One of the scenario names above; "import" (Import-Module time against the baseline) by default.</summary>
    public string Scenario { get; private init; } = ImportScenario;

    /// <summary>Tables scenario: active recipients (each with one person and ≈ 1.08 certificates) and holdings in the register.</summary>
    public int Recipients { get; private init; } = 10_000;

    public int Holdings { get; private init; } = 10_000;

    /// <summary>Tables scenario: the -AsOf day of Get-DataShareRetentionPlan; null for the day by which 90 % of the agreements' holdings are due.</summary>
    public DateTime? PlanAsOf { get; private init; }

    /// <summary>Tables scenario: the Table register's table and register (partition) names.</summary>
    public string TableName { get; private init; } = "DataShareRegister";

    public string RegisterName { get; private init; } = "bench";

    /// <summary>Child mode, tables scenario: "recipients" or "plan", on "sqlite" or "tables".</summary>
    public string Measure { get; private init; } = "recipients";

    public string Backend { get; private init; } = "sqlite";

    /// <summary>Recipients and report scenarios: the register sizes, each seeded into a fresh file and measured in a fresh process.</summary>
    public IReadOnlyList<int> Counts { get; private init; } = new[] { 10_000, 100_000 };

    /// <summary>Recipients scenario: the -AsOf day (a fixed day, so the verdicts are the same on every run).</summary>
    public DateTime AsOf { get; private init; } = new(2026, 12, 1);

    /// <summary>Recipients scenario: "host" (C# counts and discards each result as it arrives) or "foreach" (| ForEach-Object { $n++ }).</summary>
    public string Consumer { get; private init; } = "host";

    /// <summary>Keep the seeded register files (their folder is printed) instead of deleting them.</summary>
    public bool KeepRegisters { get; private init; }

    /// <summary>Child mode: the seeded register file and how many results to expect (-1: not checked).</summary>
    public string? Register { get; private init; }

    public int Expect { get; private init; } = -1;

    /// <summary>Report scenario: the -Format values to measure, each over every count (default Csv, Json, Html).</summary>
    public IReadOnlyList<string> Formats { get; private init; } = new[] { "Csv", "Json", "Html" };

    /// <summary>Child mode, report scenario: the one -Format to time, and the file to write.</summary>
    public string Format { get; private init; } = "Csv";

    public string? ReportPath { get; private init; }

    /// <summary>Recipients and report scenarios: milliseconds between memory samples in the child.</summary>
    public int SampleIntervalMs { get; private init; } = 100;

    /// <summary>A copy of the sampling settings only (for the breakdown's import-only runs).</summary>
    public static Options ImportOnly(int samples, int warmup) => new() { Samples = samples, Warmup = warmup, Calls = 0 };

    public static Options Parse(string[] args)
    {
        var line = new CommandLine(args);
        var defaults = new Options();
        var options = new Options
        {
            Help = line.Switch("--help"),
            Child = line.Switch("--child"),
            Trace = line.Switch("--trace"),
            Breakdown = line.Switch("--breakdown"),
            SamplesGiven = line.Has("--samples"),
            Samples = line.Count("--samples", defaults.Samples, 1),
            Warmup = line.Count("--warmup", defaults.Warmup, 0),
            Calls = line.Count("--calls", defaults.Calls, 0),
            Module = line.FullPath("--module") ?? defaults.Module,
            Baseline = line.FullPath("--baseline") ?? defaults.Baseline,
            Call = line.Text("--call"),
            ModuleCall = line.Text("--module-call", defaults.ModuleCall),
            BaselineCall = line.Text("--baseline-call", defaults.BaselineCall),
            Scenario = line.Choice("--scenario", ImportScenario, ImportScenario, ImportPwshScenario, RecipientsScenario, ReportScenario, TablesScenario, InitRegisterScenario, TablesChildScenario),
            Counts = line.Counts("--counts", defaults.Counts),
            AsOf = line.Day("--as-of") ?? defaults.AsOf,
            PlanAsOf = line.Day("--plan-as-of"),
            Recipients = line.Count("--recipients", defaults.Recipients, 1),
            Holdings = line.Count("--holdings", defaults.Holdings, 1),
            TableName = line.Text("--table-name", defaults.TableName),
            RegisterName = line.Text("--register-name", defaults.RegisterName),
            Measure = line.Choice("--measure", defaults.Measure, "recipients", "plan"),
            Backend = line.Choice("--backend", defaults.Backend, "sqlite", "tables"),
            Consumer = line.Choice("--consumer", defaults.Consumer, "host", "foreach"),
            KeepRegisters = line.Switch("--keep-registers"),
            Register = line.FullPath("--register"),
            Expect = line.Count("--expect", defaults.Expect, 0),
            Formats = line.Choices("--formats", defaults.Formats, ReportFormats),
            Format = line.Choice("--format", defaults.Format, ReportFormats),
            ReportPath = line.FullPath("--report-path"),
            SampleIntervalMs = line.Count("--sample-interval", defaults.SampleIntervalMs, 10),
        };
        line.Finish();
        return options;
    }
}
