using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Organisations;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Agreements;

/// <summary>
/// Variations: once approved, an agreement's material terms change only by a variation the panel approves with its own
/// reference. Until then the agreement keeps its terms; once approved, the variation's terms become the next numbered
/// version. An extension never revives an agreement whose data has been destroyed.
/// </summary>
public sealed partial class AgreementService
{
    /// <summary>Records a requested variation of an approved agreement's material terms; null when the host declined.</summary>
    public DataShareVariation? RequestVariation(string agreementId, AgreementChanges changes, string reason, IOperationHost host)
    {
        var normalised = AgreementRules.NormaliseId(agreementId);
        var why = (reason ?? string.Empty).Trim();
        if (why.Length == 0)
        {
            throw new DataShareException("VariationReasonMissing", DataShareErrorCategory.InvalidArgument,
                "A variation needs a reason (-Reason), e.g. 'The analysis needs one more year of data.'", normalised);
        }

        TextLimits.Check("Variation", "Reason", why, TextLimits.Reason, normalised);
        var agreement = register.FindAgreement(normalised) ?? throw NotFound(normalised);
        RequireOpen(agreement, "varied");
        if (agreement.ApprovedOn is null)
        {
            throw new DataShareException("VariationAgreementNotApproved", DataShareErrorCategory.InvalidOperation,
                $"Agreement '{agreement.Id}' is not approved yet: change its terms directly with Set-DataShareAgreement; a variation is for approved terms.", agreement.Id);
        }

        var before = AgreementTermsOf.Of(agreement);
        var proposed = Proposed(agreement, changes);
        var differences = AgreementTermsOf.Differences(before, proposed.Terms);
        if (differences.Count == 0)
        {
            throw new DataShareException("VariationNoChange", DataShareErrorCategory.InvalidArgument,
                $"The variation would not change agreement '{agreement.Id}''s terms. Give the new terms, e.g. -EndsOn, -DataItem or -Purpose.", agreement.Id);
        }

        var kind = proposed.Terms.EndsOn > before.EndsOn ? VariationKind.Extension
            : proposed.Terms.EndsOn < before.EndsOn ? VariationKind.Termination : VariationKind.Change;
        if (kind == VariationKind.Extension)
        {
            RefuseExtensionAfterDestruction(agreement);
        }

        var variation = new DataShareVariation
        {
            Id = Ids.NewVariationId(),
            AgreementId = agreement.Id,
            Kind = kind,
            State = VariationState.Requested,
            Reason = why,
            Changes = string.Join("; ", differences),
            Terms = proposed.Terms,
            BasedOnVersion = CurrentTermsVersion(agreement),
            RequestedAt = clock.UtcNow,
            RequestedBy = actor,
        };
        if (!host.ShouldProcess(Describe(agreement), $"Request a variation ({kind}): {variation.Changes}"))
        {
            return null;
        }

        register.InsertVariation(variation, new AuditEvent("Variation.Request", "Agreement", agreement.Id, new Dictionary<string, string?>
        {
            ["VariationId"] = variation.Id,
            ["Kind"] = kind.ToString(),
            ["Changes"] = variation.Changes,
            ["Reason"] = why,
        }));
        host.WriteVerbose($"Requested variation {variation.Id} of agreement {agreement.Id}: {variation.Changes}.");
        return variation;
    }

