using System;

namespace DataShareAdmin;

/// <summary>Whether a holding still holds data, as far as the register knows.</summary>
public enum HoldingState
{
    /// <summary>Data may be there: not yet deleted and verified gone.</summary>
    Held,

    /// <summary>Deleted by a sweep and verified gone.</summary>
    Destroyed,

    /// <summary>
    /// A transfer's container, recorded before the transfer wrote anything, whose upload has not finished (it is
    /// running, or was stopped, killed or failed). Data may be there, no link was issued, and a sweep deletes it on
    /// its day like any held holding.
    /// </summary>
    Pending,

    /// <summary>
    /// Withdrawn by hand as a mistake (Remove-DataShareHolding, with a reason): kept in the register for its history,
    /// never planned or swept, and no claim that anything was destroyed.
    /// </summary>
    Withdrawn,
}

/// <summary>What was checked of a holding's location when it was registered.</summary>
public enum HoldingLocationCheck
{
    /// <summary>Not known: registered before the check existed.</summary>
    Unknown,

    /// <summary>A local folder that was there when it was registered.</summary>
    Found,

    /// <summary>A local folder that was not there, registered on purpose with -AllowMissing (e.g. a machine not yet reachable).</summary>
    Missing,

    /// <summary>Not checked: a blob container or prefix (registration makes no storage request).</summary>
    NotChecked,
}

/// <summary>How a sweep of one holding ended.</summary>
public enum DestructionOutcome
{
    /// <summary>Everything was deleted and a second listing found nothing left.</summary>
    Destroyed,

    /// <summary>Some objects are under a legal hold or an immutability policy; they stay, and so does the holding.</summary>
    Blocked,

    /// <summary>Something was left for another reason (errors, stopped): the holding stays due and the next sweep goes on.</summary>
    Incomplete,

    /// <summary>
    /// A local folder that is not there, so nothing could be deleted and nothing is proved destroyed: it was never
    /// found, or someone else removed it. The holding stays due and needs a person to look (Remove-DataShareHolding
    /// withdraws a mistaken one).
    /// </summary>
    NotFound,
}

/// <summary>Whether a holding past its due day is to be swept, or kept by a hold.</summary>
public enum RetentionPlanState
{
    /// <summary>Due: the sweep deletes it.</summary>
    Due,

    /// <summary>Past its due day but kept by a hold (Add-DataShareRetentionHold) until <see cref="RetentionPlanItem.HeldUntil"/>: never swept.</summary>
    Held,
}

/// <summary>A holding due for deletion on the plan's day (or kept past it by a hold), and why.</summary>
public sealed class RetentionPlanItem
{
    public string HoldingId { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    public HoldingKind Kind { get; set; }

    public string Location { get; set; } = string.Empty;

    public DateTime DueOn { get; set; }

    public string Reason { get; set; } = string.Empty;

    /// <summary>The day the plan was made for.</summary>
    public DateTime AsOf { get; set; }

    /// <summary>Due (the sweep deletes it) or Held (a hold keeps it; the reason says why and until when).</summary>
    public RetentionPlanState State { get; set; }

    /// <summary>For a held holding: the first day it is due again.</summary>
    public DateTime? HeldUntil { get; set; }

    public int DaysOverdue => (int)(AsOf.Date - DueOn.Date).TotalDays;

    public override string ToString() => HoldingId;
}

/// <summary>What a sweep deleted from one holding, when, by whom, and whether a second listing found it gone.</summary>
public sealed class DestructionRecord
{
    public string Id { get; set; } = string.Empty;

