using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Rejects a requested output release, or revokes an approved one, with a reason. The release stays in the history;
/// a revoked release no longer counts as released for differencing.
/// </summary>
[Cmdlet(VerbsSecurity.Revoke, "DataShareOutputRelease", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(OutputRelease))]
public sealed class RevokeDataShareOutputReleaseCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("ReleaseId")]
    [ArgumentCompleter(typeof(OutputReleaseIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = string.Empty;

    protected override void ProcessRecord() => Run(Id, () =>
    {
        if (Engine.Outputs.Revoke(Id, Reason, this) is { } revoked)
        {
            WriteObject(revoked);
        }
    });
}
