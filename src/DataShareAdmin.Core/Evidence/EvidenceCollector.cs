using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.SafePeople;
using DataShareAdmin.Core.Time;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Evidence;

/// <summary>
/// Gathers what the register holds about one agreement into the evidence pack's index. Reads only. Each record is
/// copied field by field into the index's own classes, so a field added to a record later (a link, a key) never
/// reaches a pack by accident.
/// </summary>
internal sealed class EvidenceCollector
{
    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly AgreementService agreements;
    private readonly TransferService transfers;
    private readonly ReadinessService readiness;

    public EvidenceCollector(IDataShareRegister register, ShareCalendar calendar, AgreementService agreements, TransferService transfers, ReadinessService readiness)
    {
        this.register = register;
        this.calendar = calendar;
        this.agreements = agreements;
        this.transfers = transfers;
        this.readiness = readiness;
    }

    public EvidenceDocument Collect(string agreementId, DateTimeOffset now, string user, IOperationHost host)
    {
        var agreement = agreements.Get(agreementId);
        var document = new EvidenceDocument
        {
            GeneratedAt = DateText.FormatInstant(now),
            GeneratedBy = user,
            AsOf = DateText.FormatDate(calendar.Today),
            TimeZone = calendar.TimeZone.Id,
            Agreement = Agreement(agreement),
        };

        const string activity = "Gathering the evidence";
        host.WriteProgress(activity, $"Agreement {agreement.Id}: organisation and recipients", 5, completed: false);
        if (agreement.OrganisationId is not null && register.FindOrganisation(agreement.OrganisationId) is { } organisation)
        {
            document.Organisation = Organisation(organisation);
        }

        var recipients = register.ListRecipients(agreement.Id, includeRemoved: true).ToList();
        foreach (var recipient in recipients)
        {
            host.CancellationToken.ThrowIfCancellationRequested();
            document.Recipients.Add(Recipient(recipient));
        }

        host.WriteProgress(activity, $"Agreement {agreement.Id}: transfers and readiness on each transfer day", 20, completed: false);
        foreach (var transfer in transfers.Find(agreement.Id, null))
        {
            host.CancellationToken.ThrowIfCancellationRequested();
            document.Transfers.Add(Transfer(transfer, recipients));
        }

        host.WriteProgress(activity, $"Agreement {agreement.Id}: holdings and destruction records", 40, completed: false);
        var destructions = register.ListDestructions(agreement.Id).ToLookup(d => d.HoldingId, StringComparer.Ordinal);
        foreach (var holding in register.ListHoldings(agreement.Id))
        {
            document.Holdings.Add(Holding(holding, destructions[holding.Id]));
        }

        if (register.FindConfirmation(agreement.Id) is { } confirmation)
        {
            document.DestructionConfirmation = new EvidenceConfirmation
            {
                ConfirmedBy = confirmation.ConfirmedBy,
                ConfirmedOn = DateText.FormatDate(confirmation.ConfirmedOn),
                Evidence = confirmation.Evidence,
                RecordedAt = DateText.FormatInstant(confirmation.RecordedAt),
                RecordedBy = confirmation.RecordedBy,
            };
        }

        foreach (var incident in register.ListIncidents(agreement.Id))
        {
            document.Incidents.Add(EvidenceIncident.From(Incidents.IncidentRules.Judge(incident, now)));
        }

        host.WriteProgress(activity, $"Agreement {agreement.Id}: the audit log", 55, completed: false);
        document.Audit = AuditAbout(agreement.Id, recipients.Select(r => r.Id), document.Transfers.Select(t => t.Id), document.Holdings.Select(h => h.Id), host);
        foreach (var entry in document.Audit.Entries)
        {
            // The agreement's own changes, and the variations of its terms (requested, approved, denied, withdrawn).
            if (entry.TargetType == "Agreement" && (entry.Action.StartsWith("Agreement.", StringComparison.Ordinal) || entry.Action.StartsWith("Variation.", StringComparison.Ordinal)))
            {
                document.Agreement.History.Add(new EvidenceChange { Sequence = entry.Sequence, At = entry.Timestamp, By = entry.Actor, Action = entry.Action, Details = entry.Details });
            }
        }

        return document;
    }

