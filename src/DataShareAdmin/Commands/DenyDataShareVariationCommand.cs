using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Records the panel's refusal of a requested variation; the agreement keeps its terms.</summary>
[Cmdlet(VerbsLifecycle.Deny, "DataShareVariation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareVariation))]
public sealed class DenyDataShareVariationCommand : VariationDecisionCmdlet
{
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = string.Empty;

    /// <summary>The day the panel refused it; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? DeniedOn { get; set; }

    protected override DataShareVariation? Decide(string id) => Engine.Agreements.DenyVariation(id, Reason, DeniedOn ?? Engine.Calendar.Today, this);
}
