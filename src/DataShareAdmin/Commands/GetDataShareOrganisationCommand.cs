using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.Get, "DataShareOrganisation", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(DataShareOrganisation))]
public sealed class GetDataShareOrganisationCommand : DataShareCmdlet
{
    private const string ByNameSet = "ByName";
    private const string ByIdSet = "ById";

    /// <summary>Names or wildcard patterns; every organisation when omitted.</summary>
    [Parameter(Position = 0, ParameterSetName = ByNameSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(OrganisationCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>
    /// Register ids (OR-…). Bound from piped organisations and agreements by their OrganisationId, so
    /// <c>Get-DataShareAgreement DS00752 | Get-DataShareOrganisation</c> shows the agreement's organisation.
    /// </summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ValidateNotNullOrEmpty]
    public string[] OrganisationId { get; set; } = Array.Empty<string>();

    /// <summary>The day the security assessment's standing is judged on; today (in the register's time zone) by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? AsOf { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByIdSet)
        {
            foreach (var id in OrganisationId)
            {
                if (FirstTime(id))
                {
                    Run(id, () => WriteObject(Engine.Organisations.Get(Ids(id), AsOf)));
                }
            }

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

                WriteObject(organisation);
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
