using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.SweepBenchmark;

/// <summary>The machine, the load on it, and starting this harness again as a child process.</summary>
internal static class Machine
{
    public static IEnumerable<string> Describe()
    {
        System.Threading.ThreadPool.GetMinThreads(out var minWorkers, out _);
        yield return $"OS: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}); {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier}";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"CPU: {CpuModel()}; {Environment.ProcessorCount} logical processors; memory {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB; "
            + $"GC {(GCSettings.IsServerGC ? "server" : "workstation")}{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? ", concurrent" : string.Empty)}; thread pool minimum {minWorkers} workers");
        yield return $"node {Run("node", "--version") ?? "?"}; Azurite {AzuriteVersion()} (tests/azurite, blob service only, disk persistence in a temp folder)";
    }

    private static string CpuModel() =>
        HostLoad.TryReadCpuModel(out var model) ? model ?? RuntimeInformation.ProcessArchitecture.ToString() : "?";

    private static string AzuriteVersion()
    {
        try
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var package = Path.Combine(dir.FullName, "tests", "azurite", "node_modules", "azurite", "package.json");
                if (File.Exists(package))
                {
                    using var document = JsonDocument.Parse(File.ReadAllText(package));
                    return document.RootElement.GetProperty("version").GetString() ?? "?";
                }
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException)
        {
            // Informational only.
        }

        return "?";
    }

    private static string? Run(string file, string argument)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, UseShellExecute = false });
            if (process is null)
            {
                return null;
            }

            var text = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return text;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    public static void WarnIfBusy() => HostLoad.WarnIfBusy("figures are inflated and ratios skewed.");

    /// <summary>
    /// Starts this harness again with <paramref name="arguments"/> and returns the JSON after "BENCH-RESULT ". Through
    /// the dotnet host when this process runs under it, else through the apphost this process was started from.
    /// </summary>
    public static string RunChild(IEnumerable<string> arguments, string what) =>
        ChildProcess.RunSelf(typeof(Machine).Assembly, arguments, what + " child");
}
