using System;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.Dbs;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.SafePeople;
using DataShareAdmin.Core.Time;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core;

/// <summary>
/// How to open the engine: the one route from a session to the engine. It carries what the session is connected to
/// (the register, storage, the directory), which clock, and who is acting.
/// </summary>
public sealed class EngineOptions
{
    /// <summary>An explicit register file; null means the usual search (environment, machine configuration, user folder).</summary>
    public string? RegisterPath { get; set; }

    public bool ReadOnly { get; set; }

    /// <summary>
    /// Make the register if it is not there (Connect-DataShareRegister -Create). Otherwise a register that is named
    /// but missing is an error (RegisterNotFound), so no command makes a new, empty register by mistake.
    /// </summary>
    public bool CreateRegister { get; set; }

    /// <summary>The shared register on Azure Table Storage; when set, it is used instead of a SQLite file.</summary>
    public TableRegisterOptions? Table { get; set; }

    public IClock Clock { get; set; } = SystemClock.Instance;

    public AuditIdentity? Identity { get; set; }

    /// <summary>A seam for tests and later backends: opens the register for a location.</summary>
    public Func<RegisterLocation, IClock, AuditIdentity, IDataShareRegister>? OpenRegister { get; set; }

    /// <summary>The session's storage connection (Connect-DataShareStorage), when there is one.</summary>
    public Storage.StorageConnection? Storage { get; set; }

    /// <summary>The session's directory connection (Connect-DataShareDirectory), when there is one.</summary>
    public DirectoryAccess.IDirectoryClientFactory? Directory { get; set; }

    /// <summary>A seam for tests: makes the DBS Update Service client for a base address.</summary>
    public Func<Uri, IDbsStatusClient>? DbsClientFactory { get; set; }
}

/// <summary>
/// The engine for one piece of work (one cmdlet invocation): the register and the services over it. Each service is
/// made when first used, so a command pays only for the services it calls (the first command of a session compiles
/// every constructor it runs).
/// </summary>
public sealed class DataShareEngine : IDisposable
{
    private readonly Lazy<SafePeoplePolicy> safePeoplePolicy;
    private readonly Lazy<Organisations.OrganisationService> organisations;
    private readonly Lazy<AgreementService> agreements;
    private readonly Lazy<RecipientService> recipients;
    private readonly Lazy<AuditService> audit;
    private readonly Lazy<CertificateService> certificates;
    private readonly Lazy<ReadinessService> readiness;
    private readonly Lazy<CertificateImporter> certificateImport;
    private readonly Lazy<TransferService> transfers;
    private readonly Lazy<Retention.RetentionService> retention;
    private readonly Lazy<Retention.OrphanFinder> orphans;
    private readonly Lazy<Retention.RetentionHolds> holds;
    private readonly Lazy<Reports.ReportService> reports;
    private readonly Lazy<Reports.ReportFileService> reportFiles;
    private readonly Lazy<RegisterCopyService> copies;
    private readonly Lazy<DirectoryAccess.DirectoryService> directory;
    private readonly Lazy<Evidence.EvidenceService> evidence;
    private readonly Lazy<Outputs.OutputReleaseService> outputs;
    private readonly Lazy<PersonDataService> people;
    private readonly Lazy<Reviews.ReviewService> reviews;
    private readonly Lazy<Incidents.IncidentService> incidents;
    private readonly Lazy<Decisions.LegalGatewayService> gateways;
    private DirectoryAccess.DirectoryCheck? directoryCheck;

