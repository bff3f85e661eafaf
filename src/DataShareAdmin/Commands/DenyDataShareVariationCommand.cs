using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Records the panel's refusal of a requested variation; the agreement keeps its terms.</summary>
[Cmdlet(VerbsLifecycle.Deny, "DataShareVariation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareVariation))]
public sealed class DenyDataShareVariationCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VariationIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = string.Empty;

    /// <summary>The day the panel refused it; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? DeniedOn { get; set; }

    protected override void ProcessRecord()
    {
        Run(Id, () =>
        {
            var denied = Engine.Agreements.DenyVariation(Id, Reason, DeniedOn ?? Engine.Calendar.Today, this);
            if (denied is not null)
            {
                WriteObject(denied);
            }
        });
    }
}
