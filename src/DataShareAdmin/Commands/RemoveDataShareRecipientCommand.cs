using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Ends a person's part in an agreement. The record is kept (marked removed) for the history and the audit trail.</summary>
[Cmdlet(VerbsCommon.Remove, "DataShareRecipient", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareRecipient))]
public sealed class RemoveDataShareRecipientCommand : DataShareCmdlet
{
    private const string ByIdSet = "ById";
    private const string ByInputObjectSet = "ByInputObject";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RecipientIdCompleter))]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObjectSet)]
    public DataShareRecipient? InputObject { get; set; }

    /// <summary>Why the person's part ended (left the project, moved organisation…); recorded in the audit log.</summary>
    [Parameter]
    public string? Reason { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var id = InputObject?.Id ?? Id;
        Run(id, () =>
        {
            var removed = Engine.Recipients.Remove(id, Reason, this);
            if (removed is not null && PassThru)
            {
                WriteObject(removed);
            }
        });
    }
}
