using System;
using System.Diagnostics;
using System.Text;

namespace DataShareAdmin.Pester.Tests;

/// <summary>What one process printed (standard output and error, interleaved as they came) and returned.</summary>
internal sealed record ProcessRun(int ExitCode, string Output)
{
    /// <summary>
    /// Runs the process to the end with standard input closed. The timeout only stops a process that hangs; it is far
    /// above any normal run and is no measure of speed.
    /// </summary>
    public static ProcessRun Run(ProcessStartInfo start, TimeSpan timeout)
    {
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"{start.FileName} did not start.");
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}:{Environment.NewLine}{Text(output)}");
        }

        process.WaitForExit(); // the last asynchronous lines
        return new ProcessRun(process.ExitCode, Text(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
