using System;
using System.Collections;
using System.Management.Automation;
using DataShareAdmin.Core.Decisions;

namespace DataShareAdmin.Commands;

/// <summary>
/// Records that the panel refused a request: final, with its day, the tests it did not meet (each with its note) and a
/// public reason; the agreement can never be approved or get data.
/// </summary>
[Cmdlet(VerbsLifecycle.Deny, "DataShareAgreement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareAgreement))]
public sealed class DenyDataShareAgreementCommand : AgreementStateCmdlet
{
    /// <summary>The tests the request did not meet; each needs its note (-Legal, -Ethical, -Proportionate, -Secure).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public PanelTest[] FailedTest { get; set; } = Array.Empty<PanelTest>();

    /// <summary>The panel's note on the legal test (why it failed, or why it was met).</summary>
    [Parameter]
    public string? Legal { get; set; }

    [Parameter]
    public string? Ethical { get; set; }

    [Parameter]
    public string? Proportionate { get; set; }

    [Parameter]
    public string? Secure { get; set; }

    /// <summary>The sharing principles weighed, as for Approve-DataShareAgreement.</summary>
    [Parameter]
    public Hashtable? Principle { get; set; }

    /// <summary>Who refused: the panel (default), or the Chief Statistician (matching and research cases only).</summary>
    [Parameter]
    public DecisionMaker RefusedBy { get; set; } = DecisionMaker.Panel;

    /// <summary>The day the panel refused the request; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? RefusedOn { get; set; }

    protected override DataShareAgreement? Apply(string id)
    {
        var decision = new PanelDecision
        {
            DecidedBy = RefusedBy,
            Tests = PanelDecisions.Tests(Legal, Ethical, Proportionate, Secure, FailedTest),
            Principles = DecisionParameters.Principles(Principle, id),
        };
        return Engine.Agreements.Refuse(id, Reason, RefusedOn ?? Engine.Calendar.Today, decision, this);
    }
}
