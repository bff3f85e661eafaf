using System;
using System.Collections.Generic;

namespace DataShareAdmin;

/// <summary>Who issued a disclosure certificate.</summary>
public enum CertificateIssuer
{
    /// <summary>The Disclosure and Barring Service (England and Wales).</summary>
    DBS,

    DisclosureScotland,

    AccessNI,
}

/// <summary>The level of a disclosure certificate. Disclosure Scotland's "Level 1" is the basic level.</summary>
public enum CertificateLevel
{
    Basic,
    Standard,
    Enhanced,
}

/// <summary>
/// A disclosure certificate's metadata, held for the person (never an image of the certificate). The number is a
/// string: DBS numbers are 12 digits and may begin with 0.
/// </summary>
public sealed class DisclosureCertificate
{
    public string Id { get; set; } = string.Empty;

    /// <summary>The same as <see cref="Id"/>, so certificates piped on bind to -CertificateId.</summary>
    public string CertificateId => Id;

    public string PersonId { get; set; } = string.Empty;

    /// <summary>The person's email, for reading; the certificate belongs to the person, not to one agreement.</summary>
    public string Email { get; set; } = string.Empty;

    public CertificateIssuer Issuer { get; set; }

    public CertificateLevel Level { get; set; }

    public string Number { get; set; } = string.Empty;

    public DateTime IssuedOn { get; set; }

    /// <summary>The name printed on the certificate.</summary>
    public string? HolderName { get; set; }

    /// <summary>Needed only for the DBS Update Service check.</summary>
    public DateTime? DateOfBirth { get; set; }

    /// <summary>Who saw the original certificate.</summary>
    public string SeenOriginalBy { get; set; } = string.Empty;

    public DateTime SeenOriginalOn { get; set; }

    public DateTimeOffset AddedAt { get; set; }

    public string AddedBy { get; set; } = string.Empty;

    /// <summary>The last DBS Update Service answer (e.g. BLANK_NO_NEW_INFO), if it was checked online.</summary>
    public string? OnlineStatus { get; set; }

    public DateTimeOffset? OnlineCheckedAt { get; set; }

    public long Version { get; set; }

    public override string ToString() => Issuer + " " + Number;
}

/// <summary>The verdict on one certificate on one day.</summary>
public sealed class CertificateTestResult
{
    public string CertificateId { get; set; } = string.Empty;

    public string PersonId { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public string? HolderName { get; set; }

    public CertificateIssuer Issuer { get; set; }

    public CertificateLevel Level { get; set; }

    public string Number { get; set; } = string.Empty;

    public DateTime IssuedOn { get; set; }

    public DateTime AsOf { get; set; }

    public bool IsValid { get; set; }

    /// <summary>Why, in plain words.</summary>
    public string Reason { get; set; } = string.Empty;

    /// <summary>The last calendar day the certificate is acceptable under the policy's maximum age.</summary>
    public DateTime ValidUntil { get; set; }

    /// <summary>Days from AsOf to ValidUntil; negative once it has lapsed.</summary>
    public int DaysRemaining { get; set; }

    /// <summary>NotRequested, NotAvailable (basic or not a DBS certificate), or the Update Service's status.</summary>
    public string OnlineStatus { get; set; } = "NotRequested";

    public override string ToString() => CertificateId + (IsValid ? " valid" : " not valid") + ": " + Reason;
}

/// <summary>One safe-people check of one recipient.</summary>
public sealed class SafePeopleCheck
{
    /// <summary>Certificate, Declaration, Training or Recipient.</summary>
    public string Name { get; set; } = string.Empty;

    public bool Passed { get; set; }

    public string Reason { get; set; } = string.Empty;

    /// <summary>The last day this check passes, when it lapses on its own.</summary>
    public DateTime? ValidUntil { get; set; }

    public override string ToString() => Name + (Passed ? ": passed" : ": failed") + " — " + Reason;
}

/// <summary>Whether a recipient meets every safe-people rule on a day, and until when.</summary>
public sealed class RecipientTestResult
{
    private ReadableList<string> failedChecks = new();
    private ReadableList<SafePeopleCheck> checks = new();

