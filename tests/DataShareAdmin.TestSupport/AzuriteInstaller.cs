using System;
using System.Diagnostics;
using System.IO;
using System.Security.Cryptography;
using System.Threading;

namespace DataShareAdmin.TestSupport;

/// <summary>Finds <c>tests/azurite</c> and runs <c>npm ci</c> there once per lock file version.</summary>
internal static class AzuriteInstaller
{
    internal const string EntryPoint = "node_modules/azurite/dist/src/azurite.js";

    // Written after a successful `npm ci`. Holds the hash of package-lock.json, so an interrupted
    // install (azurite.js present, dependencies missing) or a bumped lock file installs again.
    private const string MarkerName = "node_modules/.datashareadmin-installed";

    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(10);

    internal static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "azurite");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"No tests/azurite/package.json found above {AppContext.BaseDirectory}; set AzuriteOptions.AzuriteDirectory.");
    }

    internal static void EnsureInstalled(string directory)
    {
        if (IsInstalled(directory))
        {
            return;
        }

        // Two test assemblies may start at once; npm ci deletes node_modules first, so only one may run it.
        using var gate = AcquireLock(Path.Combine(directory, ".install.lock"));
        if (IsInstalled(directory))
        {
            return; // another process installed it while we waited
        }

        var npm = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/d", "/c", "npm" } } // npm is npm.cmd there
            : new ProcessStartInfo("npm");
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund" })
        {
            npm.ArgumentList.Add(arg);
        }

        npm.WorkingDirectory = directory;
        npm.RedirectStandardOutput = true;
        npm.RedirectStandardError = true;
        npm.UseShellExecute = false;

        var output = new OutputTail();
        using var process = Process.Start(npm) ?? throw new InvalidOperationException("Could not start npm.");
        output.Attach(process);
        if (!process.WaitForExit(NpmTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"npm ci in {directory} took over {NpmTimeout}.{Environment.NewLine}{output}");
        }

        process.WaitForExit(); // flush the async output readers
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm ci in {directory} failed ({process.ExitCode}).{Environment.NewLine}{output}");
        }

        File.WriteAllText(Path.Combine(directory, MarkerName), LockHash(directory));
    }

    private static bool IsInstalled(string directory)
    {
        var marker = Path.Combine(directory, MarkerName);
        return File.Exists(Path.Combine(directory, EntryPoint))
            && File.Exists(marker)
            && File.ReadAllText(marker) == LockHash(directory);
    }

    private static string LockHash(string directory) =>
        Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, "package-lock.json"))));

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock across processes (flock on Unix). The file is
                // never deleted: deleting lock files lets a third process lock a fresh inode.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(250);
            }
        }
    }
}
