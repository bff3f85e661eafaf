using System.Management.Automation;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.Get, "DataShareRecipient", DefaultParameterSetName = ByAgreementIdSet)]
[OutputType(typeof(DataShareRecipient))]
public sealed class GetDataShareRecipientCommand : DataShareCmdlet
{
    private const string ByAgreementIdSet = "ByAgreementId";
    private const string ByAgreementSet = "ByAgreement";
    private const string ByIdSet = "ById";

    /// <summary>
    /// The agreements whose recipients to list (all when omitted). Bound by property name, so recipients and CSV
    /// rows with an AgreementId column work; agreement objects bind whole to -Agreement instead, so an agreement's
    /// own Id never reaches -Id.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByAgreementIdSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? AgreementId { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByAgreementSet)]
    public DataShareAgreement? Agreement { get; set; }

    /// <summary>Recipient ids (RC-…).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RecipientIdCompleter))]
    public string[]? Id { get; set; }

    /// <summary>Only recipients whose email matches (wildcards allowed).</summary>
    [Parameter(ParameterSetName = ByAgreementIdSet)]
    [Parameter(ParameterSetName = ByAgreementSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PersonEmailCompleter))]
    public string? Email { get; set; }

    /// <summary>Also list people whose part in the agreement has ended.</summary>
    [Parameter(ParameterSetName = ByAgreementIdSet)]
    [Parameter(ParameterSetName = ByAgreementSet)]
    public SwitchParameter IncludeRemoved { get; set; }

    protected override void ProcessRecord()
    {
        if (Id is not null)
        {
            foreach (var id in Id)
            {
                Run(id, () => WriteObject(Engine.Recipients.Get(id)));
            }

            return;
        }

        if (Agreement is not null)
        {
            Run(Agreement.Id, () => WriteRecipients(Agreement.Id));
            return;
        }

        if (AgreementId is null)
        {
            Run(null, () => WriteRecipients(null));
            return;
        }

        foreach (var agreementId in AgreementId)
        {
            Run(agreementId, () => WriteRecipients(agreementId));
        }
    }

    private void WriteRecipients(string? agreementId)
    {
        // Recipients piped in bind their AgreementId: list each agreement once, not once per recipient.
        if (!FirstTime(agreementId ?? "*"))
        {
            return;
        }

        var email = Email is null ? null : WildcardPattern.Get(Email, WildcardOptions.IgnoreCase);
        foreach (var recipient in Engine.Recipients.Find(agreementId, IncludeRemoved))
        {
            if (email is null || email.IsMatch(recipient.Email))
            {
                WriteObject(recipient);
            }
        }
    }
}
