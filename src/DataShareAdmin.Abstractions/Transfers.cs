using System;
using System.Collections.Generic;

namespace DataShareAdmin;

/// <summary>Where a transfer stands at a moment: its link works, has run out, or was withdrawn, or its files are gone; or it never got one.</summary>
public enum TransferStatus
{
    Active,
    Expired,
    Revoked,

    /// <summary>A retention sweep deleted its container and verified it gone: the link can serve nothing, whatever else it says.</summary>
    Destroyed,

    /// <summary>The upload never finished (it is still running, or was stopped, killed or failed): no link was issued.</summary>
    Incomplete,
}

/// <summary>What the register holds about a transfer's upload: finished with a link issued, or not.</summary>
public enum TransferState
{
    /// <summary>Every file was uploaded and checked, and the link was issued.</summary>
    Issued,

    /// <summary>Recorded before the first byte was written; the upload has not finished (or never will): no link.</summary>
    Incomplete,
}

/// <summary>How a transfer's link is signed, which decides how it can be withdrawn.</summary>
public enum TransferLinkKind
{
    /// <summary>A service SAS bound to a stored access policy named for the transfer: deleting the policy withdraws it.</summary>
    StoredAccessPolicy,

    /// <summary>A user-delegation SAS (Microsoft Entra sign-in, no account key): withdrawn only by revoking every
    /// user delegation key of the account, or by deleting the files.</summary>
    UserDelegation,
}

/// <summary>What kind of place a holding is.</summary>
public enum HoldingKind
{
    BlobContainer,
    BlobPrefix,
    LocalFolder,
}

/// <summary>One file of a transfer: its blob name, size and SHA-256 (lower-case hex), as uploaded.</summary>
public sealed class TransferFile
{
    public string Name { get; set; } = string.Empty;

    public long Size { get; set; }

    public string Sha256 { get; set; } = string.Empty;

    /// <summary>
    /// The file's download link. Set only on the object New-DataShareTransfer returns; never stored. Printed and
    /// exported without its signature: <c>.Uri.Reveal()</c> gives the link.
    /// </summary>
    public DataShareLink? Uri { get; set; }

    public override string ToString() => Name;
}

/// <summary>
/// Files uploaded for an agreement's recipients into a container of their own, with a read-only link that expires.
/// The link (<see cref="Uri"/>) is a bearer token: it is on the object New-DataShareTransfer returns and nowhere
/// else — not in the register, the audit log or any other output — and even there it is a <see cref="DataShareLink"/>,
/// which prints, exports and serialises without its signature until <c>.Uri.Reveal()</c> is called.
/// </summary>
public sealed class DataShareTransfer
{
    private ReadableList<TransferFile> files = new();
    private ReadableList<string> recipientIds = new();

    public string Id { get; set; } = string.Empty;

    /// <summary>The same as <see cref="Id"/>, so transfers piped on bind to -TransferId by property name.</summary>
    public string TransferId => Id;

    public string AgreementId { get; set; } = string.Empty;

    /// <summary>The holding (the container) the files are in; the retention sweep deletes it when it falls due.</summary>
    public string HoldingId { get; set; } = string.Empty;

    public string StorageAccount { get; set; } = string.Empty;

    /// <summary>The account's blob endpoint, without any query string.</summary>
    public string BlobEndpoint { get; set; } = string.Empty;

    public string Container { get; set; } = string.Empty;

    public IReadOnlyList<TransferFile> Files { get => files; set => files = ReadableList<TransferFile>.Of(value); }

    public long TotalBytes { get; set; }

    /// <summary>The recipients the link was issued to, each checked before it was issued.</summary>
    public IReadOnlyList<string> RecipientIds { get => recipientIds; set => recipientIds = ReadableList<string>.Of(value); }

    public TransferLinkKind LinkKind { get; set; }

    /// <summary>The stored access policy's id in the container (the transfer id); null for a user-delegation link.</summary>
    public string? AccessPolicyId { get; set; }

