using System.Collections.Generic;

namespace DataShareAdmin.Core.Evidence;

// The evidence pack's index (data/evidence.json), schema version 1, as docs/transparency.md describes it. Dates are
// calendar dates (yyyy-MM-dd) in the register's time zone; instants are UTC (yyyy-MM-ddTHH:mm:ss.fffZ), the form the
// audit chain hashes. Nothing here may ever hold a link, a SAS or an account key: each class names its fields.

/// <summary>The whole index.</summary>
public sealed class EvidenceDocument
{
    public const string SchemaName = "datashareadmin-evidence";

    public const int CurrentSchemaVersion = 1;

    public string Schema { get; set; } = SchemaName;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string GeneratedAt { get; set; } = string.Empty;

    public string GeneratedBy { get; set; } = string.Empty;

    /// <summary>The day the pack is as of (statuses are as of it).</summary>
    public string AsOf { get; set; } = string.Empty;

    public string TimeZone { get; set; } = string.Empty;

    /// <summary>Always true: the recipients' names and emails, and those of the officer and protection officer.</summary>
    public bool ContainsPersonalData { get; set; } = true;

    public EvidenceAgreement Agreement { get; set; } = new();

    public EvidenceOrganisation? Organisation { get; set; }

    public List<EvidenceRecipient> Recipients { get; set; } = new();

    public List<EvidenceTransfer> Transfers { get; set; } = new();

    public List<EvidenceHolding> Holdings { get; set; } = new();

    public EvidenceConfirmation? DestructionConfirmation { get; set; }

    /// <summary>Incidents under the agreement (breaches, complaints, near misses), oldest discovery first.</summary>
    public List<EvidenceIncident> Incidents { get; set; } = new();

    /// <summary>
    /// Extension point: governance records (DPIA, reviews). Schema 1 always writes an empty array, meaning "the register
    /// that made this pack keeps no governance records"; a later schema version fills it.
    /// </summary>
    public List<object> Governance { get; set; } = new();

    /// <summary>
    /// Extension point: output releases. Schema 1 always writes an empty array, meaning "the register that made this
    /// pack keeps no output release records"; a later schema version fills it.
    /// </summary>
    public List<object> OutputReleases { get; set; } = new();

    public EvidenceAudit Audit { get; set; } = new();
}

public sealed class EvidenceAgreement
{
    public string Id { get; set; } = string.Empty;

    public string Title { get; set; } = string.Empty;

    public string Organisation { get; set; } = string.Empty;

    public string? OrganisationId { get; set; }

    public string Purpose { get; set; } = string.Empty;

    public string LegalGateway { get; set; } = string.Empty;

    public string LawfulBasis { get; set; } = string.Empty;

    public string AccessRoute { get; set; } = string.Empty;

    public string? DirectTransferJustification { get; set; }

    public string StartsOn { get; set; } = string.Empty;

    public string EndsOn { get; set; } = string.Empty;

    public int RetentionDays { get; set; }

    public List<EvidenceDataItem> DataItems { get; set; } = new();

    public string? OfficerName { get; set; }

    public string? OfficerEmail { get; set; }

    public bool IsSuspended { get; set; }

    public string Status { get; set; } = string.Empty;

    public string? DestroyedOn { get; set; }

    public string CreatedAt { get; set; } = string.Empty;

    public string CreatedBy { get; set; } = string.Empty;

    public EvidenceApproval? Approval { get; set; }

    /// <summary>The agreement's Agreement.* audit entries, oldest first: how its terms came to be what they are.</summary>
    public List<EvidenceChange> History { get; set; } = new();
}

public sealed class EvidenceDataItem
{
    public string Name { get; set; } = string.Empty;

    public string Sensitivity { get; set; } = string.Empty;

    public int IdentificationRisk { get; set; }
}

public sealed class EvidenceApproval
{
    public string? Reference { get; set; }

    public string? ApprovedOn { get; set; }

    public string? ApprovedBy { get; set; }

    /// <summary>The panel's decision as recorded, or "decision not recorded" for an approval from before decisions were kept.</summary>
    public string? Decision { get; set; }

    /// <summary>"approved by the account that created it (…)" when it was; null otherwise.</summary>
    public string? SeparationOfDuties { get; set; }
}

