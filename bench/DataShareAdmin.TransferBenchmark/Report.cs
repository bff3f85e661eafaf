using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.TransferBenchmark;

/// <summary>What the run was on and how to repeat it, printed before the rounds.</summary>
internal static class MachineInfo
{
    public static void Print(Options options, string[] args, string repository)
    {
        Console.WriteLine("DataShareAdmin transfer benchmark: New-DataShareTransfer vs Azure.Storage.Blobs upload to Azurite");
        Console.WriteLine($"Machine:         {Environment.ProcessorCount} logical cores{CpuModel()}, {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        Console.WriteLine($"Runtime:         {RuntimeInformation.FrameworkDescription}, Server GC {System.Runtime.GCSettings.IsServerGC}");
        Console.WriteLine($"Azurite:         {AzuriteVersion(repository)} on node {NodeVersion()}");
        Console.WriteLine($"Reproduce:       cd {repository} && dotnet run -c Release --project bench/DataShareAdmin.TransferBenchmark -- {options.ToArguments()}");
        Console.WriteLine($"Arguments given: {(args.Length == 0 ? "(none)" : string.Join(' ', args))}");
        Console.WriteLine($"Settings:        {options.SizeMiB} MiB file, {options.Rounds} timed round(s) + 1 warm-up of each variant, order alternating each round");
        Console.WriteLine($"sdk variants:    BlobClient.UploadAsync(path), MaximumConcurrency {options.Concurrency}, MaximumTransferSize = InitialTransferSize = {options.BlockMiB} MiB");
        Console.WriteLine($"module variant:  {ModuleSession.TransferScript}" +
            $" (module defaults: {Options.ModuleBlockMiB} MiB blocks, concurrency {Options.ModuleConcurrency})");
        if (!options.SdkMatchesModuleDefaults && options.Variants.Contains(Options.Module))
        {
            Console.WriteLine($"NOTE:            the module ran with its defaults ({Options.ModuleBlockMiB} MiB blocks, concurrency {Options.ModuleConcurrency}), " +
                $"not --concurrency {options.Concurrency} --block-mib {options.BlockMiB}: the sdk and module rows are not like for like.");
        }
    }

    private static string CpuModel() => HostLoad.TryReadCpuModel(out var model) && model is not null ? " (" + model + ")" : string.Empty;

    private static string AzuriteVersion(string repository)
    {
        var package = Path.Combine(repository, "tests", "azurite", "node_modules", "azurite", "package.json");
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(package));
            return "azurite " + json.RootElement.GetProperty("version").GetString();
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException or UnauthorizedAccessException)
        {
            return "azurite (version unknown until installed)";
        }
    }

    private static string NodeVersion()
    {
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            var version = node!.StandardOutput.ReadToEnd().Trim();
            node.WaitForExit();
            return version;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "(not found)";
        }
    }
}

/// <summary>The summary table and the ratios.</summary>
internal static class Report
{
    public const double Target = 0.9;

    /// <summary>Seconds to two places, or n/a for a measurement that could not be taken.</summary>
    public static string Seconds(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    public static void Print(Options options, Dictionary<string, VariantResult> results)
    {
        Console.WriteLine();
        Console.WriteLine($"Results ({options.SizeMiB} MiB, {options.Rounds} timed round(s) each; MiB/s = {options.SizeMiB} MiB / seconds):");
        Console.WriteLine();
        Console.WriteLine("| variant    | median s | min s   | median MiB/s | best MiB/s | harness CPU s | azurite CPU s | peak working set MiB |");
        Console.WriteLine("|------------|---------:|--------:|-------------:|-----------:|--------------:|--------------:|---------------------:|");
        foreach (var result in results.Values)
        {
            Console.WriteLine($"| {result.Name,-10} | {result.Median,8:0.00} | {result.Min,7:0.00} | {options.SizeMiB / result.Median,12:0.0} | {options.SizeMiB / result.Min,10:0.0} " +
                $"| {result.MedianClientCpu,13:0.00} | {Seconds(result.MedianAzuriteCpu),13} | {result.PeakWorkingSet / (double)Options.MiB,20:0} |");
        }

        Console.WriteLine("(CPU columns: medians of the CPU seconds used during the timed call by the harness process, which hosts both");
        Console.WriteLine(" the module and the SDK, and by the Azurite node process; n/a where Azurite's process could not be found.)");

        Console.WriteLine();
        if (results.TryGetValue(Options.Module, out var module))
        {
            // Throughput ratios: the same bytes, so module MiB/s over sdk MiB/s is sdk seconds over module seconds.
            if (results.TryGetValue(Options.Sdk, out var sdk))
            {
                var ratio = sdk.Median / module.Median;
                Console.WriteLine($"module / sdk throughput:          {ratio:0.000} (medians), {sdk.Min / module.Min:0.000} (bests), {module.PairedThroughputRatio(sdk):0.000} (median of per-round ratios)   " +
                    $"target >= {Target:0.0}: {(ratio >= Target ? "met" : "NOT met")}" +
                    (options.SdkMatchesModuleDefaults ? string.Empty : "  [not like for like: the module ran with its defaults]"));
            }

            if (results.TryGetValue(Options.SdkSha256, out var hashed))
            {
                Console.WriteLine($"module / (sdk+sha256) throughput: {hashed.Median / module.Median:0.000} (medians), {hashed.Min / module.Min:0.000} (bests), {module.PairedThroughputRatio(hashed):0.000} (median of per-round ratios)");
            }
        }

        Console.WriteLine();
        Console.WriteLine("Timed: the upload call only (module: the whole New-DataShareTransfer call, which also creates the container,");
        Console.WriteLine("adds the stored access policy, signs the link and writes the register; sdk: UploadAsync into a container");
        Console.WriteLine("created beforehand). Each container is deleted after its upload, outside the timer.");
    }
}
