using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace DataShareAdmin.Core.DirectoryAccess;

/// <summary>A mail to send through the directory's mail service.</summary>
public sealed class DirectoryMail
{
    public IReadOnlyList<string> To { get; set; } = new List<string>();

    public IReadOnlyList<string> Cc { get; set; } = new List<string>();

    public string Subject { get; set; } = string.Empty;

    public string Body { get; set; } = string.Empty;

    /// <summary>False for a mail carrying a transfer link: no copy may stay in Sent Items.</summary>
    public bool SaveToSentItems { get; set; } = true;
}

/// <summary>
/// What the engine asks of the directory. No Microsoft Graph type appears here, so the engine loads the Graph SDK
/// only when a directory client is actually made (Connect-DataShareDirectory or a directory cmdlet).
/// </summary>
public interface IDirectoryClient
{
    /// <summary>Accounts whose mail, user principal name, other mails or proxy addresses are the email (all pages).</summary>
    Task<IReadOnlyList<DirectoryAccount>> FindUsersByEmailAsync(string email, CancellationToken cancellationToken);

    /// <summary>The account, or null when there is none with that id (404).</summary>
    Task<DirectoryAccount?> GetUserAsync(string objectId, CancellationToken cancellationToken);

    /// <summary>
    /// The object ids of a group's members, those of nested groups included (transitiveMembers), page by page as
    /// Graph returns them (followed through @odata.nextLink).
    /// </summary>
    IAsyncEnumerable<string> ListGroupMemberIdsAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>Whether the group exists (a mistyped access group answers 404 to every removal, as a non-member would).</summary>
    Task<bool> GroupExistsAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>Removes a member; false when they were not a member (404).</summary>
    Task<bool> RemoveGroupMemberAsync(string groupId, string objectId, CancellationToken cancellationToken);

    /// <summary>Blocks sign-in (accountEnabled = false).</summary>
    Task BlockSignInAsync(string objectId, CancellationToken cancellationToken);

    /// <summary>Sends a mail from <paramref name="sender"/>'s mailbox, or the signed-in user's when null.</summary>
    Task SendMailAsync(string? sender, DirectoryMail mail, CancellationToken cancellationToken);
}

/// <summary>Makes directory clients that ask for no more than the permissions a piece of work needs.</summary>
public interface IDirectoryClientFactory
{
    DirectoryConnectionInfo Info { get; }

    /// <summary>True for managed identity and certificate sign-ins (the application's own permissions, no signed-in user).</summary>
    bool UsesApplicationPermissions { get; }

    /// <summary>A client whose token is requested for <paramref name="permissions"/> (delegated sign-in), or .default (app-only).</summary>
    IDirectoryClient Create(params string[] permissions);
}

/// <summary>The Microsoft Graph permissions each piece of work needs; the docs list the same.</summary>
public static class DirectoryPermissions
{
    public const string UserRead = "User.Read.All";
    public const string GroupMemberRead = "GroupMember.Read.All";
    public const string GroupMemberWrite = "GroupMember.ReadWrite.All";
    public const string UserEnableDisable = "User.EnableDisableAccount.All";
    public const string MailSend = "Mail.Send";

    public static readonly string[] Resolve = { UserRead };

    public static readonly string[] Readiness = { UserRead, GroupMemberRead };

    public static readonly string[] RevokeAccess = { UserRead, GroupMemberWrite, UserEnableDisable };

    public static readonly string[] Notice = { MailSend };
}
