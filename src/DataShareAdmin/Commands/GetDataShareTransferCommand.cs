using System.Collections.Generic;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Lists transfers (never their links): by id, or by agreement, optionally only active, expired or revoked ones.</summary>
[Cmdlet(VerbsCommon.Get, "DataShareTransfer", DefaultParameterSetName = ByAgreementSet)]
[OutputType(typeof(DataShareTransfer))]
public sealed class GetDataShareTransferCommand : DataShareCmdlet
{
    private const string ByAgreementSet = "ByAgreement";
    private const string ByIdSet = "ById";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByAgreementSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? AgreementId { get; set; }

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

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByIdSet)
        {
            foreach (var id in Id)
            {
                Run(id, () => WriteObject(Engine.Transfers.Get(id)));
            }

            return;
        }

        if (AgreementId is not null && !FirstTime(AgreementId))
        {
            return;
        }

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

        Run(AgreementId, () =>
        {
            foreach (var transfer in Engine.Transfers.Find(AgreementId, statuses))
            {
                WriteObject(transfer);
            }
        });
    }
}
