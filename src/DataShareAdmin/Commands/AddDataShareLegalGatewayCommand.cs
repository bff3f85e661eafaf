using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Adds a legal gateway to the register's catalogue (audited as LegalGateway.Add; a name already there, compared without case, is refused).</summary>
[Cmdlet(VerbsCommon.Add, "DataShareLegalGateway", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DataShareLegalGateway))]
public sealed class AddDataShareLegalGatewayCommand : DataShareCmdlet
{
    /// <summary>The gateway as the law is cited, e.g. 'Education Act 1996 section 537A'.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Name { get; set; } = string.Empty;

    protected override void ProcessRecord() => Run(Name, () =>
    {
        var gateway = Engine.LegalGateways.Add(Name, this);
        if (gateway is not null)
        {
            WriteObject(gateway);
        }
    });
}
