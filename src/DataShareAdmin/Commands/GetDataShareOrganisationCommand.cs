using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.Get, "DataShareOrganisation", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(DataShareOrganisation))]
public sealed class GetDataShareOrganisationCommand : DataShareCmdlet
{
    private const string ByNameSet = "ByName";
    private const string ByIdSet = "ById";

    private bool organisationIdOnCommandLine;
    private bool agreementIdOnCommandLine;

    /// <summary>Names or wildcard patterns (an id works too); every organisation when omitted. Names piped as text bind here.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = ByNameSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OrganisationCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>
    /// Register ids (OR-…). Bound from piped organisations and agreements by their OrganisationId, and from other
    /// objects by their Id (a spreadsheet row of organisation ids), unless the object has an AgreementId.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(OrganisationIdCompleter))]
    public string[]? OrganisationId { get; set; }

    /// <summary>
    /// The organisations of agreements: bound from piped objects by their AgreementId (recipients, transfers,
    /// holdings, agreements), so <c>Get-DataShareRecipient -Id RC-… | Get-DataShareOrganisation</c> shows the recipient's organisation.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? AgreementId { get; set; }

    /// <summary>The day the security assessment's standing is judged on; today (in the register's time zone) by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? AsOf { get; set; }

    protected override void BeginProcessing()
    {
        organisationIdOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(OrganisationId));
        agreementIdOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(AgreementId));
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByIdSet)
        {
            WriteByIds();
            return;
        }

        if (Name is null)
        {
            Run(null, () => WriteAll(null));
            return;
        }

        foreach (var name in Name)
        {
            Run(name, () =>
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    WriteAll(WildcardPattern.Get(name, WildcardOptions.IgnoreCase).IsMatch);
                    return;
                }

                var organisation = Engine.Organisations.Get(name, AsOf);
                if (!string.Equals(organisation.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    // An id typed into -Name is looked up too, but -Name finds names.
                    WriteVerbose($"'{name}' is the id of {organisation.Name}.");
                }

                // Each organisation once, whether named by its name and its id, or piped in twice.
                if (FirstTime(organisation.Id))
                {
                    WriteObject(organisation);
                }
            });
        }
    }

    /// <summary>
    /// By organisation id, and by agreement. From a piped object its AgreementId wins over an Id bound as the
    /// organisation id (a recipient's Id is a recipient id); typed on the command line, both count.
    /// </summary>
    private void WriteByIds()
    {
        var byAgreement = AgreementId ?? Array.Empty<string>();
        var byId = organisationIdOnCommandLine || agreementIdOnCommandLine || byAgreement.Length == 0
            ? OrganisationId ?? Array.Empty<string>()
            : Array.Empty<string>();
        foreach (var id in byId)
        {
            Run(id, () =>
            {
                // Each organisation once, however many of its agreements or recipients are piped in.
                var organisationId = Ids(id);
                if (FirstTime(organisationId))
                {
                    WriteObject(Engine.Organisations.Get(organisationId, AsOf));
                }
            });
        }

        foreach (var agreementId in byAgreement)
        {
            Run(agreementId, () =>
            {
                var agreement = Engine.Agreements.Get(agreementId);
                var organisationId = agreement.OrganisationId ?? throw new DataShareException("OrganisationNotFound", DataShareErrorCategory.ObjectNotFound,
                    $"Agreement {agreement.Id} names '{agreement.Organisation}', which is not an organisation record in the register: link it with Set-DataShareAgreement -Organisation.", agreement.Id);
                if (FirstTime(organisationId))
                {
                    WriteObject(Engine.Organisations.Get(organisationId, AsOf));
                }
            });
        }
    }

    /// <summary>An id given to -OrganisationId must be one (a name there would be a mistake in the pipeline).</summary>
    private static string Ids(string id) =>
        Core.Ids.Normalise(Core.Ids.OrganisationPrefix, id)
        ?? throw new DataShareException("OrganisationIdInvalid", DataShareErrorCategory.InvalidArgument,
            $"'{id}' is not an organisation id (OR- and ten letters or digits). Use -Name to find an organisation by its name.", id);

    private void WriteAll(Func<string, bool>? filter)
    {
        foreach (var organisation in Engine.Organisations.Find(filter, AsOf))
        {
            WriteObject(organisation);
        }
    }
}
