using System;

namespace DataShareAdmin;

/// <summary>A user account in the organisation's directory (Microsoft Entra ID), as Microsoft Graph describes it.</summary>
public sealed class DirectoryAccount
{
    /// <summary>The account's object id (a GUID), which never changes.</summary>
    public string ObjectId { get; set; } = string.Empty;

    public string? DisplayName { get; set; }

    public string? Mail { get; set; }

    /// <summary>For a guest, something like jo_example.org#EXT#@tenant.onmicrosoft.com, unlike their mail.</summary>
    public string? UserPrincipalName { get; set; }

    /// <summary>Member or Guest.</summary>
    public string? UserType { get; set; }

    public bool AccountEnabled { get; set; }

    public bool IsGuest => string.Equals(UserType, "Guest", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => UserPrincipalName ?? ObjectId;
}

/// <summary>What looking a recipient up in the directory found.</summary>
public enum DirectoryMatch
{
    /// <summary>Exactly one enabled account has the recipient's email.</summary>
    Resolved,

    /// <summary>No account has the email.</summary>
    NotFound,

    /// <summary>More than one account has the email; none was recorded.</summary>
    Ambiguous,

    /// <summary>Exactly one account has the email, but sign-in is blocked. Its id is recorded.</summary>
    Disabled,
}

/// <summary>The result of Resolve-DataShareRecipient for one recipient.</summary>
public sealed class DirectoryResolution
{
    public string RecipientId { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    public string PersonId { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public DirectoryMatch Status { get; set; }

    /// <summary>The account's object id, when one account matched.</summary>
    public string? ObjectId { get; set; }

    public string? UserPrincipalName { get; set; }

    public string? UserType { get; set; }

    public bool? AccountEnabled { get; set; }

    /// <summary>Whether the register's record of the person's account changed.</summary>
    public bool Recorded { get; set; }

    public string Reason { get; set; } = string.Empty;

    public override string ToString() => Email + ": " + Status;
}

/// <summary>What Revoke-DataShareAccess did, or would do, for one person and one group (or their sign-in).</summary>
public enum AccessAction
{
    /// <summary>Removed from the agreement's access group.</summary>
    RemovedFromGroup,

    /// <summary>Was not a member of the group: nothing to remove.</summary>
    NotAMember,

    /// <summary>Left in the group because another of their active agreements uses it.</summary>
    KeptForOtherAgreement,

    /// <summary>A guest with no active agreement left: sign-in blocked.</summary>
    SignInBlocked,

    /// <summary>The person's directory account is not known (run Resolve-DataShareRecipient): nothing could be done.</summary>
    NotResolved,

    /// <summary>The change failed; Reason says why.</summary>
    Failed,
}

/// <summary>One access change for one person.</summary>
public sealed class AccessChange
{
    public string AgreementId { get; set; } = string.Empty;

    public string RecipientId { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public string? ObjectId { get; set; }

    public AccessAction Action { get; set; }

    /// <summary>The access group, for group changes.</summary>
    public string? GroupId { get; set; }

    public string Reason { get; set; } = string.Empty;

    public DateTimeOffset At { get; set; }

    public override string ToString() => Email + " " + Action + (GroupId is null ? string.Empty : " " + GroupId);
}

/// <summary>The kinds of notice Send-DataShareNotice mails.</summary>
public enum NoticeKind
{
    /// <summary>A recipient's disclosure certificate stops being acceptable within the window.</summary>
    CertificateLapsing,

    /// <summary>An agreement ends within the window: its data must then be destroyed.</summary>
    AgreementEnding,

    /// <summary>An organisation's security assessment lapses within the window.</summary>
    AssessmentLapsing,

    /// <summary>A transfer was just issued: its link goes to the recipients (piped straight from New-DataShareTransfer).</summary>
    TransferIssued,

    /// <summary>An agreement's periodic review falls due within the window (or is overdue): to its responsible officer.</summary>
    ReviewDue,
}

/// <summary>One notice: who it went (or would go) to and what it said.</summary>
public sealed class DataShareNotice
{
    private ReadableList<string> to = new();
    private ReadableList<string> cc = new();

    public NoticeKind Kind { get; set; }

    public string? AgreementId { get; set; }

    /// <summary>What the notice is about: a recipient, organisation or transfer id.</summary>
    public string Subject { get; set; } = string.Empty;

    public ReadableList<string> To { get => to; set => to = ReadableList<string>.Of(value); }

    public ReadableList<string> Cc { get => cc; set => cc = ReadableList<string>.Of(value); }

    public string Title { get; set; } = string.Empty;

    /// <summary>The day the certificate, agreement or assessment lapses or ends (none for a transfer link).</summary>
    public DateTime? Due { get; set; }

    public bool Sent { get; set; }

    /// <summary>Whether a copy was kept in the sender's Sent Items (never for a transfer link).</summary>
    public bool SavedToSentItems { get; set; }

    /// <summary>Why it was not sent, when sending it failed (the other notices still go).</summary>
    public string? Problem { get; set; }

    public override string ToString() => Kind + " to " + string.Join(", ", To);
}

/// <summary>Where and how the session reaches the directory (never a secret).</summary>
public sealed class DirectoryConnectionInfo
{
    public string? TenantId { get; set; }

    public Uri GraphEndpoint { get; set; } = new("https://graph.microsoft.com/v1.0");

    /// <summary>ManagedIdentity, ClientCertificate, Interactive, DeviceCode or AccessToken.</summary>
    public string Method { get; set; } = string.Empty;

    /// <summary>The mailbox notices are sent from, when set.</summary>
    public string? Sender { get; set; }

    public override string ToString() => Method + " " + GraphEndpoint;
}
