using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.Benchmarks;

/// <summary>
/// Spawns one child process per sample, interleaving the modules so drift in machine load hits them alike, discards
/// the warm-up samples (cold disk cache, first JIT of the harness) and prints the comparison.
/// </summary>
internal static class ParentRun
{
    public const double Target = 1.5;

    public static int Run(Options options)
    {
        foreach (var manifest in new[] { options.Baseline, options.Module })
        {
            if (!File.Exists(manifest))
            {
                throw new BenchmarkException($"No module manifest at {manifest}: build with `dotnet build -c Release` first.");
            }
        }

        var baseline = new Subject("Baseline (1 cmdlet)", options.Baseline, options.BaselineCall, options.Calls);
        var module = new Subject("DataShareAdmin", options.Module, options.ModuleCall, options.Calls);

        Console.WriteLine($"Runtime {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier}, {Environment.ProcessorCount} logical processors");
        Console.WriteLine($"Load average before: {HostLoad.LoadAverage()}");
        WarnIfBusy();
        Console.WriteLine($"Baseline:       {baseline.Manifest}");
        Console.WriteLine($"DataShareAdmin: {module.Manifest}");

        var template = EmptyRegister.Create(options.Module);
        baseline.Register = module.Register = template;
        if (options.Trace)
        {
            Trace(baseline);
            Trace(module);
            return 0;
        }

        Console.WriteLine($"{options.Samples} samples each (+{options.Warmup} warm-up discarded), one fresh process per sample, alternating.");
        Console.WriteLine();
        Collect(new[] { baseline, module }, options);

        PrintImportTable(new[] { baseline, module });
        var ratio = module.Import.Median / baseline.Import.Median;
        var pass = ratio <= Target;
        Console.WriteLine();
        Console.WriteLine($"Ratio of medians (DataShareAdmin / baseline): {ratio:0.000}x  target <= {Target:0.0}x  {(pass ? "PASS" : "FAIL")}");
        Console.WriteLine($"Ratio of minimums (less sensitive to a busy machine): {module.Import.Min / baseline.Import.Min:0.000}x; difference of medians {module.Import.Median - baseline.Import.Median:0.0} ms");

        if (options.Calls > 0)
        {
            Console.WriteLine();
            PrintCallTable(new[] { baseline, module });
        }

        Console.WriteLine();
        Console.WriteLine($"Runspace open (not compared; common to both): median {Stats.Of(baseline.Samples.Concat(module.Samples).Select(s => s.RunspaceOpenMs)).Median:0.0} ms");
        Console.WriteLine($"Assemblies loaded by Import-Module: baseline {Mode(baseline.Samples.Select(s => s.AssembliesLoadedByImport))}, DataShareAdmin {Mode(module.Samples.Select(s => s.AssembliesLoadedByImport))}");
        if (options.Calls > 0)
        {
            Console.WriteLine($"Assemblies loaded by the first call: baseline {Mode(baseline.Samples.Select(s => s.AssembliesLoadedByFirstCall))}, DataShareAdmin {Mode(module.Samples.Select(s => s.AssembliesLoadedByFirstCall))}");
        }

        if (options.Breakdown)
        {
            Console.WriteLine();
            Breakdown(baseline, options);
        }

        Console.WriteLine();
        Console.WriteLine($"Load average after: {HostLoad.LoadAverage()}");
        WarnIfBusy();

        return pass ? 0 : 3;
    }

    private static void Collect(IReadOnlyList<Subject> subjects, Options options)
    {
        for (var i = -options.Warmup; i < options.Samples; i++)
        {
            foreach (var subject in subjects)
            {
                var sample = RunChild(subject, trace: false);
                if (i >= 0)
                {
                    subject.Samples.Add(sample);
                }
            }

            Console.Error.Write(i < 0 ? "w" : ".");
        }

        Console.Error.WriteLine();
    }

    private static void PrintImportTable(IEnumerable<Subject> subjects)
    {
        Console.WriteLine("Import-Module (ms)      median      min      p90   cmdlets");
        foreach (var subject in subjects)
        {
            var stats = subject.Import;
            Console.WriteLine($"{subject.Name,-20} {stats.Median,9:0.0} {stats.Min,8:0.0} {stats.P90,8:0.0} {subject.Samples[0].ExportedCmdlets,9}");
        }
    }

    private static void PrintCallTable(IEnumerable<Subject> subjects)
    {
        Console.WriteLine("Cmdlet calls after import (ms)                   first call          second call    later calls (3rd..)");
        Console.WriteLine("                                           median   min   p90   median   min   p90   median   min   p90");
        foreach (var subject in subjects)
        {
            var first = Stats.Of(subject.Samples.Select(s => s.CallMs[0]));
            var second = Stats.Of(subject.Samples.Where(s => s.CallMs.Count > 1).Select(s => s.CallMs[1]));
            var later = Stats.Of(subject.Samples.SelectMany(s => s.CallMs.Skip(2)));
            var name = $"{subject.Name}: {subject.Call}";
            Console.WriteLine($"{name,-42} {Cells(first)} {Cells(second)} {Cells(later)}");
        }
    }

    private static string Cells(Stats stats) =>
        stats.Count == 0 ? $"{"-",7} {"-",5} {"-",5}" : $"{stats.Median,7:0.0} {stats.Min,5:0.0} {stats.P90,5:0.0}";

