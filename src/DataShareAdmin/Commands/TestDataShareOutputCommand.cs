using System.Linq;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Checks aggregate tables for statistical disclosure under an agreement's output rules, against what the agreement
/// has released: one result per cell, then the file's summary. With -Protect, writes a protected copy to -Destination
/// (never changing the original) and checks the copy.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DataShareOutput", SupportsShouldProcess = true, DefaultParameterSetName = CheckSet)]
[OutputType(typeof(OutputCellResult), typeof(OutputFileSummary))]
public sealed class TestDataShareOutputCommand : OutputTableCmdlet
{
    private const string CheckSet = "Check";
    private const string ProtectSet = "Protect";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = System.Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = ProtectSet)]
    public SwitchParameter Protect { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ProtectSet)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Replace a file already at -Destination.</summary>
    [Parameter(ParameterSetName = ProtectSet)]
    public SwitchParameter Force { get; set; }

    /// <summary>Write only each file's summary, not its cells.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var path in Path)
        {
            Run(path, () =>
            {
                var full = FileSystemPath(path);
                var layout = Layout();
                Core.Outputs.OutputCheck check;
                if (Protect)
                {
                    var destination = FileSystemPath(Destination);
                    if (!ShouldProcess(destination, $"Write a protected copy of {full}"))
                    {
                        return;
                    }

                    check = Engine.Outputs.Protect(AgreementId, full, destination, layout, Force, CancellationToken);
                }
                else
                {
                    check = Engine.Outputs.Check(AgreementId, full, layout, CancellationToken);
                }

                if (!Summary)
                {
                    foreach (var cell in check.Cells)
                    {
                        WriteObject(cell);
                    }
                }

                WriteObject(check.Summary);
            });
        }
    }
}
