using System;
using System.Diagnostics;
using System.IO;

namespace DataShareAdmin.TestSupport;

/// <summary>
/// Headless Chromium for the HTML report's browser test: found on PATH, or installed with Debian's apt-get when the
/// tests run as root there (about a minute, once).
/// </summary>
public static class Chromium
{
    private static readonly string[] Names = { "chromium", "chromium-browser", "google-chrome" };

    /// <summary>Why Chromium is missing when <see cref="FindOrInstall"/> returns null; a test that needs it says this.</summary>
    public const string MissingReason =
        "Chromium is not installed and could not be installed here (needs Debian's apt-get as root, or chromium on PATH)";

    /// <summary>The first Chromium on PATH, installing it first when it is missing and apt-get may; null otherwise.</summary>
    public static string? FindOrInstall()
    {
        var path = Find();
        if (path is null && OperatingSystem.IsLinux() && File.Exists("/usr/bin/apt-get") && Environment.UserName == "root")
        {
            Run("/usr/bin/apt-get", "update -qq");
            Run("/usr/bin/apt-get", "install -y -qq chromium");
            path = Find();
        }

        return path;
    }

    /// <summary>The first Chromium on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            foreach (var name in Names)
            {
                var candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static void Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
