using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Organisations;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.SafePeople;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Transfers;

/// <summary>What New-DataShareTransfer was asked for.</summary>
public sealed class TransferRequest
{
    public string? AgreementId { get; set; }

    /// <summary>Full paths of files and folders (a folder sends every file in it, keeping sub-folders in the names).</summary>
    public IReadOnlyList<string> Paths { get; set; } = Array.Empty<string>();

    /// <summary>Re-issue a link for the files a previous transfer uploaded, instead of uploading.</summary>
    public string? FromTransferId { get; set; }

    public TimeSpan ValidFor { get; set; }

    /// <summary>The recipients to issue the link to; all the agreement's current recipients when empty.</summary>
    public IReadOnlyList<string> RecipientIds { get; set; } = Array.Empty<string>();

    public string? AllowedIpRange { get; set; }

    public UploadOptions Upload { get; set; } = new();
}

/// <summary>
/// Issues, lists and revokes transfers. Every check runs before anything is created; then the files go into a
/// container of the transfer's own, a read-only link is signed, and the transfer and its holding are recorded.
/// Any failure (Ctrl+C included) removes what was created. The link is returned once and stored nowhere.
/// </summary>
public sealed partial class TransferService
{
    private const string Activity = "Uploading transfer";

    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly string actor;
    private readonly AgreementService agreements;
    private readonly RecipientService recipients;
    private readonly ReadinessService readiness;
    private readonly Func<TransferPolicy> policy;

