using System.Collections.Generic;
using System.Globalization;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Reports;

/// <summary>The Retention report's people due for review: their records are retention's business as much as the data is.</summary>
public sealed partial class ReportService
{
    /// <summary>
    /// One row per person whose last agreement ended longer ago than PersonReviewAfterDays (none when it is 0), in the
    /// state PersonReview, due from the first day past the period, under the agreement that ended last.
    /// </summary>
    private IEnumerable<object?[]> PersonReviewRows(System.DateTime day, HashSet<string>? only)
    {
        var days = settings.Number(PolicyCatalogue.PersonReviewAfterDays);
        foreach (var item in PersonReview.Due(register, day, days))
        {
            if (only is not null && !only.Contains(item.LastAgreementId))
            {
                continue;
            }

            yield return new object?[]
            {
                null, item.LastAgreementId, "(a person's records in the register)", item.ReviewFrom, "PersonReview", null,
                $"Their last agreement ended on {DateText.FormatDate(item.LastEndsOn)}, more than {days.ToString(CultureInfo.InvariantCulture)} day(s) ago (PersonReviewAfterDays): review whether the register still needs their records. Export-DataSharePersonData -PersonId {item.Person.Id} shows what it holds.",
                null, null, null, null, null, null, null, null, null, null, null, item.Person.Id, null, null,
            };
        }
    }
}
