using System;

namespace DataShareAdmin;

/// <summary>
/// An agreement's material terms: what the panel approved and only a variation may change (dates, data items, purpose,
/// route and its justification, organisation, legal gateway, lawful basis, retention).
/// </summary>
public sealed class AgreementTerms
{
    private ReadableList<DataItem> dataItems = ReadableList<DataItem>.Of(null);

    public string Organisation { get; set; } = string.Empty;

    public string? OrganisationId { get; set; }

    public string Purpose { get; set; } = string.Empty;

    public string LegalGateway { get; set; } = string.Empty;

    public string LawfulBasis { get; set; } = string.Empty;

    public AccessRoute AccessRoute { get; set; }

    public string? DirectTransferJustification { get; set; }

    public DateTime StartsOn { get; set; }

    public DateTime EndsOn { get; set; }

    public int RetentionDays { get; set; }

    public ReadableList<DataItem> DataItems { get => dataItems; set => dataItems = ReadableList<DataItem>.Of(value); }

    public override string ToString() => $"{StartsOn:yyyy-MM-dd}..{EndsOn:yyyy-MM-dd} {AccessRoute}";
}

/// <summary>One numbered version of an agreement's terms: 1 is what the agreement's own approval approved, each approved variation the next.</summary>
public sealed class AgreementTermsVersion
{
    public string AgreementId { get; set; } = string.Empty;

    /// <summary>1, 2, 3… in the order they were approved.</summary>
    public int Number { get; set; }

    public AgreementTerms Terms { get; set; } = new();

    /// <summary>The panel's reference for this version (the agreement's DSAP reference for version 1, the variation's after).</summary>
    public string ApprovalReference { get; set; } = string.Empty;

    public DateTime ApprovedOn { get; set; }

    /// <summary>The account that recorded the approval (as the audit log names it).</summary>
    public string ApprovedBy { get; set; } = string.Empty;

    /// <summary>The first day these terms are in force (version 1: from the start).</summary>
    public DateTime EffectiveFrom { get; set; }

    /// <summary>The variation that made this version; null for version 1.</summary>
    public string? VariationId { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public string RecordedBy { get; set; } = string.Empty;

    public DateTime StartsOn => Terms.StartsOn;

    public DateTime EndsOn => Terms.EndsOn;

    public AccessRoute AccessRoute => Terms.AccessRoute;

    public override string ToString() => $"{AgreementId} v{Number}";
}

/// <summary>What a variation does to the agreement's dates.</summary>
public enum VariationKind
{
    /// <summary>Changes terms other than the end (or besides it).</summary>
    Change,

    /// <summary>Moves the end later.</summary>
    Extension,

    /// <summary>Ends the agreement earlier (termination).</summary>
    Termination,
}

/// <summary>Where a variation is in its life.</summary>
public enum VariationState
{
    Requested,
    Approved,
    Denied,
    Withdrawn,
}

/// <summary>A request to change an approved agreement's material terms, and what became of it.</summary>
public sealed class DataShareVariation
{
    public string Id { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    public VariationKind Kind { get; set; }

    public VariationState State { get; set; }

    /// <summary>Why the terms should change.</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>What changes, as "Field: before -> after; …".</summary>
    public string Changes { get; set; } = string.Empty;

    /// <summary>The terms the agreement would have once approved.</summary>
    public AgreementTerms Terms { get; set; } = new();

    /// <summary>The version of the terms it varies; approving it when another variation was approved since is refused.</summary>
    public int BasedOnVersion { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public string RequestedBy { get; set; } = string.Empty;

    /// <summary>The day of the approval, denial or withdrawal.</summary>
    public DateTime? DecidedOn { get; set; }

    public string? DecidedBy { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>The panel's reference for the approval (or denial).</summary>
    public string? Reference { get; set; }

    /// <summary>Why it was denied or withdrawn.</summary>
    public string? DecisionReason { get; set; }

    /// <summary>The terms version it became once approved.</summary>
    public int? TermsVersion { get; set; }

    /// <summary>Concurrency token of the record.</summary>
    public long Version { get; set; }

    public override string ToString() => Id;
}
