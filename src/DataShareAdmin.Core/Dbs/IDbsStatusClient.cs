using System;
using System.Threading;
using System.Threading.Tasks;

namespace DataShareAdmin.Core.Dbs;

/// <summary>
/// What a DBS Update Service status check needs. Every field is personal data or identifies the checker: none of it
/// may reach verbose, debug or log output.
/// </summary>
public sealed class DbsStatusRequest
{
    /// <summary>The 12-digit certificate number, leading zeros kept.</summary>
    public string CertificateNumber { get; set; } = string.Empty;

    public DateTime DateOfBirth { get; set; }

    /// <summary>The certificate holder's surname.</summary>
    public string Surname { get; set; } = string.Empty;

    /// <summary>The checking organisation's name.</summary>
    public string OrganisationName { get; set; } = string.Empty;

    /// <summary>The person carrying out the check.</summary>
    public string CheckerForename { get; set; } = string.Empty;

    public string CheckerSurname { get; set; } = string.Empty;
}

/// <summary>The Update Service's statuses.</summary>
public enum DbsCertificateStatus
{
    /// <summary>The certificate had no information and nothing new has come to light.</summary>
    BlankNoNewInfo,

    /// <summary>The certificate had information and nothing new has come to light.</summary>
    NonBlankNoNewInfo,

    /// <summary>New information has come to light: a new certificate is needed.</summary>
    NewInfo,

    /// <summary>No certificate matches the details given.</summary>
    NoMatchFound,
}

public sealed class DbsStatusResult
{
    public DbsStatusResult(DbsCertificateStatus status, string statusText)
    {
        Status = status;
        StatusText = statusText;
    }

    public DbsCertificateStatus Status { get; }

    /// <summary>The status as the service wrote it, e.g. BLANK_NO_NEW_INFO.</summary>
    public string StatusText { get; }

    /// <summary>NEW_INFO and NO_MATCH_FOUND fail the check; the others leave the certificate as it was.</summary>
    public bool Passes => Status is DbsCertificateStatus.BlankNoNewInfo or DbsCertificateStatus.NonBlankNoNewInfo;
}

/// <summary>
/// Checks a standard or enhanced DBS certificate on the Update Service. Failures (timeouts, HTTP errors, answers
/// that cannot be read) throw <see cref="DataShareException"/> with ids DbsCheckTimeout, DbsCheckFailed or
/// DbsCheckAnswerInvalid, so the caller can report them on that certificate and carry on.
/// </summary>
public interface IDbsStatusClient
{
    Task<DbsStatusResult> CheckAsync(DbsStatusRequest request, CancellationToken cancellationToken);
}
