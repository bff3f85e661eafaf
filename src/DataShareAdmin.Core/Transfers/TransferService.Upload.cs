using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Transfers;

/// <summary>
/// A new transfer's upload. No untracked copies: the transfer (Incomplete) and its holding (Pending) are written before
/// the container is made, so whatever stops the upload — an error, Ctrl+C, kill -9, a power cut — leaves a holding the
/// retention sweep deletes on its day. The transfer becomes Issued only when every file is uploaded and the container
/// is listed and found to hold exactly those files, hashes and all.
/// </summary>
public sealed partial class TransferService
{
    private DataShareTransfer? IssueNew(DataShareTransfer transfer, List<SourceFile> files, ITransferStorage storage, UploadOptions upload, IOperationHost host)
    {
        transfer.Container = TransferRules.ContainerName(transfer.AgreementId, transfer.Id);
        var totalBytes = files.Sum(f => f.Size);
        if (!host.ShouldProcess(
            $"agreement {transfer.AgreementId}: {files.Count} file(s), {Bytes(totalBytes)}, to {transfer.RecipientIds.Count} recipient(s)",
            $"Upload into new container '{transfer.Container}' in {storage.AccountName} and issue a link valid until {transfer.ExpiresOn:yyyy-MM-dd HH:mm} UTC"))
        {
            return null;
        }

        var agreement = agreements.Get(transfer.AgreementId);
        var holding = new DataShareHolding
        {
            Id = Ids.NewHoldingId(),
            AgreementId = transfer.AgreementId,
            Kind = HoldingKind.BlobContainer,
            Location = transfer.BlobEndpoint + "/" + transfer.Container,
            StorageAccount = storage.AccountName,
            Container = transfer.Container,
            TransferId = transfer.Id,
            RegisteredAt = transfer.IssuedAt,
            RegisteredBy = actor,
            State = HoldingState.Pending,
            DueOn = TransferRules.PendingDueOn(transfer.IssuedAt, calendar.DayOf, policy().GraceDays, agreement),
        };
        transfer.HoldingId = holding.Id;
        transfer.State = TransferState.Incomplete;
        transfer.Files = files.Select(f => new TransferFile { Name = f.BlobName, Size = f.Size }).ToArray();
        transfer.TotalBytes = totalBytes;

        // Before the first byte: from here on, whatever happens, the register knows where the files are going.
        register.InsertTransfer(transfer, holding, new AuditEvent("Transfer.Start", "Transfer", transfer.Id, Details(transfer, holding)));
        host.WriteVerbose($"Recorded transfer {transfer.Id} as incomplete, with its container '{transfer.Container}' as holding {holding.Id} (due for deletion on {DateText.FormatDate(holding.DueOn)} unless it completes).");

        var token = host.CancellationToken;
        Uri link;
        try
        {
            storage.CreateContainer(transfer.Container, new Dictionary<string, string>
            {
                ["agreementid"] = transfer.AgreementId,
                ["transferid"] = transfer.Id,
                ["holdingid"] = holding.Id,
                ["createdby"] = "DataShareAdmin",
            }, token);
            host.WriteVerbose($"Created container '{transfer.Container}' in {storage.AccountName}.");

            var uploaded = UploadAll(transfer, files, totalBytes, storage, upload, host);
            Verify(transfer, uploaded, storage, token);
            transfer.Files = uploaded;
            link = Sign(transfer, storage, token);
            Complete(transfer, holding);
        }
        catch (Exception ex)
        {
            throw Fail(ex, transfer, holding, storage, host);
        }

        // Issued and recorded: from here nothing undoes it (a pipeline stopping under the messages below must not
        // delete the container of a transfer the register holds as issued).
        host.WriteVerbose($"Issued transfer {transfer.Id}: {transfer.Files.Count} file(s), {Bytes(totalBytes)}, link valid until {transfer.ExpiresOn:yyyy-MM-dd HH:mm} UTC; container due for deletion on {DateText.FormatDate(holding.DueOn)}.");
        return Output(transfer, link, host);
    }

