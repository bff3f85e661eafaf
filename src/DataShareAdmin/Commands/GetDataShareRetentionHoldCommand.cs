using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Lists holds past the due day: of holdings by id, of an agreement's holdings, or of every holding still held.</summary>
[Cmdlet(VerbsCommon.Get, "DataShareRetentionHold", DefaultParameterSetName = ByAgreementSet)]
[OutputType(typeof(DataShareRetentionHold))]
public sealed class GetDataShareRetentionHoldCommand : DataShareCmdlet
{
    private const string ByAgreementSet = "ByAgreement";
    private const string ByHoldingSet = "ByHolding";

    [Parameter(Mandatory = true, ParameterSetName = ByHoldingSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(HoldingIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] HoldingId { get; set; } = System.Array.Empty<string>();

    [Parameter(Position = 0, ParameterSetName = ByAgreementSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? AgreementId { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByHoldingSet)
        {
            foreach (var id in HoldingId)
            {
                Run(id, () => WriteAll(Engine.Holds.List(id, null)));
            }

            return;
        }

        Run(AgreementId, () => WriteAll(Engine.Holds.List(null, AgreementId)));
    }

    private void WriteAll(System.Collections.Generic.IEnumerable<DataShareRetentionHold> holds)
    {
        foreach (var hold in holds)
        {
            if (hold.ReviewOverdue)
            {
                WriteWarning(Core.Retention.RetentionHolds.ReviewWarning(hold));
            }

            WriteObject(hold);
        }
    }
}
