using System;
using System.Collections.Generic;

namespace DataShareAdmin;

/// <summary>
/// The register: where agreements, people, recipients and the audit log live. Every write carries the audit
/// event that describes it and is applied with it atomically, or not at all. Implementations: SQLite (embedded
/// default); Azure Table Storage (for teams). One contract test suite runs against each.
/// </summary>
/// <remarks>
/// Writers that read, change and write back pass the <c>Version</c> they read; a register that finds a newer
/// version throws <see cref="RegisterConflictException"/> and the engine reads again and re-applies the change.
/// </remarks>
public interface IDataShareRegister : ISafePeopleStore, IDisposable
{
    RegisterInfo Info { get; }

    DataShareAgreement? FindAgreement(string id);

    /// <summary>All agreements, ordered by id, streamed.</summary>
    IEnumerable<DataShareAgreement> ListAgreements();

    void InsertAgreement(DataShareAgreement agreement, AuditEvent audit);

    void UpdateAgreement(DataShareAgreement agreement, AuditEvent audit);

    /// <summary>The versions of one agreement's terms, by number (none until it is approved).</summary>
    IEnumerable<AgreementTermsVersion> ListTermsVersions(string agreementId);

    /// <summary>
    /// Writes the agreement (at the version read) with a new version of its terms, and the variation that made it when
    /// there is one (at the version read); a version number already taken is a conflict.
    /// </summary>
    void InsertTermsVersion(DataShareAgreement agreement, AgreementTermsVersion version, DataShareVariation? variation, AuditEvent audit);

    DataShareVariation? FindVariation(string id);

    /// <summary>Variations of one agreement (or all when null), ordered by agreement then when they were requested, streamed.</summary>
    IEnumerable<DataShareVariation> ListVariations(string? agreementId);

    void InsertVariation(DataShareVariation variation, AuditEvent audit);

    /// <summary>Writes a variation's decision (denial, withdrawal) at the version read.</summary>
    void UpdateVariation(DataShareVariation variation, AuditEvent audit);

    DataShareOrganisation? FindOrganisation(string id);

    /// <summary>The organisation with this name, compared without regard to case.</summary>
    DataShareOrganisation? FindOrganisationByName(string name);

    /// <summary>All organisations, ordered by name, streamed.</summary>
    IEnumerable<DataShareOrganisation> ListOrganisations();

    /// <summary>Adds an organisation; a name already taken is an OrganisationExists error.</summary>
    void InsertOrganisation(DataShareOrganisation organisation, AuditEvent audit);

    /// <summary>Writes the organisation's fields at the version read; a name already taken is an OrganisationExists error.</summary>
    void UpdateOrganisation(DataShareOrganisation organisation, AuditEvent audit);

    /// <summary>Security assessments of one organisation (or all when null), ordered by organisation, day assessed, then when recorded, streamed.</summary>
    IEnumerable<SecurityAssessment> ListAssessments(string? organisationId);

    /// <summary>Adds a security assessment; the same reference twice for one organisation is an AssessmentExists error.</summary>
    void InsertAssessment(SecurityAssessment assessment, AuditEvent audit);

    DataSharePerson? FindPerson(string id);

    DataSharePerson? FindPersonByEmail(string normalisedEmail);

    /// <summary>Every person, in id order, streamed (one read of the lot, for copying a register).</summary>
    IEnumerable<DataSharePerson> ListPeople();

    /// <summary>Records (or, with null, forgets) the person's directory account.</summary>
    void SetPersonDirectoryId(string personId, string? objectId, AuditEvent audit);

    DataShareRecipient? FindRecipient(string id);

    /// <summary>Recipients of one agreement (or all when null), ordered by agreement then when they were added.</summary>
    IEnumerable<DataShareRecipient> ListRecipients(string? agreementId, bool includeRemoved);

    /// <summary>The person's place on the agreement that is not removed, or null: one lookup, whatever the agreement's size.</summary>
    DataShareRecipient? FindActiveRecipient(string agreementId, string personId);

    /// <summary>Adds a recipient; inserts the person too when <paramref name="newPerson"/> is given.</summary>
    void InsertRecipient(DataShareRecipient recipient, DataSharePerson? newPerson, AuditEvent audit);

    /// <summary>Writes the recipient's own fields and, when given, the person's (name, training).</summary>
    void UpdateRecipient(DataShareRecipient recipient, DataSharePerson? person, AuditEvent audit);

    /// <summary>Records an event that changes nothing in the register itself (a change made elsewhere, such as in the directory).</summary>
    void AppendAudit(AuditEvent audit);

    /// <summary>Entries from <paramref name="fromSequence"/> on, in sequence order, streamed.</summary>
    IEnumerable<AuditEntry> ReadAuditLog(long fromSequence);

    AuditHead? ReadAuditHead();

    DataShareTransfer? FindTransfer(string id);

    /// <summary>Transfers of one agreement (or all when null), ordered by when they were issued, streamed.</summary>
    IEnumerable<DataShareTransfer> ListTransfers(string? agreementId);

    /// <summary>
    /// Adds a transfer and writes its holding with it: the holding is inserted when its <c>Version</c> is 0 (a new
    /// container), otherwise updated (its due day) at the version read.
    /// </summary>
    void InsertTransfer(DataShareTransfer transfer, DataShareHolding holding, AuditEvent audit);

    /// <summary>Writes a transfer's revocation and its holding's due day, each at the version read.</summary>
    void UpdateTransfer(DataShareTransfer transfer, DataShareHolding holding, AuditEvent audit);

    DataShareHolding? FindHolding(string id);

    /// <summary>Holdings of one agreement (or all when null), ordered by due day then id, streamed.</summary>
    IEnumerable<DataShareHolding> ListHoldings(string? agreementId);