    /// <summary>
    /// Every entry about the agreement, its recipients, transfers and holdings (or naming it in its details), with the
    /// runs of entries in between as gaps, from entry 1 up to the head read first. The whole log is checked on the way: a pack is never
    /// made from a log that does not verify, since it would carry the break to the auditor as evidence.
    /// </summary>
    private EvidenceAudit AuditAbout(string agreementId, IEnumerable<string> recipientIds, IEnumerable<string> transferIds, IEnumerable<string> holdingIds, IOperationHost host)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal) { "Agreement|" + agreementId };
        targets.UnionWith(recipientIds.Select(id => "Recipient|" + id));
        targets.UnionWith(transferIds.Select(id => "Transfer|" + id));
        targets.UnionWith(holdingIds.Select(id => "Holding|" + id));

        var head = register.ReadAuditHead();
        var audit = new EvidenceAudit();
        EvidenceAuditGap? gap = null;
        var expected = head?.Sequence ?? 0;
        IEnumerable<AuditEntry> Tap()
        {
            long read = 0;
            foreach (var entry in register.ReadAuditLog(long.MinValue))
            {
                host.CancellationToken.ThrowIfCancellationRequested();
                if (head is null || entry.Sequence > head.Sequence)
                {
                    // Written after the head was read: the pack stops at that head.
                    yield break;
                }

                if (++read % 5000 == 0)
                {
                    host.WriteProgress("Gathering the evidence", $"Audit log: {read} of {expected} entries", 55 + (int)Math.Min(40, read * 40 / Math.Max(1, expected)), completed: false);
                }

                var about = targets.Contains(entry.TargetType + "|" + entry.TargetId)
                    || (entry.Details.TryGetValue("AgreementId", out var named) && string.Equals(named, agreementId, StringComparison.OrdinalIgnoreCase));
                if (about)
                {
                    gap = null;
                    audit.Entries.Add(Entry(entry));
                }
                else
                {
                    if (gap is null)
                    {
                        gap = new EvidenceAuditGap { FromSequence = entry.Sequence };
                        audit.Gaps.Add(gap);
                    }

                    gap.ToSequence = entry.Sequence;
                    gap.LastHash = entry.Hash;
                }

                yield return entry;
            }
        }

        var verdict = AuditVerifier.Verify(Tap(), head);
        if (!verdict.IsIntact || head is null)
        {
            throw new DataShareException("EvidenceAuditLogBroken", DataShareErrorCategory.InvalidData,
                $"The register's audit log does not verify ({verdict.Problem ?? "it is empty"}), so no evidence pack was written: it would hand the break on as evidence. Run Test-DataShareAuditLog and restore the register from a backup.",
                agreementId);
        }

        audit.Head = new EvidenceAuditHead { Sequence = head.Sequence, Hash = head.Hash };
        return audit;
    }

    internal static EvidenceAuditEntry Entry(AuditEntry entry) => new()
    {
        Sequence = entry.Sequence,
        Timestamp = DateText.FormatInstant(entry.Timestamp),
        Actor = entry.Actor,
        Machine = entry.Machine,
        Action = entry.Action,
        TargetType = entry.TargetType,
        TargetId = entry.TargetId,
        Details = new SortedDictionary<string, string>(entry.Details.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), StringComparer.Ordinal),
        PreviousHash = entry.PreviousHash,
        Hash = entry.Hash,
    };

    private static EvidenceAgreement Agreement(DataShareAgreement agreement) => new()
    {
        Id = agreement.Id,
        Title = agreement.Title,
        Organisation = agreement.Organisation,
        OrganisationId = agreement.OrganisationId,
        Purpose = agreement.Purpose,
        LegalGateway = agreement.LegalGateway,
        LawfulBasis = agreement.LawfulBasis,
        AccessRoute = agreement.AccessRoute.ToString(),
        DirectTransferJustification = agreement.DirectTransferJustification,
        StartsOn = DateText.FormatDate(agreement.StartsOn),
        EndsOn = DateText.FormatDate(agreement.EndsOn),
        RetentionDays = agreement.RetentionDays,
        DataItems = agreement.DataItems.Select(i => new EvidenceDataItem { Name = i.Name, Sensitivity = i.Sensitivity, IdentificationRisk = i.IdentificationRisk }).ToList(),
        OfficerName = agreement.OfficerName,
        OfficerEmail = agreement.OfficerEmail,
        IsSuspended = agreement.IsSuspended,
        Status = agreement.Status.ToString(),
        DestroyedOn = DateText.FormatDate(agreement.DestroyedOn),
        CreatedAt = DateText.FormatInstant(agreement.CreatedAt),
        CreatedBy = agreement.CreatedBy,
        Approval = agreement.ApprovalReference is null && agreement.ApprovedOn is null ? null : new EvidenceApproval
        {
            Reference = agreement.ApprovalReference,
            ApprovedOn = DateText.FormatDate(agreement.ApprovedOn),
            ApprovedBy = agreement.ApprovedBy,
            Decision = Decisions.DecisionPhrases.Decision(agreement),
            SeparationOfDuties = Decisions.DecisionPhrases.SelfApproval(agreement),
        },
    };

    private EvidenceOrganisation Organisation(DataShareOrganisation organisation) => new()
    {
        Id = organisation.Id,
        Name = organisation.Name,
        Address = organisation.Address,
        ProtectionOfficerName = organisation.ProtectionOfficerName,
        ProtectionOfficerEmail = organisation.ProtectionOfficerEmail,
        Assessments = register.ListAssessments(organisation.Id).Select(a => new EvidenceAssessment
        {
            Id = a.Id,
            Reference = a.Reference,
            Outcome = a.Outcome.ToString(),
            AssessedOn = DateText.FormatDate(a.AssessedOn),
            ValidUntil = DateText.FormatDate(a.ValidUntil),
            RecordedAt = DateText.FormatInstant(a.RecordedAt),
            RecordedBy = a.RecordedBy,
        }).ToList(),
    };

    private EvidenceRecipient Recipient(DataShareRecipient recipient) => new()
    {
        Id = recipient.Id,
        PersonId = recipient.PersonId,
        Name = recipient.Name,
        Email = recipient.Email,
        Role = recipient.Role,
        DeclarationSignedOn = DateText.FormatDate(recipient.DeclarationSignedOn),
        TrainingCompletedOn = DateText.FormatDate(recipient.TrainingCompletedOn),
        AddedAt = DateText.FormatInstant(recipient.AddedAt),
        AddedBy = recipient.AddedBy,
        RemovedAt = recipient.RemovedAt is null ? null : DateText.FormatInstant(recipient.RemovedAt.Value),
        RemovedReason = recipient.RemovedReason,
        Certificates = register.ListCertificates(recipient.PersonId).Select(c => new EvidenceCertificate
        {
            Id = c.Id,
            Issuer = c.Issuer.ToString(),
            Level = c.Level.ToString(),
            NumberMasked = CertificateService.Mask(c.Number),
            IssuedOn = DateText.FormatDate(c.IssuedOn),
            SeenOriginalBy = c.SeenOriginalBy,
            SeenOriginalOn = DateText.FormatDate(c.SeenOriginalOn),
            OnlineStatus = c.OnlineStatus,
        }).ToList(),
    };

    private EvidenceTransfer Transfer(DataShareTransfer transfer, IReadOnlyList<DataShareRecipient> recipients)
    {
        var day = calendar.DayOf(transfer.IssuedAt);
        var result = new EvidenceTransfer
        {
            Id = transfer.Id,
            State = transfer.State.ToString(),
            Status = transfer.Status.ToString(),
            IssuedAt = DateText.FormatInstant(transfer.IssuedAt),
            IssuedBy = transfer.IssuedBy,
            IssuedOn = DateText.FormatDate(day),
            WindowStartsAt = DateText.FormatInstant(transfer.StartsOn),
            WindowEndsAt = DateText.FormatInstant(transfer.ExpiresOn),
            RevokedAt = transfer.RevokedAt is null ? null : DateText.FormatInstant(transfer.RevokedAt.Value),
            RevokedBy = transfer.RevokedBy,
            LinkKind = transfer.LinkKind.ToString(),
            StorageAccount = transfer.StorageAccount,
            Container = transfer.Container,
            HoldingId = transfer.HoldingId,
            FromTransferId = transfer.FromTransferId,
            Note = transfer.Note,
            TotalBytes = transfer.TotalBytes,
            Files = transfer.Files.Select(f => new EvidenceFile { Name = f.Name, Size = f.Size, Sha256 = f.Sha256 }).ToList(),
            RecipientIds = transfer.RecipientIds.ToList(),
        };

        // The people the transfer was for; a transfer that names none was for everyone on the agreement that day.
        var named = new HashSet<string>(transfer.RecipientIds, StringComparer.OrdinalIgnoreCase);
        foreach (var recipient in recipients)
        {
            var onThatDay = named.Count > 0
                ? named.Contains(recipient.Id)
                : calendar.DayOf(recipient.AddedAt) <= day && (recipient.RemovedAt is null || calendar.DayOf(recipient.RemovedAt.Value) > day);
            if (onThatDay)
            {
                result.Readiness.Add(Readiness(recipient, day));
            }
        }

        return result;
    }

    private EvidenceReadiness Readiness(DataShareRecipient recipient, DateTime day)
    {
        var verdict = readiness.Test(recipient, day, null, out var certificate);
        return new EvidenceReadiness
        {
            RecipientId = recipient.Id,
            Day = DateText.FormatDate(day),
            IsReady = verdict.IsReady,
            FailedChecks = verdict.FailedChecks.ToList(),
            Checks = verdict.Checks.Select(c => new EvidenceCheck { Name = c.Name, Passed = c.Passed, Reason = c.Reason, ValidUntil = DateText.FormatDate(c.ValidUntil) }).ToList(),
            Certificate = certificate is null ? null : new EvidenceCertificateVerdict
            {
                Id = certificate.CertificateId,
                Issuer = certificate.Issuer.ToString(),
                Level = certificate.Level.ToString(),
                NumberMasked = CertificateService.Mask(certificate.Number),
                IssuedOn = DateText.FormatDate(certificate.IssuedOn),
                ValidUntil = DateText.FormatDate(certificate.ValidUntil),
                IsValid = certificate.IsValid,
            },
            DeclarationSignedOn = DateText.FormatDate(recipient.DeclarationSignedOn),
            TrainingCompletedOn = DateText.FormatDate(recipient.TrainingCompletedOn),
        };
    }

    private static EvidenceHolding Holding(DataShareHolding holding, IEnumerable<DestructionRecord> records) => new()
    {
        Id = holding.Id,
        Kind = holding.Kind.ToString(),
        Location = holding.Location,
        TransferId = holding.TransferId,
        DueOn = DateText.FormatDate(holding.DueOn),
        State = holding.State.ToString(),
        LocationCheck = holding.LocationCheck.ToString(),
        RegisteredAt = DateText.FormatInstant(holding.RegisteredAt),
        RegisteredBy = holding.RegisteredBy,
        DestroyedAt = holding.DestroyedAt is null ? null : DateText.FormatInstant(holding.DestroyedAt.Value),
        Destructions = records.Select(d => new EvidenceDestruction
        {
            Id = d.Id,
            Outcome = d.Outcome.ToString(),
            Reason = d.Reason,
            Verified = d.Verified,
            ObjectsDeleted = d.ObjectsDeleted,
            BytesDeleted = d.BytesDeleted,
            ObjectsRemaining = d.ObjectsRemaining,
            SoftDelete = d.SoftDelete,
            RecoverableUntil = d.RecoverableUntil is null ? null : DateText.FormatInstant(d.RecoverableUntil.Value),
            StartedAt = DateText.FormatInstant(d.StartedAt),
            FinishedAt = DateText.FormatInstant(d.FinishedAt),
            Operator = d.Operator,
            Machine = d.Machine,
            AsOf = DateText.FormatDate(d.AsOf),
            AccessRemoved = d.AccessRemoved,
        }).ToList(),
    };
}
