using System;
using System.Management.Automation;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Commands;

/// <summary>
/// Keeps a holding past its due day, with a reason, an approver and a new due day (never open-ended); a legal hold
/// has a review day too. Audited as Holding.Hold; plans show the holding as Held and sweeps leave it until that day.
/// </summary>
[Cmdlet(VerbsCommon.Add, "DataShareRetentionHold", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareRetentionHold))]
public sealed class AddDataShareRetentionHoldCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(HoldingIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string HoldingId { get; set; } = string.Empty;

    /// <summary>Why the holding is kept past its due day.</summary>
    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    public string Reason { get; set; } = string.Empty;

    /// <summary>Who approved the hold (a recorded name).</summary>
    [Parameter(Mandatory = true)]
    [AllowEmptyString]
    public string ApprovedBy { get; set; } = string.Empty;

    /// <summary>The holding's new due day: the first day the sweep deletes it again.</summary>
    [Parameter(Mandatory = true)]
    [DateTransformation]
    public DateTime Until { get; set; }

    /// <summary>A legal hold: needs -ReviewOn.</summary>
    [Parameter]
    public SwitchParameter Legal { get; set; }

    /// <summary>A legal hold's review day, on or before -Until.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? ReviewOn { get; set; }

    protected override void ProcessRecord() => Run(HoldingId, () =>
    {
        var hold = Engine.Holds.Add(new RetentionHoldRequest
        {
            HoldingId = HoldingId,
            Reason = Reason,
            ApprovedBy = ApprovedBy,
            Until = ShareCalendar.DateOf(Until),
            Legal = Legal.IsPresent,
            ReviewOn = ReviewOn is null ? null : ShareCalendar.DateOf(ReviewOn.Value),
        }, this);
        if (hold is not null)
        {
            WriteObject(hold);
        }
    });
}