    private List<TransferFile> UploadAll(DataShareTransfer transfer, List<SourceFile> files, long totalBytes, ITransferStorage storage, UploadOptions upload, IOperationHost host)
    {
        var uploaded = new List<TransferFile>(files.Count);
        long done = 0;
        var lastReport = Stopwatch.StartNew();
        var lastPercent = -1;
        string? lastStatus = null;
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var status = $"{file.BlobName} ({i + 1} of {files.Count}, {Bytes(file.Size)})";
            var metadata = new Dictionary<string, string> { ["agreementid"] = transfer.AgreementId, ["transferid"] = transfer.Id };
            TransferFile result;
            try
            {
                // Checked again just before the file is opened: it may have been swapped for a link since it was found.
                TransferFiles.RefuseLink(new FileInfo(file.Path));
                result = storage.Upload(transfer.Container, file.BlobName, file.Path, metadata, upload, sent =>
                {
                    var percent = totalBytes == 0 ? 100 : (int)((done + sent) * 100 / totalBytes);
                    if (status != lastStatus || (percent != lastPercent && (lastReport.ElapsedMilliseconds >= 200 || percent == 100)))
                    {
                        host.WriteProgress(Activity, status, percent, completed: false);
                        lastPercent = percent;
                        lastStatus = status;
                        lastReport.Restart();
                    }
                }, host.CancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DataShareException("TransferFileUnreadable", DataShareErrorCategory.ReadError, $"'{file.Path}' could not be read: {ex.Message}", file.Path, ex);
            }

            result.Name = file.BlobName;
            if (result.Size != file.Size)
            {
                throw new DataShareException("TransferFileChanged", DataShareErrorCategory.InvalidData,
                    $"'{file.Path}' changed size while it was being sent ({file.Size} bytes before, {result.Size} after). Send it again once it is complete.", file.Path);
            }

            done += file.Size;
            uploaded.Add(result);
            host.WriteVerbose($"Uploaded {file.BlobName}: {Bytes(result.Size)}, SHA-256 {result.Sha256}.");
        }

        host.WriteProgress(Activity, "Done", 100, completed: true);
        return uploaded;
    }

    /// <summary>
    /// Lists the container before the link is signed: it must hold exactly the files uploaded, each with the size and
    /// SHA-256 computed while it was read. The link opens the whole container, so anything else in it would go too.
    /// </summary>
    private static void Verify(DataShareTransfer transfer, IReadOnlyList<TransferFile> uploaded, ITransferStorage storage, CancellationToken token)
    {
        var stored = storage.ListFiles(transfer.Container, token);
        var problem = stored is null ? $"the container '{transfer.Container}' is gone" : Mismatch(stored, uploaded, transfer.Container);
        if (problem is not null)
        {
            throw new DataShareException("TransferUploadMismatch", DataShareErrorCategory.InvalidData,
                $"What is in the container is not what was uploaded: {problem}. The link would give out exactly what is there, so it was not signed.", transfer.Container);
        }
    }

    /// <summary>What differs between a container's listing and the files that should be all it holds; null when nothing.</summary>
    private static string? Mismatch(IReadOnlyList<StoredFile> stored, IEnumerable<TransferFile> expected, string container)
    {
        var byName = stored.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var file in expected)
        {
            if (!byName.TryGetValue(file.Name, out var match))
            {
                return $"'{file.Name}' is missing from '{container}'";
            }

            if (match.Size != file.Size || !match.Metadata.TryGetValue(BlobTransferStorage.Sha256Key, out var sha) || sha != file.Sha256)
            {
                return $"'{file.Name}' in '{container}' is not the file that was uploaded (size or SHA-256 differs)";
            }

            byName.Remove(file.Name);
        }