public sealed class EvidenceChange
{
    public long Sequence { get; set; }

    public string At { get; set; } = string.Empty;

    public string By { get; set; } = string.Empty;

    public string Action { get; set; } = string.Empty;

    public SortedDictionary<string, string> Details { get; set; } = new(System.StringComparer.Ordinal);
}

public sealed class EvidenceOrganisation
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string? Address { get; set; }

    public string? ProtectionOfficerName { get; set; }

    public string? ProtectionOfficerEmail { get; set; }

    public List<EvidenceAssessment> Assessments { get; set; } = new();
}

public sealed class EvidenceAssessment
{
    public string Id { get; set; } = string.Empty;

    public string Reference { get; set; } = string.Empty;

    public string Outcome { get; set; } = string.Empty;

    public string AssessedOn { get; set; } = string.Empty;

    public string ValidUntil { get; set; } = string.Empty;

    public string RecordedAt { get; set; } = string.Empty;

    public string RecordedBy { get; set; } = string.Empty;
}

public sealed class EvidenceRecipient
{
    public string Id { get; set; } = string.Empty;

    public string PersonId { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public string? Role { get; set; }

    public string? DeclarationSignedOn { get; set; }

    public string? TrainingCompletedOn { get; set; }

    public string AddedAt { get; set; } = string.Empty;

    public string AddedBy { get; set; } = string.Empty;

    public string? RemovedAt { get; set; }

    public string? RemovedReason { get; set; }

    public List<EvidenceCertificate> Certificates { get; set; } = new();
}

/// <summary>A disclosure certificate with its number masked to the last four characters.</summary>
public sealed class EvidenceCertificate
{
    public string Id { get; set; } = string.Empty;

    public string Issuer { get; set; } = string.Empty;

    public string Level { get; set; } = string.Empty;

    public string NumberMasked { get; set; } = string.Empty;

    public string IssuedOn { get; set; } = string.Empty;

    public string? SeenOriginalBy { get; set; }

    public string? SeenOriginalOn { get; set; }

    public string? OnlineStatus { get; set; }
}

public sealed class EvidenceTransfer
{
    public string Id { get; set; } = string.Empty;

    public string State { get; set; } = string.Empty;

    public string Status { get; set; } = string.Empty;

    public string IssuedAt { get; set; } = string.Empty;

    public string IssuedBy { get; set; } = string.Empty;

    /// <summary>The calendar day the transfer was issued: the day readiness is judged on.</summary>
    public string IssuedOn { get; set; } = string.Empty;

    public string WindowStartsAt { get; set; } = string.Empty;

    public string WindowEndsAt { get; set; } = string.Empty;

    public string? RevokedAt { get; set; }

    public string? RevokedBy { get; set; }

    public string LinkKind { get; set; } = string.Empty;

    public string StorageAccount { get; set; } = string.Empty;

    public string Container { get; set; } = string.Empty;

    public string HoldingId { get; set; } = string.Empty;

    public string? FromTransferId { get; set; }

    public string? Note { get; set; }

    public long TotalBytes { get; set; }

    public List<EvidenceFile> Files { get; set; } = new();

    public List<string> RecipientIds { get; set; } = new();

    /// <summary>Each recipient's readiness on <see cref="IssuedOn"/>.</summary>
    public List<EvidenceReadiness> Readiness { get; set; } = new();
}

public sealed class EvidenceFile
{
    public string Name { get; set; } = string.Empty;

    public long Size { get; set; }

    public string Sha256 { get; set; } = string.Empty;
}

public sealed class EvidenceReadiness
{
    public string RecipientId { get; set; } = string.Empty;

    public string Day { get; set; } = string.Empty;

    public bool IsReady { get; set; }

    public List<string> FailedChecks { get; set; } = new();

    public List<EvidenceCheck> Checks { get; set; } = new();

    /// <summary>The certificate the test judged by, number masked.</summary>
    public EvidenceCertificateVerdict? Certificate { get; set; }

    public string? DeclarationSignedOn { get; set; }

    public string? TrainingCompletedOn { get; set; }
}

public sealed class EvidenceCheck
{
    public string Name { get; set; } = string.Empty;

    public bool Passed { get; set; }

    public string Reason { get; set; } = string.Empty;