    public string HoldingId { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    public string Location { get; set; } = string.Empty;

    public DestructionOutcome Outcome { get; set; }

    /// <summary>Why it was blocked or incomplete (e.g. BlobImmutableDueToLegalHold on 3 objects).</summary>
    public string? Reason { get; set; }

    public long ObjectsDeleted { get; set; }

    public long BytesDeleted { get; set; }

    /// <summary>Objects still there after the sweep (blocked or failed); 0 when verified gone.</summary>
    public long ObjectsRemaining { get; set; }

    /// <summary>True when a listing after the deletes found nothing left.</summary>
    public bool Verified { get; set; }

    /// <summary>The account's blob soft delete as read at the sweep: Off, On (n days), or Unknown (not readable with the rights given).</summary>
    public string SoftDelete { get; set; } = "Off";

    /// <summary>With soft delete on, until when the deleted data can still be recovered by the account's owners.</summary>
    public DateTimeOffset? RecoverableUntil { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset FinishedAt { get; set; }

    public string Operator { get; set; } = string.Empty;

    public string Machine { get; set; } = string.Empty;

    /// <summary>The day the sweep planned for.</summary>
    public DateTime AsOf { get; set; }

    /// <summary>The directory access the sweep took away for the ended agreement (group memberships, blocked sign-ins), when connected.</summary>
    public string? AccessRemoved { get; set; }

    public override string ToString() => Id;
}

/// <summary>The recipient organisation's own confirmation that it destroyed its copies of an agreement's data.</summary>
public sealed class DestructionConfirmation
{
    public string AgreementId { get; set; } = string.Empty;

    public string ConfirmedBy { get; set; } = string.Empty;

    public DateTime ConfirmedOn { get; set; }

    public string? Evidence { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

    public string RecordedBy { get; set; } = string.Empty;

    public override string ToString() => AgreementId;
}

/// <summary>What kind of place an orphan is.</summary>
public enum OrphanKind
{
    /// <summary>A whole container, named or marked as DataShareAdmin's.</summary>
    Container,

    /// <summary>A folder (prefix) beside registered holdings: under the parent of a registered blob prefix.</summary>
    Prefix,

    /// <summary>One blob directly under such a parent; a holding is a container or a prefix, so it cannot be registered as it is.</summary>
    Blob,
}

/// <summary>
/// A place in the connected storage that looks like it holds an agreement's data — a container named or marked as
/// DataShareAdmin's, or a prefix or blob beside registered holdings — yet belongs to no holding that is not destroyed,
/// so no sweep would ever delete it. Find-DataShareOrphan lists them; pipe them to Register-DataShareHolding.
/// </summary>
public sealed class DataShareOrphan
{
    public OrphanKind Kind { get; set; }

    /// <summary>The location to register as a holding (Register-DataShareHolding -Location); null for a single blob.</summary>
    public string? Location { get; set; }

    /// <summary>Where it is: the container, prefix or blob as a URI, without any query string (never a link).</summary>
    public string Uri { get; set; } = string.Empty;

    public string StorageAccount { get; set; } = string.Empty;

    public string Container { get; set; } = string.Empty;

    /// <summary>The prefix (ending in '/') or, for a blob, its name; null for a whole container.</summary>
    public string? Prefix { get; set; }

    /// <summary>The agreement the container's DataShareAdmin metadata names, if it has any; a hint to check, not a fact.</summary>
    public string? AgreementId { get; set; }

    /// <summary>The transfer and the holding the container's metadata names, if any.</summary>
    public string? TransferId { get; set; }

    public string? HoldingId { get; set; }

    /// <summary>Blobs in it (current ones), and their bytes.</summary>
    public long Objects { get; set; }

    public long Bytes { get; set; }

    /// <summary>When it last changed: the newest blob (or the container itself when it is empty).</summary>
    public DateTimeOffset? LastModified { get; set; }

    /// <summary>Why it was listed, and what the register knows of it.</summary>
    public string Reason { get; set; } = string.Empty;

    public override string ToString() => Uri;
}

/// <summary>A hold that keeps a holding past its due day, with why, who approved it and until when.</summary>
public sealed class DataShareRetentionHold
{
    public string HoldingId { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    public string Location { get; set; } = string.Empty;

    /// <summary>The holding's own due day, without the hold.</summary>
    public DateTime DueOn { get; set; }

    /// <summary>The first day the holding is due again.</summary>
    public DateTime Until { get; set; }

    public string Reason { get; set; } = string.Empty;

    public string ApprovedBy { get; set; } = string.Empty;

    public bool Legal { get; set; }

    /// <summary>A legal hold's review day.</summary>
    public DateTime? ReviewOn { get; set; }

    /// <summary>The account that placed the hold; null for a hold placed before this was recorded.</summary>
    public string? PlacedBy { get; set; }

    /// <summary>True when the approver named is the account that placed the hold (allowed only while RequireSeparateApprover is off; flagged in reports).</summary>
    public bool SelfApproved { get; set; }

    /// <summary>True while the hold keeps the holding (today is before <see cref="Until"/>); false once its day has come.</summary>
    public bool Active { get; set; }

    /// <summary>
    /// True when this is a legal hold still in force whose review day has passed: someone must check whether it is
    /// still needed, then lift it or place it again with a new review day.
    /// </summary>
    public bool ReviewOverdue { get; set; }

    public override string ToString() => HoldingId;
}
