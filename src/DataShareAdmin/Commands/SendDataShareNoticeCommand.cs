using System;
using System.Collections.Generic;
using System.Management.Automation;
using DataShareAdmin.Core.DirectoryAccess;

namespace DataShareAdmin.Commands;

/// <summary>
/// Mails notices through Microsoft Graph to the people concerned, copying the agreement's responsible officer:
/// certificates lapsing, agreements ending and security assessments lapsing within -WithinDays, or — for a transfer
/// piped straight from New-DataShareTransfer — its link, with no copy kept in Sent Items. -WhatIf shows who would be
/// mailed without connecting. Microsoft Graph permission: Mail.Send.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "DataShareNotice", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = DueSet)]
[OutputType(typeof(DataShareNotice))]
public sealed class SendDataShareNoticeCommand : DataShareCmdlet
{
    private const string DueSet = "Due";
    private const string TransferSet = "Transfer";

    private IDirectoryClient? client;

    [Parameter(Mandatory = true, Position = 0)]
    public NoticeKind Kind { get; set; }

    /// <summary>How far ahead to look, in days (certificates, agreements and assessments lapsing or ending within it).</summary>
    [Parameter(ParameterSetName = DueSet)]
    [ValidateRange(0, 3650)]
    public int WithinDays { get; set; } = 30;

    /// <summary>Only these agreements (agreements piped in bind here).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = DueSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? AgreementId { get; set; }

    /// <summary>Mail even the notices already mailed within the NoticeRepeatDays policy setting.</summary>
    [Parameter(ParameterSetName = DueSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>A transfer piped straight from New-DataShareTransfer (the only place its link exists).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TransferSet)]
    public DataShareTransfer? Transfer { get; set; }

    private readonly List<string> agreements = new();

    protected override void ProcessRecord()
    {
        if (Transfer is not null)
        {
            Run(Transfer.Id, () =>
            {
                if (Kind != NoticeKind.TransferIssued)
                {
                    throw new DataShareException("NoticeKindInvalid", DataShareErrorCategory.InvalidArgument,
                        $"A piped transfer is mailed with -Kind TransferIssued, not {Kind}.", Kind.ToString());
                }

                var sent = Engine.Directory.SendTransferIssued(Transfer, Client, this);
                if (sent is not null)
                {
                    WriteObject(sent);
                }
            });
            return;
        }

        if (AgreementId is not null)
        {
            foreach (var id in AgreementId)
            {
                // An id that names no agreement is an error, not a quiet "no notices".
                Run(id, () => agreements.Add(Engine.Agreements.Get(id).Id));
            }
        }
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == DueSet)
        {
            Run(Kind.ToString(), () =>
            {
                if (AgreementId is not null && agreements.Count == 0)
                {
                    return;
                }

                foreach (var notice in Engine.Directory.SendDue(Kind, WithinDays, agreements.Count == 0 ? null : agreements, Client, this, Force.IsPresent))
                {
                    if (notice.Problem is not null)
                    {
                        WriteError(ErrorRecords.From(new DataShareException("NoticeNotSent", DataShareErrorCategory.WriteError,
                            $"The {notice.Kind} notice about {notice.Subject} to {string.Join(", ", notice.To)} was not sent: {notice.Problem}", notice.Subject), notice));
                    }

                    WriteObject(notice);
                }
            });
        }

        base.EndProcessing();
    }

    /// <summary>The mail client, made when the first notice is actually sent (so -WhatIf needs no connection).</summary>
    private IDirectoryClient? Client() => client ??= Engine.Directory.Require().Create(DirectoryPermissions.Notice);
}
