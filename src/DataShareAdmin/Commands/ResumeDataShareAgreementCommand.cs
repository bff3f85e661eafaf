using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Lifts an agreement's suspension, with a reason.</summary>
[Cmdlet(VerbsLifecycle.Resume, "DataShareAgreement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareAgreement))]
public sealed class ResumeDataShareAgreementCommand : DataShareCmdlet
{
    private const string ByIdSet = "ById";
    private const string ByInputObjectSet = "ByInputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("AgreementId")]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObjectSet)]
    public DataShareAgreement? InputObject { get; set; }

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = string.Empty;

    /// <summary>The day it took effect; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? ResumedOn { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var id = InputObject?.Id ?? Id;
        Run(id, () =>
        {
            var agreement = Engine.Agreements.Resume(id, Reason, ResumedOn, this);
            if (agreement is not null && PassThru)
            {
                WriteObject(agreement);
            }
        });
    }
}
