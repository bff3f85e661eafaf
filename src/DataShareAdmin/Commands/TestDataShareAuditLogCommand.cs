using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Verifies the audit log's hash chain and prints its head, to be written down somewhere the register's writers cannot reach.</summary>
[Cmdlet(VerbsDiagnostic.Test, "DataShareAuditLog")]
[OutputType(typeof(AuditLogTestResult))]
public sealed class TestDataShareAuditLogCommand : DataShareCmdlet
{
    /// <summary>A head recorded earlier (<c>sequence:hash</c>); the log must still contain it unchanged.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string? ExpectedHead { get; set; }

    protected override void ProcessRecord() => Run(ExpectedHead, () =>
    {
        var result = Engine.Audit.Test(ExpectedHead, this);
        if (!result.IsIntact)
        {
            WriteWarning($"The audit log is not intact from entry {result.FirstBadSequence}: {result.Problem}");
        }

        WriteObject(result);
    });
}