    /// <summary>The IPv4 address or range the link is limited to, if any.</summary>
    public string? AllowedIpRange { get; set; }

    /// <summary>When the link starts working: a few minutes before it was issued, for clock skew.</summary>
    public DateTimeOffset StartsOn { get; set; }

    public DateTimeOffset ExpiresOn { get; set; }

    public DateTimeOffset IssuedAt { get; set; }

    public string IssuedBy { get; set; } = string.Empty;

    /// <summary>The transfer whose uploaded files this one re-issues a link for (New-DataShareTransfer -FromTransfer).</summary>
    public string? FromTransferId { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    /// <summary>
    /// Issued once every file is uploaded and checked and the link is signed; Incomplete from the moment the transfer
    /// is recorded (before its container exists) until then. An incomplete transfer's files have no SHA-256 yet.
    /// </summary>
    public TransferState State { get; set; }

    /// <summary>Active, Expired, Revoked, Destroyed or Incomplete, as of when the object was read.</summary>
    public TransferStatus Status { get; set; }

    /// <summary>
    /// The link: set only on the object New-DataShareTransfer returns. Never stored, never logged; printed and exported
    /// without its signature (<c>.Uri.Reveal()</c> gives the link).
    /// </summary>
    public DataShareLink? Uri { get; set; }

    /// <summary>What to know about withdrawing this link.</summary>
    public string? Note { get; set; }

    public long Version { get; set; }

    public override string ToString() => Id;
}

/// <summary>
/// A place that holds data for an agreement — a blob container, a prefix in one, or a local folder — with the day
/// it falls due for deletion. Matched by its stored identity (account, container, prefix), never by how names look.
/// </summary>
public sealed class DataShareHolding
{
    public string Id { get; set; } = string.Empty;

    /// <summary>The same as <see cref="Id"/>, so holdings piped on bind to -HoldingId by property name.</summary>
    public string HoldingId => Id;

    public string AgreementId { get; set; } = string.Empty;

    public HoldingKind Kind { get; set; }

    /// <summary>The holding as a URI (blob container or prefix) or a full path (local folder).</summary>
    public string Location { get; set; } = string.Empty;

    public string? StorageAccount { get; set; }

    public string? Container { get; set; }

    /// <summary>For a blob prefix: the prefix, ending in '/'.</summary>
    public string? Prefix { get; set; }

    /// <summary>The transfer that created the holding, if one did.</summary>
    public string? TransferId { get; set; }

    /// <summary>The first day on which the holding must be deleted.</summary>
    public DateTime DueOn { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }

    public string RegisteredBy { get; set; } = string.Empty;

    public HoldingState State { get; set; }

    /// <summary>What was checked of the location when it was registered (Unknown on holdings registered before the check).</summary>
    public HoldingLocationCheck LocationCheck { get; set; }

    /// <summary>When a sweep verified it gone.</summary>
    public DateTimeOffset? DestroyedAt { get; set; }

    /// <summary>
    /// A hold past the due day (Add-DataShareRetentionHold): the first day the holding is due again. Null when there is
    /// no hold; a hold whose day has come no longer keeps the holding (it stays recorded until lifted or replaced).
    /// </summary>
    public DateTime? HoldUntil { get; set; }

    /// <summary>Why the hold keeps the holding past its due day.</summary>
    public string? HoldReason { get; set; }

    /// <summary>Who approved the hold, as recorded (a name; not checked against any directory).</summary>
    public string? HoldApprovedBy { get; set; }

    /// <summary>A legal hold: it has a review day on or before <see cref="HoldUntil"/>.</summary>
    public bool HoldLegal { get; set; }

    /// <summary>A legal hold's review day.</summary>
    public DateTime? HoldReviewOn { get; set; }

    /// <summary>The account that placed the hold (the acting account when it was recorded); null for holds placed before this was kept.</summary>
    public string? HoldPlacedBy { get; set; }

    public long Version { get; set; }

    public override string ToString() => Location;
}
