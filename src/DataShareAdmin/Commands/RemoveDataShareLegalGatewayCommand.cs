using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Retires a legal gateway from the catalogue, with a reason (audited as LegalGateway.Retire). It is never deleted:
/// agreements that name it keep it, and it is no longer offered by tab completion.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "DataShareLegalGateway", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareLegalGateway))]
public sealed class RemoveDataShareLegalGatewayCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LegalGatewayCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Why the gateway is no longer offered; kept with it and in the audit log.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [AllowEmptyString]
    public string Reason { get; set; } = string.Empty;

    protected override void ProcessRecord() => Run(Name, () =>
    {
        var gateway = Engine.LegalGateways.Retire(Name, Reason, this);
        if (gateway is not null)
        {
            WriteObject(gateway);
        }
    });
}
