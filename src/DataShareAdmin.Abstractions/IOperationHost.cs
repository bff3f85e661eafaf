using System.Threading;

namespace DataShareAdmin;

/// <summary>
/// What the engine needs from whoever runs it: permission before each side effect, a way to talk, and a way to
/// be stopped. The cmdlets implement it over ShouldProcess, WriteVerbose and WriteProgress; tests use a fake.
/// </summary>
public interface IOperationHost
{
    /// <summary>Asked right before each change; false means skip it (as -WhatIf or a "no" at -Confirm does).</summary>
    bool ShouldProcess(string target, string action);

    void WriteVerbose(string message);

    void WriteWarning(string message);

    /// <summary>Progress of long work; <paramref name="percentComplete"/> of -1 means unknown, and completed ends the bar.</summary>
    void WriteProgress(string activity, string status, int percentComplete, bool completed);

    CancellationToken CancellationToken { get; }
}
