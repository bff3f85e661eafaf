using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Approves a requested output release. The approver must not be the requester; the step is audited.</summary>
[Cmdlet(VerbsLifecycle.Approve, "DataShareOutputRelease", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(OutputRelease))]
public sealed class ApproveDataShareOutputReleaseCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ReleaseId")]
    [ArgumentCompleter(typeof(OutputReleaseIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    protected override void ProcessRecord() => Run(Id, () =>
    {
        if (Engine.Outputs.Approve(Id, this) is { } approved)
        {
            WriteObject(approved);
        }
    });
}
