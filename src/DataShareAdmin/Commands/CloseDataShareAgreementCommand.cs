using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Records that the applicant withdrew a request before approval: final, with its day and a public reason; the agreement can never be approved or get data.</summary>
[Cmdlet(VerbsCommon.Close, "DataShareAgreement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareAgreement))]
public sealed class CloseDataShareAgreementCommand : AgreementStateCmdlet
{
    /// <summary>The day the applicant withdrew the request; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? WithdrawnOn { get; set; }

    protected override DataShareAgreement? Apply(string id) => Engine.Agreements.Withdraw(id, Reason, WithdrawnOn ?? Engine.Calendar.Today, this);
}
