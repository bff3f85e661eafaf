using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// What the cmdlets that move an agreement from one state to another with a reason share (Deny-, Close-, Suspend- and
/// Resume-DataShareAgreement): the agreement by id (typed, or bound by AgreementId from a piped object) or piped whole,
/// the reason, and -PassThru. Each names its own day parameter and makes its own engine call.
/// </summary>
public abstract class AgreementStateCmdlet : DataShareCmdlet
{
    protected const string ByIdSet = "ById";
    protected const string ByInputObjectSet = "ByInputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("AgreementId")]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObjectSet)]
    public DataShareAgreement? InputObject { get; set; }

    /// <summary>Why: kept with the record (and, for a refusal or withdrawal, shown by the public register).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var id = InputObject?.Id ?? Id;
        Run(id, () =>
        {
            var changed = Apply(id);
            if (changed is not null && PassThru)
            {
                WriteObject(changed);
            }
        });
    }

    /// <summary>The engine call for agreement <paramref name="id"/>; null when the user declined.</summary>
    protected abstract DataShareAgreement? Apply(string id);
}
