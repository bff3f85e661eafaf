using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.Benchmarks;

internal sealed class Options
{
    public bool Help { get; private set; }

    public bool Child { get; private set; }

    public bool Trace { get; private set; }

    public bool Breakdown { get; private set; }

    public int Samples { get; private set; } = 15;

    /// <summary>Whether --samples was given (the tables scenario's default is 3, not 15).</summary>
    public bool SamplesGiven { get; private set; }

    public int Warmup { get; private set; } = 1;

    public int Calls { get; private set; } = 5;

    public string Module { get; private set; } = ModuleManifest.DefaultPath(typeof(Options).Assembly);

    public string Baseline { get; private set; } = ModuleManifest.DefaultPath(typeof(Options).Assembly, "Baseline", "Baseline.psd1");

    /// <summary>Child mode: the cmdlet to call after the import; parent mode: unused.</summary>
    public string? Call { get; private set; }

    public string ModuleCall { get; private set; } = "Get-DataShareAgreement";

    public string BaselineCall { get; private set; } = "Get-BaselineGreeting";

    /// <summary>"import" (the default: Import-Module time against the baseline) or "recipients" (Test-DataShareRecipient throughput and memory).</summary>
    public string Scenario { get; private set; } = ImportScenario;

    public const string ImportScenario = "import";

    public const string RecipientsScenario = "recipients";

    /// <summary>Export-DataShareReport -Kind SafePeople over seeded registers: rows per second and peak memory, per format.</summary>
    public const string ReportScenario = "report";

    /// <summary>Child mode only: create the register's schema through the module (Connect-DataShareRegister), nothing else.</summary>
    public const string InitRegisterScenario = "init-register";

    /// <summary>The same register on SQLite and on Azure Tables (Azurite): Test-DataShareRecipient and Get-DataShareRetentionPlan on each.</summary>
    public const string TablesScenario = "tables";

    /// <summary>Child mode only: one timed call of the tables scenario (--measure, --backend).</summary>
    public const string TablesChildScenario = "tables-run";

    /// <summary>Tables scenario: the environment variable through which the parent hands Azurite's connection string to its children.</summary>
    public const string TableConnectionVariable = "DSA_BENCH_TABLE_CONNECTION";

    /// <summary>Tables scenario: active recipients (each with one person and ≈ 1.08 certificates) and holdings in the register.</summary>
    public int Recipients { get; private set; } = 10_000;

    public int Holdings { get; private set; } = 10_000;

    /// <summary>Tables scenario: the -AsOf day of Get-DataShareRetentionPlan; null for the day by which 90 % of the agreements' holdings are due.</summary>
    public DateTime? PlanAsOf { get; private set; }

    /// <summary>Tables scenario: the Table register's table and register (partition) names.</summary>
    public string TableName { get; private set; } = "DataShareRegister";

    public string RegisterName { get; private set; } = "bench";

    /// <summary>Child mode, tables scenario: "recipients" or "plan", on "sqlite" or "tables".</summary>
    public string Measure { get; private set; } = "recipients";

    public string Backend { get; private set; } = "sqlite";

    /// <summary>Recipients scenario: the register sizes, each seeded into a fresh file and measured in a fresh process.</summary>
    public IReadOnlyList<int> Counts { get; private set; } = new[] { 10_000, 100_000 };

    /// <summary>Recipients scenario: the -AsOf day (a fixed day, so the verdicts are the same on every run).</summary>
    public DateTime AsOf { get; private set; } = new(2026, 12, 1);

    /// <summary>Recipients scenario: "host" (C# counts and discards each result as it arrives) or "foreach" (| ForEach-Object { $n++ }).</summary>
    public string Consumer { get; private set; } = "host";

    /// <summary>Recipients scenario: keep the seeded register files (their folder is printed) instead of deleting them.</summary>
    public bool KeepRegisters { get; private set; }

    /// <summary>Child mode, recipients scenario: the seeded register file and how many results to expect.</summary>
    public string? Register { get; private set; }

    public int Expect { get; private set; } = -1;

    /// <summary>Report scenario: the -Format values to measure, each over every count (default Csv, Json, Html).</summary>
    public IReadOnlyList<string> Formats { get; private set; } = new[] { "Csv", "Json", "Html" };

    /// <summary>Child mode, report scenario: the one -Format to time, and the file to write.</summary>
    public string Format { get; private set; } = "Csv";

    public string? ReportPath { get; private set; }

    /// <summary>Recipients scenario: milliseconds between memory samples in the child.</summary>
    public int SampleIntervalMs { get; private set; } = 100;

