using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.Benchmarks;

/// <summary>
/// One sample in a fresh process: open a runspace (untimed for the comparison), time Import-Module of the manifest,
/// then time each cmdlet call. Only the Import-Module call is inside the import stopwatch, for either module.
/// </summary>
internal static class ChildRun
{
    private static readonly object LoadsGate = new();
    private static readonly List<string> Loads = new();
    private static string phase = "startup";
    private static long phaseStart = Stopwatch.GetTimestamp();

    public static int Run(Options options)
    {
        if (!File.Exists(options.Module))
        {
            throw new BenchmarkException($"No module manifest at {options.Module}: build it first (dotnet build -c Release).");
        }

        AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
        {
            lock (LoadsGate)
            {
                var at = Stopwatch.GetElapsedTime(phaseStart).TotalMilliseconds;
                Loads.Add($"{phase} +{at:0.0} ms: {e.LoadedAssembly.GetName().Name}");
            }
        };

        // A fresh copy per sample of the empty register the parent made with -Create (registers are made only by
        // -Create), so the first call opens an empty register as a new user's first read would.
        var registerDirectory = Path.Combine(Path.GetTempPath(), "dsa-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(registerDirectory);
        var register = Path.Combine(registerDirectory, "register.db");
        if (options.Register is not null)
        {
            File.Copy(options.Register, register);
        }

        Environment.SetEnvironmentVariable("DATASHAREADMIN_REGISTER", register);
        try
        {
            var result = Sample(options);
            ChildProcess.WriteResult(result);
            return 0;
        }
        finally
        {
            TryDelete(registerDirectory);
        }
    }

    private static SampleResult Sample(Options options)
    {
        var result = new SampleResult { Module = Path.GetFileNameWithoutExtension(options.Module) };

        SetPhase("runspace");
        var start = Stopwatch.GetTimestamp();
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        result.RunspaceOpenMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        int before;
        using (var import = PowerShell.Create())
        {
            import.Runspace = runspace;
            import.AddCommand("Import-Module").AddParameter("Name", options.Module).AddParameter("ErrorAction", "Stop");
            before = SetPhase("import");
            start = Stopwatch.GetTimestamp();
            Invoke(import, "Import-Module");
            result.ImportMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            result.AssembliesLoadedByImport = SetPhase("after import") - before;
        }

        using (var check = PowerShell.Create())
        {
            check.Runspace = runspace;
            check.AddCommand("Get-Module").AddParameter("Name", result.Module);
            foreach (var module in Invoke(check, "Get-Module"))
            {
                if (module.BaseObject is PSModuleInfo info)
                {
                    result.ExportedCmdlets = info.ExportedCmdlets.Count;
                }
            }
        }

        if (result.ExportedCmdlets == 0)
        {
            throw new BenchmarkException($"{options.Module} imported but exported no cmdlets.");
        }

        if (options.Call is not null)
        {
            for (var i = 0; i < options.Calls; i++)
            {
                using var call = PowerShell.Create();
                call.Runspace = runspace;
                call.AddCommand(options.Call).AddCommand("Out-Null");
                before = SetPhase("call " + (i + 1));
                start = Stopwatch.GetTimestamp();
                Invoke(call, options.Call);
                result.CallMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                var loaded = SetPhase("after call " + (i + 1)) - before;
                if (i == 0)
                {
                    result.AssembliesLoadedByFirstCall = loaded;
                }
            }
        }

        if (options.Trace)
        {
            lock (LoadsGate)
            {
                result.Loads = new List<string>(Loads);
            }
        }

        return result;
    }

    /// <summary>Starts a phase; returns how many assemblies had loaded before it.</summary>
    private static int SetPhase(string name)
    {
        lock (LoadsGate)
        {
            phase = name;
            phaseStart = Stopwatch.GetTimestamp();
            return Loads.Count;
        }
    }

    private static System.Collections.ObjectModel.Collection<PSObject> Invoke(PowerShell shell, string what)
    {
        try
        {
            var output = shell.Invoke();
            if (shell.HadErrors)
            {
                var errors = string.Join(Environment.NewLine, shell.Streams.Error);
                throw new BenchmarkException($"{what} reported errors: {errors}");
            }

            return output;
        }
        catch (RuntimeException ex)
        {
            throw new BenchmarkException($"{what} failed: {ex.Message}", ex);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind does not affect the figures.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