    /// <summary>
    /// Approves a requested variation: its terms become the agreement's next version, in force from <paramref name="approvedOn"/>.
    /// Holdings' due days follow (they are worked out from the agreement's terms). Null when the host declined.
    /// </summary>
    /// <remarks>Separation of duties (RequireSeparateApprover) belongs here: the variation's RequestedBy against this service's actor.</remarks>
    public DataShareVariation? ApproveVariation(string id, string reference, DateTime approvedOn, IOperationHost host)
    {
        var variationId = NormaliseVariationId(id);
        var day = ShareCalendar.DateOf(approvedOn);
        if (string.IsNullOrWhiteSpace(reference))
        {
            throw new DataShareException("VariationApprovalReferenceMissing", DataShareErrorCategory.InvalidArgument,
                "A variation's approval needs the panel's reference (-Reference, e.g. the DSAP minute that approved it).", variationId);
        }

        TextLimits.Check("Variation", "Reference", reference.Trim(), TextLimits.Reference, variationId);
        if (day > calendar.Today)
        {
            throw new DataShareException("VariationApprovalDateInvalid", DataShareErrorCategory.InvalidArgument,
                $"The approval date {DateText.FormatDate(day)} is in the future. Record an approval on or after the day it was given.", variationId);
        }

        return Conflicts.Retry(first =>
        {
            var variation = FindRequested(variationId, "approved");
            var agreement = register.FindAgreement(variation.AgreementId) ?? throw NotFound(variation.AgreementId);
            var current = CurrentTermsVersion(agreement);
            if (current != variation.BasedOnVersion)
            {
                throw new DataShareException("VariationOutdated", DataShareErrorCategory.InvalidOperation,
                    $"Variation '{variation.Id}' varies version {variation.BasedOnVersion} of agreement '{agreement.Id}''s terms, but version {current} has been approved since. Withdraw it and request the variation again on the terms now in force.", variation.Id);
            }

            if (variation.Terms.EndsOn > agreement.EndsOn)
            {
                RefuseExtensionAfterDestruction(agreement);
            }

            if (agreement.ApprovedOn is { } approved && day < approved.Date)
            {
                throw new DataShareException("VariationApprovalDateInvalid", DataShareErrorCategory.InvalidArgument,
                    $"The approval date {DateText.FormatDate(day)} is before agreement '{agreement.Id}' itself was approved ({DateText.FormatDate(approved)}).", variation.Id);
            }

            var self = separation?.Check(variation.RequestedBy, "Variation", variation.Id) ?? false;
            if (first && !host.ShouldProcess(Describe(agreement), $"Approve variation {variation.Id} ({variation.Changes}) with reference {reference.Trim()} on {DateText.FormatDate(day)}"))
            {
                return null;
            }

            var endedEarlier = variation.Terms.EndsOn < agreement.EndsOn;
            var reviewWorthy = MaterialChanges(agreement, variation.Terms);
            AgreementTermsOf.Apply(variation.Terms, agreement);
            AgreementRules.Validate(agreement);
            agreement.ModifiedAt = clock.UtcNow;
            var version = NewVersion(agreement, current + 1, reference.Trim(), day, variation.Id);
            variation.State = VariationState.Approved;
            variation.DecidedOn = day;
            variation.DecidedBy = actor;
            variation.DecidedAt = clock.UtcNow;
            variation.Reference = reference.Trim();
            variation.TermsVersion = version.Number;
            var details = new Dictionary<string, string?>
            {
                ["VariationId"] = variation.Id,
                ["TermsVersion"] = version.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["ApprovalReference"] = variation.Reference,
                ["ApprovedOn"] = DateText.FormatDate(day),
                ["Changes"] = variation.Changes,
            };
            if (self)
            {
                details["SelfApproved"] = $"approved by the account that requested it ({variation.RequestedBy})";
            }

            register.InsertTermsVersion(agreement, version, variation, new AuditEvent("Variation.Approve", "Agreement", agreement.Id, details));
            host.WriteVerbose($"Approved variation {variation.Id}: agreement {agreement.Id}'s terms are now version {version.Number}.");
            if (endedEarlier)
            {
                WarnOfLiveLinks(agreement, host);
            }

            if (reviewWorthy.Count > 0)
            {
                VariationMakesReviewDue?.Invoke(agreement.Id, variation, reviewWorthy, host);
            }

            return variation;
        });
    }

    /// <summary>
    /// Called after a variation of the route, the data items or the purpose is approved (the changes the ICO names as a
    /// reason to review): the engine makes the agreement's review fall due. Null: nothing is called.
    /// </summary>
    public Action<string, DataShareVariation, IReadOnlyList<string>, IOperationHost>? VariationMakesReviewDue { get; set; }

