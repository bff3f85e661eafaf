using System;
using System.Collections.Generic;

namespace DataShareAdmin.Core.People;

/// <summary>A person whose last agreement ended longer ago than the PersonReviewAfterDays policy.</summary>
public sealed class PersonReviewItem
{
    public PersonReviewItem(DataSharePerson person, string lastAgreementId, DateTime lastEndsOn, DateTime reviewFrom)
    {
        Person = person;
        LastAgreementId = lastAgreementId;
        LastEndsOn = lastEndsOn;
        ReviewFrom = reviewFrom;
    }

    public DataSharePerson Person { get; }

    /// <summary>The agreement of theirs that ended last.</summary>
    public string LastAgreementId { get; }

    public DateTime LastEndsOn { get; }

    /// <summary>The first day the person's records were due for review: the day after the last end plus the period.</summary>
    public DateTime ReviewFrom { get; }
}

/// <summary>
/// Which people's records are due for review (storage limitation): everyone whose every agreement ended more than
/// <c>days</c> days before <c>today</c>. A person on any agreement not yet ended is never listed. Pure over the register's
/// reads; one (day, agreement) pair is kept per person.
/// </summary>
public static class PersonReview
{
    public static IEnumerable<PersonReviewItem> Due(IDataShareRegister register, DateTime today, long days)
    {
        if (days <= 0)
        {
            yield break;
        }

        var ends = new Dictionary<string, DateTime>(StringComparer.OrdinalIgnoreCase);
        var last = new Dictionary<string, (DateTime EndsOn, string AgreementId)>(StringComparer.OrdinalIgnoreCase);
        foreach (var recipient in register.ListRecipients(null, includeRemoved: true))
        {
            if (!ends.TryGetValue(recipient.AgreementId, out var endsOn))
            {
                endsOn = register.FindAgreement(recipient.AgreementId)?.EndsOn.Date ?? DateTime.MaxValue.Date;
                ends[recipient.AgreementId] = endsOn;
            }

            if (!last.TryGetValue(recipient.PersonId, out var seen) || endsOn > seen.EndsOn)
            {
                last[recipient.PersonId] = (endsOn, recipient.AgreementId);
            }
        }

        foreach (var person in register.ListPeople())
        {
            if (last.TryGetValue(person.Id, out var end) && end.EndsOn < DateTime.MaxValue.Date.AddDays(-days - 1))
            {
                var reviewFrom = end.EndsOn.AddDays(days + 1);
                if (reviewFrom <= today)
                {
                    yield return new PersonReviewItem(person, end.AgreementId, end.EndsOn, reviewFrom);
                }
            }
        }
    }
}
