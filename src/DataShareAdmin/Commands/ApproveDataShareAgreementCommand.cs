using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsLifecycle.Approve, "DataShareAgreement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareAgreement))]
public sealed class ApproveDataShareAgreementCommand : DataShareCmdlet
{
    private const string ByIdSet = "ById";
    private const string ByInputObjectSet = "ByInputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObjectSet)]
    public DataShareAgreement? InputObject { get; set; }

    /// <summary>The approval panel's reference for the decision.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The day the panel approved the share; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? ApprovedOn { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var id = InputObject?.Id ?? Id;
        Run(id, () =>
        {
            var approved = Engine.Agreements.Approve(id, Reference, ApprovedOn ?? Engine.Calendar.Today, this);
            if (approved is not null && PassThru)
            {
                WriteObject(approved);
            }
        });
    }
}
