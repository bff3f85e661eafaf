using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using DataShareAdmin.Core;

namespace DataShareAdmin.Commands;

/// <summary>
/// What every cmdlet shares: the engine for this invocation (opened on first use, closed at the end), the host
/// bridge the engine talks through, Ctrl+C as a cancellation token, and engine errors turned into ErrorRecords.
/// </summary>
/// <remarks>
/// Engine types appear only in method bodies and private members, never in a cmdlet's public surface, so reflecting over
/// a cmdlet never loads the engine (tests/Pester/Import.Tests.ps1).
/// </remarks>
public abstract class DataShareCmdlet : PSCmdlet, IOperationHost, IDisposable
{
    private readonly CancellationTokenSource cancellation = new();
    private readonly HashSet<string> handled = new(StringComparer.OrdinalIgnoreCase);
    private DataShareEngine? engine;

    public CancellationToken CancellationToken => cancellation.Token;

    /// <summary>The activity id of this cmdlet's progress bar: stable per cmdlet so bars replace each other.</summary>
    protected virtual int ProgressActivityId => 0x5A00;

    internal DataShareEngine Engine => engine ??= OpenEngine();

    /// <summary>True for cmdlets that apply the safe-people test, which gains directory checks when the session is connected.</summary>
    protected virtual bool UsesDirectoryChecks => false;

    bool IOperationHost.ShouldProcess(string target, string action) => ShouldProcess(target, action);

    void IOperationHost.WriteVerbose(string message) => WriteVerbose(message);

    void IOperationHost.WriteWarning(string message) => WriteWarning(message);

    void IOperationHost.WriteProgress(string activity, string status, int percentComplete, bool completed) =>
        WriteProgress(activity, status, percentComplete, completed);

    /// <summary>
    /// True the first time this invocation sees <paramref name="key"/>: objects piped in often repeat the same
    /// agreement or person (one per recipient), and each should be listed or tested once.
    /// </summary>
    protected bool FirstTime(string key) => handled.Add(key);

    /// <summary>This cmdlet's progress bar (stable activity id); <paramref name="completed"/> ends it.</summary>
    protected void WriteProgress(string activity, string status, int percentComplete, bool completed)
    {
        var record = new ProgressRecord(ProgressActivityId, activity, string.IsNullOrEmpty(status) ? activity : status)
        {
            PercentComplete = Math.Max(-1, Math.Min(100, percentComplete)),
            RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        WriteProgress(record);
    }

    protected override void StopProcessing() => cancellation.Cancel();

    protected override void EndProcessing() => CloseEngine();

    public void Dispose()
    {
        CloseEngine();
        cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs one item's work; an engine error becomes a non-terminating error unless nothing can proceed.</summary>
    protected void Run(object? target, Action work)
    {
        try
        {
            work();
        }
        catch (DataShareException ex)
        {
            var record = ErrorRecords.From(ex, target);
            if (ex.IsTerminating)
            {
                ThrowTerminatingError(record);
            }

            WriteError(record);
        }
        catch (OperationCanceledException) when (CancellationToken.IsCancellationRequested)
        {
            // Ctrl+C reached the engine between its own checks: the pipeline is stopping, say nothing more.
            throw new PipelineStoppedException();
        }
    }

    private DataShareEngine OpenEngine()
    {
        try
        {
            var opened = DataShareEngine.Open(SessionSettings.Current().ToEngineOptions());
            if (UsesDirectoryChecks)
            {
                opened.UseDirectoryChecks(CancellationToken);
            }

            return opened;
        }
        catch (DataShareException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, ex.Target));
            throw;
        }
    }

    protected void CloseEngine()
    {
        if (engine is { } open)
        {
            engine = null;
            open.Dispose();
        }
    }
}
