using System.Collections.Generic;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Records a release of checked output files under an active agreement: every file checked again, its SHA-256, the
/// rules, each cell's verdict and, for failing cells, the justification. The files given through the pipeline make one
/// release. Someone other than the requester approves it (Approve-DataShareOutputRelease).
/// </summary>
[Cmdlet(VerbsLifecycle.Request, "DataShareOutputRelease", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(OutputRelease))]
public sealed class RequestDataShareOutputReleaseCommand : OutputTableCmdlet
{
    private readonly List<string> paths = new();

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = System.Array.Empty<string>();

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Purpose { get; set; }

    /// <summary>Why failing cells may be released as they are; recorded as an exception for each.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Justification { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path)
        {
            Run(path, () => paths.Add(FileSystemPath(path)));
        }
    }

    protected override void EndProcessing()
    {
        if (paths.Count > 0)
        {
            Run(AgreementId, () =>
            {
                var release = Engine.Outputs.Request(new Core.Outputs.OutputReleaseRequest
                {
                    AgreementId = AgreementId,
                    Paths = paths,
                    Layout = Layout(),
                    Purpose = Purpose,
                    Justification = Justification,
                }, this);
                if (release is not null)
                {
                    WriteObject(release);
                }
            });
        }

        base.EndProcessing();
    }
}
