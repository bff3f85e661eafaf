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

}

/// <summary>
/// A real PowerShell runspace (the engine from the System.Management.Automation package, core cmdlets only)
/// with the built module imported and connected to a register of the test's own.
/// </summary>
internal sealed class PowerShellSession : IDisposable
{
    private readonly Runspace runspace;

    public PowerShellSession(string? registerPath)
    {
        runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        Run("Import-Module $args[0] -ErrorAction Stop", TestEnvironment.ModuleManifest).AssertNoErrors();
        if (registerPath is not null)
        {
            Run("Connect-DataShareRegister -Path $args[0] -Create", registerPath).AssertNoErrors();

            // Agreements name organisations in the register: the ones the scripts use are there from the start.
            Run(Scripts.Organisations).AssertNoErrors();
        }
    }

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
