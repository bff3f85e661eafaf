using System;

namespace DataShareAdmin;

/// <summary>A data sharing agreement as held in the register, with its status as of <see cref="StatusAsOf"/>.</summary>
public sealed class DataShareAgreement
{
    private ReadableList<DataItem> dataItems = new();
    private ReadableList<string> accessGroupIds = new();

    /// <summary>The approval panel's reference, e.g. DS00752.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>
    /// The same as <see cref="Id"/>, so an agreement piped to a cmdlet binds its id to <c>-AgreementId</c> by
    /// property name (never to a recipient's <c>-Id</c>).
    /// </summary>
    public string AgreementId => Id;

    /// <summary>The recipient organisation's name (as its register record names it).</summary>
    public string Organisation { get; set; } = string.Empty;

    /// <summary>The recipient organisation's register id (see Get-DataShareOrganisation).</summary>
    public string? OrganisationId { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Purpose { get; set; } = string.Empty;

    public string LegalGateway { get; set; } = string.Empty;

    public string LawfulBasis { get; set; } = string.Empty;

    public AccessRoute AccessRoute { get; set; }

    /// <summary>
    /// Why data goes to this organisation directly rather than through the secure research service. An agreement
    /// whose route is DirectTransfer is not approved, and gets no transfers, without one.
    /// </summary>
    public string? DirectTransferJustification { get; set; }

    /// <summary>The first day of the share (a calendar date).</summary>
    public DateTime StartsOn { get; set; }

    /// <summary>The last day of the share (a calendar date).</summary>
    public DateTime EndsOn { get; set; }

    /// <summary>Days after <see cref="EndsOn"/> before the data must be gone.</summary>
    public int RetentionDays { get; set; }

    /// <summary>The data items (reads as "Name:B3; Other:C2", the form a CSV cell takes back).</summary>
    public ReadableList<DataItem> DataItems { get => dataItems; set => dataItems = ReadableList<DataItem>.Of(value); }

    /// <summary>Directory security groups (object ids) through which recipients reach the shared material.</summary>
    public ReadableList<string> AccessGroupIds { get => accessGroupIds; set => accessGroupIds = ReadableList<string>.Of(value); }

    /// <summary>The officer responsible for the agreement, who is copied on its notices.</summary>
    public string? OfficerName { get; set; }

    public string? OfficerEmail { get; set; }

    public string? ApprovalReference { get; set; }

    public DateTime? ApprovedOn { get; set; }

    public string? ApprovedBy { get; set; }

    public bool IsSuspended { get; set; }

    /// <summary>The day every holding was confirmed destroyed, once it has been.</summary>
    public DateTime? DestroyedOn { get; set; }

    public AgreementStatus Status { get; set; }

    public DateTime StatusAsOf { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset ModifiedAt { get; set; }

    /// <summary>Changes each time the record is written; used to detect two writers meeting.</summary>
    public long Version { get; set; }

    public override string ToString() => Id;
}
