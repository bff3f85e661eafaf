using System;
using System.Management.Automation;
using DataShareAdmin.Core.Reviews;

namespace DataShareAdmin.Commands;

/// <summary>
/// Records a periodic (or early) review of an agreement; the next review falls due from it. Suspend suspends the
/// agreement; Vary and Terminate warn that a variation must now be requested.
/// </summary>
[Cmdlet(VerbsCommon.Add, "DataShareReview", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareReview))]
public sealed class AddDataShareReviewCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string AgreementId { get; set; } = string.Empty;

    /// <summary>The day of the review; today when omitted. Not before approval, not in the future.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [DateTransformation]
    public DateTime? ReviewedOn { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Reviewer { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public ReviewOutcome Outcome { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Notes { get; set; }

    protected override void ProcessRecord() => Run(AgreementId, () =>
    {
        var review = Engine.Reviews.Add(new ReviewDraft
        {
            AgreementId = AgreementId,
            ReviewedOn = ReviewedOn,
            Reviewer = Reviewer,
            Outcome = Outcome,
            Notes = Notes,
        }, this);
        if (review is not null)
        {
            WriteObject(review);
        }
    });
}
