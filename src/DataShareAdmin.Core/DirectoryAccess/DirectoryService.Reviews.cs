using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Reviews;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.DirectoryAccess;

/// <summary>ReviewDue notices: an agreement's review due within the window, or overdue, to its responsible officer.</summary>
public sealed partial class DirectoryService
{
    private IEnumerable<(DataShareNotice, DirectoryMail)> ReviewNotices(List<DataShareAgreement> current, DateTime day, DateTime last)
    {
        foreach (var agreement in current)
        {
            var standing = ReviewService.Judge(register, policy, agreement, day);
            if (standing.NextReviewDue is not { } due || due > last)
            {
                continue;
            }

            var when = DateText.FormatDate(due);
            var notice = new DataShareNotice
            {
                Kind = NoticeKind.ReviewDue,
                AgreementId = agreement.Id,
                Subject = agreement.Id,
                To = Officer(agreement),
                Title = standing.IsOverdue ? $"Agreement {agreement.Id}: review overdue since {when}" : $"Agreement {agreement.Id}: review due on {when}",
                Due = due,
            };
            yield return (notice, Mail(notice,
                $"The review of agreement {agreement.Id} ({agreement.Title}) with {agreement.Organisation} " + (standing.IsOverdue ? $"was due on {when}" : $"is due on {when}") + $".\n\n{standing.DueReason}\n\n" +
                "Record it with Add-DataShareReview (outcome Continue, Vary, Suspend or Terminate). While a review is overdue, no new transfers are issued under the agreement."));
        }
    }
}
