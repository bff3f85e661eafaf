using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DataShareAdmin.Core.Organisations;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Agreements;

/// <summary>The fields Set-DataShareAgreement may change; null means "leave as it is".</summary>
public sealed class AgreementChanges
{
    /// <summary>The organisation's register id or name; it must already be in the register.</summary>
    public string? Organisation { get; set; }

    /// <summary>Why data goes directly rather than through the secure research service; empty text clears it.</summary>
    public string? DirectTransferJustification { get; set; }

    /// <summary>The directory groups (object ids) that give access; an empty list clears them.</summary>
    public IReadOnlyList<string>? AccessGroupIds { get; set; }

    /// <summary>The responsible officer's name; empty text clears it.</summary>
    public string? OfficerName { get; set; }

    /// <summary>The responsible officer's email; empty text clears it.</summary>
    public string? OfficerEmail { get; set; }

    public string? Title { get; set; }

    public string? Purpose { get; set; }

    public string? LegalGateway { get; set; }

    public string? LawfulBasis { get; set; }

    public AccessRoute? AccessRoute { get; set; }

    public DateTime? StartsOn { get; set; }

    public DateTime? EndsOn { get; set; }

    public int? RetentionDays { get; set; }

    public IReadOnlyList<DataItem>? DataItems { get; set; }

    public bool? IsSuspended { get; set; }

    public AgreementCategory? Category { get; set; }

    /// <summary>Empty text clears this and the other public texts below.</summary>
    public string? FunderOrCommissioner { get; set; }

    public string? LaySummary { get; set; }

    public string? PublicBenefit { get; set; }

    public ShareFrequency? Frequency { get; set; }

    public string? FrequencyPeriod { get; set; }

    /// <summary>An empty list clears this and the other lists below.</summary>
    public IReadOnlyList<string>? Datasets { get; set; }

    public string? YearsCovered { get; set; }

    public long? RecordsShared { get; set; }

    public bool? OnwardSharing { get; set; }

    public string? OnwardSharingNote { get; set; }

    public IReadOnlyList<string>? Approvals { get; set; }

    public string? SrsProjectId { get; set; }

    public IReadOnlyList<string>? OutputLinks { get; set; }

    /// <summary>Months between this agreement's reviews; 0 returns it to the ReviewIntervalMonths policy setting.</summary>
    public int? ReviewIntervalMonths { get; set; }
}

/// <summary>Creates, finds, changes and approves agreements; every change audited.</summary>
public sealed partial class AgreementService
{
    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly string actor;
    private readonly OrganisationService organisations;
    private readonly Decisions.LegalGatewayService? gateways;
    private readonly Decisions.SeparationOfDuties? separation;

