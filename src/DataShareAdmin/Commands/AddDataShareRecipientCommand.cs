using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <remarks>
/// One parameter set: agreements piped in bind by their AgreementId property. (A second set taking the agreement
/// object by value never binds from the pipeline while this set's mandatory -AgreementId is also pipeline-bound.)
/// </remarks>
[Cmdlet(VerbsCommon.Add, "DataShareRecipient", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareRecipient))]
public sealed class AddDataShareRecipientCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string AgreementId { get; set; } = string.Empty;

    /// <summary>The person's name as on their disclosure certificate.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Email { get; set; } = string.Empty;

    /// <summary>The person's role on this agreement, e.g. Analyst or Principal investigator.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Role { get; set; }

    protected override void ProcessRecord()
    {
        Run(Email, () =>
        {
            var added = Engine.Recipients.Add(AgreementId, Name, Email, Role, this);
            if (added is not null)
            {
                WriteObject(added);
            }
        });
    }
}
