using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Pester.Tests;

/// <summary>
/// Everything the Pester files need, set up once per run: the pwsh pinned in dotnet-tools.json (dotnet tool restore),
/// Pester from the NuGet packages folder, the built module, Azurite in tests/azurite and Chromium for the HTML report's
/// browser test. It also puts a decoy pwsh first on PATH, which fails loudly: no test may start whatever pwsh a machine
/// happens to have, only the one running it.
/// </summary>
public sealed class PesterEnvironment : IDisposable
{
    /// <summary>The exit code and message of the decoy pwsh on PATH.</summary>
    public const int DecoyExitCode = 97;

    private static readonly TimeSpan ToolRestoreTimeout = TimeSpan.FromMinutes(10);

    private static readonly Lazy<PesterEnvironment> SharedEnvironment = new(() =>
    {
        var environment = new PesterEnvironment();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => environment.Dispose();
        return environment;
    });

    private PesterEnvironment()
    {
        if (!File.Exists(ModuleManifest))
        {
            throw new InvalidOperationException($"The module was not assembled: {ModuleManifest} is missing. Build DataShareAdmin.sln first.");
        }

        if (!File.Exists(PesterManifest))
        {
            throw new InvalidOperationException($"Pester was not downloaded: {PesterManifest} is missing. Restore tests/DataShareAdmin.Pester.Tests.");
        }

        RestoreTools();
        AzuriteServer.EnsureInstalled();
        ChromiumPath = Chromium.FindOrInstall();

        DecoyFolder = Path.Combine(Path.GetTempPath(), "datashareadmin-pester-decoy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DecoyFolder);
        WriteDecoy();
    }

    /// <summary>The one environment of this test run, set up by the first test that needs it.</summary>
    public static PesterEnvironment Shared => SharedEnvironment.Value;

    public static string RepositoryRoot => Path.GetFullPath(Metadata("RepositoryRoot"));

    public static string ModuleManifest => Path.GetFullPath(Metadata("ModuleManifest"));

    public static string PesterManifest => Path.GetFullPath(Metadata("PesterManifest"));

    public static string PesterFolder => Path.Combine(RepositoryRoot, "tests", "Pester");

    public static string Runner => Path.Combine(PesterFolder, "Invoke-PesterSuite.ps1");

    /// <summary>Chromium on PATH (installed if it may be); null when there is none, and the browser test says so.</summary>
    public string? ChromiumPath { get; }

    /// <summary>A folder holding only the decoy pwsh, put first on the Pester run's PATH.</summary>
    public string DecoyFolder { get; }

    /// <summary>
    /// The Pester files, by name, in two halves of about the same size: one xunit class runs each half, and xunit runs
    /// the two classes side by side, so a two-core machine keeps both cores busy.
    /// </summary>
    public static IEnumerable<string> TestFiles(int half)
    {
        var halves = new[] { new List<string>(), new List<string>() };
        var sizes = new long[2];
        foreach (var file in new DirectoryInfo(PesterFolder).GetFiles("*.Tests.ps1").OrderByDescending(f => f.Length).ThenBy(f => f.Name, StringComparer.Ordinal))
        {
            var lighter = sizes[0] <= sizes[1] ? 0 : 1;
            halves[lighter].Add(file.Name);
            sizes[lighter] += file.Length;
        }

        return halves[half].Order(StringComparer.Ordinal);
    }

    /// <summary>
    /// The dotnet host running these tests (the SDK names it in DOTNET_HOST_PATH), so the tool and the SDK are the ones
    /// this run uses; dotnet from PATH otherwise.
    /// </summary>
    public static string DotnetPath()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk) ? fromSdk : "dotnet";
    }

    /// <summary>
    /// A process in the repository root with the environment every Pester run gets: the module under test, no register
    /// or configuration from whoever runs the tests, no telemetry, and the decoy pwsh first on PATH.
    /// </summary>
    public ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetPath())
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("DATASHAREADMIN_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DATASHAREADMIN_TEST_MODULE"] = ModuleManifest;
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["PATH"] = DecoyFolder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        return start;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(DecoyFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Metadata(string key) =>
        typeof(PesterEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private void RestoreTools()
    {
        var start = StartInfo("tool", "restore");
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        var run = ProcessRun.Run(start, ToolRestoreTimeout);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"'dotnet tool restore' in {RepositoryRoot} failed with exit code {run.ExitCode}:{Environment.NewLine}{run.Output}");
        }
    }

    private void WriteDecoy()
    {
        var message = "A test started the pwsh on PATH instead of the one running the tests (tests/Pester/Common.ps1 has Invoke-DataShareTestPwsh).";
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(Path.Combine(DecoyFolder, "pwsh.cmd"), $"@echo {message} 1>&2\r\n@exit /b {DecoyExitCode}\r\n");
            return;
        }

        var decoy = Path.Combine(DecoyFolder, "pwsh");
        File.WriteAllText(decoy, $"#!/bin/sh\necho '{message}' >&2\nexit {DecoyExitCode}\n");
        File.SetUnixFileMode(decoy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
            UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
