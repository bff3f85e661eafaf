using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace DataShareAdmin.Benchmarks;

internal sealed class Options
{
    public bool Help { get; private set; }

    public bool Child { get; private set; }

    public bool Trace { get; private set; }

    public bool Breakdown { get; private set; }

    public int Samples { get; private set; } = 15;

    public int Warmup { get; private set; } = 1;

    public int Calls { get; private set; } = 5;

    public string Module { get; private set; } = DefaultManifest("DataShareAdmin", "DataShareAdmin.psd1");

    public string Baseline { get; private set; } = DefaultManifest("Baseline", "Baseline.psd1");

    /// <summary>Child mode: the cmdlet to call after the import; parent mode: unused.</summary>
    public string? Call { get; private set; }

    public string ModuleCall { get; private set; } = "Get-DataShareAgreement";

    public string BaselineCall { get; private set; } = "Get-BaselineGreeting";

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
                    options.Samples = Program.ParseCount(name, Value(), 1);
                    break;
                case "--warmup":
                    options.Warmup = Program.ParseCount(name, Value(), 0);
                    break;
                case "--calls":
                    options.Calls = Program.ParseCount(name, Value(), 0);
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
                default:
                    throw new ArgumentException($"Unknown argument '{name}'.");
            }
        }

        return options;
    }

    /// <summary>out/&lt;Configuration&gt;/&lt;folder&gt;/&lt;file&gt; under the repository this harness was built from.</summary>
    private static string DefaultManifest(string folder, string file)
    {
        var root = Metadata("ModuleOutputRoot") ?? Path.Combine(AppContext.BaseDirectory, "out");
        var configuration = Metadata("ModuleConfiguration") ?? "Release";
        return Path.GetFullPath(Path.Combine(root, configuration, folder, file));
    }

    private static string? Metadata(string key) =>
        typeof(Options).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
}
