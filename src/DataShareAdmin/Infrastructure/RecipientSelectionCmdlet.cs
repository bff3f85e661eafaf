using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// What cmdlets that act on recipients share (Test-DataShareRecipient, Resolve-DataShareRecipient): recipients piped
/// in, recipient ids, or every active recipient of some agreements (of the whole register when none is given).
/// </summary>
public abstract class RecipientSelectionCmdlet : DataShareCmdlet
{
    protected const string ByAgreementSet = "ByAgreement";
    protected const string ByIdSet = "ById";
    protected const string ByInputObjectSet = "ByInputObject";

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObjectSet)]
    public DataShareRecipient? InputObject { get; set; }

    /// <summary>Recipient ids (RC-…).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RecipientIdCompleter))]
    public string[]? RecipientId { get; set; }

    /// <summary>Every active recipient of these agreements; every active recipient in the register when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByAgreementSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? AgreementId { get; set; }
}
