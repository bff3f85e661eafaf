using System;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.Loader;

namespace DataShareAdmin.BenchSupport;

/// <summary>A hosted runspace (core cmdlets only) with the built module imported by its manifest path, as a user would.</summary>
public static class ModuleRuntime
{
    /// <summary>
    /// Opens a runspace and imports <paramref name="manifest"/>; the times are the runspace's opening and the
    /// Import-Module call alone. <paramref name="buildCommand"/> is named in the error when the manifest is missing.
    /// </summary>
    public static Runspace Open(string manifest, string buildCommand, out double runspaceMs, out double importMs)
    {
        if (!File.Exists(manifest))
        {
            throw new BenchmarkException($"No module manifest at {manifest}: build it first ({buildCommand}).");
        }

        var start = Stopwatch.GetTimestamp();
        var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        try
        {
            runspace.Open();
            runspaceMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            using var import = PowerShell.Create();
            import.Runspace = runspace;
            import.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop");
            start = Stopwatch.GetTimestamp();
            Invoke(import, "Import-Module");
            importMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            return runspace;
        }
        catch
        {
            runspace.Dispose();
            throw;
        }
    }

    /// <summary>Invokes <paramref name="shell"/>; a terminating error or anything on the error stream is a <see cref="BenchmarkException"/>.</summary>
    public static Collection<PSObject> Invoke(PowerShell shell, string what)
    {
        ArgumentNullException.ThrowIfNull(shell);
        try
        {
            var output = shell.Invoke();
            ThrowOnErrors(shell, what);
            return output;
        }
        catch (RuntimeException ex)
        {
            throw new BenchmarkException($"{what} failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Invokes <paramref name="shell"/>, handing each output object to <paramref name="onItem"/> as it arrives and
    /// dropping it from the output collection at once (nothing is collected, so the harness's own memory stays out of
    /// the figures). Errors as for <see cref="Invoke"/>.
    /// </summary>
    public static void InvokeStreaming(PowerShell shell, string what, Action<PSObject> onItem)
    {
        ArgumentNullException.ThrowIfNull(shell);
        ArgumentNullException.ThrowIfNull(onItem);
        using var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, _) =>
        {
            foreach (var item in output.ReadAll())
            {
                onItem(item);
            }
        };

        try
        {
            shell.Invoke<PSObject, PSObject>(null, output, null);
        }
        catch (RuntimeException ex)
        {
            throw new BenchmarkException($"{what} failed: {ex.Message}", ex);
        }

        ThrowOnErrors(shell, what);
        foreach (var item in output.ReadAll())
        {
            onItem(item);
        }
    }

    public static void ThrowOnErrors(PowerShell shell, string what)
    {
        ArgumentNullException.ThrowIfNull(shell);
        if (shell.HadErrors || shell.Streams.Error.Count > 0)
        {
            var errors = string.Join(Environment.NewLine, shell.Streams.Error.Take(5));
            throw new BenchmarkException($"{what} reported {shell.Streams.Error.Count} error(s): {errors}");
        }
    }

    /// <summary>
    /// Where the one Microsoft.Data.Sqlite was loaded from and its load context; throws unless it came from the
    /// module's folder (its Dependencies, its load context), not a copy the harness carries for seeding.
    /// </summary>
    public static (string Location, string LoadContext) CheckSqliteIsTheModules(string manifest)
    {
        var sqlite = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "Microsoft.Data.Sqlite").ToList();
        if (sqlite.Count != 1)
        {
            throw new BenchmarkException($"Expected one Microsoft.Data.Sqlite loaded after the warm-up call, found {sqlite.Count}.");
        }

        var location = sqlite[0].Location;
        var loadContext = AssemblyLoadContext.GetLoadContext(sqlite[0])?.Name ?? "?";
        var moduleDirectory = Path.GetDirectoryName(manifest)! + Path.DirectorySeparatorChar;
        if (!location.StartsWith(moduleDirectory, StringComparison.Ordinal))
        {
            throw new BenchmarkException($"Microsoft.Data.Sqlite was loaded from {location}, not from the module folder {moduleDirectory}.");
        }

        return (location, loadContext);
    }
}
