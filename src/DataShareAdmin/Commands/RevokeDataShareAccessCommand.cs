using System.Collections.Generic;
using System.Management.Automation;
using DataShareAdmin.Core.DirectoryAccess;

namespace DataShareAdmin.Commands;

/// <summary>
/// Takes people out of their agreement's access groups (unless another current agreement of theirs uses the same
/// group) and, where policy says so (DirectoryBlockGuestSignIn), blocks sign-in for guests left with no current
/// agreement. One confirmation per change; every change audited. Microsoft Graph permissions: User.Read.All,
/// GroupMember.ReadWrite.All, User.EnableDisableAccount.All.
/// </summary>
[Cmdlet(VerbsSecurity.Revoke, "DataShareAccess", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByAgreementSet)]
[OutputType(typeof(AccessChange))]
public sealed class RevokeDataShareAccessCommand : DataShareCmdlet
{
    private const string ByAgreementSet = "ByAgreement";
    private const string ByInputObjectSet = "ByInputObject";

    private IDirectoryClient? client;

    /// <summary>Everyone on these agreements (removed recipients too) loses the agreements' access.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByAgreementSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] AgreementId { get; set; } = System.Array.Empty<string>();

    /// <summary>These recipients lose their agreement's access.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObjectSet)]
    public DataShareRecipient? InputObject { get; set; }

    protected override void ProcessRecord()
    {
        if (InputObject is not null)
        {
            Run(InputObject.Id, () => Revoke(new[] { Engine.Recipients.Get(InputObject.Id) }));
            return;
        }

        foreach (var agreementId in AgreementId)
        {
            if (FirstTime(agreementId))
            {
                Run(agreementId, () =>
                {
                    var agreement = Engine.Agreements.Get(agreementId);
                    Revoke(new List<DataShareRecipient>(Engine.Recipients.Find(agreement.Id, includeRemoved: true)));
                });
            }
        }
    }

    private void Revoke(IEnumerable<DataShareRecipient> recipients)
    {
        client ??= Engine.Directory.Require().Create(DirectoryPermissions.RevokeAccess);
        foreach (var change in Engine.Directory.Revoke(recipients, client, this))
        {
            if (change.Action == AccessAction.Failed)
            {
                WriteError(ErrorRecords.From(new DataShareException("AccessRevokeFailed", DataShareErrorCategory.WriteError,
                    $"{change.Email} ({change.RecipientId}): {change.Reason}", change.RecipientId), change));
            }
            else if (change.Action == AccessAction.NotResolved)
            {
                WriteWarning($"{change.Email} ({change.RecipientId}): {change.Reason}");
            }

            WriteObject(change);
        }
    }
}
