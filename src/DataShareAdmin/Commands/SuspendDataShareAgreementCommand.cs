using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Suspends an approved agreement with a reason: no transfers, and no directory access (Revoke-DataShareAccess removes it), until Resume-DataShareAgreement.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "DataShareAgreement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareAgreement))]
public sealed class SuspendDataShareAgreementCommand : AgreementStateCmdlet
{
    /// <summary>The day it took effect; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? SuspendedOn { get; set; }

    protected override DataShareAgreement? Apply(string id) => Engine.Agreements.Suspend(id, Reason, SuspendedOn, this);
}
