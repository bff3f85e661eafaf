using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.SweepBenchmark;

/// <summary>The command line, parsed. Every default is the documented scenario; the options only shrink or reshape it.</summary>
internal sealed class Options
{
    public const string InitRegisterChild = "init-register";
    public const string PlanChild = "plan";

    private Options()
    {
    }

    public bool Help { get; private init; }

    /// <summary>Null in the parent; the child mode's name in a child process.</summary>
    public string? Child { get; private init; }

    public string Module { get; private init; } = ModuleManifest.DefaultPath(typeof(Options).Assembly);

    public int Blobs { get; private init; } = 2000;

    public int Holdings { get; private init; } = 100;

    public int Containers { get; private init; } = 10;

    public int BlobBytes { get; private init; } = 64;

    public int Repeats { get; private init; } = 3;

    public IReadOnlyList<int> ThrottleLimits { get; private init; } = new[] { 8, 16, 32, 64 };

    public IReadOnlyList<int> SdkConcurrency { get; private init; } = new[] { 8, 16, 32, 64, 128 };

    public IReadOnlyList<int> PlanRows { get; private init; } = new[] { 100_000, 1_000_000 };

    public int Agreements { get; private init; } = 100;

    /// <summary>host: C# counts each plan item as it arrives and drops it; foreach: | ForEach-Object { $n++ }.</summary>
    public string Consumer { get; private init; } = "host";

    public int SampleIntervalMs { get; private init; } = 100;

    public bool SkipSweep { get; private init; }

    public bool SkipPlan { get; private init; }

    public bool SkipDiagnostics { get; private init; }

    public bool Strict { get; private init; }

    public bool KeepRegisters { get; private init; }

    /// <summary>Child modes: the register file; the plan child: the number of due holdings the seeder wrote.</summary>
    public string? Register { get; private init; }

    public long Expect { get; private init; } = -1;

    /// <summary>The arguments as given (for the reproduce line).</summary>
    public IReadOnlyList<string> Arguments { get; private init; } = Array.Empty<string>();

    public static Options Parse(string[] args)
    {
        var line = new CommandLine(args);
        var d = new Options();
        var options = new Options
        {
            Arguments = line.Arguments,
            Help = line.Switch("--help"),
            Child = line.Text("--child") is { } child ? line.Choice("--child", child, InitRegisterChild, PlanChild) : null,
            Module = line.FullPath("--module") ?? d.Module,
            Blobs = line.Count("--blobs", d.Blobs, 1),
            Holdings = line.Count("--holdings", d.Holdings, 1),
            Containers = line.Count("--containers", d.Containers, 1),
            BlobBytes = line.Count("--blob-bytes", d.BlobBytes, 0),
            Repeats = line.Count("--repeats", d.Repeats, 1),
            ThrottleLimits = line.Counts("--throttle", d.ThrottleLimits),
            SdkConcurrency = line.Counts("--sdk-concurrency", d.SdkConcurrency),
            PlanRows = line.Counts("--plan-rows", d.PlanRows),
            Agreements = line.Count("--agreements", d.Agreements, 10),
            Consumer = line.Choice("--consumer", d.Consumer, "host", "foreach"),
            SampleIntervalMs = line.Count("--sample-interval", d.SampleIntervalMs, 10),
            SkipSweep = line.Switch("--skip-sweep"),
            SkipPlan = line.Switch("--skip-plan"),
            SkipDiagnostics = line.Switch("--skip-diagnostics"),
            Strict = line.Switch("--strict"),
            KeepRegisters = line.Switch("--keep-registers"),
            Register = line.FullPath("--register"),
            Expect = line.Count("--expect", -1, 0),
        };
        line.Finish();

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

    internal static string? Metadata(string key) => ModuleManifest.Metadata(typeof(Options).Assembly, key);
}