    private DataShareEngine(IDataShareRegister register, IClock clock, AuditIdentity identity, EngineOptions options)
    {
        var dbsClientFactory = options.DbsClientFactory ?? (uri => new DbsUpdateServiceClient(uri));
        var connection = options.Directory;
        var user = identity.User;
        Register = register;
        Storage = new Storage.SessionStorage(options.Storage);
        Policy = new PolicyService(register);

        // Calendar dates are judged in the zone the register's policy names, the same for every administrator.
        Calendar = new ShareCalendar(clock, ShareCalendar.FindTimeZone(Policy.EffectiveValue(PolicyCatalogue.TimeZone)));
        safePeoplePolicy = new Lazy<SafePeoplePolicy>(Policy.SafePeople);
        readiness = new(() => new ReadinessService(register, Calendar, () => safePeoplePolicy.Value, () => directoryCheck));
        organisations = new(() => new Organisations.OrganisationService(register, Calendar, clock, user, Policy, Readiness.ForgetOrganisations));
        gateways = new(() => new Decisions.LegalGatewayService(register, clock, user));
        Separation = new Decisions.SeparationOfDuties(() => Policy, user);
        agreements = new(() => new AgreementService(register, Calendar, clock, user, Organisations, LegalGateways, Separation)
        {
            VariationMakesReviewDue = (id, variation, changed, host) =>
            {
                var trigger = Reviews.MarkDue(id, $"Variation {variation.Id} changed the {string.Join(", ", changed)}.", "Variation", variation.Id);
                host.WriteVerbose($"Agreement {id}'s review falls due on {DateText.FormatDate(trigger.DueOn)}: variation {variation.Id} changed the {string.Join(", ", changed)}.");
            },
        });
        recipients = new(() => new RecipientService(register, Calendar, clock, user));
        audit = new(() => new AuditService(register, clock));
        certificates = new(() => new CertificateService(register, Calendar, clock, user, () => safePeoplePolicy.Value, dbsClientFactory)
        {
            NewInformation = (c, h) => Reviews.MarkDueForPerson(c.PersonId, $"The DBS Update Service reported new information (NEW_INFO) on certificate {c.Id} of a recipient.", "Certificate", c.Id, h),
        });
        certificateImport = new(() => new CertificateImporter(Certificates, register, Policy.DateOrder));
        reports = new(() => new Reports.ReportService(register, Calendar, clock, identity, Readiness, () => safePeoplePolicy.Value, Policy));
        directory = new(() => new DirectoryAccess.DirectoryService(register, Calendar, clock, Policy, Readiness, () => connection));
        retention = new(() => new Retention.RetentionService(register, Calendar, clock, identity, Agreements, Policy, connection is null ? null : Directory.RevokeForSweep));
        orphans = new(() => new Retention.OrphanFinder(register));
        holds = new(() => new Retention.RetentionHolds(register, Calendar, Retention, Separation));
        transfers = new(() => new TransferService(register, Calendar, clock, user, Agreements, Recipients, Readiness, Policy.Transfers) { Standing = a => Reviews.RequireGoodStanding(a) });
        reportFiles = new(() => new Reports.ReportFileService(Reports, Audit, Orphans, Storage, Agreements));
        copies = new(() => new RegisterCopyService(register, clock, identity));
        evidence = new(() => new Evidence.EvidenceService(register, Calendar, clock, identity, Agreements, Transfers, Readiness));
        outputs = new(() => new Outputs.OutputReleaseService(register, Calendar, clock, user, Agreements, Policy));
        people = new(() => new PersonDataService(register, Calendar, clock, identity, Agreements, Readiness));
        reviews = new(() => new Reviews.ReviewService(register, Calendar, clock, user, Agreements, Policy));
        incidents = new(() => new Incidents.IncidentService(register, Calendar, clock, user, Agreements, IncidentMakesReviewDue));
    }

    public IDataShareRegister Register { get; }

    /// <summary>
    /// An incident always makes its agreement's review fall due (the ICO: review after a significant complaint or
    /// breach). The reason names the incident, never its summary (free text that may name people).
    /// </summary>
    private void IncidentMakesReviewDue(DataShareIncident incident, IOperationHost host)
    {
        var trigger = Reviews.MarkDue(incident.AgreementId, $"Incident {incident.Id} ({incident.Kind}, severity {incident.Severity}) was recorded.", "Incident", incident.Id);
        host.WriteVerbose($"Agreement {incident.AgreementId}'s review falls due on {DateText.FormatDate(trigger.DueOn)} because of incident {incident.Id}.");
    }

    /// <summary>The session's storage, with the adapters the services work through.</summary>
    public Storage.SessionStorage Storage { get; }

    public ShareCalendar Calendar { get; }

    public PolicyService Policy { get; }

    public Organisations.OrganisationService Organisations => organisations.Value;

