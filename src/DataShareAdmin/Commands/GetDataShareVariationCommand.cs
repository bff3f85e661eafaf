using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Lists variations: by id, of an agreement (or piped agreements), or all; optionally only those in some states.</summary>
[Cmdlet(VerbsCommon.Get, "DataShareVariation", DefaultParameterSetName = ByAgreementSet)]
[OutputType(typeof(DataShareVariation))]
public sealed class GetDataShareVariationCommand : DataShareCmdlet
{
    private const string ByAgreementSet = "ByAgreement";
    private const string ByIdSet = "ById";

    [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(VariationIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = System.Array.Empty<string>();

    [Parameter(Position = 0, ParameterSetName = ByAgreementSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? AgreementId { get; set; }

    [Parameter(ParameterSetName = ByAgreementSet)]
    public VariationState[]? State { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByIdSet)
        {
            foreach (var id in Id)
            {
                Run(id, () => WriteObject(Engine.Agreements.GetVariation(id)));
            }

            return;
        }

        Run(AgreementId, () =>
        {
            foreach (var variation in Engine.Agreements.FindVariations(AgreementId, State))
            {
                WriteObject(variation);
            }
        });
    }
}