    /// <summary>The changes among route, data items and purpose, in words, found by the same comparison as the variation's Changes.</summary>
    private static List<string> MaterialChanges(DataShareAgreement before, AgreementTerms after)
    {
        var changed = new HashSet<string>(AgreementTermsOf.Differences(AgreementTermsOf.Of(before), after).Select(d => d.Substring(0, d.IndexOf(':'))), StringComparer.Ordinal);
        return new[] { ("AccessRoute", "route"), ("DataItems", "data items"), ("Purpose", "purpose") }
            .Where(field => changed.Contains(field.Item1)).Select(field => field.Item2).ToList();
    }

    /// <summary>Records the panel's refusal of a requested variation; the agreement keeps its terms. Null when the host declined.</summary>
    public DataShareVariation? DenyVariation(string id, string reason, DateTime deniedOn, IOperationHost host) =>
        CloseVariation(id, VariationState.Denied, reason, deniedOn, host);

    /// <summary>Withdraws a requested variation (the applicant no longer asks for it). Null when the host declined.</summary>
    public DataShareVariation? WithdrawVariation(string id, string reason, DateTime withdrawnOn, IOperationHost host) =>
        CloseVariation(id, VariationState.Withdrawn, reason, withdrawnOn, host);

    /// <summary>One variation, or a VariationNotFound error.</summary>
    public DataShareVariation GetVariation(string id)
    {
        var variationId = NormaliseVariationId(id);
        return register.FindVariation(variationId) ?? throw VariationNotFound(variationId);
    }

    /// <summary>Variations of one agreement (or all), in the order they were requested.</summary>
    public IEnumerable<DataShareVariation> FindVariations(string? agreementId, ICollection<VariationState>? states)
    {
        var normalised = agreementId is null ? null : AgreementRules.NormaliseId(agreementId);
        if (normalised is not null && register.FindAgreement(normalised) is null)
        {
            throw NotFound(normalised);
        }

        return register.ListVariations(normalised).Where(v => states is null || states.Count == 0 || states.Contains(v.State));
    }

    private DataShareVariation? CloseVariation(string id, VariationState outcome, string reason, DateTime on, IOperationHost host)
    {
        var variationId = NormaliseVariationId(id);
        var day = ShareCalendar.DateOf(on);
        var verb = outcome == VariationState.Denied ? "denial" : "withdrawal";
        var why = (reason ?? string.Empty).Trim();
        if (why.Length == 0)
        {
            throw new DataShareException("VariationClosureReasonMissing", DataShareErrorCategory.InvalidArgument,
                $"A variation's {verb} needs a reason (-Reason).", variationId);
        }

        TextLimits.Check("Variation", "Reason", why, TextLimits.Reason, variationId);
        if (day > calendar.Today)
        {
            throw new DataShareException("VariationClosureDateInvalid", DataShareErrorCategory.InvalidArgument,
                $"The {verb} date {DateText.FormatDate(day)} is in the future.", variationId);
        }

        return Conflicts.Retry(first =>
        {
            var variation = FindRequested(variationId, outcome == VariationState.Denied ? "denied" : "withdrawn");
            if (first && !host.ShouldProcess($"Variation {variation.Id} of agreement {variation.AgreementId} ({variation.Changes})", $"Record its {verb}: {why}"))
            {
                return null;
            }

            variation.State = outcome;
            variation.DecidedOn = day;
            variation.DecidedBy = actor;
            variation.DecidedAt = clock.UtcNow;
            variation.DecisionReason = why;
            register.UpdateVariation(variation, new AuditEvent(outcome == VariationState.Denied ? "Variation.Deny" : "Variation.Withdraw", "Agreement", variation.AgreementId,
                new Dictionary<string, string?> { ["VariationId"] = variation.Id, ["Reason"] = why, ["On"] = DateText.FormatDate(day) }));
            host.WriteVerbose($"Recorded the {verb} of variation {variation.Id}.");
            return variation;
        });
    }

    private DataShareVariation FindRequested(string variationId, string what)
    {
        var variation = register.FindVariation(variationId) ?? throw VariationNotFound(variationId);
        if (variation.State != VariationState.Requested)
        {
            throw new DataShareException("VariationNotRequested", DataShareErrorCategory.InvalidOperation,
                $"Variation '{variation.Id}' was already {variation.State.ToString().ToLowerInvariant()} on {DateText.FormatDate(variation.DecidedOn)}; only a requested variation can be {what}.", variation.Id);
        }

        return variation;
    }

