using System;
using System.Collections.Generic;
using System.Threading;

namespace DataShareAdmin.Core.DirectoryAccess;

/// <summary>
/// The safe-people test's directory check for one piece of work: each person's account is read once, and the
/// required group's members are read once, page by page, into a set of ids (a large group is never asked about
/// member by member, which is what Graph throttles).
/// </summary>
public sealed class DirectoryCheck
{
    private readonly IDirectoryClient client;
    private readonly string? requiredGroupId;
    private readonly bool accountRequired;
    private readonly CancellationToken cancellationToken;
    private readonly Dictionary<string, DirectoryAccount?> accounts = new(StringComparer.OrdinalIgnoreCase);
    private HashSet<string>? members;

    public DirectoryCheck(IDirectoryClient client, bool accountRequired, string? requiredGroupId, CancellationToken cancellationToken)
    {
        this.client = client;
        this.accountRequired = accountRequired;
        this.requiredGroupId = string.IsNullOrWhiteSpace(requiredGroupId) ? null : requiredGroupId;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>Whether there is anything to check.</summary>
    public bool Applies => accountRequired || requiredGroupId is not null;

    /// <summary>The check for a person whose recorded account is <paramref name="objectId"/>.</summary>
    public SafePeopleCheck Check(string email, string? objectId)
    {
        if (objectId is null)
        {
            return Fail($"No directory account is recorded for {email}. Run Resolve-DataShareRecipient.");
        }

        if (!accounts.TryGetValue(objectId, out var account))
        {
            account = client.GetUserAsync(objectId, cancellationToken).GetAwaiter().GetResult();
            accounts[objectId] = account;
        }

        if (account is null)
        {
            return Fail($"The directory account {objectId} recorded for {email} no longer exists.");
        }

        if (accountRequired && !account.AccountEnabled)
        {
            return Fail($"The directory account {account.UserPrincipalName} is disabled (sign-in blocked).");
        }

        if (requiredGroupId is not null)
        {
            members ??= LoadMembers(requiredGroupId);
            if (!members.Contains(account.ObjectId))
            {
                return Fail($"{account.UserPrincipalName} is not a member of the required group {requiredGroupId} (DirectoryRequiredGroupId).");
            }
        }

        return new SafePeopleCheck
        {
            Name = "Directory",
            Passed = true,
            Reason = $"Account {account.UserPrincipalName} ({account.UserType}) exists" + (accountRequired ? " and is enabled" : account.AccountEnabled ? " (enabled)" : " (disabled, which policy allows)")
                + (requiredGroupId is null ? "." : $"; it is in group {requiredGroupId}."),
        };
    }

    private HashSet<string> LoadMembers(string groupId)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pages = client.ListGroupMemberIdsAsync(groupId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (pages.MoveNextAsync().AsTask().GetAwaiter().GetResult())
            {
                set.Add(pages.Current);
            }
        }
        finally
        {
            pages.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return set;
    }

    private static SafePeopleCheck Fail(string reason) => new() { Name = "Directory", Passed = false, Reason = reason };
}
