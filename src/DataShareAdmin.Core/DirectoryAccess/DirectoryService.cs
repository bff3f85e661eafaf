using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Organisations;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.SafePeople;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.DirectoryAccess;

/// <summary>
/// Who people are in the directory, taking their access away on time, and mailing notices. Every register change
/// and every directory change is audited; nothing secret (a token, a transfer link) reaches the audit log.
/// </summary>
public sealed partial class DirectoryService
{
    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly PolicyService policy;
    private readonly ReadinessService readiness;
    private readonly Func<IDirectoryClientFactory?> directory;

    public DirectoryService(IDataShareRegister register, ShareCalendar calendar, IClock clock, PolicyService policy, ReadinessService readiness, Func<IDirectoryClientFactory?> directory)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.policy = policy;
        this.readiness = readiness;
        this.directory = directory;
    }

    public bool IsConnected => directory() is not null;

    /// <summary>The session's directory, or a DirectoryNotConnected error.</summary>
    public IDirectoryClientFactory Require() => directory() ?? throw new DataShareException("DirectoryNotConnected", DataShareErrorCategory.InvalidOperation,
        "The session is not connected to the directory. Run Connect-DataShareDirectory first.", null);

    /// <summary>Finds the recipient's account by email and records its object id on the person (with the host's permission).</summary>
    public DirectoryResolution Resolve(DataShareRecipient recipient, IDirectoryClient client, IOperationHost host)
    {
        var accounts = client.FindUsersByEmailAsync(recipient.Email, host.CancellationToken).GetAwaiter().GetResult();
        var result = new DirectoryResolution
        {
            RecipientId = recipient.Id,
            AgreementId = recipient.AgreementId,
            PersonId = recipient.PersonId,
            Email = recipient.Email,
        };

        if (accounts.Count == 0)
        {
            result.Status = DirectoryMatch.NotFound;
            result.ObjectId = recipient.DirectoryObjectId;
            result.Reason = $"No directory account has the email {recipient.Email} (as mail, user principal name, other mail or proxy address). Invite the person as a guest, then resolve again."
                + (recipient.DirectoryObjectId is null ? string.Empty : $" The account recorded before ({recipient.DirectoryObjectId}) is kept.");
            return result;
        }

        if (accounts.Count > 1)
        {
            result.Status = DirectoryMatch.Ambiguous;
            result.ObjectId = recipient.DirectoryObjectId;
            result.Reason = $"{accounts.Count} directory accounts have the email {recipient.Email}: {string.Join(", ", accounts.Select(a => a.UserPrincipalName + " (" + a.ObjectId + ")"))}. None was recorded; remove the duplicate in the directory.";
            return result;
        }

        var account = accounts[0];
        result.ObjectId = account.ObjectId;
        result.UserPrincipalName = account.UserPrincipalName;
        result.UserType = account.UserType;
        result.AccountEnabled = account.AccountEnabled;
        result.Status = account.AccountEnabled ? DirectoryMatch.Resolved : DirectoryMatch.Disabled;
        result.Reason = account.AccountEnabled
            ? $"{account.UserType ?? "Account"} {account.UserPrincipalName}."
            : $"{account.UserType ?? "Account"} {account.UserPrincipalName} is disabled (sign-in blocked).";

        if (!string.Equals(recipient.DirectoryObjectId, account.ObjectId, StringComparison.OrdinalIgnoreCase)
            && host.ShouldProcess($"{recipient.Email} ({recipient.PersonId})", $"Record directory account {account.UserPrincipalName} ({account.ObjectId})"))
        {
            register.SetPersonDirectoryId(recipient.PersonId, account.ObjectId, new AuditEvent("Person.Resolve", "Person", recipient.PersonId, new Dictionary<string, string?>
            {
                ["ObjectId"] = account.ObjectId,
                ["UserPrincipalName"] = account.UserPrincipalName,
                ["UserType"] = account.UserType,
                ["AccountEnabled"] = account.AccountEnabled ? "true" : "false",
                ["Previous"] = recipient.DirectoryObjectId,
            }));
            result.Recorded = true;
            host.WriteVerbose($"Recorded {account.UserPrincipalName} ({account.ObjectId}) for {recipient.Email}.");
        }

        return result;
    }

    /// <summary>
    /// Takes the recipients out of their agreements' access groups (unless another current agreement of theirs uses
    /// the same group) and, when policy says so, blocks sign-in for guests left with no current agreement. One
    /// ShouldProcess per change; every change audited. Failures come back as Failed changes, the rest go on.
    /// </summary>
    public IEnumerable<AccessChange> Revoke(IEnumerable<DataShareRecipient> recipients, IDirectoryClient client, IOperationHost host)
    {
        var day = calendar.Today;
        var agreements = new Dictionary<string, DataShareAgreement?>(StringComparer.OrdinalIgnoreCase);
        DataShareAgreement? Agreement(string id)
        {
            if (!agreements.TryGetValue(id, out var found))
            {
                found = register.FindAgreement(id);
                agreements[id] = found;
            }

            return found;
        }

        var blockGuests = string.Equals(policy.EffectiveValues()[PolicyCatalogue.DirectoryBlockGuestSignIn], "true", StringComparison.Ordinal);
        var blocked = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        ILookup<string, (string Id, string AgreementId)>? places = null;
        var groupExists = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        foreach (var recipient in recipients)
        {
            host.CancellationToken.ThrowIfCancellationRequested();
            var agreement = Agreement(recipient.AgreementId);
            if (agreement is null)
            {
                continue;
            }

            if (recipient.DirectoryObjectId is not { } objectId)
            {
                yield return Change(recipient, null, AccessAction.NotResolved, null, $"No directory account is recorded for {recipient.Email}: run Resolve-DataShareRecipient, then revoke again.");
                continue;
            }

            // The person's other places on agreements that are current: their groups stay. (Active places are read
            // once per run, grouped by person, not once per recipient.)
            places ??= register.ListRecipients(null, includeRemoved: false).ToLookup(r => r.PersonId, r => (r.Id, r.AgreementId), StringComparer.Ordinal);
            var current = places[recipient.PersonId]
                .Where(p => p.Id != recipient.Id && Agreement(p.AgreementId) is { } other && GivesAccess(other, day))
                .Select(p => Agreement(p.AgreementId)!)
                .ToList();

            if (agreement.AccessGroupIds.Length == 0)
            {
                host.WriteVerbose($"Agreement {agreement.Id} names no access group (Set-DataShareAgreement -AccessGroupId): no group to take {recipient.Email} out of.");
            }

            foreach (var group in agreement.AccessGroupIds)
            {
                if (!groupExists.TryGetValue(group, out var exists))
                {
                    try
                    {
                        exists = client.GroupExistsAsync(group, host.CancellationToken).GetAwaiter().GetResult();
                    }
                    catch (DataShareException ex)
                    {
                        throw new DataShareException(ex.ErrorId, ex.Category, $"Checking access group {group} of agreement {agreement.Id} failed: {ex.Message}", group, ex);
                    }

                    groupExists[group] = exists;
                }

                if (!exists)
                {
                    var missing = Change(recipient, objectId, AccessAction.Failed, group,
                        $"Access group {group} of agreement {agreement.Id} does not exist in the directory: check the id with Set-DataShareAgreement -AccessGroupId.");
                    Audit(missing);
                    yield return missing;
                    continue;
                }

                var keptBy = current.FirstOrDefault(a => a.AccessGroupIds.Contains(group, StringComparer.OrdinalIgnoreCase));
                if (keptBy is not null)
                {
                    yield return Change(recipient, objectId, AccessAction.KeptForOtherAgreement, group, $"Kept: agreement {keptBy.Id}, which is {AgreementRules.StatusOn(keptBy, day)}, uses the same group.");
                    continue;
                }

                if (!host.ShouldProcess($"{recipient.Email} ({objectId})", $"Remove from access group {group} of agreement {agreement.Id}"))
                {
                    continue;
                }

                AccessChange change;
                try
                {
                    var removed = client.RemoveGroupMemberAsync(group, objectId, host.CancellationToken).GetAwaiter().GetResult();
                    change = Change(recipient, objectId, removed ? AccessAction.RemovedFromGroup : AccessAction.NotAMember, group,
                        removed ? $"Removed from group {group}." : $"Was not a member of group {group}.");
                }
                catch (DataShareException ex)
                {
                    change = Change(recipient, objectId, AccessAction.Failed, group, ex.Message);
                }

                Audit(change);
                yield return change;
            }

            if (!blockGuests || current.Count > 0 || !blocked.Add(objectId))
            {
                continue;
            }

            AccessChange? block = null;
            try
            {
                var account = client.GetUserAsync(objectId, host.CancellationToken).GetAwaiter().GetResult();
                if (account is { IsGuest: true, AccountEnabled: true }
                    && host.ShouldProcess($"{recipient.Email} ({objectId})", "Block sign-in: a guest with no current agreement"))
                {
                    client.BlockSignInAsync(objectId, host.CancellationToken).GetAwaiter().GetResult();
                    block = Change(recipient, objectId, AccessAction.SignInBlocked, null, $"Guest {account.UserPrincipalName} has no current agreement left: sign-in blocked.");
                }
            }
            catch (DataShareException ex)
            {
                block = Change(recipient, objectId, AccessAction.Failed, null, "Blocking sign-in failed: " + ex.Message);
            }

            if (block is not null)
            {
                Audit(block);
                yield return block;
            }
        }
    }

    /// <summary>For the nightly sweep: revokes an ended agreement's access and sums it up for the destruction records.</summary>
    public string? RevokeForSweep(string agreementId, IOperationHost host)
    {
        if (directory() is not { } factory)
        {
            return null;
        }

        try
        {
            var client = factory.Create(DirectoryPermissions.RevokeAccess);
            var changes = Revoke(register.ListRecipients(agreementId, includeRemoved: true), client, host).ToList();
            foreach (var failed in changes.Where(c => c.Action == AccessAction.Failed))
            {
                host.WriteWarning($"Access for {failed.Email} on agreement {agreementId} could not be taken away: {failed.Reason}");
            }

            return Summarise(changes);
        }
        catch (DataShareException ex)
        {
            host.WriteWarning($"Access for agreement {agreementId} could not be taken away: {ex.Message}");
            return "Not revoked: " + ex.Message;
        }
    }

    /// <summary>"2 removed from group …; 1 sign-in blocked; 1 not resolved", or "Nothing to remove".</summary>
    public static string Summarise(IReadOnlyCollection<AccessChange> changes)
    {
        if (changes.Count == 0)
        {
            return "Nothing to remove: no recipients, or no access group";
        }

        var parts = new List<string>();
        foreach (var byGroup in changes.Where(c => c.Action == AccessAction.RemovedFromGroup).GroupBy(c => c.GroupId))
        {
            parts.Add($"{byGroup.Count()} removed from group {byGroup.Key}");
        }

        void Count(AccessAction action, string text)
        {
            var n = changes.Count(c => c.Action == action);
            if (n > 0)
            {
                parts.Add(n.ToString(CultureInfo.InvariantCulture) + " " + text);
            }
        }

        Count(AccessAction.NotAMember, "already not a member");
        Count(AccessAction.KeptForOtherAgreement, "kept for another current agreement");
        Count(AccessAction.SignInBlocked, "guest sign-in blocked");
        Count(AccessAction.NotResolved, "not resolved in the directory");
        Count(AccessAction.Failed, "failed");
        return string.Join("; ", parts);
    }

    /// <summary>The notices of a kind due within <paramref name="withinDays"/>, sent with the host's permission (or shown with -WhatIf).</summary>
    /// <remarks><paramref name="client"/> is asked for only when a notice is actually sent (so -WhatIf needs no connection).</remarks>
    /// <remarks>
    /// A notice already mailed within the NoticeRepeatDays policy setting (same kind, same subject, same day due) is
    /// not mailed again unless <paramref name="force"/>, so a nightly job reminds people once a week rather than every
    /// night; a changed due day (an agreement extended, a certificate renewed) is a new notice. What was mailed is
    /// read from the audit log's Notice.Send entries, once per run and only when there is something to send.
    /// </remarks>
    public IEnumerable<DataShareNotice> SendDue(NoticeKind kind, int withinDays, ICollection<string>? agreementIds, Func<IDirectoryClient?> client, IOperationHost host, bool force = false)
    {
        if (withinDays < 0 || withinDays > 3650)
        {
            throw new DataShareException("NoticeWindowInvalid", DataShareErrorCategory.InvalidArgument, "-WithinDays is from 0 to 3650.", withinDays);
        }

        var day = calendar.Today;
        var last = day.AddDays(withinDays);
        var only = agreementIds is null || agreementIds.Count == 0 ? null : new HashSet<string>(agreementIds, StringComparer.OrdinalIgnoreCase);
        var current = register.ListAgreements().Where(a => (only is null || only.Contains(a.Id)) && IsCurrent(a, day)).ToList();
        if (only is null && kind == NoticeKind.CertificateLapsing)
        {
            readiness.ExpectWholeRegister();
        }

        var drafts = kind switch
        {
            NoticeKind.CertificateLapsing => CertificateNotices(current, day, last),
            NoticeKind.AgreementEnding => EndingNotices(current, day, last),
            NoticeKind.AssessmentLapsing => AssessmentNotices(current, day, last),
            NoticeKind.ReviewDue => ReviewNotices(current, day, last),
            _ => throw new DataShareException("NoticeKindNeedsTransfer", DataShareErrorCategory.InvalidArgument,
                "TransferIssued notices are for a transfer piped straight from New-DataShareTransfer: New-DataShareTransfer … | Send-DataShareNotice -Kind TransferIssued.", kind.ToString()),
        };

        var repeatDays = force ? 0 : int.Parse(policy.EffectiveValues()[PolicyCatalogue.NoticeRepeatDays], NumberStyles.Integer, CultureInfo.InvariantCulture);
        Dictionary<string, DateTimeOffset>? recent = null;
        foreach (var (notice, mail) in drafts)
        {
            host.CancellationToken.ThrowIfCancellationRequested();
            if (repeatDays > 0)
            {
                // Whole days in the policy's zone, so a nightly job a few seconds earlier on the seventh night still mails.
                recent ??= RecentNotices(calendar.Today.AddDays(-repeatDays));
                if (recent.TryGetValue(NoticeKey(notice.Kind.ToString(), notice.Subject, Due(notice.Due)), out var mailedAt))
                {
                    host.WriteVerbose($"Not mailing the {notice.Kind} notice about {notice.Subject} again: it went on {mailedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, within the {repeatDays} day(s) of NoticeRepeatDays. -Force mails it now.");
                    continue;
                }
            }

            DataShareNotice? sent;
            try
            {
                sent = Send(notice, mail, client, host);
            }
            catch (DataShareException ex) when (ex.ErrorId is "DirectoryObjectNotFound" or "DirectoryUnavailable")
            {
                // One mailbox or one answer failing does not stop the other notices; the rest (not connected, no
                // permission, no sender) would fail for every notice alike, so they stop the run.
                notice.Problem = ex.Message;
                sent = notice;
            }

            if (sent is not null)
            {
                yield return sent;
            }
        }
    }

    /// <summary>Mails a just-issued transfer's link to its recipients, keeping no copy in Sent Items.</summary>
    public DataShareNotice? SendTransferIssued(DataShareTransfer transfer, Func<IDirectoryClient?> client, IOperationHost host)
    {
        if (transfer.Uri is null)
        {
            throw new DataShareException("TransferLinkUnavailable", DataShareErrorCategory.InvalidOperation,
                $"Transfer {transfer.Id} carries no link: links are never stored, so only a transfer piped straight from New-DataShareTransfer can be mailed. Issue a fresh link with New-DataShareTransfer -FromTransfer {transfer.Id} | Send-DataShareNotice -Kind TransferIssued.",
                transfer.Id);
        }

        var agreement = register.FindAgreement(transfer.AgreementId);
        var to = transfer.RecipientIds.Select(id => register.FindRecipient(id)?.Email).Where(e => e is not null).Select(e => e!).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var cc = Officer(agreement);
        var body = new StringBuilder()
            .AppendLine($"Data for agreement {transfer.AgreementId} ({agreement?.Title}) is ready to download.")
            .AppendLine()
            .AppendLine($"Link (read-only, works until {transfer.ExpiresOn.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC):")
            .AppendLine(transfer.Uri.Reveal().AbsoluteUri)
            .AppendLine()
            .AppendLine("Files and their SHA-256, to check what you download:");
        foreach (var file in transfer.Files)
        {
            body.AppendLine($"  {file.Name}  {file.Size} bytes  {file.Sha256}");
        }

        body.AppendLine().AppendLine("Do not forward this mail: the link works for anyone who has it.");
        var notice = new DataShareNotice
        {
            Kind = NoticeKind.TransferIssued,
            AgreementId = transfer.AgreementId,
            Subject = transfer.Id,
            To = to,
            Cc = cc,
            Title = $"Data for agreement {transfer.AgreementId} is ready to download",
            SavedToSentItems = false,
        };
        return Send(notice, new DirectoryMail { To = to, Cc = cc, Subject = notice.Title, Body = body.ToString(), SaveToSentItems = false }, client, host);
    }

    private DataShareNotice? Send(DataShareNotice notice, DirectoryMail mail, Func<IDirectoryClient?> clientFor, IOperationHost host)
    {
        if (notice.To.Length == 0)
        {
            host.WriteWarning($"No one to mail the {notice.Kind} notice about {notice.Subject} to: no email address is recorded.");
            return null;
        }

        var what = $"Mail the {notice.Kind} notice about {notice.Subject}" + (notice.Cc.Length == 0 ? string.Empty : $" (copy to {string.Join(", ", notice.Cc)})");
        if (!host.ShouldProcess(string.Join(", ", notice.To), what))
        {
            return null;
        }

        var client = clientFor();
        if (client is null)
        {
            throw new DataShareException("DirectoryNotConnected", DataShareErrorCategory.InvalidOperation,
                "The session is not connected to the directory, so nothing can be mailed (-WhatIf shows who would be, without connecting). Run Connect-DataShareDirectory first.", null);
        }

        // With application permissions there is no signed-in user: the mail goes from -Sender or the NoticeSender
        // policy's mailbox. An officer's own sign-in sends as the officer unless -Sender names a shared mailbox.
        var factory = directory();
        var sender = factory?.Info.Sender ?? (factory?.UsesApplicationPermissions == true ? Blank(policy.EffectiveValues()[PolicyCatalogue.NoticeSender]) : null);
        if (sender is null && factory?.UsesApplicationPermissions == true)
        {
            throw new DataShareException("NoticeSenderMissing", DataShareErrorCategory.InvalidOperation,
                "Signed in with application permissions, notices need a mailbox to send from: Connect-DataShareDirectory -Sender, or Set-DataSharePolicy NoticeSender.", null);
        }

        client.SendMailAsync(sender, mail, host.CancellationToken).GetAwaiter().GetResult();
        notice.Sent = true;
        register.AppendAudit(new AuditEvent("Notice.Send", notice.Kind == NoticeKind.TransferIssued ? "Transfer" : "Notice", notice.Subject, new Dictionary<string, string?>
        {
            ["Kind"] = notice.Kind.ToString(),
            ["AgreementId"] = notice.AgreementId,
            ["To"] = string.Join(", ", notice.To),
            ["Cc"] = notice.Cc.Length == 0 ? null : string.Join(", ", notice.Cc),
            ["Title"] = notice.Title,
            ["Due"] = Due(notice.Due),
            ["SavedToSentItems"] = mail.SaveToSentItems ? "true" : "false",
        }));
        host.WriteVerbose($"Mailed the {notice.Kind} notice about {notice.Subject} to {string.Join(", ", notice.To)}.");
        return notice;
    }

    /// <summary>The latest time each notice was mailed on a day after <paramref name="afterDay"/>, by <see cref="NoticeKey"/>.</summary>
    private Dictionary<string, DateTimeOffset> RecentNotices(DateTime afterDay)
    {
        var recent = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in register.ReadAuditLog(1))
        {
            // An entry changed outside the module is not trusted to hold a notice back.
            if (entry.Problem is null && entry.Action == "Notice.Send" && calendar.DayOf(entry.Timestamp) > afterDay && entry.Details.TryGetValue("Kind", out var kind))
            {
                var key = NoticeKey(kind, entry.TargetId, entry.Details.TryGetValue("Due", out var due) ? due : null);
                if (!recent.TryGetValue(key, out var seen) || seen < entry.Timestamp)
                {
                    recent[key] = entry.Timestamp;
                }
            }
        }

        return recent;
    }

    private static string NoticeKey(string kind, string subject, string? due) => kind + "|" + subject + "|" + due;

    private static string? Due(DateTime? due) => due is { } day ? DateText.FormatDate(day) : null;

    private IEnumerable<(DataShareNotice, DirectoryMail)> CertificateNotices(List<DataShareAgreement> current, DateTime day, DateTime last)
    {
        var mailed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var agreement in current)
        {
            foreach (var recipient in register.ListRecipients(agreement.Id, includeRemoved: false))
            {
                readiness.Test(recipient, day, null, out var certificate);
                if (certificate is not { IsValid: true } || certificate.ValidUntil.Date > last || !mailed.Add(recipient.PersonId + "|" + certificate.CertificateId))
                {
                    continue;
                }

                var until = DateText.FormatDate(certificate.ValidUntil);
                var notice = new DataShareNotice
                {
                    Kind = NoticeKind.CertificateLapsing,
                    AgreementId = agreement.Id,
                    Subject = recipient.Id,
                    To = new[] { recipient.Email },
                    Cc = Officer(agreement),
                    Title = $"Your disclosure certificate stops being accepted after {until}",
                    Due = certificate.ValidUntil.Date,
                };
                yield return (notice, Mail(notice,
                    $"Dear {recipient.Name},\n\nYour {certificate.Issuer} {certificate.Level} disclosure certificate, issued {DateText.FormatDate(certificate.IssuedOn)}, is accepted for agreement {agreement.Id} ({agreement.Title}) until {until}.\n\nPlease send a newer certificate to the agreement's officer before then, or your access will stop."));
            }
        }
    }

    private IEnumerable<(DataShareNotice, DirectoryMail)> EndingNotices(List<DataShareAgreement> current, DateTime day, DateTime last)
    {
        foreach (var agreement in current.Where(a => a.EndsOn.Date >= day && a.EndsOn.Date <= last))
        {
            var to = register.ListRecipients(agreement.Id, includeRemoved: false).Select(r => r.Email).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            var ends = DateText.FormatDate(agreement.EndsOn);
            var notice = new DataShareNotice
            {
                Kind = NoticeKind.AgreementEnding,
                AgreementId = agreement.Id,
                Subject = agreement.Id,
                To = to.Length == 0 ? Officer(agreement) : to,
                Cc = to.Length == 0 ? Array.Empty<string>() : Officer(agreement),
                Title = $"Agreement {agreement.Id} ends on {ends}",
                Due = agreement.EndsOn.Date,
            };
            yield return (notice, Mail(notice,
                $"Agreement {agreement.Id} ({agreement.Title}) with {agreement.Organisation} ends on {ends}.\n\nAfter that day access is removed, and every copy of the data must be destroyed within {agreement.RetentionDays} day(s). The organisation will be asked to confirm the destruction of its own copies."));
        }
    }

    private IEnumerable<(DataShareNotice, DirectoryMail)> AssessmentNotices(List<DataShareAgreement> current, DateTime day, DateTime last)
    {
        foreach (var byOrganisation in current.Where(a => a.AccessRoute == AccessRoute.DirectTransfer && a.OrganisationId is not null).GroupBy(a => a.OrganisationId!))
        {
            var organisation = register.FindOrganisation(byOrganisation.Key);
            var verdict = OrganisationRules.Evaluate(register.ListAssessments(byOrganisation.Key), day);
            if (organisation is null || verdict.ValidUntil is not { } until || until > last)
            {
                continue;
            }

            var officers = byOrganisation.SelectMany(Officer).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            var to = organisation.ProtectionOfficerEmail is { } dpo ? new[] { dpo } : officers;
            var notice = new DataShareNotice
            {
                Kind = NoticeKind.AssessmentLapsing,
                AgreementId = byOrganisation.Count() == 1 ? byOrganisation.First().Id : null,
                Subject = organisation.Id,
                To = to,
                Cc = organisation.ProtectionOfficerEmail is null ? Array.Empty<string>() : officers,
                Title = $"{organisation.Name}: security assessment lapses after {DateText.FormatDate(until)}",
                Due = until.Date,
            };
            yield return (notice, Mail(notice,
                $"The information security assessment of {organisation.Name} ({verdict.Deciding!.Reference}) is current until {DateText.FormatDate(until)}.\n\nData goes to the organisation directly under agreements {string.Join(", ", byOrganisation.Select(a => a.Id))} only while it is current: please arrange the next assessment before then."));
        }
    }

    private static DirectoryMail Mail(DataShareNotice notice, string body) => new() { To = notice.To, Cc = notice.Cc, Subject = notice.Title, Body = body.Replace("\n", Environment.NewLine) };

    private static string[] Officer(DataShareAgreement? agreement) =>
        agreement?.OfficerEmail is { Length: > 0 } email ? new[] { email } : Array.Empty<string>();

    /// <summary>An agreement under which a person may have access now: approved and not ended (a suspended one gives none).</summary>
    private static bool GivesAccess(DataShareAgreement agreement, DateTime day) =>
        AgreementRules.StatusOn(agreement, day) is AgreementStatus.Active or AgreementStatus.Approved;

    private static bool IsCurrent(DataShareAgreement agreement, DateTime day) =>
        AgreementRules.StatusOn(agreement, day) is AgreementStatus.Active or AgreementStatus.Approved or AgreementStatus.Suspended;

    private AccessChange Change(DataShareRecipient recipient, string? objectId, AccessAction action, string? group, string reason) => new()
    {
        AgreementId = recipient.AgreementId,
        RecipientId = recipient.Id,
        Email = recipient.Email,
        ObjectId = objectId,
        Action = action,
        GroupId = group,
        Reason = reason,
        At = clock.UtcNow,
    };

    private void Audit(AccessChange change) =>
        register.AppendAudit(new AuditEvent(change.Action == AccessAction.SignInBlocked ? "Access.BlockSignIn" : "Access.Revoke", "Recipient", change.RecipientId, new Dictionary<string, string?>
        {
            ["AgreementId"] = change.AgreementId,
            ["ObjectId"] = change.ObjectId,
            ["GroupId"] = change.GroupId,
            ["Result"] = change.Action.ToString(),
            ["Reason"] = change.Action == AccessAction.Failed ? change.Reason : null,
        }));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
