using System.Collections.Generic;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Lists transfers (never their links): by id, or by agreement, optionally only active, expired, revoked, destroyed or incomplete ones.</summary>
[Cmdlet(VerbsCommon.Get, "DataShareTransfer", DefaultParameterSetName = ByAgreementSet)]
[OutputType(typeof(DataShareTransfer))]
public sealed class GetDataShareTransferCommand : GetByAgreementCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(TransferIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = System.Array.Empty<string>();

    /// <summary>Only transfers whose link still works.</summary>
    [Parameter(ParameterSetName = ByAgreementSet)]
    public SwitchParameter Active { get; set; }

    /// <summary>Only transfers whose link has run out (not revoked ones).</summary>
    [Parameter(ParameterSetName = ByAgreementSet)]
    public SwitchParameter Expired { get; set; }

    /// <summary>Only transfers whose link was revoked.</summary>
    [Parameter(ParameterSetName = ByAgreementSet)]
    public SwitchParameter Revoked { get; set; }

    /// <summary>Only transfers whose container a retention sweep deleted (and verified gone).</summary>
    [Parameter(ParameterSetName = ByAgreementSet)]
    public SwitchParameter Destroyed { get; set; }

    /// <summary>Only transfers whose upload never finished, so no link was issued.</summary>
    [Parameter(ParameterSetName = ByAgreementSet)]
    public SwitchParameter Incomplete { get; set; }

    protected override IReadOnlyList<string> RequestedIds => Id;

    protected override object GetOne(string id) => Engine.Transfers.Get(id);

    protected override IEnumerable<object> List(string? agreementId)
    {
        var statuses = new List<TransferStatus>();
        if (Active)
        {
            statuses.Add(TransferStatus.Active);
        }

        if (Expired)
        {
            statuses.Add(TransferStatus.Expired);
        }

        if (Revoked)
        {
            statuses.Add(TransferStatus.Revoked);
        }

        if (Destroyed)
        {
            statuses.Add(TransferStatus.Destroyed);
        }

        if (Incomplete)
        {
            statuses.Add(TransferStatus.Incomplete);
        }

        return Engine.Transfers.Find(agreementId, statuses);
    }
}
