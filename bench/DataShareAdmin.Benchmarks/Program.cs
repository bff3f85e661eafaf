using System;
using System.Globalization;

namespace DataShareAdmin.Benchmarks;

/// <summary>
/// Import-time benchmark. Parent mode (the default) spawns one fresh process per sample and summarises; child mode
/// (<c>--child</c>) is one sample: open a runspace, time Import-Module, optionally time cmdlet calls, print one line.
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
          DataShareAdmin.Benchmarks --child --module PSD1 [--call CMDLET] [--calls K] [--trace]
            one sample; prints a single line "BENCH-RESULT {json}"
        """;

    public static int Main(string[] args)
    {
        try
        {
            var options = Options.Parse(args);
            if (options.Help)
            {
                Console.WriteLine(Usage);
                return 0;
            }

            return options.Child ? ChildRun.Run(options) : ParentRun.Run(options);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (BenchmarkException ex)
        {
            Console.Error.WriteLine("Benchmark failed: " + ex.Message);
            return 1;
        }
    }

    internal static int ParseCount(string name, string value, int minimum)
    {
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count < minimum)
        {
            throw new ArgumentException($"{name} needs a whole number of at least {minimum}, not '{value}'.");
        }

        return count;
    }
}
