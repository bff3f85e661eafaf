using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Agreements;

/// <summary>
/// Requests that end without approval: refused by the panel, or withdrawn by the applicant. Either is recorded with
/// its day and a public reason, is final, and keeps the agreement from ever being approved or getting data.
/// </summary>
public sealed partial class AgreementService
{
    /// <summary>Records the panel's refusal with its decision (the tests not met, each with its note); null when the host declined.</summary>
    public DataShareAgreement? Refuse(string id, string reason, DateTime refusedOn, PanelDecision decision, IOperationHost host) =>
        Close(id, AgreementStatus.Refused, reason, refusedOn, host, decision);

    /// <summary>Records the applicant's withdrawal; null when the host declined.</summary>
    public DataShareAgreement? Withdraw(string id, string reason, DateTime withdrawnOn, IOperationHost host) =>
        Close(id, AgreementStatus.Withdrawn, reason, withdrawnOn, host, null);

    private DataShareAgreement? Close(string id, AgreementStatus outcome, string reason, DateTime on, IOperationHost host, PanelDecision? decision)
    {
        var normalised = AgreementRules.NormaliseId(id);
        var day = ShareCalendar.DateOf(on);
        var verb = outcome == AgreementStatus.Refused ? "refusal" : "withdrawal";
        var why = (reason ?? string.Empty).Trim();
        if (why.Length == 0)
        {
            throw new DataShareException("AgreementClosureReasonMissing", DataShareErrorCategory.InvalidArgument,
                $"A {verb} needs a reason the public register can show (-Reason), e.g. 'The public benefit did not outweigh the risk of identification.'", normalised);
        }

        TextLimits.Check("Agreement", "Reason", why, TextLimits.Reason, normalised);
        if (day > calendar.Today)
        {
            throw new DataShareException("AgreementClosureDateInvalid", DataShareErrorCategory.InvalidArgument,
                $"The {verb} date {DateText.FormatDate(day)} is in the future. Record a {verb} on or after the day it happened.", normalised);
        }

        return Conflicts.Retry(first =>
        {
            var agreement = register.FindAgreement(normalised) ?? throw NotFound(normalised);
            RequireOpen(agreement, outcome == AgreementStatus.Refused ? "refused" : "withdrawn");
            if (agreement.ApprovedOn is not null)
            {
                throw new DataShareException("AgreementAlreadyApproved", DataShareErrorCategory.InvalidOperation,
                    $"Agreement '{agreement.Id}' was approved on {DateText.FormatDate(agreement.ApprovedOn.Value)} ({agreement.ApprovalReference}): only a request not yet approved can be refused or withdrawn. To stop an approved share, end it early by a variation (Request-DataShareVariation -EndsOn) or suspend it (Suspend-DataShareAgreement).", agreement.Id);
            }

            if (outcome == AgreementStatus.Refused)
            {
                Decisions.PanelDecisions.Check(decision!, DecisionOutcome.Refused, agreement);
            }

            if (first && !host.ShouldProcess(Describe(agreement), $"Record its {verb} on {DateText.FormatDate(day)}: {why}"))
            {
                return null;
            }

            if (outcome == AgreementStatus.Refused)
            {
                agreement.RefusedOn = day;
            }
            else
            {
                agreement.WithdrawnOn = day;
            }

            agreement.ClosureReason = why;
            agreement.ModifiedAt = clock.UtcNow;
            var action = outcome == AgreementStatus.Refused ? "Agreement.Refuse" : "Agreement.Withdraw";
            var details = new Dictionary<string, string?>
            {
                [outcome == AgreementStatus.Refused ? "RefusedOn" : "WithdrawnOn"] = DateText.FormatDate(day),
                ["Reason"] = why,
            };
            if (outcome == AgreementStatus.Refused)
            {
                agreement.Decision = Decided(decision!, DecisionOutcome.Refused, day, null, why);
                Decisions.PanelDecisions.Describe(agreement.Decision, details);
            }

            register.UpdateAgreement(agreement, new AuditEvent(action, "Agreement", agreement.Id, details));
            host.WriteVerbose($"Recorded the {verb} of agreement {agreement.Id}.");
            return WithStatus(agreement, calendar.Today);
        });
    }

    /// <summary>An AgreementClosed error when the request was refused or withdrawn: it can never be <paramref name="what"/> afterwards.</summary>
    private static void RequireOpen(DataShareAgreement agreement, string what)
    {
        var (how, day) = agreement.RefusedOn is { } refused ? ("refused", refused) : agreement.WithdrawnOn is { } withdrawn ? ("withdrawn", withdrawn) : (null, default(DateTime));
        if (how is not null)
        {
            throw new DataShareException("AgreementClosed", DataShareErrorCategory.InvalidOperation,
                $"Agreement '{agreement.Id}' was {how} on {DateText.FormatDate(day)} ({agreement.ClosureReason}); it cannot be {what}. A new request needs a new agreement id.", agreement.Id);
        }
    }
}