        return byName.Count == 0 ? null : $"'{container}' also holds {string.Join(", ", byName.Keys.Take(5).Select(n => "'" + n + "'"))}{(byName.Count > 5 ? $" and {byName.Count - 5} more" : string.Empty)}, which no transfer uploaded";
    }

    /// <summary>Marks the transfer issued and its holding held, due after the link, in one write; refused if a sweep took the holding meanwhile.</summary>
    private void Complete(DataShareTransfer transfer, DataShareHolding holding)
    {
        Conflicts.Retry(_ =>
        {
            var current = register.FindHolding(holding.Id);
            if (current is null || current.State != HoldingState.Pending)
            {
                throw new DataShareException("TransferContainerSwept", DataShareErrorCategory.InvalidOperation,
                    $"Holding {holding.Id}, the container '{transfer.Container}', is {(current is null ? "no longer in the register" : current.State.ToString())}: the retention sweep took it while the files were being uploaded, so the transfer is not issued. Send the files again with -Path.",
                    transfer.Id);
            }

            var stored = register.FindTransfer(transfer.Id)!;
            stored.State = TransferState.Issued;
            stored.Files = transfer.Files;
            stored.TotalBytes = transfer.TotalBytes;
            current.State = HoldingState.Held;
            current.DueOn = TransferRules.TransferDueOn(new[] { stored }, calendar.DayOf, policy().GraceDays, agreements.Get(transfer.AgreementId));
            register.UpdateTransfer(stored, current, new AuditEvent("Transfer.Issue", "Transfer", transfer.Id, Details(stored, current)));
            transfer.State = TransferState.Issued;
            transfer.Version = stored.Version;
            holding.State = current.State;
            holding.DueOn = current.DueOn;
            return true;
        });
    }

    /// <summary>
    /// After any failure (Ctrl+C included): removes the container, records the failure with the transfer still
    /// incomplete and its holding due at once (so the next sweep checks the container is gone, or deletes what the
    /// clean-up could not), and says what happened. Never throws over the original failure.
    /// </summary>
    private DataShareException Fail(Exception failure, DataShareTransfer transfer, DataShareHolding holding, ITransferStorage storage, IOperationHost host)
    {
        var today = calendar.Today;
        var error = failure is OperationCanceledException || host.CancellationToken.IsCancellationRequested ? "TransferCancelled"
            : (failure as DataShareException)?.ErrorId ?? "TransferFailed";
        var cleaned = failure is DataShareException { ErrorId: "TransferContainerExists" }
            ? $"the container '{transfer.Container}' was already there and is not this transfer's, so it was left alone"
            : CleanUp(transfer, storage, out var removed) ?? (removed ? $"the container '{transfer.Container}' was removed, so nothing is left behind" : "nothing had been created in storage");
        var leftBehind = cleaned.Contains("could NOT", StringComparison.Ordinal);

        string recorded;
        try
        {
            recorded = RecordFailure(failure, error, transfer, holding, today);
        }
        catch (Exception ex) when (ex is DataShareException or IOException)
        {
            recorded = $"the failure could not be recorded ({ex.Message}); the register still holds transfer {transfer.Id} as incomplete and its container as holding {holding.Id}, due for deletion on {DateText.FormatDate(holding.DueOn)}";
        }

        return Failed(failure, transfer, $"{cleaned}; {recorded}",
            leftBehind ? $"Transfer {transfer.Id} failed and left the container '{transfer.Container}' in {storage.AccountName}: it is holding {holding.Id}, due for deletion today; the retention sweep deletes it, or delete it by hand." : null,
            host);
    }

    /// <summary>Deletes the container if it is there; null when that went as it should, else what was left.</summary>
    private static string? CleanUp(DataShareTransfer transfer, ITransferStorage storage, out bool removed)
    {
        removed = false;
        try
        {
            removed = storage.DeleteContainer(transfer.Container, CancellationToken.None);
            return null;
        }
        catch (Exception ex) when (ex is DataShareException or OperationCanceledException)
        {
            return $"the container '{transfer.Container}' in {storage.AccountName} could NOT be removed ({ex.Message}): the retention sweep deletes it on its due day, today";
        }
    }

    /// <summary>Transfer.Fail, with the holding due today unless a sweep has already destroyed it.</summary>
    private string RecordFailure(Exception failure, string error, DataShareTransfer transfer, DataShareHolding holding, DateTime today)
    {
        return Conflicts.Retry(_ =>
        {
            var current = register.FindHolding(holding.Id) ?? holding;
            var stored = register.FindTransfer(transfer.Id) ?? transfer;
            if (current.State == HoldingState.Pending && current.DueOn > today)
            {
                current.DueOn = today;
            }

            var details = Details(stored, current);
            details["Error"] = error;
            details["Reason"] = failure.Message;
            register.UpdateTransfer(stored, current, new AuditEvent("Transfer.Fail", "Transfer", transfer.Id, details));
            holding.DueOn = current.DueOn;
            return current.State == HoldingState.Pending
                ? $"transfer {transfer.Id} is recorded as incomplete, and its container (holding {holding.Id}) is due for deletion on {DateText.FormatDate(current.DueOn)}, so the retention sweep checks it is gone"
                : $"transfer {transfer.Id} is recorded as incomplete; its holding {holding.Id} is {current.State}";
        });
    }

    /// <summary>What Transfer.Start, Transfer.Issue and Transfer.Fail record: never the link.</summary>
    private static Dictionary<string, string?> Details(DataShareTransfer transfer, DataShareHolding holding) => new()
    {
        ["AgreementId"] = transfer.AgreementId,
        ["HoldingId"] = holding.Id,
        ["Container"] = transfer.Container,
        ["StorageAccount"] = transfer.StorageAccount,
        ["Files"] = string.Join(";", transfer.Files.Select(f => f.Name + ":" + f.Size.ToString(CultureInfo.InvariantCulture) + (f.Sha256.Length == 0 ? string.Empty : ":" + f.Sha256))),
        ["TotalBytes"] = transfer.TotalBytes.ToString(CultureInfo.InvariantCulture),
        ["RecipientIds"] = string.Join(",", transfer.RecipientIds),
        ["LinkKind"] = transfer.LinkKind.ToString(),
        ["AccessPolicyId"] = transfer.AccessPolicyId,
        ["AllowedIpRange"] = transfer.AllowedIpRange,
        ["StartsOn"] = DateText.FormatInstant(transfer.StartsOn),
        ["ExpiresOn"] = DateText.FormatInstant(transfer.ExpiresOn),
        ["FromTransferId"] = transfer.FromTransferId,
        ["HoldingDueOn"] = DateText.FormatDate(holding.DueOn),
    };
}
