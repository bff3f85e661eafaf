using System;
using System.IO;
using System.Linq;
using System.Text;

namespace DataShareAdmin.Pester.Tests;

/// <summary>
/// One Pester file run in a pwsh of its own (so no state leaks from one file into the next) by
/// tests/Pester/Invoke-PesterSuite.ps1 on the pinned pwsh, and what it says about the file.
/// </summary>
internal sealed class PesterRun
{
    // Only a hung run is stopped; a file normally takes well under a minute.
    private static readonly TimeSpan FileTimeout = TimeSpan.FromMinutes(30);

    private const int OutputTailLines = 150;

    private PesterRun(string file, ProcessRun process, PesterResults results)
    {
        File = file;
        Process = process;
        Results = results;
    }

    public string File { get; }

    public ProcessRun Process { get; }

    public PesterResults Results { get; }

    /// <summary>Every test ran and none failed: pwsh exited with 0, the results name no failure, and there were tests.</summary>
    public bool Passed => Process.ExitCode == 0 && Results.Failed.Count == 0 && Results.Cases.Count > 0;

    /// <summary>The lines in which Invoke-PesterSuite.ps1 names each skipped test and why.</summary>
    public string[] SkipReasons =>
        Process.Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("Skipped: ", StringComparison.Ordinal)).ToArray();

    public static PesterRun Start(PesterEnvironment environment, string path)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var resultFolder = Path.Combine(PesterEnvironment.RepositoryRoot, "out", "TestResults", "Pester");
        Directory.CreateDirectory(resultFolder);
        var resultPath = Path.Combine(resultFolder, Path.ChangeExtension(Path.GetFileName(path), ".xml"));
        System.IO.File.Delete(resultPath);

        var process = ProcessRun.Run(
            environment.StartInfo("tool", "run", "pwsh", "-NoProfile", "-NonInteractive", "-File", PesterEnvironment.Runner,
                "-Path", path, "-ResultPath", resultPath),
            FileTimeout);
        return new PesterRun(Path.GetFileName(path), process, PesterResults.Read(resultPath));
    }

    /// <summary>What failed, test by test with its message, then the end of what Pester printed.</summary>
    public string Report()
    {
        var text = new StringBuilder();
        text.Append(File).Append(": ").Append(Results.Failed.Count).Append(" of ").Append(Results.Cases.Count)
            .Append(" Pester tests failed (pwsh exited with ").Append(Process.ExitCode).AppendLine(").");
        foreach (var failed in Results.Failed)
        {
            text.Append("  [-] ").AppendLine(failed.Name);
            foreach (var line in (failed.Message ?? "(no message)").Split('\n'))
            {
                text.Append("      ").AppendLine(line.TrimEnd('\r'));
            }
        }

        // A failed BeforeAll, a file that does not parse or a runner that stopped early are only in Pester's own output.
        var lines = Process.Output.Split('\n');
        text.AppendLine(lines.Length > OutputTailLines ? $"The last {OutputTailLines} lines Pester printed:" : "What Pester printed:");
        foreach (var line in lines.Skip(Math.Max(0, lines.Length - OutputTailLines)))
        {
            text.AppendLine(line.TrimEnd('\r'));
        }

        return text.ToString();
    }

    public string SkipReport() =>
        $"{Results.PassedCount} Pester tests passed and {Results.Skipped.Count} were skipped: " + string.Join("; ", SkipReasons);
}
