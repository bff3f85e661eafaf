using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Suspends an approved agreement with a reason: no transfers, and no directory access (Revoke-DataShareAccess removes it), until Resume-DataShareAgreement.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "DataShareAgreement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareAgreement))]
public sealed class SuspendDataShareAgreementCommand : DataShareCmdlet
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
    public DateTime? SuspendedOn { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var id = InputObject?.Id ?? Id;
        Run(id, () =>
        {
            var agreement = Engine.Agreements.Suspend(id, Reason, SuspendedOn, this);
            if (agreement is not null && PassThru)
            {
                WriteObject(agreement);
            }
        });
    }
}
