using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Records the panel's approval of a variation: its terms become the agreement's next version, in force from the approval day.</summary>
[Cmdlet(VerbsLifecycle.Approve, "DataShareVariation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareVariation))]
public sealed class ApproveDataShareVariationCommand : VariationDecisionCmdlet
{
    /// <summary>The panel's reference for the variation's approval.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The day the panel approved it; today by default. The new terms are in force from that day.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? ApprovedOn { get; set; }

    protected override DataShareVariation? Decide(string id) => Engine.Agreements.ApproveVariation(id, Reference, ApprovedOn ?? Engine.Calendar.Today, this);
}
