using System.Collections.Generic;
using System.Management.Automation;
using DataShareAdmin.Core.DirectoryAccess;

namespace DataShareAdmin.Commands;

/// <summary>
/// Finds each recipient's account in the directory by email (guests included, whose user principal name differs from
/// their mail), records its object id on the person, and says clearly when there is no account, more than one, or
/// the account is disabled. Microsoft Graph permission: User.Read.All.
/// </summary>
[Cmdlet(VerbsDiagnostic.Resolve, "DataShareRecipient", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ByAgreementSet)]
[OutputType(typeof(DirectoryResolution))]
public sealed class ResolveDataShareRecipientCommand : RecipientSelectionCmdlet
{
    private IDirectoryClient? client;
    private int count;

    protected override int ProgressActivityId => 0x5A30;

    protected override void ProcessRecord()
    {
        if (InputObject is not null)
        {
            Run(InputObject.Id, () => Resolve(Engine.Recipients.Get(InputObject.Id)));
            return;
        }

        if (RecipientId is not null)
        {
            foreach (var id in RecipientId)
            {
                Run(id, () => Resolve(Engine.Recipients.Get(id)));
            }

            return;
        }

        foreach (var agreementId in AgreementId ?? new string?[] { null })
        {
            if (FirstTime("agreement:" + (agreementId ?? "*")))
            {
                Run(agreementId, () =>
                {
                    foreach (var recipient in new List<DataShareRecipient>(Engine.Recipients.Find(agreementId, includeRemoved: false)))
                    {
                        CancellationToken.ThrowIfCancellationRequested();
                        Resolve(recipient);
                    }
                });
            }
        }
    }

    protected override void EndProcessing()
    {
        if (count > 0)
        {
            WriteProgress("Resolving recipients in the directory", $"{count} resolved", 100, completed: true);
        }

        base.EndProcessing();
    }

    private void Resolve(DataShareRecipient recipient)
    {
        // One lookup per person, however many agreements they are on.
        if (!FirstTime("person:" + recipient.PersonId))
        {
            WriteVerbose($"{recipient.Email} was resolved already in this run.");
            return;
        }

        client ??= Engine.Directory.Require().Create(DirectoryPermissions.Resolve);
        WriteProgress("Resolving recipients in the directory", recipient.Email, -1, completed: false);
        count++;
        var result = Engine.Directory.Resolve(recipient, client, this);
        if (result.Status != DirectoryMatch.Resolved)
        {
            WriteWarning($"{recipient.Email} ({recipient.Id}): {result.Reason}");
        }

        WriteObject(result);
    }
}
