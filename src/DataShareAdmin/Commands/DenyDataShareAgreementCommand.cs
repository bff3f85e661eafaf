using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Records that the panel refused a request: final, with its day and a public reason; the agreement can never be approved or get data.</summary>
[Cmdlet(VerbsLifecycle.Deny, "DataShareAgreement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareAgreement))]
public sealed class DenyDataShareAgreementCommand : DataShareCmdlet
{
    private const string ByIdSet = "ById";
    private const string ByInputObjectSet = "ByInputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObjectSet)]
    public DataShareAgreement? InputObject { get; set; }

    /// <summary>The public reason for the refusal, as the public register shows it.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = string.Empty;

    /// <summary>The day the panel refused the request; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? RefusedOn { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var id = InputObject?.Id ?? Id;
        Run(id, () =>
        {
            var closed = Engine.Agreements.Refuse(id, Reason, RefusedOn ?? Engine.Calendar.Today, this);
            if (closed is not null && PassThru)
            {
                WriteObject(closed);
            }
        });
    }
}
