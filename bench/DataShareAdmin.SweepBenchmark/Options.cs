using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.SweepBenchmark;

/// <summary>The command line, parsed. Every default is the documented scenario; the options only shrink or reshape it.</summary>
internal sealed class Options
{
    public const string InitRegisterChild = "init-register";
    public const string PlanChild = "plan";

    public bool Help { get; private set; }

    /// <summary>Null in the parent; the child mode's name in a child process.</summary>
    public string? Child { get; private set; }

    public string Module { get; private set; } = ModuleManifest.DefaultPath(typeof(Options).Assembly);

    public int Blobs { get; private set; } = 2000;

    public int Holdings { get; private set; } = 100;

    public int Containers { get; private set; } = 10;

    public int BlobBytes { get; private set; } = 64;

    public int Repeats { get; private set; } = 3;

    public IReadOnlyList<int> ThrottleLimits { get; private set; } = new[] { 8, 16, 32, 64 };

    public IReadOnlyList<int> SdkConcurrency { get; private set; } = new[] { 8, 16, 32, 64, 128 };

    public IReadOnlyList<int> PlanRows { get; private set; } = new[] { 100_000, 1_000_000 };

    public int Agreements { get; private set; } = 100;

    /// <summary>host: C# counts each plan item as it arrives and drops it; foreach: | ForEach-Object { $n++ }.</summary>
    public string Consumer { get; private set; } = "host";

    public int SampleIntervalMs { get; private set; } = 100;

    public bool SkipSweep { get; private set; }

    public bool SkipPlan { get; private set; }

    public bool SkipDiagnostics { get; private set; }

    public bool Strict { get; private set; }

    public bool KeepRegisters { get; private set; }

    /// <summary>Child modes: the register file; the plan child: the number of due holdings the seeder wrote.</summary>
    public string? Register { get; private set; }

    public long Expect { get; private set; } = -1;

    /// <summary>The arguments as given (for the reproduce line).</summary>
    public IReadOnlyList<string> Arguments { get; private set; } = Array.Empty<string>();

    public static Options Parse(string[] args)
    {
        var options = new Options { Arguments = args.ToArray() };
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "-h":
                case "--help":
                case "-?":
                    options.Help = true;
                    break;
                case "--child":
                    options.Child = Value();
                    if (options.Child is not (InitRegisterChild or PlanChild))
                    {
                        throw new ArgumentException($"--child is {InitRegisterChild} or {PlanChild}, not '{options.Child}'.");
                    }

                    break;
                case "--module":
                    options.Module = Path.GetFullPath(Value());
                    break;
                case "--blobs":
                    options.Blobs = ParseCount(name, Value(), 1);
                    break;
                case "--holdings":
                    options.Holdings = ParseCount(name, Value(), 1);
                    break;
                case "--containers":
                    options.Containers = ParseCount(name, Value(), 1);
                    break;
                case "--blob-bytes":
                    options.BlobBytes = ParseCount(name, Value(), 0);
                    break;
                case "--repeats":
                    options.Repeats = ParseCount(name, Value(), 1);
                    break;
                case "--throttle":
                    options.ThrottleLimits = ParseList(name, Value());
                    break;
                case "--sdk-concurrency":
                    options.SdkConcurrency = ParseList(name, Value());
                    break;
                case "--plan-rows":
                    options.PlanRows = ParseList(name, Value());
                    break;
                case "--agreements":
                    options.Agreements = ParseCount(name, Value(), 10);
                    break;
                case "--consumer":
                    options.Consumer = Value() switch
                    {
                        "host" => "host",
                        "foreach" => "foreach",
                        var other => throw new ArgumentException($"--consumer is host or foreach, not '{other}'."),
                    };
                    break;
                case "--sample-interval":
                    options.SampleIntervalMs = ParseCount(name, Value(), 10);
                    break;
                case "--skip-sweep":
                    options.SkipSweep = true;
                    break;
                case "--skip-plan":
                    options.SkipPlan = true;
                    break;
                case "--skip-diagnostics":
                    options.SkipDiagnostics = true;
                    break;
                case "--strict":
                    options.Strict = true;
                    break;
                case "--keep-registers":
                    options.KeepRegisters = true;
                    break;
                case "--register":
                    options.Register = Path.GetFullPath(Value());
                    break;
                case "--expect":
                    options.Expect = ParseCount(name, Value(), 0);
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{name}'.");
            }
        }

        if (options.Holdings % options.Containers != 0)
        {
            throw new ArgumentException($"--holdings ({options.Holdings}) must be a multiple of --containers ({options.Containers}).");
        }

        if (options.Blobs < options.Holdings)
        {
            throw new ArgumentException($"--blobs ({options.Blobs}) must be at least --holdings ({options.Holdings}).");
        }

        if (options.ThrottleLimits.Any(t => t > 256))
        {
            throw new ArgumentException("--throttle values are from 1 to 256 (the cmdlet's range).");
        }

        return options;
    }

    /// <summary>A whole number of at least <paramref name="minimum"/>; underscores in it (100_000) are ignored.</summary>
    private static int ParseCount(string name, string value, int minimum) => CommandLine.ParseCount(name, value, minimum, digitSeparators: true);

    private static int[] ParseList(string name, string value)
    {
        var values = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part => ParseCount(name, part, 1)).ToArray();
        return values.Length > 0 ? values : throw new ArgumentException($"{name} needs at least one number, e.g. 8,16.");
    }

    internal static string? Metadata(string key) => ModuleManifest.Metadata(typeof(Options).Assembly, key);
}
