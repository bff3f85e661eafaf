using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Agreements;

/// <summary>
/// Suspension with a reason, and the terms' history. A suspended agreement gets no transfers and gives no directory
/// access (its status is Suspended: Revoke-DataShareAccess takes its people out of its groups); Set-DataShareAgreement
/// -Suspended sets the same flag without a reason.
/// </summary>
public sealed partial class AgreementService
{
    /// <summary>Suspends an approved agreement from <paramref name="day"/> (today when null); null when the host declined.</summary>
    public DataShareAgreement? Suspend(string id, string reason, DateTime? day, IOperationHost host) => SetSuspension(id, true, reason, day, host);

    /// <summary>Lifts a suspension; null when the host declined.</summary>
    public DataShareAgreement? Resume(string id, string reason, DateTime? day, IOperationHost host) => SetSuspension(id, false, reason, day, host);

    /// <summary>Each version of the agreement's terms, by number (an agreement approved before versions were kept and never varied: its terms as version 1).</summary>
    public IReadOnlyList<AgreementTermsVersion> History(string id)
    {
        var agreement = register.FindAgreement(AgreementRules.NormaliseId(id)) ?? throw NotFound(AgreementRules.NormaliseId(id));
        var versions = register.ListTermsVersions(agreement.Id).ToList();
        if (versions.Count == 0 && agreement.ApprovedOn is { } approved)
        {
            versions.Add(new AgreementTermsVersion
            {
                AgreementId = agreement.Id,
                Number = 1,
                Terms = AgreementTermsOf.Of(agreement),
                ApprovalReference = agreement.ApprovalReference ?? string.Empty,
                ApprovedOn = approved,
                ApprovedBy = agreement.ApprovedBy ?? string.Empty,
                EffectiveFrom = approved,
                RecordedAt = agreement.ModifiedAt,
                RecordedBy = agreement.ApprovedBy ?? string.Empty,
            });
        }

        return versions;
    }

    /// <summary>
    /// The agreement as it stood on <paramref name="day"/>: the terms then in force laid over it, and its status on that
    /// day. The same object, changed; one that was never varied is returned as it is.
    /// </summary>
    public DataShareAgreement TermsAsOf(DataShareAgreement agreement, DateTime day) =>
        WithStatus(AgreementTermsOf.OnDay(register, agreement, day, calendar.Today), day.Date);

    private DataShareAgreement? SetSuspension(string id, bool suspend, string reason, DateTime? on, IOperationHost host)
    {
        var normalised = AgreementRules.NormaliseId(id);
        var day = on is { } given ? ShareCalendar.DateOf(given) : calendar.Today;
        var verb = suspend ? "suspension" : "resumption";
        var why = (reason ?? string.Empty).Trim();
        if (why.Length == 0)
        {
            throw new DataShareException("AgreementSuspensionReasonMissing", DataShareErrorCategory.InvalidArgument,
                $"A {verb} needs a reason (-Reason), e.g. 'Incident IN-… under investigation.'", normalised);
        }

        TextLimits.Check("Agreement", "Reason", why, TextLimits.Reason, normalised);
        if (day > calendar.Today)
        {
            throw new DataShareException("AgreementSuspensionDateInvalid", DataShareErrorCategory.InvalidArgument,
                $"The {verb} date {DateText.FormatDate(day)} is in the future. Record it on or after the day it happened.", normalised);
        }

        return Conflicts.Retry(first =>
        {
            var agreement = register.FindAgreement(normalised) ?? throw NotFound(normalised);
            RequireOpen(agreement, suspend ? "suspended" : "resumed");
            if (suspend && agreement.ApprovedOn is null)
            {
                throw new DataShareException("AgreementNotApproved", DataShareErrorCategory.InvalidOperation,
                    $"Agreement '{agreement.Id}' is not approved: it gets no data to suspend. Refuse or withdraw a request with Deny-DataShareAgreement or Close-DataShareAgreement.", agreement.Id);
            }

            if (agreement.IsSuspended == suspend)
            {
                throw new DataShareException(suspend ? "AgreementAlreadySuspended" : "AgreementNotSuspended", DataShareErrorCategory.InvalidOperation,
                    suspend ? $"Agreement '{agreement.Id}' is already suspended" + (agreement.SuspendedOn is { } since ? $" (since {DateText.FormatDate(since)}: {agreement.SuspensionReason})." : ".")
                            : $"Agreement '{agreement.Id}' is not suspended; there is nothing to resume.", agreement.Id);
            }

            if (first && !host.ShouldProcess(Describe(agreement), (suspend ? "Suspend" : "Resume") + $" from {DateText.FormatDate(day)}: {why}"))
            {
                return null;
            }

            agreement.IsSuspended = suspend;
            agreement.SuspendedOn = suspend ? day : null;
            agreement.SuspensionReason = suspend ? why : null;
            agreement.ModifiedAt = clock.UtcNow;
            register.UpdateAgreement(agreement, new AuditEvent(suspend ? "Agreement.Suspend" : "Agreement.Resume", "Agreement", agreement.Id, new Dictionary<string, string?>
            {
                ["On"] = DateText.FormatDate(day),
                ["Reason"] = why,
            }));
            host.WriteVerbose($"{(suspend ? "Suspended" : "Resumed")} agreement {agreement.Id}.");
            if (suspend)
            {
                WarnOfLiveLinks(agreement, host);
            }

            return WithStatus(agreement, calendar.Today);
        });
    }
}
