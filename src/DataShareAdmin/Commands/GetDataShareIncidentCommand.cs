using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Lists incidents, of some agreements or all, oldest discovery first, each with where it stands against the ICO's 72
/// hours (IcoState, IcoOverdue); writes a warning for each reportable incident past 72 hours without a notification.
/// Agreements piped in bind by their AgreementId.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DataShareIncident", DefaultParameterSetName = ByAgreementSet)]
[OutputType(typeof(DataShareIncident))]
public sealed class GetDataShareIncidentCommand : DataShareCmdlet
{
    private const string ByAgreementSet = "ByAgreement";
    private const string ByIdSet = "ById";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByAgreementSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? AgreementId { get; set; }

    /// <summary>Incident ids (IN-…).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(IncidentIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    /// <summary>Only incidents not yet closed.</summary>
    [Parameter(ParameterSetName = ByAgreementSet)]
    public SwitchParameter Open { get; set; }

    protected override void ProcessRecord()
    {
        if (Id is not null)
        {
            foreach (var id in Id)
            {
                Run(id, () => WriteObject(Engine.Incidents.Warned(Engine.Incidents.Get(id), this)));
            }

            return;
        }

        if (AgreementId is null)
        {
            Run(null, () => WriteIncidents(null));
            return;
        }

        foreach (var agreementId in AgreementId)
        {
            if (FirstTime(agreementId))
            {
                Run(agreementId, () => WriteIncidents(agreementId));
            }
        }
    }

    private void WriteIncidents(string? agreementId)
    {
        foreach (var incident in Engine.Incidents.List(agreementId, Open.IsPresent, this))
        {
            WriteObject(incident);
        }
    }
}
