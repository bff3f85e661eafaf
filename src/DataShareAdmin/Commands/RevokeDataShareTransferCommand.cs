using System.Management.Automation;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Commands;

/// <summary>
/// Withdraws a transfer's link by deleting its stored access policy (on Azure this can take up to 30 seconds to
/// apply), and records who revoked it and when. The transfer's container then falls due for deletion sooner.
/// </summary>
[Cmdlet(VerbsSecurity.Revoke, "DataShareTransfer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareTransfer))]
public sealed class RevokeDataShareTransferCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("TransferId")]
    [ArgumentCompleter(typeof(TransferIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    protected override void ProcessRecord() => Run(Id, () =>
    {
        var revoked = Engine.Transfers.Revoke(Id, Engine.Storage.ForTransfers(), this);
        if (revoked is not null)
        {
            WriteObject(revoked);
        }
    });
}
