using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// An agreement's reviews (every agreement's without -AgreementId); with -Schedule, when each agreement's next review
/// is due and whether it is overdue; with -Trigger, what made reviews due early.
/// </summary>
[Cmdlet(VerbsCommon.Get, "DataShareReview", DefaultParameterSetName = ReviewsSet)]
[OutputType(typeof(DataShareReview), ParameterSetName = new[] { ReviewsSet })]
[OutputType(typeof(ReviewStanding), ParameterSetName = new[] { ScheduleSet })]
[OutputType(typeof(ReviewTrigger), ParameterSetName = new[] { TriggerSet })]
public sealed class GetDataShareReviewCommand : DataShareCmdlet
{
    private const string ReviewsSet = "Reviews";
    private const string ScheduleSet = "Schedule";
    private const string TriggerSet = "Trigger";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? AgreementId { get; set; }

    /// <summary>Each agreement's review schedule (next due, why, overdue, DPIA) instead of its reviews.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ScheduleSet)]
    public SwitchParameter Schedule { get; set; }

    /// <summary>With -Schedule, judge the schedule on this day instead of today.</summary>
    [Parameter(ParameterSetName = ScheduleSet)]
    [DateTransformation]
    public System.DateTime? AsOf { get; set; }

    /// <summary>What made reviews due early (variations, incidents, certificates' NEW_INFO) instead of the reviews.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TriggerSet)]
    public SwitchParameter Trigger { get; set; }

    protected override void ProcessRecord()
    {
        if (AgreementId is not null && !FirstTime(AgreementId))
        {
            return;
        }

        Run(AgreementId, () =>
        {
            switch (ParameterSetName)
            {
                case ScheduleSet:
                    var agreements = AgreementId is null ? Engine.Agreements.Find(null, null, AsOf) : new[] { Engine.Agreements.Get(AgreementId, AsOf) };
                    foreach (var agreement in agreements)
                    {
                        WriteObject(Engine.Reviews.Standing(agreement, AsOf));
                    }

                    break;
                case TriggerSet:
                    foreach (var trigger in Engine.Reviews.GetTriggers(AgreementId))
                    {
                        WriteObject(trigger);
                    }

                    break;
                default:
                    foreach (var review in Engine.Reviews.GetReviews(AgreementId))
                    {
                        WriteObject(review);
                    }

                    break;
            }
        });
    }
}