    public string RecipientId { get; set; } = string.Empty;

    public string AgreementId { get; set; } = string.Empty;

    public string PersonId { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public DateTime AsOf { get; set; }

    public bool IsReady { get; set; }

    /// <summary>The names of the checks that failed.</summary>
    public ReadableList<string> FailedChecks { get => failedChecks; set => failedChecks = ReadableList<string>.Of(value); }

    /// <summary>Every check with its verdict and reason.</summary>
    public ReadableList<SafePeopleCheck> Checks { get => checks; set => checks = ReadableList<SafePeopleCheck>.Of(value); }

    /// <summary>The last day the person stays ready if nothing is renewed; null when not ready, or when nothing lapses.</summary>
    public DateTime? ReadyUntil { get; set; }

    public DateTime AgreementEndsOn { get; set; }

    /// <summary>True when ReadyUntil falls within the warning window or before the agreement ends.</summary>
    public bool Warning { get; set; }

    public string? WarningReason { get; set; }

    public override string ToString() => RecipientId + (IsReady ? " ready" : " not ready: " + string.Join(", ", FailedChecks));
}

/// <summary>One policy setting with its default and current value.</summary>
public sealed class DataSharePolicySetting
{
    public string Name { get; set; } = string.Empty;

    public string Value { get; set; } = string.Empty;

    public string DefaultValue { get; set; } = string.Empty;

    public bool IsDefault { get; set; }

    /// <summary>SafePeople now; later areas add their own.</summary>
    public string Area { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public DateTimeOffset? ModifiedAt { get; set; }

    public string? ModifiedBy { get; set; }

    public override string ToString() => Name + " = " + Value;
}

/// <summary>A stored policy value.</summary>
public sealed class PolicyValue
{
    public string Name { get; set; } = string.Empty;

    public string Value { get; set; } = string.Empty;

    public DateTimeOffset ModifiedAt { get; set; }

    public string ModifiedBy { get; set; } = string.Empty;
}

/// <summary>What happened to one row of an import.</summary>
public sealed class CertificateImportResult
{
    /// <summary>The row's number in the file (the header is row 1), or the position of a piped object.</summary>
    public int Row { get; set; }

    /// <summary>Added or Unchanged.</summary>
    public string Status { get; set; } = string.Empty;

    public string CertificateId { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;

    public CertificateIssuer Issuer { get; set; }

    public string Number { get; set; } = string.Empty;

    public override string ToString() => $"Row {Row}: {Status} {Issuer} {Number}";
}

/// <summary>The register's part in safe people: policy and certificates.</summary>
public interface ISafePeopleStore
{
    IEnumerable<PolicyValue> ReadPolicy();

    /// <summary>
    /// One stored setting by its name (compared without case), or null when it is at its default: one lookup, for a
    /// command that needs a single setting (the calendar's time zone) and not the whole policy.
    /// </summary>
    PolicyValue? FindPolicy(string name);

    /// <summary>
    /// Stores a setting; null removes it (back to the default). <paramref name="expected"/> is the stored value the
    /// caller read (null: none stored): when another writer has changed it since, nothing is written and a
    /// <see cref="RegisterConflictException"/> is thrown, so the audit entry's "Before" is always the value replaced.
    /// </summary>
    void WritePolicy(string name, string? expected, string? value, AuditEvent audit);

    DisclosureCertificate? FindCertificate(string id);

    DisclosureCertificate? FindCertificateByNumber(CertificateIssuer issuer, string number);

    /// <summary>A person's certificates (all when null), ordered by person then issue date, streamed.</summary>
    IEnumerable<DisclosureCertificate> ListCertificates(string? personId);

    void InsertCertificate(DisclosureCertificate certificate, AuditEvent audit);

    void UpdateCertificate(DisclosureCertificate certificate, AuditEvent audit);

    void DeleteCertificate(DisclosureCertificate certificate, AuditEvent audit);
}