    /// <summary>A copy of the sampling settings only (for the breakdown's import-only runs).</summary>
    public static Options ImportOnly(int samples, int warmup) => new() { Samples = samples, Warmup = warmup, Calls = 0 };

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Length)
                {
                    throw new ArgumentException($"{name} needs a value.");
                }

                return args[++i];
            }

            switch (name)
            {
                case "-h" or "--help" or "-?":
                    options.Help = true;
                    break;
                case "--child":
                    options.Child = true;
                    break;
                case "--trace":
                    options.Trace = true;
                    break;
                case "--breakdown":
                    options.Breakdown = true;
                    break;
                case "--samples":
                    options.Samples = CommandLine.ParseCount(name, Value(), 1);
                    options.SamplesGiven = true;
                    break;
                case "--warmup":
                    options.Warmup = CommandLine.ParseCount(name, Value(), 0);
                    break;
                case "--calls":
                    options.Calls = CommandLine.ParseCount(name, Value(), 0);
                    break;
                case "--module":
                    options.Module = Path.GetFullPath(Value());
                    break;
                case "--baseline":
                    options.Baseline = Path.GetFullPath(Value());
                    break;
                case "--call":
                    options.Call = Value();
                    break;
                case "--module-call":
                    options.ModuleCall = Value();
                    break;
                case "--baseline-call":
                    options.BaselineCall = Value();
                    break;
                case "--scenario":
                    options.Scenario = Value() switch
                    {
                        ImportScenario => ImportScenario,
                        RecipientsScenario => RecipientsScenario,
                        ReportScenario => ReportScenario,
                        InitRegisterScenario => InitRegisterScenario,
                        TablesScenario => TablesScenario,
                        TablesChildScenario => TablesChildScenario,
                        var other => throw new ArgumentException($"--scenario is '{ImportScenario}', '{RecipientsScenario}', '{ReportScenario}' or '{TablesScenario}', not '{other}'."),
                    };
                    break;
                case "--counts":
                    options.Counts = ParseCounts(name, Value());
                    break;
                case "--as-of":
                    options.AsOf = ParseDay(name, Value());
                    break;
                case "--plan-as-of":
                    options.PlanAsOf = ParseDay(name, Value());
                    break;
                case "--recipients":
                    options.Recipients = CommandLine.ParseCount(name, Value(), 1, digitSeparators: true);
                    break;
                case "--holdings":
                    options.Holdings = CommandLine.ParseCount(name, Value(), 1, digitSeparators: true);
                    break;
                case "--table-name":
                    options.TableName = Value();
                    break;
                case "--register-name":
                    options.RegisterName = Value();
                    break;
                case "--measure":
                    options.Measure = Value() switch
                    {
                        "recipients" => "recipients",
                        "plan" => "plan",
                        var other => throw new ArgumentException($"--measure is 'recipients' or 'plan', not '{other}'."),
                    };
                    break;
                case "--backend":
                    options.Backend = Value() switch
                    {
                        "sqlite" => "sqlite",
                        "tables" => "tables",
                        var other => throw new ArgumentException($"--backend is 'sqlite' or 'tables', not '{other}'."),
                    };
                    break;
                case "--consumer":
                    options.Consumer = Value() switch
                    {
                        "host" => "host",
                        "foreach" => "foreach",
                        var other => throw new ArgumentException($"--consumer is 'host' or 'foreach', not '{other}'."),
                    };
                    break;
                case "--keep-registers":
                    options.KeepRegisters = true;
                    break;
                case "--register":
                    options.Register = Path.GetFullPath(Value());
                    break;
                case "--expect":
                    options.Expect = CommandLine.ParseCount(name, Value(), 0);
                    break;
                case "--formats":
                    options.Formats = ParseFormats(name, Value());
                    break;
                case "--format":
                    var one = ParseFormats(name, Value());
                    options.Format = one.Length == 1 ? one[0] : throw new ArgumentException($"{name} takes one format.");
                    break;
                case "--report-path":
                    options.ReportPath = Path.GetFullPath(Value());
                    break;
                case "--sample-interval":
                    options.SampleIntervalMs = CommandLine.ParseCount(name, Value(), 10);
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{name}'.");
            }
        }

        return options;
    }

    private static DateTime ParseDay(string name, string text) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new ArgumentException($"{name} needs a date as yyyy-MM-dd, not '{text}'.");

    private static int[] ParseCounts(string name, string value)
    {
        var counts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => CommandLine.ParseCount(name, part.Replace("_", string.Empty, StringComparison.Ordinal), 1))
            .ToArray();
        return counts.Length > 0 ? counts : throw new ArgumentException($"{name} needs at least one count, e.g. 10000,100000.");
    }

    /// <summary>Export-DataShareReport's -Format values (ReportFormat), case-insensitive, in their canonical spelling.</summary>
    private static string[] ParseFormats(string name, string value)
    {
        var known = new[] { "Csv", "Json", "Html", "Markdown" };
        var formats = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => known.FirstOrDefault(k => k.Equals(part, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"{name}: '{part}' is not one of {string.Join(", ", known)}."))
            .Distinct()
            .ToArray();
        return formats.Length > 0 ? formats : throw new ArgumentException($"{name} needs at least one format, e.g. Csv,Json,Html.");
    }
}
