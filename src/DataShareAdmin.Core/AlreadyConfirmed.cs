using System.Threading;

namespace DataShareAdmin.Core;

/// <summary>
/// Passes everything through to the host but answers yes to ShouldProcess: for a step that is part of a change the
/// user already confirmed (an incident's -Suspend, a review whose outcome suspends), so it is not asked a second time.
/// </summary>
internal sealed class AlreadyConfirmed : IOperationHost
{
    private readonly IOperationHost inner;

    public AlreadyConfirmed(IOperationHost inner) => this.inner = inner;

    public CancellationToken CancellationToken => inner.CancellationToken;

    public bool ShouldProcess(string target, string action) => true;

    public void WriteVerbose(string message) => inner.WriteVerbose(message);

    public void WriteWarning(string message) => inner.WriteWarning(message);

    public void WriteProgress(string activity, string status, int percentComplete, bool completed) => inner.WriteProgress(activity, status, percentComplete, completed);
}
