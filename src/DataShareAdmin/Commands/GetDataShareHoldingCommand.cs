using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Lists holdings with their due day: by agreement (or all), or by id; destroyed ones only with -IncludeDestroyed.</summary>
[Cmdlet(VerbsCommon.Get, "DataShareHolding", DefaultParameterSetName = ByAgreementSet)]
[OutputType(typeof(DataShareHolding))]
public sealed class GetDataShareHoldingCommand : DataShareCmdlet
{
    private const string ByAgreementSet = "ByAgreement";
    private const string ByIdSet = "ById";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByAgreementSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? AgreementId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(HoldingIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = System.Array.Empty<string>();

    /// <summary>Also list holdings a sweep has verified gone.</summary>
    [Parameter(ParameterSetName = ByAgreementSet)]
    public SwitchParameter IncludeDestroyed { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByIdSet)
        {
            foreach (var id in Id)
            {
                Run(id, () => WriteObject(Engine.Retention.Get(id)));
            }

            return;
        }

        if (AgreementId is not null && !FirstTime(AgreementId))
        {
            return;
        }

        Run(AgreementId, () =>
        {
            foreach (var holding in Engine.Retention.Find(AgreementId, IncludeDestroyed))
            {
                WriteObject(holding);
            }
        });
    }
}