    public TransferService(IDataShareRegister register, ShareCalendar calendar, IClock clock, string actor, AgreementService agreements,
        RecipientService recipients, ReadinessService readiness, Func<TransferPolicy> policy)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.actor = actor;
        this.agreements = agreements;
        this.recipients = recipients;
        this.readiness = readiness;
        this.policy = policy;
    }

    /// <summary>The transfer, or a TransferNotFound error.</summary>
    /// <summary>Refuses an agreement not in good standing (review overdue, DPIA missing); set by the engine.</summary>
    public Action<DataShareAgreement>? Standing { get; set; }

    public DataShareTransfer Get(string id)
    {
        var normalised = Ids.Normalise(Ids.TransferPrefix, id);
        var transfer = (normalised is null ? null : register.FindTransfer(normalised)) ?? throw NotFound(id);
        return WithStatus(transfer, register.FindHolding(transfer.HoldingId)?.State == HoldingState.Destroyed);
    }

    /// <summary>Transfers of an agreement (or all), optionally only those in the given states.</summary>
    public IEnumerable<DataShareTransfer> Find(string? agreementId, ICollection<TransferStatus>? statuses)
    {
        var agreement = agreementId is null ? null : agreements.Get(agreementId).Id;
        HashSet<string>? destroyed = null;
        foreach (var transfer in register.ListTransfers(agreement))
        {
            // The holdings in one read, once there is a transfer to judge (one request on a Table register).
            destroyed ??= DestroyedHoldings(register, agreement);
            WithStatus(transfer, destroyed.Contains(transfer.HoldingId));
            if (statuses is null || statuses.Count == 0 || statuses.Contains(transfer.Status))
            {
                yield return transfer;
            }
        }
    }

    /// <summary>Issues a transfer; null when the host declined (-WhatIf, or "no" at -Confirm).</summary>
    public DataShareTransfer? Issue(TransferRequest request, ITransferStorage? storage, IOperationHost host)
    {
        if (storage is null)
        {
            throw new DataShareException("StorageNotConnected", DataShareErrorCategory.InvalidOperation,
                "No storage account is connected. Run Connect-DataShareStorage first.", null);
        }

        var rules = policy();
        var kind = storage.CanSignWithAccountKey ? TransferLinkKind.StoredAccessPolicy : TransferLinkKind.UserDelegation;
        var now = clock.UtcNow;
        var (startsOn, expiresOn) = TransferRules.Window(request.ValidFor, now, rules, kind);
        var ipRange = TransferRules.NormaliseIpRange(request.AllowedIpRange);

        var source = request.FromTransferId is null ? null : Get(request.FromTransferId);
        if (source?.State == TransferState.Incomplete)
        {
            throw Incomplete(source, "has no uploaded files to issue a fresh link for: send them again with -Path");
        }

        var agreementId = source?.AgreementId ?? request.AgreementId
            ?? throw new DataShareException("AgreementIdMissing", DataShareErrorCategory.InvalidArgument, "Give -AgreementId, or -FromTransfer.", null);
        var agreement = agreements.Get(agreementId);
        if (source is not null && request.AgreementId is not null && !string.Equals(AgreementRules.NormaliseId(request.AgreementId), source.AgreementId, StringComparison.Ordinal))
        {
            throw new DataShareException("TransferAgreementMismatch", DataShareErrorCategory.InvalidArgument,
                $"Transfer {source.Id} belongs to agreement {source.AgreementId}, not {request.AgreementId}.", source.Id);
        }

        var lastDay = calendar.DayOf(expiresOn);
        CheckAgreement(agreement, lastDay, rules);
        var checkedRecipients = CheckRecipients(agreement, request.RecipientIds, lastDay);

        var transferId = Ids.NewTransferId();
        var transfer = new DataShareTransfer
        {
            Id = transferId,
            AgreementId = agreement.Id,
            StorageAccount = storage.AccountName,
            BlobEndpoint = storage.BlobEndpoint.ToString().TrimEnd('/'),
            RecipientIds = checkedRecipients,
            LinkKind = kind,
            AccessPolicyId = kind == TransferLinkKind.StoredAccessPolicy ? transferId : null,
            AllowedIpRange = ipRange,
            StartsOn = DateText.Truncate(startsOn),
            ExpiresOn = DateText.Truncate(expiresOn),
            IssuedAt = now,
            IssuedBy = actor,
            FromTransferId = source?.Id,
        };

        return source is null
            ? IssueNew(transfer, TransferFiles.Resolve(request.Paths, host), storage, request.Upload, host)
            : IssueAgain(transfer, source, storage, host);
    }

    private void CheckAgreement(DataShareAgreement agreement, DateTime lastDay, TransferPolicy rules)
    {
        if (agreement.Status != AgreementStatus.Active)
        {
            throw new DataShareException("TransferAgreementNotActive", DataShareErrorCategory.InvalidOperation,
                $"Agreement {agreement.Id} is {agreement.Status} today, not Active: data is transferred only under an active agreement.", agreement.Id);
        }

        if (agreement.AccessRoute != AccessRoute.DirectTransfer)
        {
            throw new DataShareException("TransferRouteNotDirect", DataShareErrorCategory.InvalidOperation,
                $"Agreement {agreement.Id}'s access route is {agreement.AccessRoute}: data leaves by transfer only when the route is DirectTransfer.", agreement.Id);
        }

        if (OrganisationRules.MissingJustification(agreement) is { } missing)
        {
            throw new DataShareException("TransferJustificationMissing", DataShareErrorCategory.InvalidOperation,
                missing + " No transfer is issued until it has one.", agreement.Id);
        }

        Standing?.Invoke(agreement);

        CheckOrganisation(agreement, lastDay);

        if (lastDay > agreement.EndsOn.Date)
        {
            throw new DataShareException("TransferOutlastsAgreement", DataShareErrorCategory.InvalidArgument,
                $"The link would work until {DateText.FormatDate(lastDay)}, after agreement {agreement.Id} ends on {DateText.FormatDate(agreement.EndsOn)}. Give a shorter -ValidFor.", agreement.Id);
        }

        var refused = agreement.DataItems.Where(item => !rules.Allows(item)).ToList();
        if (refused.Count > 0)
        {
            throw new DataShareException("TransferDataItemNotAllowed", DataShareErrorCategory.InvalidOperation,
                $"Agreement {agreement.Id} carries data items whose ratings policy excludes from direct transfer: {string.Join(", ", refused.Select(i => i.Name + " (" + i.Sensitivity + i.IdentificationRisk.ToString(CultureInfo.InvariantCulture) + ")"))}. Allowed: sensitivity {string.Join(",", rules.AllowedSensitivity.ToCharArray())}; identification risk {string.Join(",", rules.AllowedIdentificationRisk.OrderBy(r => r))} (TransferAllowedSensitivity, TransferAllowedIdentificationRisk).",
                agreement.Id);
        }
    }

    /// <summary>The organisation's latest security assessment must have passed and stay current through the link's last day.</summary>
    private void CheckOrganisation(DataShareAgreement agreement, DateTime lastDay)
    {
        var verdict = agreement.OrganisationId is null
            ? OrganisationRules.NoOrganisation
            : OrganisationRules.Evaluate(register.ListAssessments(agreement.OrganisationId), calendar.Today);
        if (verdict.CoversThrough(lastDay))
        {
            return;
        }

        var why = verdict.State == AssessmentState.Current
            ? $"Its security assessment {verdict.Deciding!.Reference} is current only through {DateText.FormatDate(verdict.Deciding.ValidUntil)}, before the link's last day {DateText.FormatDate(lastDay)}: give a shorter -ValidFor, or record the new assessment first."
            : verdict.Reason + " Record a passed assessment with Add-DataShareSecurityAssessment first.";
        throw new DataShareException("TransferOrganisationNotAssessed", DataShareErrorCategory.PermissionDenied,
            $"Data goes directly only to an organisation whose security assessment passed and is current through the link's last day; {agreement.Organisation} ({agreement.Id}) does not qualify. {why}",
            agreement.Id);
    }

    /// <summary>Every named recipient (default: all current ones) must be on the agreement and ready today and on the link's last day.</summary>
    private string[] CheckRecipients(DataShareAgreement agreement, IReadOnlyList<string> requested, DateTime lastDay)
    {
        List<DataShareRecipient> chosen;
        if (requested.Count == 0)
        {
            chosen = recipients.Find(agreement.Id, includeRemoved: false).ToList();
            if (chosen.Count == 0)
            {
                throw new DataShareException("TransferNoRecipients", DataShareErrorCategory.InvalidOperation,
                    $"Agreement {agreement.Id} has no recipients: add them with Add-DataShareRecipient before issuing a link.", agreement.Id);
            }
        }
        else
        {
            chosen = new List<DataShareRecipient>();
            foreach (var id in requested)
            {
                var recipient = recipients.Get(id);
                if (!string.Equals(recipient.AgreementId, agreement.Id, StringComparison.OrdinalIgnoreCase))
                {
                    throw new DataShareException("TransferRecipientNotOnAgreement", DataShareErrorCategory.InvalidArgument,
                        $"Recipient {recipient.Id} ({recipient.Email}) is on agreement {recipient.AgreementId}, not {agreement.Id}.", recipient.Id);
                }

                if (!chosen.Any(r => r.Id == recipient.Id))
                {
                    chosen.Add(recipient);
                }
            }
        }

        var problems = new List<string>();
        var today = calendar.Today;
        foreach (var recipient in chosen)
        {
            foreach (var day in new[] { today, lastDay }.Distinct())
            {
                var result = readiness.Test(recipient, day, 0);
                if (!result.IsReady)
                {
                    var reasons = result.Checks.Where(c => !c.Passed).Select(c => c.Name + ": " + c.Reason);
                    problems.Add($"{recipient.Email} ({recipient.Id}) is not ready on {DateText.FormatDate(day)}{(day == today ? " (today)" : " (the link's last day)")} — {string.Join("; ", reasons)}");
                    break;
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new DataShareException("TransferRecipientNotReady", DataShareErrorCategory.InvalidOperation,
                "Every recipient must pass the safe-people test today and on the link's last day. " + string.Join(" | ", problems), agreement.Id);
        }

        return chosen.Select(r => r.Id).ToArray();
    }

    private DataShareTransfer? IssueAgain(DataShareTransfer transfer, DataShareTransfer source, ITransferStorage storage, IOperationHost host)
    {
        if (!string.Equals(source.StorageAccount, storage.AccountName, StringComparison.Ordinal))
        {
            throw new DataShareException("TransferStorageMismatch", DataShareErrorCategory.InvalidOperation,
                $"Transfer {source.Id}'s files are in storage account {source.StorageAccount}, but the session is connected to {storage.AccountName}. Connect-DataShareStorage to {source.StorageAccount} first.", source.Id);
        }

        transfer.Container = source.Container;
        transfer.HoldingId = source.HoldingId;
        var holding = register.FindHolding(source.HoldingId) ?? throw new DataShareException("TransferFilesGone", DataShareErrorCategory.ObjectNotFound,
            $"Transfer {source.Id}'s holding {source.HoldingId} is no longer in the register.", source.Id);

        // The same checks on the files: each still there, the same size and hash as recorded, and nothing else (the
        // fresh link opens the whole container).
        var stored = storage.ListFiles(source.Container, host.CancellationToken) ?? throw new DataShareException("TransferFilesGone",
            DataShareErrorCategory.ObjectNotFound, $"Transfer {source.Id}'s container '{source.Container}' no longer exists (deleted by the retention sweep or by hand). Upload the files again with -Path.", source.Id);
        if (Mismatch(stored, source.Files, source.Container) is { } problem)
        {
            throw new DataShareException("TransferFilesChanged", DataShareErrorCategory.InvalidData,
                $"The files of transfer {source.Id} are not as it uploaded them: {problem}. Upload the files again with -Path.", source.Id);
        }

        transfer.Files = source.Files.Select(f => new TransferFile { Name = f.Name, Size = f.Size, Sha256 = f.Sha256 }).ToArray();
        transfer.TotalBytes = source.TotalBytes;
        if (!host.ShouldProcess($"transfer {source.Id} (agreement {transfer.AgreementId}): {transfer.Files.Count} file(s) already in '{transfer.Container}'",
            $"Issue a fresh link valid until {transfer.ExpiresOn:yyyy-MM-dd HH:mm} UTC to {transfer.RecipientIds.Count} recipient(s)"))
        {
            return null;
        }

        var agreement = agreements.Get(transfer.AgreementId);
        var links = register.ListTransfers(transfer.AgreementId).Where(t => t.HoldingId == holding.Id).Append(transfer);
        holding.DueOn = Later(holding.DueOn, TransferRules.TransferDueOn(links, calendar.DayOf, policy().GraceDays, agreement));
        var token = host.CancellationToken;
        var policyAdded = false;
        Uri link;
        try
        {
            link = Sign(transfer, storage, token, () => policyAdded = true);
            RecordFreshLink(transfer, holding);
        }
        catch (Exception ex) when (policyAdded)
        {
            throw Undo(ex, transfer, storage, () => storage.RemoveAccessPolicy(transfer.Container, transfer.AccessPolicyId!, CancellationToken.None), $"stored access policy '{transfer.AccessPolicyId}' in '{transfer.Container}'", host);
        }

        // Recorded: a pipeline stopping under the message below must not take away the policy of a recorded link.
        host.WriteVerbose($"Issued transfer {transfer.Id} for the files of {source.Id}; link valid until {transfer.ExpiresOn:yyyy-MM-dd HH:mm} UTC.");
        return Output(transfer, link, host);
    }

    private static DateTime Later(DateTime a, DateTime b) => a > b ? a : b;

    /// <summary>Adds the stored access policy (or asks for a user delegation key) and signs the link.</summary>
    private static Uri Sign(DataShareTransfer transfer, ITransferStorage storage, CancellationToken token, Action? policyAdded = null)
    {
        if (transfer.LinkKind == TransferLinkKind.StoredAccessPolicy)
        {
            storage.AddAccessPolicy(transfer.Container, transfer.AccessPolicyId!, transfer.StartsOn, transfer.ExpiresOn, token);
            policyAdded?.Invoke();
            return storage.SignWithAccessPolicy(transfer.Container, transfer.AccessPolicyId!, transfer.AllowedIpRange);
        }

        return storage.SignWithUserDelegation(transfer.Container, transfer.StartsOn, transfer.ExpiresOn, transfer.AllowedIpRange, token);
    }

    /// <summary>A fresh link on a holding already there: the transfer, the holding's later due day and Transfer.Issue, in one write.</summary>
    private void RecordFreshLink(DataShareTransfer transfer, DataShareHolding holding)
    {
        var details = Details(transfer, holding);
        details["HoldingDueOnMoved"] = "true";
        register.InsertTransfer(transfer, holding, new AuditEvent("Transfer.Issue", "Transfer", transfer.Id, details));
    }

    private DataShareTransfer Output(DataShareTransfer transfer, Uri link, IOperationHost host)
    {
        transfer.Uri = new DataShareLink(link);
        foreach (var file in transfer.Files)
        {
            var builder = new UriBuilder(link);
            builder.Path = builder.Path.TrimEnd('/') + "/" + string.Join("/", file.Name.Split('/').Select(Uri.EscapeDataString));
            file.Uri = new DataShareLink(builder.Uri);
        }

        transfer.Status = TransferStatus.Active;
        transfer.Note = NoteFor(transfer);
        if (transfer.LinkKind == TransferLinkKind.UserDelegation)
        {
            host.WriteWarning(transfer.Note);
        }

        return transfer;
    }

    private static string NoteFor(DataShareTransfer transfer) => transfer.LinkKind == TransferLinkKind.UserDelegation
        ? $"This is a user-delegation link (signed with Microsoft Entra, no account key). It can be withdrawn before {transfer.ExpiresOn:yyyy-MM-dd HH:mm} UTC only by revoking all user delegation keys of storage account {transfer.StorageAccount}, which ends every such link, or by deleting the files."
        : $"Revoke-DataShareTransfer {transfer.Id} withdraws the link by deleting its stored access policy; Azure can take up to 30 seconds to apply that.";

    /// <summary>Withdraws a transfer's link; null when the host declined.</summary>
    public DataShareTransfer? Revoke(string id, ITransferStorage? storage, IOperationHost host)
    {
        var transfer = Get(id);
        if (transfer.State == TransferState.Incomplete)
        {
            throw Incomplete(transfer, "has no link to revoke");
        }

        if (transfer.RevokedAt is not null)
        {
            throw new DataShareException("TransferAlreadyRevoked", DataShareErrorCategory.InvalidOperation,
                $"Transfer {transfer.Id} was revoked on {transfer.RevokedAt:yyyy-MM-dd HH:mm} UTC by {transfer.RevokedBy}.", transfer.Id);
        }

        if (transfer.LinkKind == TransferLinkKind.StoredAccessPolicy)
        {
            if (storage is null)
            {
                throw new DataShareException("StorageNotConnected", DataShareErrorCategory.InvalidOperation,
                    $"Revoking transfer {transfer.Id} deletes its stored access policy in storage account {transfer.StorageAccount}: run Connect-DataShareStorage first.", transfer.Id);
            }

            if (!string.Equals(transfer.StorageAccount, storage.AccountName, StringComparison.Ordinal))
            {
                throw new DataShareException("TransferStorageMismatch", DataShareErrorCategory.InvalidOperation,
                    $"Transfer {transfer.Id} is in storage account {transfer.StorageAccount}, but the session is connected to {storage.AccountName}.", transfer.Id);
            }
        }

        var action = transfer.LinkKind == TransferLinkKind.StoredAccessPolicy
            ? $"Revoke the link: delete stored access policy '{transfer.AccessPolicyId}' of container '{transfer.Container}'"
            : "Record the link as revoked (a user-delegation link keeps working until it expires unless the account's delegation keys are revoked)";
        if (!host.ShouldProcess($"transfer {transfer.Id} (agreement {transfer.AgreementId}, {transfer.Status}, expires {transfer.ExpiresOn:yyyy-MM-dd HH:mm} UTC)", action))
        {
            return null;
        }

        var removed = false;
        if (transfer.LinkKind == TransferLinkKind.StoredAccessPolicy)
        {
            removed = storage!.RemoveAccessPolicy(transfer.Container, transfer.AccessPolicyId!, host.CancellationToken);
            if (!removed)
            {
                host.WriteWarning($"Stored access policy '{transfer.AccessPolicyId}' was not in container '{transfer.Container}' (already deleted, or the container is gone); the revocation is recorded.");
            }
        }

        return Conflicts.Retry(_ =>
        {
            var current = register.FindTransfer(transfer.Id) ?? throw NotFound(transfer.Id);
            current.RevokedAt = clock.UtcNow;
            current.RevokedBy = actor;
            var holding = register.FindHolding(current.HoldingId) ?? throw new DataShareException("HoldingNotFound", DataShareErrorCategory.ObjectNotFound,
                $"Transfer {current.Id}'s holding {current.HoldingId} is not in the register.", current.HoldingId);
            var agreement = agreements.Get(current.AgreementId);
            var links = register.ListTransfers(current.AgreementId).Where(t => t.HoldingId == holding.Id).Select(t => t.Id == current.Id ? current : t).ToList();
            holding.DueOn = TransferRules.TransferDueOn(links, calendar.DayOf, policy().GraceDays, agreement);
            register.UpdateTransfer(current, holding, new AuditEvent("Transfer.Revoke", "Transfer", current.Id, new Dictionary<string, string?>
            {
                ["AgreementId"] = current.AgreementId,
                ["Container"] = current.Container,
                ["LinkKind"] = current.LinkKind.ToString(),
                ["AccessPolicyDeleted"] = current.LinkKind == TransferLinkKind.StoredAccessPolicy ? (removed ? "true" : "already gone") : "not applicable",
                ["HoldingId"] = holding.Id,
                ["HoldingDueOn"] = DateText.FormatDate(holding.DueOn),
            }));
            WithStatus(current, holding.State == HoldingState.Destroyed);
            current.Note = current.LinkKind == TransferLinkKind.StoredAccessPolicy
                ? removed
                    ? "The stored access policy is deleted: the link stops working, on Azure within 30 seconds."
                    : "The stored access policy was already gone (deleted earlier, or the container is gone), so the link no longer works; the revocation is recorded."
                : $"Recorded as revoked, but a user-delegation link keeps working until {current.ExpiresOn:yyyy-MM-dd HH:mm} UTC unless all user delegation keys of {current.StorageAccount} are revoked. Its container falls due for deletion on {DateText.FormatDate(holding.DueOn)}.";
            if (current.LinkKind == TransferLinkKind.UserDelegation)
            {
                host.WriteWarning(current.Note);
            }

            host.WriteVerbose($"Revoked transfer {current.Id}; its container is due for deletion on {DateText.FormatDate(holding.DueOn)}.");
            return current;
        });
    }

    private DataShareTransfer WithStatus(DataShareTransfer transfer, bool containerDestroyed)
    {
        transfer.Status = TransferRules.StatusAt(transfer, clock.UtcNow, containerDestroyed);
        if (transfer.Status == TransferStatus.Incomplete)
        {
            transfer.Note = IncompleteNote(transfer);
        }

        return transfer;
    }

    /// <summary>What became of an incomplete transfer's container: due for deletion on its day, or already swept.</summary>
    private string IncompleteNote(DataShareTransfer transfer)
    {
        var holding = register.FindHolding(transfer.HoldingId);
        var agreement = register.FindAgreement(transfer.AgreementId);
        var fate = holding is null || agreement is null ? $"its holding {transfer.HoldingId} is not in the register"
            : holding.State == HoldingState.Destroyed ? $"the retention sweep deleted its container '{transfer.Container}' (holding {holding.Id}) on {holding.DestroyedAt:yyyy-MM-dd}"
            : $"its container '{transfer.Container}' is holding {holding.Id}, due for deletion on {DateText.FormatDate(Retention.RetentionRules.DueOn(holding, agreement))}";
        return $"No link was issued: the upload did not finish (it may still be running, or it was stopped, killed or failed; a failure is recorded as Transfer.Fail in the audit log). {char.ToUpperInvariant(fate[0])}{fate.Substring(1)}.";
    }

    /// <summary>The ids of the holdings of an agreement (or all) that a sweep verified destroyed.</summary>
    internal static HashSet<string> DestroyedHoldings(IDataShareRegister register, string? agreementId) =>
        new(register.ListHoldings(agreementId).Where(h => h.State == HoldingState.Destroyed).Select(h => h.Id), StringComparer.Ordinal);

    private static DataShareException Incomplete(DataShareTransfer transfer, string what) =>
        new("TransferIncomplete", DataShareErrorCategory.InvalidOperation,
            $"Transfer {transfer.Id} never finished uploading, so it {what}. {transfer.Note}", transfer.Id);

    /// <summary>Removes the stored access policy a fresh link added, after any failure (Ctrl+C included), and says so.</summary>
    private static DataShareException Undo(Exception failure, DataShareTransfer transfer, ITransferStorage storage, Func<bool> undo, string what, IOperationHost host)
    {
        try
        {
            undo();
            return Failed(failure, transfer, $"the {what} was removed, so nothing is left behind", null, host);
        }
        catch (Exception ex) when (ex is DataShareException or OperationCanceledException)
        {
            return Failed(failure, transfer, $"the {what} in {storage.AccountName} could NOT be removed ({ex.Message}): delete it by hand",
                $"Transfer {transfer.Id} failed and left the {what} in {storage.AccountName}: delete it by hand.", host);
        }
    }

    /// <summary>
    /// The error for a transfer that failed or was stopped, saying what was cleaned up (<paramref name="outcome"/>). The
    /// host is spoken to only after the clean-up, and quietly: a stopping pipeline refuses to be written to.
    /// </summary>
    private static DataShareException Failed(Exception failure, DataShareTransfer transfer, string outcome, string? warning, IOperationHost host)
    {
        try
        {
            if (warning is not null)
            {
                host.WriteWarning(warning);
            }

            host.WriteProgress(Activity, "Stopped", 100, completed: true);
        }
        catch (Exception)
        {
            // The pipeline is stopping (Ctrl+C): the error below still says what happened.
        }

        if (failure is OperationCanceledException || host.CancellationToken.IsCancellationRequested)
        {
            return new DataShareException("TransferCancelled", DataShareErrorCategory.OperationStopped,
                $"Transfer {transfer.Id} for agreement {transfer.AgreementId} was stopped. No link was issued; {outcome}.", transfer.AgreementId,
                failure as OperationCanceledException ?? new OperationCanceledException(failure.Message, failure));
        }

        var inner = failure as DataShareException;
        return new DataShareException(inner?.ErrorId ?? "TransferFailed", inner?.Category ?? DataShareErrorCategory.WriteError,
            $"Transfer {transfer.Id} for agreement {transfer.AgreementId} failed: {failure.Message} No link was issued; {outcome}.", inner?.Target ?? transfer.AgreementId, failure);
    }

    private static DataShareException NotFound(string? id) =>
        new("TransferNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no transfer '{id}'. Get-DataShareTransfer lists them.", id);

    internal static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.##", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.##", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.##", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };
}
