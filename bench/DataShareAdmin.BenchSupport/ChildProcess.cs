using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;

namespace DataShareAdmin.BenchSupport;

/// <summary>
/// A harness started again as a child process: the child prints one line "BENCH-RESULT {json}", the parent starts it
/// and returns that JSON.
/// </summary>
public static class ChildProcess
{
    public const string ResultPrefix = "BENCH-RESULT ";

    /// <summary>camelCase, both ways: what a child writes and its parent reads.</summary>
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The child's side: prints <paramref name="result"/> as the one "BENCH-RESULT {json}" line.</summary>
    public static void WriteResult<T>(T result) => Console.WriteLine(ResultPrefix + JsonSerializer.Serialize(result, Json));

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/> and returns the JSON after "BENCH-RESULT ";
    /// throws, with the child's output, when it exits non-zero or prints no such line. <paramref name="who"/> names the
    /// child in that message ("The {who} exited with N."); <paramref name="workingDirectory"/> is the child's (default: ours).
    /// </summary>
    public static string Run(string fileName, IEnumerable<string> arguments, string who, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? string.Empty,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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
            throw new BenchmarkException($"The {who} exited with {process.ExitCode}.{Environment.NewLine}{output}{error}");
        }

        return line.Substring(ResultPrefix.Length);
    }

    /// <summary>
    /// Starts the <paramref name="harness"/> again: through the dotnet host when this process runs under it, else
    /// through the apphost this process was started from.
    /// </summary>
    public static string RunSelf(Assembly harness, IEnumerable<string> arguments, string who)
    {
        ArgumentNullException.ThrowIfNull(harness);
        var current = Environment.ProcessPath;
        var underDotnet = current is null || Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var file = underDotnet ? current ?? "dotnet" : current!;
        return Run(file, underDotnet ? arguments.Prepend(harness.Location) : arguments, who);
    }

    /// <summary>The dotnet host running this harness (or the one on PATH when started through the apphost).</summary>
    public static string DotnetHost()
    {
        var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli))
        {
            return fromCli;
        }

        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        return "dotnet";
    }
}
