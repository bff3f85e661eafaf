using System;
using System.Collections;
using System.Management.Automation;
using DataShareAdmin.Core.Decisions;

namespace DataShareAdmin.Commands;

/// <summary>
/// Records the panel's approval as it was made: the four tests (legal, ethical, proportionate, secure) each with a
/// note, the sharing principles weighed, who approved (the panel, or the Chief Statistician for a matching or research
/// case) and the conditions attached.
/// </summary>
[Cmdlet(VerbsLifecycle.Approve, "DataShareAgreement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareAgreement))]
public sealed class ApproveDataShareAgreementCommand : DataShareCmdlet
{
    private const string ByIdSet = "ById";
    private const string ByInputObjectSet = "ByInputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObjectSet)]
    public DataShareAgreement? InputObject { get; set; }

    /// <summary>The approval panel's reference for the decision.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The day the panel approved the share; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? ApprovedOn { get; set; }

    /// <summary>Why the share is legal (the gateway and lawful basis the panel accepted).</summary>
    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    public string Legal { get; set; } = string.Empty;

    /// <summary>Why the share is ethical.</summary>
    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    public string Ethical { get; set; } = string.Empty;

    /// <summary>Why the data asked for is proportionate to the purpose.</summary>
    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    public string Proportionate { get; set; } = string.Empty;

    /// <summary>Why the data will be held securely.</summary>
    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    public string Secure { get; set; } = string.Empty;

    /// <summary>
    /// The sharing principles weighed, as a hashtable: SectorBenefit, SizeableBenefit, ResearchInterest, SecondaryResearch,
    /// each with its note; 'NotApplicable' (or 'NotApplicable: note') where one does not apply, 'NotMet: note' where not met.
    /// </summary>
    [Parameter]
    public Hashtable? Principle { get; set; }

    /// <summary>Who approved: the panel (default), or the Chief Statistician (matching and research cases only).</summary>
    [Parameter]
    public DecisionMaker ApprovedBy { get; set; } = DecisionMaker.Panel;

    /// <summary>Conditions the approval is given on, one sentence each.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Condition { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var id = InputObject?.Id ?? Id;
        Run(id, () =>
        {
            var decision = PanelDecisions.Approval(Legal, Ethical, Proportionate, Secure);
            decision.DecidedBy = ApprovedBy;
            decision.Principles = DecisionParameters.Principles(Principle, id);
            decision.Conditions = Condition ?? Array.Empty<string>();
            var approved = Engine.Agreements.Approve(id, Reference, ApprovedOn ?? Engine.Calendar.Today, decision, this);
            if (approved is not null && PassThru)
            {
                WriteObject(approved);
            }
        });
    }
}

/// <summary>The -Principle hashtable of Approve-/Deny-DataShareAgreement as the engine's principle results.</summary>
internal static class DecisionParameters
{
    public static ReadableList<PrincipleResult> Principles(Hashtable? table, string id)
    {
        var principles = new ReadableList<PrincipleResult>();
        if (table is null)
        {
            return principles;
        }

        foreach (DictionaryEntry entry in table)
        {
            principles.Add(PanelDecisions.Principle(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
                entry.Value is null ? null : Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture), id));
        }

        principles.Sort((a, b) => a.Principle.CompareTo(b.Principle));
        return principles;
    }
}
