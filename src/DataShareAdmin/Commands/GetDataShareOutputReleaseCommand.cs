using System.Linq;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Lists output releases, of one agreement or all, with their files, verdicts, exceptions and approvers.</summary>
[Cmdlet(VerbsCommon.Get, "DataShareOutputRelease", DefaultParameterSetName = ListSet)]
[OutputType(typeof(OutputRelease))]
public sealed class GetDataShareOutputReleaseCommand : DataShareCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("ReleaseId")]
    [ArgumentCompleter(typeof(OutputReleaseIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    [Parameter(ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? AgreementId { get; set; }

    [Parameter(ParameterSetName = ListSet)]
    public OutputReleaseState[]? State { get; set; }

    protected override void ProcessRecord() => Run(ParameterSetName == IdSet ? Id : AgreementId, () =>
    {
        if (ParameterSetName == IdSet)
        {
            WriteObject(Engine.Outputs.Get(Id));
            return;
        }

        foreach (var release in Engine.Outputs.List(AgreementId))
        {
            if (State is null || State.Contains(release.State))
            {
                WriteObject(release);
            }
        }
    });
}
