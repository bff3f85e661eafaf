using System;
using System.Collections.Generic;
using System.Globalization;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.TransferBenchmark;

/// <summary>The command line, parsed and checked.</summary>
internal sealed class Options
{
    private Options()
    {
    }

    public const int MiB = 1024 * 1024;

    /// <summary>The module's block size (UploadOptions.DefaultBlockSize): 8 MiB.</summary>
    public const int ModuleBlockMiB = 8;

    public const string Sdk = "sdk";
    public const string SdkSha256 = "sdk+sha256";
    public const string Module = "module";

    public static readonly string[] AllVariants = [Sdk, SdkSha256, Module];

    public const string Usage = """
        Usage:
          DataShareAdmin.TransferBenchmark [--size-mib N] [--rounds R] [--concurrency C] [--block-mib B]
                                           [--variants LIST] [--fresh-azurite]
            --size-mib N       size of the test file in MiB (default 1024)
            --rounds R         timed rounds of each variant (default 3), after 1 discarded warm-up round of each
            --concurrency C    blocks in flight for the sdk variants (default: the module's default,
                               max(4, min(16, 2 x cores)))
            --block-mib B      block size in MiB for the sdk variants (default 8, the module's)
            --variants LIST    comma-separated subset of sdk, sdk+sha256, module (default all three)
            --fresh-azurite    restart Azurite empty before every upload (untimed, ~2 s each) instead of one
                               instance for the whole run: no upload pays for what earlier ones left behind
            --help             this text

          The module variant always runs New-DataShareTransfer with the module's own defaults (8 MiB blocks, the
          default concurrency); --concurrency and --block-mib apply to the sdk variants only.
        """;

    public static int ModuleConcurrency => Math.Max(4, Math.Min(16, Environment.ProcessorCount * 2));

    public int SizeMiB { get; private init; } = 1024;

    public int Rounds { get; private init; } = 3;

    public int Concurrency { get; private init; } = ModuleConcurrency;

    public int BlockMiB { get; private init; } = ModuleBlockMiB;

    public IReadOnlyList<string> Variants { get; private init; } = AllVariants;

    public bool FreshAzurite { get; private init; }

    public bool Help { get; private init; }

    public long SizeBytes => (long)SizeMiB * MiB;

    public bool SdkMatchesModuleDefaults => Concurrency == ModuleConcurrency && BlockMiB == ModuleBlockMiB;

    /// <summary>The effective settings as arguments, to reproduce the run exactly.</summary>
    public string ToArguments() =>
        string.Create(CultureInfo.InvariantCulture, $"--size-mib {SizeMiB} --rounds {Rounds} --concurrency {Concurrency} --block-mib {BlockMiB}")
        + (Variants.Count == AllVariants.Length ? string.Empty : " --variants " + string.Join(',', Variants))
        + (FreshAzurite ? " --fresh-azurite" : string.Empty);

    public static Options Parse(string[] args)
    {
        var line = new CommandLine(args);
        var options = new Options
        {
            SizeMiB = line.Count("--size-mib", 1024, 1, 1024 * 1024),
            Rounds = line.Count("--rounds", 3, 1, 1000),
            Concurrency = line.Count("--concurrency", ModuleConcurrency, 1, 256),

            // 4000 MiB is the service's largest block; an int buffer caps it just below 2048 MiB.
            BlockMiB = line.Count("--block-mib", ModuleBlockMiB, 1, 2047),

            // Always in the canonical order, so the alternation is the same whatever order they were named in.
            Variants = line.Choices("--variants", AllVariants, AllVariants),
            FreshAzurite = line.Switch("--fresh-azurite"),
            Help = line.Switch("--help"),
        };
        line.Finish();
        return options;
    }
}
