using System;

namespace DataShareAdmin;

/// <summary>A person's place on one agreement. Name, email and training belong to the person; role and declaration to the place.</summary>
public sealed class DataShareRecipient
{
    public string Id { get; set; } = string.Empty;

    /// <summary>The same as <see cref="Id"/>, so recipients piped on bind to -RecipientId by property name.</summary>
    public string RecipientId => Id;

    public string AgreementId { get; set; } = string.Empty;

    public string PersonId { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public string? Role { get; set; }

    /// <summary>The day the person signed the individual declaration for this agreement.</summary>
    public DateTime? DeclarationSignedOn { get; set; }

    /// <summary>The day the person last completed data-protection and information-security training.</summary>
    public DateTime? TrainingCompletedOn { get; set; }

    /// <summary>The person's directory account (object id), once Resolve-DataShareRecipient has found it.</summary>
    public string? DirectoryObjectId { get; set; }

    public DateTimeOffset AddedAt { get; set; }

    public string AddedBy { get; set; } = string.Empty;

    public DateTimeOffset? RemovedAt { get; set; }

    public string? RemovedReason { get; set; }

    public bool IsActive => RemovedAt is null;

    public long Version { get; set; }

    public override string ToString() => Id;
}

/// <summary>A person who may receive data under one or more agreements; unique by normalised email.</summary>
public sealed class DataSharePerson
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    /// <summary>The email as compared: trimmed and lower-cased.</summary>
    public string NormalisedEmail { get; set; } = string.Empty;

    public DateTime? TrainingCompletedOn { get; set; }

    /// <summary>The person's directory account (object id), once Resolve-DataShareRecipient has found it.</summary>
    public string? DirectoryObjectId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long Version { get; set; }

    public override string ToString() => Email;
}