    /// <summary>The agreement with only the material changes applied, checked as Set-DataShareAgreement checks them.</summary>
    private (DataShareAgreement Agreement, AgreementTerms Terms) Proposed(DataShareAgreement current, AgreementChanges changes)
    {
        var copy = AgreementTermsOf.Apply(AgreementTermsOf.Of(current), Clone(current));
        Apply(copy, new AgreementChanges
        {
            Organisation = changes.Organisation,
            Purpose = changes.Purpose,
            LegalGateway = changes.LegalGateway,
            LawfulBasis = changes.LawfulBasis,
            AccessRoute = changes.AccessRoute,
            DirectTransferJustification = changes.DirectTransferJustification,
            StartsOn = changes.StartsOn,
            EndsOn = changes.EndsOn,
            RetentionDays = changes.RetentionDays,
            DataItems = changes.DataItems,
        });
        AgreementRules.Validate(copy);
        if (OrganisationRules.MissingJustification(copy) is { } missing)
        {
            throw new DataShareException("AgreementJustificationMissing", DataShareErrorCategory.InvalidOperation,
                missing + " An approved agreement cannot be varied to send data directly without one.", copy.Id);
        }

        return (copy, AgreementTermsOf.Of(copy));
    }

    private static DataShareAgreement Clone(DataShareAgreement a) => new()
    {
        Id = a.Id,
        Title = a.Title,
        Organisation = a.Organisation,
        OrganisationId = a.OrganisationId,
        ApprovedOn = a.ApprovedOn,
        ApprovalReference = a.ApprovalReference,
    };

    /// <summary>An extension never revives an agreement whose data has been destroyed (by a sweep, or confirmed by the organisation).</summary>
    private void RefuseExtensionAfterDestruction(DataShareAgreement agreement)
    {
        var why = agreement.DestroyedOn is { } destroyed ? $"its data was destroyed on {DateText.FormatDate(destroyed)}"
            : register.FindConfirmation(agreement.Id) is { } confirmation ? $"the organisation confirmed on {DateText.FormatDate(confirmation.ConfirmedOn)} that its copies were destroyed"
            : register.ListHoldings(agreement.Id).FirstOrDefault(h => h.State == HoldingState.Destroyed) is { } holding ? $"its holding {holding.Id} has been destroyed"
            : null;
        if (why is not null)
        {
            throw new DataShareException("VariationExtensionAfterDestruction", DataShareErrorCategory.InvalidOperation,
                $"Agreement '{agreement.Id}' cannot be extended: {why}. An extension never revives an agreement whose data has been destroyed; a new share needs a new agreement.", agreement.Id);
        }
    }

    private int CurrentTermsVersion(DataShareAgreement agreement) =>
        register.ListTermsVersions(agreement.Id).Select(v => v.Number).DefaultIfEmpty(agreement.ApprovedOn is null ? 0 : 1).Max();

    private AgreementTermsVersion NewVersion(DataShareAgreement agreement, int number, string reference, DateTime day, string? variationId) => new()
    {
        AgreementId = agreement.Id,
        Number = number,
        Terms = AgreementTermsOf.Of(agreement),
        ApprovalReference = reference,
        ApprovedOn = day,
        ApprovedBy = actor,
        EffectiveFrom = day,
        VariationId = variationId,
        RecordedAt = clock.UtcNow,
        RecordedBy = actor,
    };

    private static string NormaliseVariationId(string? id) =>
        Ids.Normalise(Ids.VariationPrefix, id) ?? throw new DataShareException("VariationIdInvalid", DataShareErrorCategory.InvalidArgument,
            $"'{id}' is not a variation id (VA- and ten letters or digits, as Get-DataShareVariation shows).", id);

    private static DataShareException VariationNotFound(string id) =>
        new("VariationNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no variation '{id}' in the register. Get-DataShareVariation lists them.", id);
}