    /// <summary>Holdings still held (not verified destroyed, not withdrawn), ordered by due day then id, streamed.</summary>
    IEnumerable<DataShareHolding> ListHeldHoldings();

    /// <summary>
    /// Held and pending holdings that may overlap <paramref name="holding"/>, found through the index on the stored
    /// identity (its ancestors, itself and its descendants) without reading the others. Every held holding that
    /// overlaps it is among them; a few that do not may be too (the caller decides overlap exactly).
    /// </summary>
    IEnumerable<DataShareHolding> ListHeldHoldingsNear(DataShareHolding holding);

    /// <summary>Adds a holding an administrator registered (a transfer's comes with the transfer).</summary>
    void InsertHolding(DataShareHolding holding, AuditEvent audit);

    /// <summary>
    /// Writes a holding's state (and destroyed time) at the version read, with its audit entry; a holding changed
    /// since it was read is refused with a conflict.
    /// </summary>
    void UpdateHolding(DataShareHolding holding, AuditEvent audit);

    /// <summary>Adds a destruction record and writes its holding's state, at the version read.</summary>
    void InsertDestruction(DestructionRecord record, DataShareHolding holding, AuditEvent audit);

    /// <summary>Destruction records of one agreement (or all when null), in the order they were written, streamed.</summary>
    IEnumerable<DestructionRecord> ListDestructions(string? agreementId);

    DestructionConfirmation? FindConfirmation(string agreementId);

    /// <summary>Every destruction confirmation, in agreement id order, streamed.</summary>
    IEnumerable<DestructionConfirmation> ListConfirmations();

    void InsertConfirmation(DestructionConfirmation confirmation, AuditEvent audit);

    OutputRelease? FindOutputRelease(string id);

    /// <summary>Output releases of one agreement (or all when null), ordered by when they were requested, then id, streamed.</summary>
    IEnumerable<OutputRelease> ListOutputReleases(string? agreementId);

    /// <summary>
    /// Adds a requested release with its files, exceptions and the cells of each file as checked (<paramref name="cells"/>
    /// in file order); a release id already taken is an OutputReleaseExists error.
    /// </summary>
    void InsertOutputRelease(OutputRelease release, IEnumerable<OutputReleaseCell> cells, AuditEvent audit);

    /// <summary>Writes a release's state (approval, rejection, revocation) at the version read.</summary>
    void UpdateOutputRelease(OutputRelease release, AuditEvent audit);

    /// <summary>The cells of one release (or every release when null), by release, file and position, streamed.</summary>
    IEnumerable<OutputReleaseCell> ListOutputReleaseCells(string? releaseId);

    /// <summary>DPIA revisions of one agreement (or all when null), ordered by agreement then revision, streamed.</summary>
    IEnumerable<DataShareDpia> ListDpias(string? agreementId);

    /// <summary>Adds a DPIA revision; a revision number the agreement already has is a DpiaRevisionExists error.</summary>
    void InsertDpia(DataShareDpia dpia, AuditEvent audit);

    /// <summary>Reviews of one agreement (or all when null), ordered by agreement, day reviewed, then when recorded, streamed.</summary>
    IEnumerable<DataShareReview> ListReviews(string? agreementId);

    void InsertReview(DataShareReview review, AuditEvent audit);

    /// <summary>What made reviews due early, for one agreement (or all when null), ordered by agreement, due day, then when recorded, streamed.</summary>
    IEnumerable<ReviewTrigger> ListReviewTriggers(string? agreementId);

    void InsertReviewTrigger(ReviewTrigger trigger, AuditEvent audit);
    DataShareIncident? FindIncident(string id);

    /// <summary>Incidents of one agreement (or all when null), ordered by when they were discovered, then id, streamed.</summary>
    IEnumerable<DataShareIncident> ListIncidents(string? agreementId);

    /// <summary>Adds an incident; an id already taken is an IncidentExists error.</summary>
    void InsertIncident(DataShareIncident incident, AuditEvent audit);

    /// <summary>Writes an incident's changeable fields (ICO notification, actions, closure, severity) at the version read.</summary>
    void UpdateIncident(DataShareIncident incident, AuditEvent audit);

    /// <summary>
    /// Writes another register's records into this one, which must be empty, exactly as they are (versions, state and
    /// all), with that register's audit log and head: the copy's history is the original's (Copy-DataShareRegister).
    /// <paramref name="progress"/> hears each kind and how many were written.
    /// </summary>
    void Restore(RegisterSnapshot snapshot, Action<string, long>? progress);

    /// <summary>
    /// Takes the register's sweep lock for as long as the returned object is not disposed; null when another sweep
    /// (in any process) holds it. A process that dies releases it.
    /// </summary>
    IDisposable? TryLockSweep();

    /// <summary>The legal gateway catalogue, retired gateways included, ordered by name (compared without case).</summary>
    IEnumerable<DataShareLegalGateway> ListLegalGateways();

    /// <summary>Adds a gateway; a name already in the catalogue (compared without case) is a LegalGatewayExists error.</summary>
    void InsertLegalGateway(DataShareLegalGateway gateway, AuditEvent audit);

    /// <summary>Writes a gateway's fields (retirement) at the version read.</summary>
    void UpdateLegalGateway(DataShareLegalGateway gateway, AuditEvent audit);
}

/// <summary>Another writer changed the record since it was read.</summary>
[Serializable]
public sealed class RegisterConflictException : DataShareException
{
    public RegisterConflictException()
        : this("The record was changed by another writer.", null)
    {
    }

    public RegisterConflictException(string message)
        : this(message, null)
    {
    }

    public RegisterConflictException(string message, Exception? innerException)
        : base("RegisterConflict", DataShareErrorCategory.WriteError, message, null, innerException)
    {
    }
}
