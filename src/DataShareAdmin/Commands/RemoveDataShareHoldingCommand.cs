using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Withdraws a holding registered by mistake (a mistyped path, the wrong agreement): its state becomes Withdrawn, the
/// reason is audited, and plans and sweeps skip it. Nothing is deleted, in storage or from the register.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "DataShareHolding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DataShareHolding))]
public sealed class RemoveDataShareHoldingCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("HoldingId")]
    [ArgumentCompleter(typeof(HoldingIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    /// <summary>Why the holding is withdrawn; kept in the audit log.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [AllowEmptyString]
    public string Reason { get; set; } = string.Empty;

    protected override void ProcessRecord() => Run(Id, () =>
    {
        var withdrawn = Engine.Retention.Withdraw(Id, Reason, this);
        if (withdrawn is not null)
        {
            WriteObject(withdrawn);
        }
    });
}
