using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace DataShareAdmin.SweepBenchmark;

/// <summary>The machine, the load on it, and starting this harness again as a child process.</summary>
internal static class Machine
{
    public const string ResultPrefix = "BENCH-RESULT ";

    internal static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static IEnumerable<string> Describe()
    {
        System.Threading.ThreadPool.GetMinThreads(out var minWorkers, out _);
        yield return $"OS: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture}); {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier}";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"CPU: {CpuModel()}; {Environment.ProcessorCount} logical processors; memory {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):0.0} GiB; "
            + $"GC {(GCSettings.IsServerGC ? "server" : "workstation")}{(GCSettings.LatencyMode == GCLatencyMode.Interactive ? ", concurrent" : string.Empty)}; thread pool minimum {minWorkers} workers");
        yield return $"node {Run("node", "--version") ?? "?"}; Azurite {AzuriteVersion()} (tests/azurite, blob service only, disk persistence in a temp folder)";
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }

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

    /// <summary>1/5/15-minute load average on Linux: other work on the machine shows up in the figures.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    public static void WarnIfBusy()
    {
        var text = LoadAverage().Split(' ')[0];
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) && load > Environment.ProcessorCount)
        {
            Console.WriteLine($"WARNING: the machine is busy (1-minute load {load:0.0} on {Environment.ProcessorCount} processors): figures are inflated and ratios skewed.");
        }
    }

    /// <summary>
    /// Starts this harness again with <paramref name="arguments"/> and returns the JSON after "BENCH-RESULT ". Through
    /// the dotnet host when this process runs under it, else through the apphost this process was started from.
    /// </summary>
    public static string RunChild(IEnumerable<string> arguments, string what)
    {
        var current = Environment.ProcessPath;
        var underDotnet = current is null || Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(underDotnet ? current ?? "dotnet" : current!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (underDotnet)
        {
            start.ArgumentList.Add(typeof(Machine).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new BenchmarkException("Could not start a child process.");
        var errorTask = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var error = errorTask.GetAwaiter().GetResult();
        var line = output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            throw new BenchmarkException($"The {what} child exited with {process.ExitCode}.{Environment.NewLine}{output}{error}");
        }

        return line.Substring(ResultPrefix.Length);
    }
}

/// <summary>Median, minimum and maximum of a few repetitions.</summary>
internal readonly record struct Stats(double Median, double Min, double Max, int Count)
{
    public static Stats Of(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return new Stats(double.NaN, double.NaN, double.NaN, 0);
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Stats(median, sorted[0], sorted[^1], sorted.Length);
    }
}
