using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DataShareAdmin.TransferBenchmark;

/// <summary>The command line, parsed and checked.</summary>
internal sealed class Options
{
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

    public int SizeMiB { get; private set; } = 1024;

    public int Rounds { get; private set; } = 3;

    public int Concurrency { get; private set; } = ModuleConcurrency;

    public int BlockMiB { get; private set; } = ModuleBlockMiB;

    public IReadOnlyList<string> Variants { get; private set; } = AllVariants;

    public bool FreshAzurite { get; private set; }

    public bool Help { get; private set; }

    public long SizeBytes => (long)SizeMiB * MiB;

    public bool SdkMatchesModuleDefaults => Concurrency == ModuleConcurrency && BlockMiB == ModuleBlockMiB;

    /// <summary>The effective settings as arguments, to reproduce the run exactly.</summary>
    public string ToArguments() =>
        string.Create(CultureInfo.InvariantCulture, $"--size-mib {SizeMiB} --rounds {Rounds} --concurrency {Concurrency} --block-mib {BlockMiB}")
        + (Variants.Count == AllVariants.Length ? string.Empty : " --variants " + string.Join(',', Variants))
        + (FreshAzurite ? " --fresh-azurite" : string.Empty);

    public static Options Parse(string[] args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--size-mib":
                    options.SizeMiB = Count(name, Value(), 1, 1024 * 1024);
                    break;
                case "--rounds":
                    options.Rounds = Count(name, Value(), 1, 1000);
                    break;
                case "--concurrency":
                    options.Concurrency = Count(name, Value(), 1, 256);
                    break;
                case "--block-mib":
                    // 4000 MiB is the service's largest block; an int buffer caps it just below 2048 MiB.
                    options.BlockMiB = Count(name, Value(), 1, 2047);
                    break;
                case "--variants":
                    options.Variants = ParseVariants(name, Value());
                    break;
                case "--fresh-azurite":
                    options.FreshAzurite = true;
                    break;
                case "--help" or "-h" or "-?":
                    options.Help = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return options;
    }

    private static int Count(string name, string value, int minimum, int maximum)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < minimum || count > maximum)
        {
            throw new ArgumentException($"{name} needs a whole number from {minimum} to {maximum}, not '{value}'.");
        }

        return count;
    }

    private static string[] ParseVariants(string name, string value)
    {
        var chosen = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => v.ToLowerInvariant())
            .Distinct()
            .ToArray();
        var unknown = chosen.Where(v => !AllVariants.Contains(v)).ToArray();
        if (chosen.Length == 0 || unknown.Length > 0)
        {
            throw new ArgumentException($"{name} takes a comma-separated subset of {string.Join(", ", AllVariants)}, not '{value}'.");
        }

        // Always in the canonical order, so the alternation is the same whatever order they were named in.
        return AllVariants.Where(chosen.Contains).ToArray();
    }
}
