using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Records that the applicant withdrew a request before approval: final, with its day and a public reason; the agreement can never be approved or get data.</summary>
[Cmdlet(VerbsCommon.Close, "DataShareAgreement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareAgreement))]
public sealed class CloseDataShareAgreementCommand : DataShareCmdlet
{
    private const string ByIdSet = "ById";
    private const string ByInputObjectSet = "ByInputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObjectSet)]
    public DataShareAgreement? InputObject { get; set; }

    /// <summary>The public reason for the withdrawal, as the public register shows it.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = string.Empty;

    /// <summary>The day the applicant withdrew the request; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? WithdrawnOn { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var id = InputObject?.Id ?? Id;
        Run(id, () =>
        {
            var closed = Engine.Agreements.Withdraw(id, Reason, WithdrawnOn ?? Engine.Calendar.Today, this);
            if (closed is not null && PassThru)
            {
                WriteObject(closed);
            }
        });
    }
}