    public AgreementService Agreements => agreements.Value;

    /// <summary>The legal gateway catalogue (Get-/Add-/Remove-DataShareLegalGateway).</summary>
    public Decisions.LegalGatewayService LegalGateways => gateways.Value;

    /// <summary>Separation of duties: the one check every approval makes against the account that asked for it.</summary>
    public Decisions.SeparationOfDuties Separation { get; }

    public RecipientService Recipients => recipients.Value;

    public AuditService Audit => audit.Value;

    public CertificateService Certificates => certificates.Value;

    public ReadinessService Readiness => readiness.Value;

    public CertificateImporter CertificateImport => certificateImport.Value;

    public TransferService Transfers => transfers.Value;

    public Retention.RetentionService Retention => retention.Value;

    /// <summary>Holds that keep a holding past its due day.</summary>
    public Retention.RetentionHolds Holds => holds.Value;

    /// <summary>What a sweep would never delete: storage that looks like an agreement's data but is in no held holding.</summary>
    public Retention.OrphanFinder Orphans => orphans.Value;

    public Reports.ReportService Reports => reports.Value;

    /// <summary>Reports written to a file whole or not at all (Export-DataShareReport).</summary>
    public Reports.ReportFileService ReportFiles => reportFiles.Value;

    /// <summary>This register copied into a new one (Copy-DataShareRegister).</summary>
    public RegisterCopyService Copies => copies.Value;

    public DirectoryAccess.DirectoryService Directory => directory.Value;

    /// <summary>Evidence packs per agreement (Export-DataShareEvidence).</summary>
    public Evidence.EvidenceService Evidence => evidence.Value;

    /// <summary>Safe outputs: checks, protected copies and releases (Test-DataShareOutput, *-DataShareOutputRelease).</summary>
    public Outputs.OutputReleaseService Outputs => outputs.Value;

    /// <summary>A person's own data, for their access request (Export-DataSharePersonData).</summary>
    public PersonDataService People => people.Value;

    /// <summary>DPIAs, periodic reviews and reviews falling due early.</summary>
    public Reviews.ReviewService Reviews => reviews.Value;
    /// <summary>Incidents under agreements, and the ICO's 72 hours (*-DataShareIncident).</summary>
    public Incidents.IncidentService Incidents => incidents.Value;

    /// <summary>
    /// Turns on the safe-people test's directory checks for this piece of work, when the session is connected and
    /// policy asks for any (Test-DataShareRecipient, New-DataShareTransfer, reports).
    /// </summary>
    public void UseDirectoryChecks(System.Threading.CancellationToken cancellationToken)
    {
        if (!Directory.IsConnected)
        {
            return;
        }

        var values = Policy.EffectiveValues();
        var check = new DirectoryAccess.DirectoryCheck(Directory.Require().Create(DirectoryAccess.DirectoryPermissions.Readiness),
            string.Equals(values[PolicyCatalogue.DirectoryAccountRequired], "true", StringComparison.Ordinal),
            values[PolicyCatalogue.DirectoryRequiredGroupId], cancellationToken);
        directoryCheck = check.Applies ? check : null;
    }

    public static DataShareEngine Open(EngineOptions options)
    {
        var identity = options.Identity ?? AuditIdentity.Current();
        if (options.Table is not null)
        {
            var shared = TableRegister.Open(options.Table, options.Clock, identity, readOnly: options.ReadOnly, create: options.CreateRegister);
            try
            {
                return new DataShareEngine(shared, options.Clock, identity, options);
            }
            catch
            {
                shared.Dispose();
                throw;
            }
        }

        var location = RegisterLocation.Resolve(options.RegisterPath, options.ReadOnly, createIfMissing: options.CreateRegister);
        var register = options.OpenRegister is null
            ? SqliteRegister.Open(location, options.Clock, identity)
            : options.OpenRegister(location, options.Clock, identity);
        try
        {
            return new DataShareEngine(register, options.Clock, identity, options);
        }
        catch
        {
            register.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (certificates.IsValueCreated)
        {
            (certificates.Value.DbsClient as IDisposable)?.Dispose();
        }

        Register.Dispose();
    }
}
