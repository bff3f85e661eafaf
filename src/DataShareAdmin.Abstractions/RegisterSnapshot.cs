using System;
using System.Collections.Generic;

namespace DataShareAdmin;

/// <summary>
/// Everything a register holds, read one kind at a time (streamed), for Copy-DataShareRegister: the records as they
/// are (versions and all) and the audit log with its head.
/// </summary>
public sealed class RegisterSnapshot
{
    public IEnumerable<DataShareOrganisation> Organisations { get; set; } = Array.Empty<DataShareOrganisation>();

    public IEnumerable<SecurityAssessment> Assessments { get; set; } = Array.Empty<SecurityAssessment>();

    public IEnumerable<DataShareAgreement> Agreements { get; set; } = Array.Empty<DataShareAgreement>();

    public IEnumerable<DataSharePerson> People { get; set; } = Array.Empty<DataSharePerson>();

    public IEnumerable<DataShareRecipient> Recipients { get; set; } = Array.Empty<DataShareRecipient>();

    public IEnumerable<PolicyValue> Policy { get; set; } = Array.Empty<PolicyValue>();

    public IEnumerable<DisclosureCertificate> Certificates { get; set; } = Array.Empty<DisclosureCertificate>();

    public IEnumerable<DataShareHolding> Holdings { get; set; } = Array.Empty<DataShareHolding>();

    public IEnumerable<DataShareTransfer> Transfers { get; set; } = Array.Empty<DataShareTransfer>();

    public IEnumerable<DestructionRecord> Destructions { get; set; } = Array.Empty<DestructionRecord>();

    public IEnumerable<DestructionConfirmation> Confirmations { get; set; } = Array.Empty<DestructionConfirmation>();

    public IEnumerable<AgreementTermsVersion> TermsVersions { get; set; } = Array.Empty<AgreementTermsVersion>();

    public IEnumerable<DataShareVariation> Variations { get; set; } = Array.Empty<DataShareVariation>();

    public IEnumerable<OutputRelease> OutputReleases { get; set; } = Array.Empty<OutputRelease>();

    public IEnumerable<OutputReleaseCell> OutputReleaseCells { get; set; } = Array.Empty<OutputReleaseCell>();

    public IEnumerable<DataShareDpia> Dpias { get; set; } = Array.Empty<DataShareDpia>();

    public IEnumerable<DataShareReview> Reviews { get; set; } = Array.Empty<DataShareReview>();

    public IEnumerable<ReviewTrigger> ReviewTriggers { get; set; } = Array.Empty<ReviewTrigger>();
    public IEnumerable<DataShareIncident> Incidents { get; set; } = Array.Empty<DataShareIncident>();
    /// <summary>The legal gateway catalogue (a copy's destination is seeded already: these replace its seeded rows).</summary>
    public IEnumerable<DataShareLegalGateway> LegalGateways { get; set; } = Array.Empty<DataShareLegalGateway>();

    public IEnumerable<AuditEntry> AuditLog { get; set; } = Array.Empty<AuditEntry>();

    public AuditHead? AuditHead { get; set; }
}
