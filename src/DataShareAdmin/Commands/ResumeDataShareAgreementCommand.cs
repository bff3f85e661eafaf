using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Lifts an agreement's suspension, with a reason.</summary>
[Cmdlet(VerbsLifecycle.Resume, "DataShareAgreement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareAgreement))]
public sealed class ResumeDataShareAgreementCommand : AgreementStateCmdlet
{
    /// <summary>The day it took effect; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? ResumedOn { get; set; }

    protected override DataShareAgreement? Apply(string id) => Engine.Agreements.Resume(id, Reason, ResumedOn, this);
}