    private static int Mode(IEnumerable<int> values) =>
        values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).FirstOrDefault();

    /// <summary>
    /// Where the import time goes: the same module with one part taken out at a time (copies in a temp folder, with
    /// the manifest edited), interleaved with the baseline. Import only: a module without its loader cannot call.
    /// </summary>
    private static void Breakdown(Subject baseline, Options options)
    {
        var root = Path.Combine(Path.GetTempPath(), "dsa-bench-variants-" + Guid.NewGuid().ToString("N"));
        try
        {
            var variants = new List<Subject> { new("baseline", baseline.Manifest, null, 0) };
            variants.AddRange(Variants(root, options.Module).Select(v => new Subject(v.Name, v.Manifest, null, 0)));

            Console.WriteLine($"Breakdown: Import-Module of variants of the built module, {options.Samples} fresh-process samples each (+{options.Warmup} warm-up)");
            Collect(variants, Options.ImportOnly(options.Samples, options.Warmup));
            Console.WriteLine("Variant                          median      min      p90   median vs as built   min vs as built");
            var asBuilt = variants[1].Import;
            foreach (var variant in variants)
            {
                var stats = variant.Import;
                Console.WriteLine($"{variant.Name,-30} {stats.Median,8:0.0} {stats.Min,8:0.0} {stats.P90,8:0.0} {stats.Median - asBuilt.Median,17:+0.0;-0.0;0.0} ms {stats.Min - asBuilt.Min,14:+0.0;-0.0;0.0} ms");
            }
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Temp copies left behind do not affect the figures.
            }
        }
    }

    /// <summary>Copies of the built module under <paramref name="root"/>, each with parts taken out: (name, manifest), "as built" first.</summary>
    internal static IEnumerable<(string Name, string Manifest)> Variants(string root, string module)
    {
        var moduleDirectory = Path.GetDirectoryName(module)!;
        yield return Variant(root, moduleDirectory, module, "as built", removeFormat: false, removeLoader: false, removeHelp: false);
        yield return Variant(root, moduleDirectory, module, "no FormatsToProcess", removeFormat: true, removeLoader: false, removeHelp: false);
        yield return Variant(root, moduleDirectory, module, "no NestedModules (loader)", removeFormat: false, removeLoader: true, removeHelp: false);
        yield return Variant(root, moduleDirectory, module, "no en-US help folder", removeFormat: false, removeLoader: false, removeHelp: true);
        yield return Variant(root, moduleDirectory, module, "cmdlet dll only", removeFormat: true, removeLoader: true, removeHelp: true);
    }

    private static (string Name, string Manifest) Variant(string root, string moduleDirectory, string manifest, string name, bool removeFormat, bool removeLoader, bool removeHelp)
    {
        var directory = Path.Combine(root, Regex.Replace(name, "[^A-Za-z0-9]+", "-").Trim('-'), "DataShareAdmin");
        CopyDirectory(moduleDirectory, directory, skipHelp: removeHelp);
        var target = Path.Combine(directory, Path.GetFileName(manifest));
        var text = File.ReadAllText(target);
        if (removeFormat)
        {
            text = RemoveSetting(text, "FormatsToProcess");
        }

        if (removeLoader)
        {
            text = RemoveSetting(text, "NestedModules");
        }

        File.WriteAllText(target, text);
        return (name, target);
    }

    private static string RemoveSetting(string manifest, string key)
    {
        var pattern = new Regex(@"^[ \t]*" + key + @"\s*=\s*@\([^)]*\)[ \t]*\r?$", RegexOptions.Multiline);
        if (!pattern.IsMatch(manifest))
        {
            throw new BenchmarkException($"The manifest has no one-line {key} = @(...) setting to remove for the breakdown.");
        }

        return pattern.Replace(manifest, string.Empty, 1);
    }

    private static void CopyDirectory(string source, string destination, bool skipHelp)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (skipHelp && relative.StartsWith("en-US" + Path.DirectorySeparatorChar, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void Trace(Subject subject)
    {
        var sample = RunChild(subject, trace: true);
        Console.WriteLine();
        Console.WriteLine($"{subject.Name}: import {sample.ImportMs:0.0} ms, calls {string.Join(", ", sample.CallMs.Select(c => c.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))} ms");
        foreach (var load in sample.Loads ?? new List<string>())
        {
            if (!load.StartsWith("startup", StringComparison.Ordinal) && !load.StartsWith("runspace", StringComparison.Ordinal))
            {
                Console.WriteLine("  " + load);
            }
        }
    }

    private static SampleResult RunChild(Subject subject, bool trace)
    {
        var arguments = new List<string> { typeof(ParentRun).Assembly.Location, "--child", "--module", subject.Manifest };
        if (subject.Register is not null)
        {
            arguments.AddRange(new[] { "--register", subject.Register });
        }

        if (subject.Call is not null && subject.Calls > 0)
        {
            arguments.AddRange(new[] { "--call", subject.Call, "--calls", subject.Calls.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        if (trace)
        {
            arguments.Add("--trace");
        }

        var json = ChildProcess.Run(ChildProcess.DotnetHost(), arguments, "child for " + subject.Name);
        return JsonSerializer.Deserialize<SampleResult>(json, ChildProcess.Json)
            ?? throw new BenchmarkException("The child printed an empty result.");
    }

    /// <summary>Contention inflates DataShareAdmin's import more than the baseline's (more to load and JIT): say so.</summary>
    internal static void WarnIfBusy() => HostLoad.WarnIfBusy("figures are inflated and the ratio is skewed.");

    private sealed class Subject
    {
        public Subject(string name, string manifest, string? call, int calls)
        {
            Name = name;
            Manifest = manifest;
            Call = call;
            Calls = calls;
        }

        public string Name { get; }

        public string Manifest { get; }

        public string? Call { get; }

        public int Calls { get; }

        /// <summary>The empty register each child copies before it starts.</summary>
        public string? Register { get; set; }

        public List<SampleResult> Samples { get; } = new();

        public Stats Import => Stats.Of(Samples.Select(s => s.ImportMs));
    }
}
