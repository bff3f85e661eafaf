using System.Management.Automation;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.Add, "DataShareRecipient", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareRecipient))]
public sealed class AddDataShareRecipientCommand : DataShareCmdlet
{
    private const string ByIdSet = "ByAgreementId";
    private const string ByAgreementSet = "ByAgreement";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string AgreementId { get; set; } = string.Empty;

    /// <summary>The agreement, from Get-DataShareAgreement.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByAgreementSet)]
    public DataShareAgreement? Agreement { get; set; }

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
        var agreementId = Agreement?.Id ?? AgreementId;
        Run(Email, () =>
        {
            var added = Engine.Recipients.Add(agreementId, Name, Email, Role, this);
            if (added is not null)
            {
                WriteObject(added);
            }
        });
    }
}
