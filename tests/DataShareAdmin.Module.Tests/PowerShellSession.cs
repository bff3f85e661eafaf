using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace DataShareAdmin.Module.Tests;

/// <summary>The streams of one script run.</summary>
internal sealed class RunResult
{
    public required Collection<PSObject> Output { get; init; }

    public required List<ErrorRecord> Errors { get; init; }

    public required List<WarningRecord> Warnings { get; init; }

    public required List<ProgressRecord> Progress { get; init; }

    public required List<VerboseRecord> Verbose { get; init; }

    public List<DebugRecord> Debug { get; init; } = new();

    public List<InformationRecord> Information { get; init; } = new();

    public T Single<T>() => (T)Output.Single().BaseObject;

    public IEnumerable<T> All<T>() => Output.Select(o => (T)o.BaseObject);

    public ErrorRecord SingleError() => Assert.Single(Errors);
}

/// <summary>
/// A real PowerShell runspace (the engine from the System.Management.Automation package, core cmdlets only)
/// with the built module imported and connected to a register of the test's own.
/// </summary>
internal sealed class PowerShellSession : IDisposable
{
    private readonly Runspace runspace;

    public PowerShellSession(string? registerPath, bool readOnly = false)
    {
        runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        Run("Import-Module $args[0] -ErrorAction Stop", TestEnvironment.ModuleManifest).AssertNoErrors();
        if (registerPath is not null)
        {
            Run(readOnly ? "Connect-DataShareRegister -Path $args[0] -ReadOnly" : "Connect-DataShareRegister -Path $args[0] -Create", registerPath).AssertNoErrors();
            if (!readOnly)
            {
                // Agreements name organisations in the register: the ones the scripts use are there from the start,
                // the samples' one with a passed security assessment.
                Run(Scripts.Organisations).AssertNoErrors();
            }

            SetUpEntries = readOnly ? 0 : Run("Test-DataShareAuditLog").AssertNoErrors().Single<AuditLogTestResult>().EntryCount;
        }
    }

    /// <summary>Audit entries in the register once the session was set up (the organisations it added, and any before).</summary>
    public long SetUpEntries { get; }

    public Runspace Runspace => runspace;

    /// <summary>Runs a script; a terminating error is thrown as the engine threw it.</summary>
    public RunResult Run(string script, params object[] arguments)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        foreach (var argument in arguments)
        {
            shell.AddArgument(argument);
        }

        var output = shell.Invoke();
        return new RunResult
        {
            Output = output,
            Errors = shell.Streams.Error.ToList(),
            Warnings = shell.Streams.Warning.ToList(),
            Progress = shell.Streams.Progress.ToList(),
            Verbose = shell.Streams.Verbose.ToList(),
            Debug = shell.Streams.Debug.ToList(),
            Information = shell.Streams.Information.ToList(),
        };
    }

    /// <summary>
    /// Runs a script expected to stop with a terminating error and returns its record. The script is wrapped in
    /// try/catch, which catches terminating errors only: a non-terminating error would fail this assertion.
    /// </summary>
    public ErrorRecord RunTerminating(string script, params object[] arguments)
    {
        var result = Run("try { " + script + " } catch { $_ }", arguments);
        Assert.Empty(result.Errors);
        return Assert.IsType<ErrorRecord>(Assert.Single(result.Output).BaseObject);
    }

    /// <summary>Audit entries written since the session was set up.</summary>
    public long AuditCount() => Run("Test-DataShareAuditLog").AssertNoErrors().Single<AuditLogTestResult>().EntryCount - SetUpEntries;

    public void Dispose() => runspace.Dispose();
}

internal static class RunResultAssertions
{
    public static RunResult AssertNoErrors(this RunResult result)
    {
        Assert.True(result.Errors.Count == 0, "Unexpected errors: " + string.Join(Environment.NewLine, result.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        return result;
    }
}
