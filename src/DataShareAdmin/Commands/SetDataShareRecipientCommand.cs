using System;
using System.Management.Automation;
using DataShareAdmin.Core.People;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.Set, "DataShareRecipient", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareRecipient))]
public sealed class SetDataShareRecipientCommand : DataShareCmdlet
{
    private const string ByIdSet = "ById";
    private const string ByInputObjectSet = "ByInputObject";

    /// <summary>The recipient id (RC-…), e.g. from a CSV with an Id column.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RecipientIdCompleter))]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObjectSet)]
    public DataShareRecipient? InputObject { get; set; }

    /// <summary>The person's name (changes it on every agreement the person is on).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The role on this agreement; an empty string clears it.</summary>
    [Parameter]
    public string? Role { get; set; }

    /// <summary>The day the individual declaration for this agreement was signed.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? DeclarationSignedOn { get; set; }

    /// <summary>The day the person completed data-protection and information-security training (belongs to the person).</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? TrainingCompletedOn { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var id = InputObject?.Id ?? Id;
        Run(id, () =>
        {
            var changed = Engine.Recipients.Update(id, new RecipientChanges
            {
                Name = Name,
                Role = Role,
                DeclarationSignedOn = DeclarationSignedOn,
                TrainingCompletedOn = TrainingCompletedOn,
            }, this);
            if (changed is not null && PassThru)
            {
                WriteObject(changed);
            }
        });
    }
}
