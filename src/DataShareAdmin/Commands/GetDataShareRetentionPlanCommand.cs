using System;
using System.Management.Automation;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Commands;

/// <summary>
/// The holdings due for deletion on a day (today by default), with why: pure planning from the register, nothing is
/// read from or done to storage. Warns about legal holds past their review day, agreements whose review is overdue or
/// that send data directly without a DPIA, and ended agreements whose destruction the organisation has not confirmed.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DataShareRetentionPlan")]
[OutputType(typeof(RetentionPlanItem))]
public sealed class GetDataShareRetentionPlanCommand : DataShareCmdlet
{
    /// <summary>The day to plan for; a later day shows what will fall due by then.</summary>
    [Parameter(Position = 0)]
    [DateTransformation]
    public DateTime? AsOf { get; set; }

    protected override void EndProcessing()
    {
        Run(AsOf, () =>
        {
            var day = AsOf is null ? (DateTime?)null : ShareCalendar.DateOf(AsOf.Value);
            // A holding that cannot be planned is an error of its own, with its id; every other holding is still listed.
            foreach (var item in Engine.Retention.Plan(day, error => WriteError(ErrorRecords.From(error, error.Target))))
            {
                WriteObject(item);
            }

            foreach (var hold in Engine.Holds.PastReview(day))
            {
                WriteWarning(Core.Retention.RetentionHolds.ReviewWarning(hold));
            }

            foreach (var standing in Engine.Reviews.NeedingAttention(day))
            {
                WriteWarning(Core.Reviews.ReviewService.AttentionWarning(standing));
            }

            foreach (var agreement in Engine.Retention.OverdueConfirmations(day))
            {
                WriteWarning($"Agreement {agreement.Id} ({agreement.Organisation}) ended on {agreement.EndsOn:yyyy-MM-dd}, and its destruction has not been confirmed by the organisation: record it with Confirm-DataShareDestruction.");
            }
        });
        base.EndProcessing();
    }
}