    public AgreementService(IDataShareRegister register, ShareCalendar calendar, IClock clock, string actor, OrganisationService organisations,
        Decisions.LegalGatewayService? gateways = null, Decisions.SeparationOfDuties? separation = null)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.actor = actor;
        this.organisations = organisations;
        this.gateways = gateways;
        this.separation = separation;
    }

    /// <summary>
    /// Creates an agreement from the user's draft (its id, organisation (id or name, already in the register), text,
    /// route, dates, retention and data items; the rest is set here). Returns null when the host declined (-WhatIf,
    /// or "no" at -Confirm).
    /// </summary>
    public DataShareAgreement? Create(DataShareAgreement request, IOperationHost host)
    {
        var now = clock.UtcNow;
        var id = AgreementRules.NormaliseId(request.Id);
        if (string.IsNullOrWhiteSpace(request.OrganisationId) && string.IsNullOrWhiteSpace(request.Organisation))
        {
            throw new DataShareException("AgreementFieldMissing", DataShareErrorCategory.InvalidArgument,
                $"Agreement '{id}' needs an organisation: the id or name of one in the register (New-DataShareOrganisation adds one).", "Organisation");
        }

        var organisation = organisations.Resolve(string.IsNullOrWhiteSpace(request.OrganisationId) ? request.Organisation : request.OrganisationId);
        var agreement = new DataShareAgreement
        {
            Id = id,
            Organisation = organisation.Name,
            OrganisationId = organisation.Id,
            Title = Clean(request.Title),
            Purpose = Clean(request.Purpose),
            LegalGateway = Clean(request.LegalGateway),
            LawfulBasis = Clean(request.LawfulBasis),
            AccessRoute = request.AccessRoute,
            DirectTransferJustification = Optional(request.DirectTransferJustification) is { Length: > 0 } reason ? reason : null,
            AccessGroupIds = AgreementRules.NormaliseGroups(request.AccessGroupIds, id),
            OfficerName = Optional(request.OfficerName) is { Length: > 0 } officer ? officer : null,
            OfficerEmail = AgreementRules.NormaliseOfficerEmail(request.OfficerEmail, id),
            StartsOn = ShareCalendar.DateOf(request.StartsOn),
            EndsOn = ShareCalendar.DateOf(request.EndsOn),
            RetentionDays = request.RetentionDays,
            DataItems = Copy(request.DataItems),
            Category = request.Category,
            FunderOrCommissioner = request.FunderOrCommissioner,
            LaySummary = request.LaySummary,
            PublicBenefit = request.PublicBenefit,
            Frequency = request.Frequency,
            FrequencyPeriod = request.FrequencyPeriod,
            Datasets = request.Datasets,
            YearsCovered = request.YearsCovered,
            RecordsShared = request.RecordsShared,
            OnwardSharing = request.OnwardSharing,
            OnwardSharingNote = request.OnwardSharingNote,
            Approvals = request.Approvals,
            SrsProjectId = request.SrsProjectId,
            OutputLinks = request.OutputLinks,
            CreatedAt = now,
            CreatedBy = actor,
            ModifiedAt = now,
        };
        AgreementRules.Validate(agreement);
        AgreementPublication.Normalise(agreement);
        agreement.LegalGateway = CataloguedGateway(agreement.LegalGateway);

        if (register.FindAgreement(agreement.Id) is not null)
        {
            throw new DataShareException("AgreementExists", DataShareErrorCategory.ResourceExists,
                $"An agreement with id '{agreement.Id}' already exists. Use Set-DataShareAgreement to change it.", agreement.Id);
        }

        if (!host.ShouldProcess(Describe(agreement), "Create data sharing agreement"))
        {
            return null;
        }

        register.InsertAgreement(agreement, new AuditEvent("Agreement.Create", "Agreement", agreement.Id, Snapshot(agreement)));
        host.WriteVerbose($"Created agreement {agreement.Id} ({agreement.Organisation}).");
        WarnOfFreeTextGateway(agreement, host);
        return WithStatus(agreement, calendar.Today);
    }

    /// <summary>The agreement, or an AgreementNotFound error.</summary>
    public DataShareAgreement Get(string id, DateTime? asOf = null)
    {
        var normalised = AgreementRules.NormaliseId(id);
        var agreement = register.FindAgreement(normalised)
            ?? throw NotFound(normalised);
        return asOf is { } day ? TermsAsOf(agreement, day) : WithStatus(agreement, calendar.Today);
    }

    /// <summary>Agreements whose id passes <paramref name="idFilter"/> and whose status on <paramref name="asOf"/> is one of <paramref name="statuses"/>.</summary>
    public IEnumerable<DataShareAgreement> Find(Func<string, bool>? idFilter, ICollection<AgreementStatus>? statuses, DateTime? asOf = null)
    {
        var day = asOf?.Date ?? calendar.Today;
        foreach (var agreement in register.ListAgreements())
        {
            if (idFilter is not null && !idFilter(agreement.Id))
            {
                continue;
            }

            TermsAsOf(agreement, day);
            if (statuses is null || statuses.Count == 0 || statuses.Contains(agreement.Status))
            {
                yield return agreement;
            }
        }
    }

    /// <summary>Applies the changes; returns null when the host declined. Nothing is written when nothing changes.</summary>
    public DataShareAgreement? Update(string id, AgreementChanges changes, IOperationHost host)
    {
        var normalised = AgreementRules.NormaliseId(id);
        if (changes.LegalGateway is { } gateway)
        {
            changes.LegalGateway = CataloguedGateway(gateway.Trim());
        }

        return Conflicts.Retry(first =>
        {
            var agreement = register.FindAgreement(normalised) ?? throw NotFound(normalised);
            var details = Apply(agreement, changes);
            AgreementPublication.Apply(agreement, changes, details);
            AgreementRules.Validate(agreement);
            AgreementPublication.Validate(agreement);

            // An approved agreement may not be moved to DirectTransfer, or lose its reason for it, without one. One
            // approved before reasons were recorded keeps its status (it gets no transfers) and can still be changed.
            if (agreement.ApprovedOn is not null && (details.ContainsKey("AccessRoute") || details.ContainsKey("DirectTransferJustification"))
                && OrganisationRules.MissingJustification(agreement) is { } missing)
            {
                throw new DataShareException("AgreementJustificationMissing", DataShareErrorCategory.InvalidOperation,
                    missing + " An approved agreement cannot be left sending data directly without one.", agreement.Id);
            }

            // Once approved, the material terms change only by a variation (Request-DataShareVariation).
            if (agreement.ApprovedOn is not null && details.Keys.Where(AgreementTermsOf.MaterialFields.Contains).ToList() is { Count: > 0 } material)
            {
                throw new DataShareException("AgreementTermsNeedVariation", DataShareErrorCategory.InvalidOperation,
                    $"Agreement '{agreement.Id}' is approved: {string.Join(", ", material)} can change only by a variation the panel approves. Use Request-DataShareVariation -AgreementId {agreement.Id} -Reason '…' with the new terms, then Approve-DataShareVariation.", agreement.Id);
            }

            if (details.Count == 0)
            {
                host.WriteVerbose($"Agreement {agreement.Id} already has those values; nothing to change.");
                return WithStatus(agreement, calendar.Today);
            }

            if (first && !host.ShouldProcess(Describe(agreement), "Change " + string.Join(", ", details.Keys)))
            {
                return null;
            }

            agreement.ModifiedAt = clock.UtcNow;
            register.UpdateAgreement(agreement, new AuditEvent(details.ContainsKey("IsSuspended") ? "Agreement.Suspension" : "Agreement.Update", "Agreement", agreement.Id, details));
            host.WriteVerbose($"Changed agreement {agreement.Id}: {string.Join(", ", details.Keys)}.");
            if (details.ContainsKey("LegalGateway"))
            {
                WarnOfFreeTextGateway(agreement, host);
            }

            if (details.ContainsKey("EndsOn") || (details.ContainsKey("IsSuspended") && agreement.IsSuspended))
            {
                WarnOfLiveLinks(agreement, host);
            }

            return WithStatus(agreement, calendar.Today);
        });
    }

    /// <summary>
    /// Records the panel's approval with its decision (the four tests met, each with a note; the principles weighed;
    /// who decided; conditions). Approving twice is an error; an approval date in the future too; so is an approval by
    /// the agreement's creator when the policy requires a separate approver.
    /// </summary>
    public DataShareAgreement? Approve(string id, string reference, DateTime approvedOn, PanelDecision decision, IOperationHost host)
    {
        var normalised = AgreementRules.NormaliseId(id);
        var day = ShareCalendar.DateOf(approvedOn);
        if (string.IsNullOrWhiteSpace(reference))
        {
            throw new DataShareException("AgreementApprovalReferenceMissing", DataShareErrorCategory.InvalidArgument,
                "An approval needs the panel's reference (for example the DSAP minute or decision number).", normalised);
        }

        TextLimits.Check("Agreement", "Reference", reference.Trim(), TextLimits.Reference, normalised);

        if (day > calendar.Today)
        {
            throw new DataShareException("AgreementApprovalDateInvalid", DataShareErrorCategory.InvalidArgument,
                $"The approval date {DateText.FormatDate(day)} is in the future. Record an approval on or after the day it was given.", normalised);
        }

        return Conflicts.Retry(first =>
        {
            var agreement = register.FindAgreement(normalised) ?? throw NotFound(normalised);
            RequireOpen(agreement, "approved");
            if (agreement.ApprovedOn is not null)
            {
                throw new DataShareException("AgreementAlreadyApproved", DataShareErrorCategory.InvalidOperation,
                    $"Agreement '{agreement.Id}' was already approved on {DateText.FormatDate(agreement.ApprovedOn.Value)} ({agreement.ApprovalReference}).", agreement.Id);
            }

            if (OrganisationRules.MissingJustification(agreement) is { } missing)
            {
                throw new DataShareException("AgreementJustificationMissing", DataShareErrorCategory.InvalidOperation,
                    missing + " It cannot be approved until it has one.", agreement.Id);
            }

            Decisions.PanelDecisions.Check(decision, DecisionOutcome.Approved, agreement);
            var self = separation?.Check(agreement.CreatedBy, "Agreement", agreement.Id) ?? false;
            if (first && !host.ShouldProcess(Describe(agreement), $"Approve with reference {reference.Trim()} on {DateText.FormatDate(day)} ({decision.DecidedBy}: legal, ethical, proportionate, secure)"))
            {
                return null;
            }

            agreement.ApprovalReference = reference.Trim();
            agreement.ApprovedOn = day;
            agreement.ApprovedBy = actor;
            agreement.ModifiedAt = clock.UtcNow;
            agreement.Decision = Decided(decision, DecisionOutcome.Approved, day, agreement.ApprovalReference, null);
            var details = new Dictionary<string, string?>
            {
                ["ApprovalReference"] = agreement.ApprovalReference,
                ["ApprovedOn"] = DateText.FormatDate(day),
                ["TermsVersion"] = "1",
            };
            Decisions.PanelDecisions.Describe(agreement.Decision, details);
            if (self)
            {
                details["SelfApproved"] = $"approved by the account that created it ({agreement.CreatedBy})";
            }

            register.InsertTermsVersion(agreement, NewVersion(agreement, 1, agreement.ApprovalReference, day, null), null, new AuditEvent("Agreement.Approve", "Agreement", agreement.Id, details));
            host.WriteVerbose($"Approved agreement {agreement.Id} ({agreement.ApprovalReference}).");
            if (self)
            {
                // Flagged in reports and the audit entry, not warned of: on a one-officer register every approval is one.
                host.WriteVerbose($"Agreement {agreement.Id} was approved by the account that created it ({actor}); reports flag it. Set-DataSharePolicy RequireSeparateApprover true refuses this.");
            }

            return WithStatus(agreement, calendar.Today);
        });
    }

    /// <summary>
    /// Once an agreement ends earlier (or is suspended), a link issued under it may still work past its new last day:
    /// each such link is named with the exact way to withdraw it. Not revoked here: that needs the storage account,
    /// and a link may rightly be needed until a new end that is still ahead.
    /// </summary>
    private void WarnOfLiveLinks(DataShareAgreement agreement, IOperationHost host)
    {
        var today = calendar.Today;
        var lastDay = agreement.IsSuspended ? today.AddDays(-1) : agreement.EndsOn;
        var transfers = register.ListTransfers(agreement.Id).ToList();
        if (transfers.Count == 0)
        {
            return;
        }

        var destroyed = Transfers.TransferService.DestroyedHoldings(register, agreement.Id);
        foreach (var transfer in Transfers.TransferRules.LinksOutlasting(transfers, destroyed, lastDay, clock.UtcNow, calendar.DayOf))
        {
            var holding = register.FindHolding(transfer.HoldingId);
            var due = holding is null ? Transfers.TransferRules.AgreementDueOn(agreement) : Retention.RetentionRules.DueOn(holding, agreement);
            host.WriteWarning(Transfers.TransferRules.OutlastingLinkWarning(transfer, agreement, today, due));
        }
    }

    public static DataShareAgreement WithStatus(DataShareAgreement agreement, DateTime asOf)
    {
        agreement.StatusAsOf = asOf.Date;
        agreement.Status = AgreementRules.StatusOn(agreement, asOf);
        return agreement;
    }

    internal static DataShareException NotFound(string id) =>
        new("AgreementNotFound", DataShareErrorCategory.ObjectNotFound,
            $"There is no agreement '{id}' in the register. Get-DataShareAgreement lists the agreements there are.", id);

    private static string Describe(DataShareAgreement agreement) => $"Agreement {agreement.Id} ({agreement.Organisation}: {agreement.Title})";

    private Dictionary<string, string?> Apply(DataShareAgreement agreement, AgreementChanges changes)
    {
        var details = new Dictionary<string, string?>(StringComparer.Ordinal);

        void Set<T>(string name, T? value, Func<T> current, Action<T> assign, Func<T, string> show)
        {
            if (value is null || EqualityComparer<T>.Default.Equals(value, current()))
            {
                return;
            }

            details[name] = show(current()) + " -> " + show(value);
            assign(value);
        }

        if (changes.Organisation is not null)
        {
            var organisation = organisations.Resolve(changes.Organisation);
            if (!string.Equals(organisation.Id, agreement.OrganisationId, StringComparison.Ordinal))
            {
                details["Organisation"] = agreement.Organisation + " -> " + organisation.Name + " (" + organisation.Id + ")";
                agreement.Organisation = organisation.Name;
                agreement.OrganisationId = organisation.Id;
            }
        }

        if (changes.DirectTransferJustification is not null)
        {
            var reason = Clean(changes.DirectTransferJustification);
            var stored = reason.Length == 0 ? null : reason;
            if (!string.Equals(stored, agreement.DirectTransferJustification, StringComparison.Ordinal))
            {
                details["DirectTransferJustification"] = (agreement.DirectTransferJustification ?? "(none)") + " -> " + (stored ?? "(none)");
                agreement.DirectTransferJustification = stored;
            }
        }

        Set(nameof(changes.Title), Optional(changes.Title), () => agreement.Title, v => agreement.Title = v, v => v);
        Set(nameof(changes.Purpose), Optional(changes.Purpose), () => agreement.Purpose, v => agreement.Purpose = v, v => v);
        Set(nameof(changes.LegalGateway), Optional(changes.LegalGateway), () => agreement.LegalGateway, v => agreement.LegalGateway = v, v => v);
        Set(nameof(changes.LawfulBasis), Optional(changes.LawfulBasis), () => agreement.LawfulBasis, v => agreement.LawfulBasis = v, v => v);
        if (changes.AccessRoute is { } route && route != agreement.AccessRoute)
        {
            details["AccessRoute"] = agreement.AccessRoute + " -> " + route;
            agreement.AccessRoute = route;
        }

        if (changes.StartsOn is { } starts && ShareCalendar.DateOf(starts) != agreement.StartsOn)
        {
            details["StartsOn"] = DateText.FormatDate(agreement.StartsOn) + " -> " + DateText.FormatDate(ShareCalendar.DateOf(starts));
            agreement.StartsOn = ShareCalendar.DateOf(starts);
        }

        if (changes.EndsOn is { } ends && ShareCalendar.DateOf(ends) != agreement.EndsOn)
        {
            details["EndsOn"] = DateText.FormatDate(agreement.EndsOn) + " -> " + DateText.FormatDate(ShareCalendar.DateOf(ends));
            agreement.EndsOn = ShareCalendar.DateOf(ends);
        }

        if (changes.RetentionDays is { } retention && retention != agreement.RetentionDays)
        {
            details["RetentionDays"] = agreement.RetentionDays.ToString(CultureInfo.InvariantCulture) + " -> " + retention.ToString(CultureInfo.InvariantCulture);
            agreement.RetentionDays = retention;
        }

        if (changes.DataItems is not null)
        {
            var items = Copy(changes.DataItems);
            AgreementRules.ValidateDataItems(items, agreement.Id);
            var before = string.Join("; ", (IEnumerable<DataItem>)agreement.DataItems);
            var after = string.Join("; ", (IEnumerable<DataItem>)items);
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                details["DataItems"] = before + " -> " + after;
                agreement.DataItems = items;
            }
        }

        if (changes.AccessGroupIds is not null)
        {
            var groups = AgreementRules.NormaliseGroups(changes.AccessGroupIds, agreement.Id);
            if (!groups.SequenceEqual(agreement.AccessGroupIds, StringComparer.OrdinalIgnoreCase))
            {
                details["AccessGroupIds"] = Listed(agreement.AccessGroupIds) + " -> " + Listed(groups);
                agreement.AccessGroupIds = groups;
            }
        }

        if (changes.OfficerName is not null && (Clean(changes.OfficerName) is var officer) && officer != (agreement.OfficerName ?? string.Empty))
        {
            details["OfficerName"] = (agreement.OfficerName ?? "(none)") + " -> " + (officer.Length == 0 ? "(none)" : officer);
            agreement.OfficerName = officer.Length == 0 ? null : officer;
        }

        if (changes.OfficerEmail is not null && AgreementRules.NormaliseOfficerEmail(changes.OfficerEmail, agreement.Id) is var email && email != agreement.OfficerEmail)
        {
            details["OfficerEmail"] = (agreement.OfficerEmail ?? "(none)") + " -> " + (email ?? "(none)");
            agreement.OfficerEmail = email;
        }

        if (changes.ReviewIntervalMonths is { } months && (months == 0 ? null : (int?)months) is var interval && interval != agreement.ReviewIntervalMonths)
        {
            if (months is < 0 or > 60)
            {
                throw new DataShareException("AgreementReviewIntervalInvalid", DataShareErrorCategory.InvalidArgument,
                    $"A review interval is 1 to 60 months (or 0 to follow the ReviewIntervalMonths policy setting), not {months}.", agreement.Id);
            }

            details["ReviewIntervalMonths"] = (agreement.ReviewIntervalMonths?.ToString(CultureInfo.InvariantCulture) ?? "(policy)") + " -> " + (interval?.ToString(CultureInfo.InvariantCulture) ?? "(policy)");
            agreement.ReviewIntervalMonths = interval;
        }

        if (changes.IsSuspended is { } suspended && suspended != agreement.IsSuspended)
        {
            details["IsSuspended"] = agreement.IsSuspended + " -> " + suspended;
            agreement.IsSuspended = suspended;
            agreement.SuspendedOn = suspended ? calendar.Today : null;
            agreement.SuspensionReason = null;
        }

        return details;
    }

    private static string? Optional(string? value) => value is null ? null : Clean(value);

    private static string Listed(IReadOnlyList<string> groups) => groups.Count == 0 ? "(none)" : string.Join(", ", groups);

    private static string Clean(string? value) => (value ?? string.Empty).Trim();

    private static DataItem[] Copy(IReadOnlyList<DataItem>? items)
    {
        items ??= Array.Empty<DataItem>();
        var copy = new DataItem[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            copy[i] = item is null ? new DataItem() : new DataItem(item.Name ?? string.Empty, item.Sensitivity ?? string.Empty, item.IdentificationRisk);
        }

        return copy;
    }

    private static Dictionary<string, string?> Snapshot(DataShareAgreement a)
    {
        var details = Terms(a);
        AgreementPublication.Snapshot(a, details);
        return details;
    }

    private static Dictionary<string, string?> Terms(DataShareAgreement a) => new(StringComparer.Ordinal)
    {
        ["Organisation"] = a.Organisation,
        ["OrganisationId"] = a.OrganisationId,
        ["Title"] = a.Title,
        ["Purpose"] = a.Purpose,
        ["LegalGateway"] = a.LegalGateway,
        ["LawfulBasis"] = a.LawfulBasis,
        ["AccessRoute"] = a.AccessRoute.ToString(),
        ["DirectTransferJustification"] = a.DirectTransferJustification,
        ["AccessGroupIds"] = a.AccessGroupIds.Length == 0 ? null : string.Join(", ", a.AccessGroupIds),
        ["OfficerName"] = a.OfficerName,
        ["OfficerEmail"] = a.OfficerEmail,
        ["StartsOn"] = DateText.FormatDate(a.StartsOn),
        ["EndsOn"] = DateText.FormatDate(a.EndsOn),
        ["RetentionDays"] = a.RetentionDays.ToString(CultureInfo.InvariantCulture),
        ["DataItems"] = string.Join("; ", (IEnumerable<DataItem>)a.DataItems),
    };
}
