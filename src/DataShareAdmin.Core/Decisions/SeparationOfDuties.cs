using System;
using DataShareAdmin.Core.Policy;

namespace DataShareAdmin.Core.Decisions;

/// <summary>
/// Separation of duties: an approval recorded by the account that created or requested the thing approved. When the
/// policy RequireSeparateApprover is on it is refused (PermissionDenied, "&lt;Kind&gt;ApproverIsRequester"); when off it is
/// allowed and reported as a self-approval, always flagged in reports. Used for agreements and retention holds, and
/// meant for every later kind of approval (variations): one check, one error id pattern.
/// </summary>
public sealed class SeparationOfDuties
{
    private readonly Func<PolicyService> policy;
    private readonly string actor;

    public SeparationOfDuties(Func<PolicyService> policy, string actor)
    {
        this.policy = policy;
        this.actor = actor;
    }

    /// <summary>The acting account: the one an approval recorded now is recorded by.</summary>
    public string Actor => actor;

    /// <summary>Whether the register's policy refuses self-approval.</summary>
    public bool Required => string.Equals(policy().EffectiveValues()[PolicyCatalogue.RequireSeparateApprover], "true", StringComparison.Ordinal);

    /// <summary>
    /// Whether two account names are the same account: compared without case, and with a Windows domain
    /// ("CONTOSO\alice") or a sign-in domain ("alice@contoso.org") set aside when only one side has it, so "alice" and
    /// "CONTOSO\alice" are one account. Two names in different domains are different accounts.
    /// </summary>
    public static bool SameAccount(string? first, string? second)
    {
        if (string.IsNullOrWhiteSpace(first) || string.IsNullOrWhiteSpace(second))
        {
            return false;
        }

        var a = first!.Trim();
        var b = second!.Trim();
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var (userA, domainA) = Split(a);
        var (userB, domainB) = Split(b);
        return string.Equals(userA, userB, StringComparison.OrdinalIgnoreCase)
            && (domainA is null || domainB is null || string.Equals(domainA, domainB, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Checks an approval of <paramref name="kind"/> <paramref name="id"/> recorded now by the acting account, against
    /// the account that created or requested it. Returns true when it is a self-approval the policy allows (to be
    /// flagged); throws <c>&lt;kind&gt;ApproverIsRequester</c> (PermissionDenied) when the policy refuses it.
    /// </summary>
    public bool Check(string? requestedByAccount, string kind, string id) => Check(requestedByAccount, actor, kind, id);

    /// <summary>As <see cref="Check(string?, string, string)"/>, for an approver other than the acting account (a hold's named approver).</summary>
    public bool Check(string? requestedByAccount, string approverAccount, string kind, string id)
    {
        if (!SameAccount(requestedByAccount, approverAccount))
        {
            return false;
        }

        if (Required)
        {
            throw new DataShareException(kind + "ApproverIsRequester", DataShareErrorCategory.PermissionDenied,
                $"{kind} {id} was created or requested by {requestedByAccount}, and the register's policy (RequireSeparateApprover) says someone else must approve it. Ask another officer to record the approval under their own account.", id);
        }

        return true;
    }

    private static (string User, string? Domain) Split(string account)
    {
        var slash = account.IndexOf('\\');
        if (slash >= 0)
        {
            return (account.Substring(slash + 1), account.Substring(0, slash));
        }

        var at = account.LastIndexOf('@');
        return at > 0 ? (account.Substring(0, at), account.Substring(at + 1)) : (account, null);
    }
}
