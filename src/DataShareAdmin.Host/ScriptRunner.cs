using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;

namespace DataShareAdmin.Host;

/// <summary>Opens a runspace with <see cref="DataShareHost"/>, imports the module and runs the script.</summary>
internal sealed class ScriptRunner
{
    private readonly TextWriter output;
    private readonly TextWriter error;
    private readonly DataShareHost host;
    private readonly HashSet<ErrorRecord> printed = new(ReferenceEqualityComparer.Instance);
    private int errorCount;
    private int cancelled;

    public ScriptRunner(TextWriter output, TextWriter error, TextReader input, bool interactive)
    {
        this.output = output;
        this.error = error;
        host = new DataShareHost(output, error, input, interactive);
    }

    /// <summary>Runs a .ps1 file as a command (so param() and $PSScriptRoot work), or script text.</summary>
    public int Run(string modulePath, string? scriptPath, IReadOnlyList<string> scriptArguments, string? scriptText)
    {
        var state = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            // Not supported elsewhere: setting it throws PlatformNotSupportedException on Linux and macOS.
            state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        }

        // Plain text for logs and pipes: no ANSI colour sequences in table headers or errors.
        PSStyle.Instance.OutputRendering = OutputRendering.PlainText;
        using var runspace = RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();

        if (!ImportModule(runspace, modulePath))
        {
            return ExitCodes.ModuleUnavailable;
        }

        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        if (scriptPath is not null)
        {
            var script = new Command(scriptPath, isScript: false);
            ScriptArguments.Bind(script, scriptArguments);
            shell.Commands.AddCommand(script);
        }
        else
        {
            shell.AddScript(scriptText ?? string.Empty);
        }

        // The engine's formatter (and the module's format.ps1xml) turns objects into text, written through the host UI.
        shell.AddCommand("Out-Default");
        shell.Streams.Error.DataAdded += (sender, e) => OnError(shell.Streams.Error[e.Index]);

        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            // The first Ctrl+C stops the pipeline cleanly; a second one ends the process.
            if (Interlocked.Exchange(ref cancelled, 1) == 0)
            {
                e.Cancel = true;
                try
                {
                    shell.BeginStop(null, null);
                }
                catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
                {
                    // Already finished.
                }
            }
        }

        Console.CancelKeyPress += OnCancel;
        var terminated = false;
        try
        {
            shell.Invoke();
        }
        catch (PipelineStoppedException)
        {
            // Stopped by Ctrl+C: reported below.
        }
        catch (RuntimeException ex)
        {
            terminated = true;
            OnError(ex.ErrorRecord);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NotSupportedException or IOException)
        {
            terminated = true;
            WriteError(ex.Message);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
            output.Flush();
        }

        if (Volatile.Read(ref cancelled) == 1)
        {
            WriteError("The run was stopped (Ctrl+C).");
            return ExitCodes.Cancelled;
        }

        var exitCode = ScriptExitCode(runspace);
        if (exitCode != 0)
        {
            return exitCode;
        }

        return terminated || Volatile.Read(ref errorCount) > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    private bool ImportModule(Runspace runspace, string modulePath)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddCommand("Import-Module")
            .AddParameter("Name", modulePath)
            .AddParameter("ErrorAction", ActionPreference.Stop);
        var failed = false;
        shell.Streams.Error.DataAdded += (sender, e) =>
        {
            failed = true;
            OnError(shell.Streams.Error[e.Index], count: false);
        };

        try
        {
            shell.Invoke();
        }
        catch (RuntimeException ex)
        {
            failed = true;
            OnError(ex.ErrorRecord, count: false);
        }

        if (failed)
        {
            WriteError($"Could not import the DataShareAdmin module from {modulePath}.");
        }

        return !failed;
    }

    /// <summary>The script's <c>exit N</c>: passed to the host at top level, left in $LASTEXITCODE by a script file.</summary>
    private int ScriptExitCode(Runspace runspace)
    {
        if (host.ExitCode is { } fromHost && fromHost != 0)
        {
            return fromHost;
        }

        try
        {
            return runspace.SessionStateProxy.GetVariable("LASTEXITCODE") switch
            {
                int code => code,
                PSObject { BaseObject: int code } => code,
                _ => 0,
            };
        }
        catch (PSInvalidOperationException)
        {
            return 0;
        }
    }

    private void OnError(ErrorRecord? record, bool count = true)
    {
        if (record is null)
        {
            return;
        }

        lock (printed)
        {
            if (!printed.Add(record))
            {
                return;
            }
        }

        if (count)
        {
            Interlocked.Increment(ref errorCount);
        }

        WriteError(ErrorFormatter.Format(record));
    }

    private void WriteError(string text)
    {
        output.Flush();
        lock (error)
        {
            error.WriteLine(text);
        }
    }
}
