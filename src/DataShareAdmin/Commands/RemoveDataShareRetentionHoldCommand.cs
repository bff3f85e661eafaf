using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Lifts a holding's hold, with a reason (audited as Holding.HoldLift): the holding is due again on its own day.</summary>
[Cmdlet(VerbsCommon.Remove, "DataShareRetentionHold", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DataShareHolding))]
public sealed class RemoveDataShareRetentionHoldCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(HoldingIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string HoldingId { get; set; } = string.Empty;

    /// <summary>Why the hold is lifted; kept in the audit log.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [AllowEmptyString]
    public string Reason { get; set; } = string.Empty;

    protected override void ProcessRecord() => Run(HoldingId, () =>
    {
        var holding = Engine.Holds.Remove(HoldingId, Reason, this);
        if (holding is not null)
        {
            WriteObject(holding);
        }
    });
}