    public string? ValidUntil { get; set; }
}

public sealed class EvidenceCertificateVerdict
{
    public string Id { get; set; } = string.Empty;

    public string Issuer { get; set; } = string.Empty;

    public string Level { get; set; } = string.Empty;

    public string NumberMasked { get; set; } = string.Empty;

    public string IssuedOn { get; set; } = string.Empty;

    public string ValidUntil { get; set; } = string.Empty;

    public bool IsValid { get; set; }
}

public sealed class EvidenceHolding
{
    public string Id { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public string Location { get; set; } = string.Empty;

    public string? TransferId { get; set; }

    public string DueOn { get; set; } = string.Empty;

    /// <summary>Held, Pending, Destroyed, or Withdrawn (registered by mistake; the reason is in its Holding.Withdraw audit entry).</summary>
    public string State { get; set; } = string.Empty;

    /// <summary>What was checked of the location at registration: Found, Missing, NotChecked, or Unknown (registered before the check).</summary>
    public string LocationCheck { get; set; } = string.Empty;

    public string RegisteredAt { get; set; } = string.Empty;

    public string RegisteredBy { get; set; } = string.Empty;

    public string? DestroyedAt { get; set; }

    public List<EvidenceDestruction> Destructions { get; set; } = new();
}

public sealed class EvidenceDestruction
{
    public string Id { get; set; } = string.Empty;

    public string Outcome { get; set; } = string.Empty;

    public string? Reason { get; set; }

    public bool Verified { get; set; }

    public long ObjectsDeleted { get; set; }

    public long BytesDeleted { get; set; }

    public long ObjectsRemaining { get; set; }

    public string SoftDelete { get; set; } = string.Empty;

    public string? RecoverableUntil { get; set; }

    public string StartedAt { get; set; } = string.Empty;

    public string FinishedAt { get; set; } = string.Empty;

    public string Operator { get; set; } = string.Empty;

    public string Machine { get; set; } = string.Empty;

    public string AsOf { get; set; } = string.Empty;

    public string? AccessRemoved { get; set; }
}

public sealed class EvidenceConfirmation
{
    public string ConfirmedBy { get; set; } = string.Empty;

    public string ConfirmedOn { get; set; } = string.Empty;

    public string? Evidence { get; set; }

    public string RecordedAt { get; set; } = string.Empty;

    public string RecordedBy { get; set; } = string.Empty;
}

/// <summary>
/// The audit entries about the agreement with what is needed to check them: each entry's own hash is recomputed from
/// its fields; the runs of entries in between that are about other things (<see cref="Gaps"/>) are given by their
/// sequence numbers and the hash of their last entry, which the next entry's previous hash must equal. Entries and
/// gaps together cover every sequence number from 1 to <see cref="Head"/>.
/// </summary>
public sealed class EvidenceAudit
{
    public EvidenceAuditHead Head { get; set; } = new();

    public List<EvidenceAuditEntry> Entries { get; set; } = new();

    /// <summary>Runs of entries about other things (their content is not part of the pack), oldest first.</summary>
    public List<EvidenceAuditGap> Gaps { get; set; } = new();
}

public sealed class EvidenceAuditHead
{
    public long Sequence { get; set; }

    public string Hash { get; set; } = string.Empty;

    public override string ToString() => Sequence + ":" + Hash;
}

public sealed class EvidenceAuditEntry
{
    public long Sequence { get; set; }

    public string Timestamp { get; set; } = string.Empty;

    public string Actor { get; set; } = string.Empty;

    public string Machine { get; set; } = string.Empty;

    public string Action { get; set; } = string.Empty;

    public string TargetType { get; set; } = string.Empty;

    public string TargetId { get; set; } = string.Empty;

    public SortedDictionary<string, string> Details { get; set; } = new(System.StringComparer.Ordinal);

    public string PreviousHash { get; set; } = string.Empty;

    public string Hash { get; set; } = string.Empty;
}

/// <summary>Entries <see cref="FromSequence"/> to <see cref="ToSequence"/> (inclusive), about other things.</summary>
public sealed class EvidenceAuditGap
{
    public long FromSequence { get; set; }

    public long ToSequence { get; set; }

    /// <summary>The hash of entry <see cref="ToSequence"/>: the previous hash of the entry that follows.</summary>
    public string LastHash { get; set; } = string.Empty;
}
