using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Records the panel's approval of a variation: its terms become the agreement's next version, in force from the approval day.</summary>
[Cmdlet(VerbsLifecycle.Approve, "DataShareVariation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareVariation))]
public sealed class ApproveDataShareVariationCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VariationIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    /// <summary>The panel's reference for the variation's approval.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The day the panel approved it; today by default. The new terms are in force from that day.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? ApprovedOn { get; set; }

    protected override void ProcessRecord()
    {
        Run(Id, () =>
        {
            var approved = Engine.Agreements.ApproveVariation(Id, Reference, ApprovedOn ?? Engine.Calendar.Today, this);
            if (approved is not null)
            {
                WriteObject(approved);
            }
        });
    }
}
