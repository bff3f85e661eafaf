using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Withdraws a requested variation (no longer asked for); the agreement keeps its terms.</summary>
[Cmdlet(VerbsCommon.Close, "DataShareVariation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareVariation))]
public sealed class CloseDataShareVariationCommand : VariationDecisionCmdlet
{
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = string.Empty;

    /// <summary>The day it was withdrawn; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? WithdrawnOn { get; set; }

    protected override DataShareVariation? Decide(string id) => Engine.Agreements.WithdrawVariation(id, Reason, WithdrawnOn ?? Engine.Calendar.Today, this);
}
