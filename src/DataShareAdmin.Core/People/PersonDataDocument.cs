using System.Collections.Generic;

namespace DataShareAdmin.Core.People;

/// <summary>
/// Everything the register holds about one person, as written to their JSON file (Export-DataSharePersonData): what a
/// data subject's access request is answered with. Certificate numbers are in full: the file is for the subject.
/// </summary>
public sealed class PersonDataDocument
{
    public const string SchemaName = "datashareadmin-person-data";

    public const int CurrentSchemaVersion = 1;

    public string Schema { get; set; } = SchemaName;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string GeneratedAt { get; set; } = string.Empty;

    public string GeneratedBy { get; set; } = string.Empty;

    public string AsOf { get; set; } = string.Empty;

    public string TimeZone { get; set; } = string.Empty;

    public PersonDataPerson Person { get; set; } = new();

    /// <summary>The person's place on each agreement, removed ones included.</summary>
    public List<PersonDataRecipient> Recipients { get; set; } = new();

    public List<PersonDataCertificate> Certificates { get; set; } = new();

    /// <summary>The individual declarations signed, one per agreement that records one.</summary>
    public List<PersonDataDeclaration> Declarations { get; set; } = new();

    public PersonDataTraining Training { get; set; } = new();

    /// <summary>The person's directory account, when Resolve-DataShareRecipient recorded one.</summary>
    public PersonDataDirectoryAccount? DirectoryAccount { get; set; }

    /// <summary>Notices mailed to the person or about them (from the audit log, where sending is recorded).</summary>
    public List<PersonDataNotice> Notices { get; set; } = new();

    /// <summary>Every audit entry about the person: them, their places, their certificates, notices to them.</summary>
    public List<PersonDataAuditEntry> Audit { get; set; } = new();
}

public sealed class PersonDataPerson
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public string CreatedAt { get; set; } = string.Empty;
}

public sealed class PersonDataRecipient
{
    public string Id { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    public string? AgreementTitle { get; set; }

    public string? Organisation { get; set; }

    public string? AgreementStartsOn { get; set; }

    public string? AgreementEndsOn { get; set; }

    public string? AgreementStatus { get; set; }

    public string? Role { get; set; }

    public string? DeclarationSignedOn { get; set; }

    public string AddedAt { get; set; } = string.Empty;

    public string AddedBy { get; set; } = string.Empty;

    public string? RemovedAt { get; set; }

    public string? RemovedReason { get; set; }

    /// <summary>The safe-people test on the export day, for a place still held; null for a removed one.</summary>
    public PersonDataReadiness? Readiness { get; set; }
}

public sealed class PersonDataReadiness
{
    public string AsOf { get; set; } = string.Empty;

    public bool IsReady { get; set; }

    public List<string> FailedChecks { get; set; } = new();

    public List<PersonDataCheck> Checks { get; set; } = new();
}

public sealed class PersonDataCheck
{
    public string Name { get; set; } = string.Empty;

    public bool Passed { get; set; }

    public string Reason { get; set; } = string.Empty;
}

public sealed class PersonDataCertificate
{
    public string Id { get; set; } = string.Empty;

    public string Issuer { get; set; } = string.Empty;

    public string Level { get; set; } = string.Empty;

    /// <summary>In full: this file is for the person it is about.</summary>
    public string Number { get; set; } = string.Empty;

    public string IssuedOn { get; set; } = string.Empty;

    public string? HolderName { get; set; }

    public string? DateOfBirth { get; set; }

    public string SeenOriginalBy { get; set; } = string.Empty;

    public string SeenOriginalOn { get; set; } = string.Empty;

    public string AddedAt { get; set; } = string.Empty;

    public string AddedBy { get; set; } = string.Empty;

    /// <summary>The last DBS Update Service answer recorded, and when.</summary>
    public string? OnlineStatus { get; set; }

    public string? OnlineCheckedAt { get; set; }
}

public sealed class PersonDataDeclaration
{
    public string RecipientId { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    public string SignedOn { get; set; } = string.Empty;
}

public sealed class PersonDataTraining
{
    /// <summary>The day the person last completed data-protection and information-security training; null when none is recorded.</summary>
    public string? CompletedOn { get; set; }
}

public sealed class PersonDataDirectoryAccount
{
    public string ObjectId { get; set; } = string.Empty;
}

public sealed class PersonDataNotice
{
    public long Sequence { get; set; }

    public string SentAt { get; set; } = string.Empty;

    public string SentBy { get; set; } = string.Empty;

    public string? Kind { get; set; }

    public string? AgreementId { get; set; }

    public string Subject { get; set; } = string.Empty;

    public string? To { get; set; }

    public string? Cc { get; set; }

    public string? Title { get; set; }

    public string? Due { get; set; }
}

public sealed class PersonDataAuditEntry
{
    public long Sequence { get; set; }

    public string Timestamp { get; set; } = string.Empty;

    public string Actor { get; set; } = string.Empty;

    public string Action { get; set; } = string.Empty;

    public string TargetType { get; set; } = string.Empty;

    public string TargetId { get; set; } = string.Empty;

    public SortedDictionary<string, string> Details { get; set; } = new();

    /// <summary>Set when the entry is not as the module wrote it (changed outside it).</summary>
    public string? Problem { get; set; }
}
