using System;

namespace DataShareAdmin;

/// <summary>An organisation that receives data under agreements, with its data protection officer and security assessments.</summary>
public sealed class DataShareOrganisation
{
    private ReadableList<SecurityAssessment> assessments = new();
    private ReadableList<string> agreementIds = new();

    /// <summary>The register's id, e.g. OR-7K3M9Q2XHB.</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The same as <see cref="Id"/>, so an organisation piped on binds to <c>-Organisation</c> by property name.</summary>
    public string OrganisationId => Id;

    /// <summary>The organisation's name; unique in the register, compared without regard to case.</summary>
    public string Name { get; set; } = string.Empty;

    public string? Address { get; set; }

    /// <summary>What sort of organisation it is (university, local authority…), as the public register shows it; null when not recorded.</summary>
    public OrganisationSector? Sector { get; set; }

    /// <summary>The data protection officer's name.</summary>
    public string? ProtectionOfficerName { get; set; }

    /// <summary>The data protection officer's email address.</summary>
    public string? ProtectionOfficerEmail { get; set; }

    /// <summary>Every security assessment recorded, oldest first (filled in by the engine when it reads the organisation).</summary>
    public ReadableList<SecurityAssessment> Assessments { get => assessments; set => assessments = ReadableList<SecurityAssessment>.Of(value); }

    /// <summary>The security assessment's standing on <see cref="StatusAsOf"/>: the latest assessment made by then decides.</summary>
    public AssessmentState AssessmentStatus { get; set; }

    /// <summary>Until when the deciding assessment is current, when it passed.</summary>
    public DateTime? AssessmentValidUntil { get; set; }

    /// <summary>Why the standing is what it is, in a sentence.</summary>
    public string AssessmentReason { get; set; } = string.Empty;

    public DateTime StatusAsOf { get; set; }

    /// <summary>Ids of the agreements that point at this organisation (filled in by the engine).</summary>
    public ReadableList<string> AgreementIds { get => agreementIds; set => agreementIds = ReadableList<string>.Of(value); }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset ModifiedAt { get; set; }

    public long Version { get; set; }

    public override string ToString() => Name;
}

/// <summary>An information security assessment of an organisation (its IT and building security questionnaire), and its outcome.</summary>
public sealed class SecurityAssessment
{
    /// <summary>The register's id, e.g. SA-4D2QW8N1ZT.</summary>
    public string Id { get; set; } = string.Empty;

    public string OrganisationId { get; set; } = string.Empty;

    /// <summary>The organisation's name, for reading.</summary>
    public string Organisation { get; set; } = string.Empty;

    /// <summary>The day the assessment was made (a calendar date).</summary>
    public DateTime AssessedOn { get; set; }

    /// <summary>The last day the assessment counts (a calendar date).</summary>
    public DateTime ValidUntil { get; set; }

    public AssessmentOutcome Outcome { get; set; }

    /// <summary>The assessor's reference for the questionnaire or report; unique for the organisation.</summary>
    public string Reference { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }

    public string RecordedBy { get; set; } = string.Empty;

    public override string ToString() => Reference + " " + Outcome + " " + AssessedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>How a security assessment came out.</summary>
public enum AssessmentOutcome
{
    /// <summary>The organisation's security meets the standard; data may go to it directly while the assessment is current.</summary>
    Passed,

    /// <summary>The organisation's security does not meet the standard; no data goes to it directly.</summary>
    Failed,
}

/// <summary>An organisation's security assessment standing on a day.</summary>
public enum AssessmentState
{
    /// <summary>No assessment had been made by that day.</summary>
    None,

    /// <summary>The latest assessment passed and is current.</summary>
    Current,

    /// <summary>The latest assessment passed but is no longer current.</summary>
    Lapsed,

    /// <summary>The latest assessment failed.</summary>
    Failed,
}
