using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.SignIn;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// The shared register on Azure Table Storage, for a team on several machines.
/// </summary>
/// <remarks>
/// <para>One register is one partition of one table, so every write — the record, the rows that index it, its audit
/// entry and the audit head — is a single entity-group transaction: all of it happens or none does. Two writers meet
/// on the audit head's ETag: the one whose transaction reaches the service second fails as a whole, reads the new
/// head and tries again, so the audit log stays one chain with no fork and no gap.</para>
/// <para>Records are stored as JSON (split over several properties when longer than a property may be). Each list
/// the cmdlets need is a range of row keys (by agreement, by person, by due day, by name…), and rows of a record that
/// appear in several lists are full copies, written in the same transaction; so no read scans the partition where a
/// key range would do, and no read joins. Key parts are escaped so their order is the order the SQLite register
/// gives.</para>
/// </remarks>
public sealed partial class TableRegister : IDataShareRegister
{
    public const int SchemaVersion = 7;

    private const int MaxAttempts = 60;
    private const int PropertyChars = 30_000;
    private const int MaxActions = 100;
    private const long MaxTransactionBytes = 3_500_000;
    private const char Separator = '!';

    // A key is "up to 1 KiB"; Azurite reads that as 1 KiB of UTF-16, 512 characters, the stricter reading.
    private const int MaxKeyChars = 512;
    private const string StorageScope = "https://storage.azure.com/.default";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly TableClient table;
    private readonly string partition;
    private readonly IClock clock;
    private readonly AuditIdentity identity;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> organisationNames = new(StringComparer.Ordinal);

    private TableRegister(TableClient table, string partition, IClock clock, AuditIdentity identity, RegisterInfo info)
    {
        this.table = table;
        this.partition = partition;
        this.clock = clock;
        this.identity = identity;
        Info = info;
    }

    public RegisterInfo Info { get; }

    /// <summary>
    /// Opens the register. Only with <paramref name="create"/> are its table and its partition's marker made when
    /// missing; otherwise a register that is not there is <c>RegisterNotFound</c>, so a mistyped name never becomes a
    /// new, empty register, and a command that reads never creates a table.
    /// </summary>
    /// <param name="readOnly">Read-only for this opening only (tab completion), whatever the session's options say.</param>
    /// <param name="create">Make the table and the register when they are not there (Connect-DataShareRegister -Create, a copy's destination).</param>
    public static TableRegister Open(TableRegisterOptions options, IClock clock, AuditIdentity identity, string source = "Parameter", bool readOnly = false, bool create = false)
    {
        options.Validate();
        readOnly |= options.ReadOnly;
        create &= !readOnly;
        if (options.Verified && options.Client is { } cached)
        {
            // Checked when the session connected; the client (and its pooled connections) is reused for each cmdlet.
            var known = ActingAs(options, identity);
            return new TableRegister(cached, options.RegisterName, clock, known, Describe(options.Location!, source, readOnly, known));
        }

        TableServiceClient service;
        TokenCredential? credential = null;
        try
        {
            var clientOptions = new TableClientOptions();
            clientOptions.Retry.MaxRetries = 5;
            clientOptions.Retry.Mode = Azure.Core.RetryMode.Exponential;
            if (options.Transport is not null)
            {
                clientOptions.Transport = options.Transport;
            }

            if (options.ConnectionString is { Length: > 0 } connection)
            {
                service = new TableServiceClient(connection, clientOptions);
            }
            else
            {
                credential = options.CredentialFor();
                service = new TableServiceClient(options.TableEndpoint!, credential, clientOptions);
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's message can quote the string, key included: never pass it on.
            throw new DataShareException("RegisterConnectionStringInvalid", DataShareErrorCategory.InvalidArgument,
                "The storage connection string could not be read. Copy it again from the storage account's 'Access keys' page.", null) { IsTerminating = true };
        }

        if (service.Uri.Scheme != Uri.UriSchemeHttps && !service.Uri.IsLoopback)
        {
            throw new DataShareException("RegisterEndpointInsecure", DataShareErrorCategory.InvalidArgument,
                $"The connection string's table endpoint {service.Uri.GetLeftPart(UriPartial.Authority)} is plain http: the account key and the register would cross the network unprotected. Use https (http only to a local emulator on 127.0.0.1).", null) { IsTerminating = true };
        }

        var table = service.GetTableClient(options.TableName);
        var location = $"{service.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{options.TableName}#{options.RegisterName}";
        try
        {
            if (create)
            {
                table.CreateIfNotExists();
            }

            var meta = table.GetEntityIfExists<TableEntity>(options.RegisterName, "meta");

            // Signed in with Microsoft Entra ID, the audit log names the account the storage service let in (the
            // token the request above used, from the credential's cache), not this machine's OS user.
            if (credential is not null)
            {
                options.Actor = AccessTokenClaims.Read(credential.GetToken(new TokenRequestContext(new[] { StorageScope }), default).Token)?.Principal;
            }

            if (meta.HasValue && meta.Value is { } found)
            {
                if (found.GetBoolean("CopyInProgress") == true)
                {
                    throw new DataShareException("RegisterCopyIncomplete", DataShareErrorCategory.InvalidData,
                        $"The register at {location} is a copy that did not finish (Copy-DataShareRegister was stopped or failed part-way). Do not use it: delete its rows (or choose another -RegisterName) and copy again.", location) { IsTerminating = true };
                }

                var version = (int)(found.GetInt32("SchemaVersion") ?? 0);
                if (version > SchemaVersion)
                {
                    throw new DataShareException("RegisterSchemaTooNew", DataShareErrorCategory.InvalidData,
                        $"The register {location} has schema version {version}, newer than this module knows ({SchemaVersion}). Update the module; the register has not been changed.", location) { IsTerminating = true };
                }

                if (version < SchemaVersion && !readOnly)
                {
                    MarkSchema(table, found);
                }
            }
            else if (!create)
            {
                throw new DataShareException("RegisterNotFound", DataShareErrorCategory.ObjectNotFound,
                    $"There is no register at {location} (table {options.TableName}, register name {options.RegisterName}). Check the table and register names" +
                    (readOnly ? "; a read-only connection never creates a register." : "; to start a new, empty register there, connect with -Create."), location) { IsTerminating = true };
            }
            else
            {
                var marker = new TableEntity(options.RegisterName, "meta") { ["SchemaVersion"] = SchemaVersion, ["CreatedAt"] = DateText.FormatInstant(clock.UtcNow), ["CreatedBy"] = ActingAs(options, identity).User };
                try
                {
                    table.AddEntity(marker);
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    // Another process created it at the same moment.
                }
            }
        }
        catch (RequestFailedException ex)
        {
            throw Translate(ex, location);
        }
        catch (Azure.Identity.AuthenticationFailedException ex)
        {
            throw SignInFailed(ex, location);
        }
        catch (Exception ex) when (ex is HttpRequestException or AggregateException)
        {
            throw new DataShareException("RegisterUnavailable", DataShareErrorCategory.ResourceUnavailable,
                $"The register at {location} could not be reached: {ex.Message}", location, ex) { IsTerminating = true };
        }

        options.Verified = true;
        options.Client = table;
        options.Location = location;
        var actor = ActingAs(options, identity);
        return new TableRegister(table, options.RegisterName, clock, actor, Describe(location, source, readOnly, actor));
    }

    /// <summary>
    /// Raises an older release's marker to this schema. Records need no rewriting (what a newer schema adds reads as its
    /// default in an older record: schema 7's transfer state as Issued), but a release that knows only the older schema
    /// must refuse the register from now on, rather than misread a pending holding or an incomplete transfer.
    /// </summary>
    private static void MarkSchema(TableClient table, TableEntity meta)
    {
        for (var attempt = 0; ; attempt++)
        {
            meta["SchemaVersion"] = SchemaVersion;
            try
            {
                table.UpdateEntity(meta, meta.ETag, TableUpdateMode.Merge);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 3)
            {
                // Another process changed the marker at the same moment: read it again, and stop if it is already done.
                meta = table.GetEntity<TableEntity>(meta.PartitionKey, meta.RowKey).Value;
                if ((meta.GetInt32("SchemaVersion") ?? 0) >= SchemaVersion)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Where a register with these options is (as its RegisterInfo.Location says), without any request.</summary>
    public static string LocationOf(TableRegisterOptions options)
    {
        options.Validate();
        try
        {
            var service = options.ConnectionString is { Length: > 0 } connection
                ? new TableServiceClient(connection)
                : new TableServiceClient(options.TableEndpoint!, options.CredentialFor());
            return $"{service.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{options.TableName}#{options.RegisterName}";
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new DataShareException("RegisterConnectionStringInvalid", DataShareErrorCategory.InvalidArgument,
                "The storage connection string could not be read. Copy it again from the storage account's 'Access keys' page.", null) { IsTerminating = true };
        }
    }

    private static RegisterInfo Describe(string location, string source, bool readOnly, AuditIdentity actor) => new()
    {
        Backend = "AzureTables",
        Location = location,
        Source = source,
        SchemaVersion = SchemaVersion,
        IsReadOnly = readOnly,
        Actor = actor.User,
    };

    /// <summary>The Entra account the connection signed in as, on this machine; the OS user with a connection string (the account key names no one).</summary>
    private static AuditIdentity ActingAs(TableRegisterOptions options, AuditIdentity identity) =>
        options.Actor is { } actor ? new AuditIdentity(actor, identity.Machine) : identity;

    // ---------------------------------------------------------------- agreements

    public DataShareAgreement? FindAgreement(string id) => Agreement(Get(Key("ag", Upper(id))));

    public IEnumerable<DataShareAgreement> ListAgreements()
    {
        // Organisations are few: their current names are read in one range, not once per agreement.
        foreach (var organisation in Range(Prefix("org")).Select(e => Read<DataShareOrganisation>(e)!))
        {
            organisationNames[organisation.Id] = organisation.Name;
        }

        foreach (var entity in Range(Prefix("ag")))
        {
            yield return Agreement(entity)!;
        }
    }

    public void InsertAgreement(DataShareAgreement agreement, AuditEvent audit) => Write(audit, _ =>
    {
        var stored = Copy(agreement);
        stored.Version = 1;
        var ops = new Ops();
        ops.Add(Row(Key("ag", Upper(stored.Id)), "Agreement", stored), () => new DataShareException("AgreementExists", DataShareErrorCategory.ResourceExists,
            $"An agreement with id '{agreement.Id}' already exists. Use Set-DataShareAgreement to change it.", agreement.Id));
        return ops.Then(() => agreement.Version = 1);
    });

    public void UpdateAgreement(DataShareAgreement agreement, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Current(Key("ag", Upper(agreement.Id)), agreement.Version, $"Agreement '{agreement.Id}' was changed by another writer.");
        var stored = Copy(agreement);
        stored.Version = agreement.Version + 1;
        var ops = new Ops();
        ops.Replace(Row(Key("ag", Upper(stored.Id)), "Agreement", stored), current.ETag, () => Conflict($"Agreement '{agreement.Id}' was changed by another writer."));
        return ops.Then(() => agreement.Version++);
    });

    private DataShareAgreement? Agreement(TableEntity? entity)
    {
        var agreement = Read<DataShareAgreement>(entity);
        if (agreement is { OrganisationId: { } organisationId } && OrganisationName(organisationId) is { } name)
        {
            agreement.Organisation = name;
        }

        if (agreement is not null)
        {
            agreement.Status = default;
            agreement.StatusAsOf = default;
        }

        return agreement;
    }

    // ---------------------------------------------------------------- organisations and assessments

    /// <summary>
    /// An organisation's current name for an agreement or assessment read: one point read per organisation while this
    /// register is open (one cmdlet), not one per record; listing every agreement reads them all in one range first. A
    /// rename through this register updates it; one by another writer shows from the next opening.
    /// </summary>
    private string? OrganisationName(string id)
    {
        if (organisationNames.TryGetValue(id, out var name))
        {
            return name;
        }

        name = FindOrganisation(id)?.Name;
        if (name is not null)
        {
            organisationNames[id] = name;
        }

        return name;
    }

    public DataShareOrganisation? FindOrganisation(string id) => Organisation(Get(Key("org", id)));

    public DataShareOrganisation? FindOrganisationByName(string name) =>
        Get(NameKey(name)) is { } pointer ? FindOrganisation(pointer.GetString("Id")) : null;

    public IEnumerable<DataShareOrganisation> ListOrganisations() =>
        Range(Prefix("org")).Select(e => Organisation(e)!).OrderBy(o => o.Name, StringComparer.OrdinalIgnoreCase).ThenBy(o => o.Id, StringComparer.Ordinal).ToList();

    public void InsertOrganisation(DataShareOrganisation organisation, AuditEvent audit) => Write(audit, _ =>
    {
        var stored = Plain(organisation);
        stored.Version = 1;
        var ops = new Ops();
        ops.Add(Row(Key("org", stored.Id), "Organisation", stored), () => OrganisationExists(organisation.Name));
        ops.Add(Pointer(NameKey(stored.Name), stored.Id), () => OrganisationExists(organisation.Name));
        return ops.Then(() => organisation.Version = 1);
    });

    public void UpdateOrganisation(DataShareOrganisation organisation, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Current(Key("org", organisation.Id), organisation.Version, $"Organisation '{organisation.Name}' was changed by another writer.");
        var before = Read<DataShareOrganisation>(current)!;
        var stored = Plain(organisation);
        stored.Version = organisation.Version + 1;
        var ops = new Ops();
        ops.Replace(Row(Key("org", stored.Id), "Organisation", stored), current.ETag, () => Conflict($"Organisation '{organisation.Name}' was changed by another writer."));
        if (!string.Equals(before.Name, stored.Name, StringComparison.OrdinalIgnoreCase))
        {
            ops.Delete(NameKey(before.Name));
            ops.Add(Pointer(NameKey(stored.Name), stored.Id), () => OrganisationExists(organisation.Name));
        }
        else if (!string.Equals(before.Name, stored.Name, StringComparison.Ordinal))
        {
            ops.Upsert(Pointer(NameKey(stored.Name), stored.Id));
        }

        return ops.Then(() =>
        {
            organisation.Version++;
            organisationNames[stored.Id] = stored.Name;
        });
    });

    public IEnumerable<SecurityAssessment> ListAssessments(string? organisationId)
    {
        foreach (var entity in Range(organisationId is null ? Prefix("sa") : Prefix("sa", organisationId)))
        {
            var assessment = Read<SecurityAssessment>(entity)!;
            assessment.Organisation = OrganisationName(assessment.OrganisationId) ?? assessment.Organisation;
            yield return assessment;
        }
    }

    public void InsertAssessment(SecurityAssessment assessment, AuditEvent audit) => Write(audit, _ =>
    {
        var ops = new Ops();
        DataShareException Exists() => new("AssessmentExists", DataShareErrorCategory.ResourceExists,
            $"{assessment.Organisation} already has a security assessment with reference '{assessment.Reference}'. Get-DataShareOrganisation shows its assessments.", assessment.Reference);
        ops.Add(Row(Key("sa", assessment.OrganisationId, Date(assessment.AssessedOn), Instant(assessment.RecordedAt), assessment.Id), "Assessment", assessment), Exists);
        ops.Add(Pointer(Key("saref", assessment.OrganisationId, assessment.Reference.ToLowerInvariant()), assessment.Id), Exists);
        return ops;
    });

    private DataShareOrganisation? Organisation(TableEntity? entity) => Read<DataShareOrganisation>(entity);

    private static DataShareOrganisation Plain(DataShareOrganisation o) => new()
    {
        Id = o.Id,
        Name = o.Name,
        Address = o.Address,
        ProtectionOfficerName = o.ProtectionOfficerName,
        ProtectionOfficerEmail = o.ProtectionOfficerEmail,
        CreatedAt = o.CreatedAt,
        CreatedBy = o.CreatedBy,
        ModifiedAt = o.ModifiedAt,
        Version = o.Version,
    };

    private static DataShareException OrganisationExists(string name) =>
        new("OrganisationExists", DataShareErrorCategory.ResourceExists,
            $"There is already an organisation named '{name}' in the register. Get-DataShareOrganisation -Name '{name}' shows it.", name);

    // ---------------------------------------------------------------- people and recipients

    public DataSharePerson? FindPerson(string id) => Read<DataSharePerson>(Get(Key("pe", id)));

    public DataSharePerson? FindPersonByEmail(string normalisedEmail) =>
        Get(LookupKey("pemail", normalisedEmail)) is { } pointer ? FindPerson(pointer.GetString("Id")) : null;

    public IEnumerable<DataSharePerson> ListPeople() => Range(Prefix("pe")).Select(e => Read<DataSharePerson>(e)!);

    public void SetPersonDirectoryId(string personId, string? objectId, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Get(Key("pe", personId)) ?? throw new DataShareException("PersonNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no person '{personId}' in the register.", personId);
        var person = Read<DataSharePerson>(current)!;
        person.DirectoryObjectId = objectId;
        person.Version++;
        var ops = new Ops();
        ops.Replace(Row(Key("pe", person.Id), "Person", person), current.ETag, () => Conflict($"Person '{person.Email}' was changed by another writer."));
        CopyPersonToPlaces(ops, person);
        return ops;
    });

    public DataShareRecipient? FindRecipient(string id) => Read<DataShareRecipient>(Get(Key("rc", id)));

    public IEnumerable<DataShareRecipient> ListRecipients(string? agreementId, bool includeRemoved)
    {
        foreach (var entity in Range(agreementId is null ? Prefix("rcag") : Prefix("rcag", Upper(agreementId))))
        {
            var recipient = Read<DataShareRecipient>(entity)!;
            if (includeRemoved || recipient.RemovedAt is null)
            {
                yield return recipient;
            }
        }
    }

    public void InsertRecipient(DataShareRecipient recipient, DataSharePerson? newPerson, AuditEvent audit) => Write(audit, _ =>
    {
        var ops = new Ops();
        DataSharePerson person;
        if (newPerson is not null)
        {
            person = Copy(newPerson);
            person.Version = 1;
            ops.Add(Row(Key("pe", person.Id), "Person", person), () => Conflict($"A person with email '{newPerson.Email}' was added by another writer."));
            ops.Add(Pointer(LookupKey("pemail", person.NormalisedEmail), person.Id), () => Conflict($"A person with email '{newPerson.Email}' was added by another writer."));
        }
        else
        {
            person = FindPerson(recipient.PersonId) ?? throw Conflict($"Person '{recipient.PersonId}' is no longer in the register.");
        }

        var stored = WithPerson(Copy(recipient), person);
        stored.Version = 1;
        DataShareException Exists() => new("RecipientExists", DataShareErrorCategory.ResourceExists,
            $"{recipient.Email} is already a recipient on agreement '{recipient.AgreementId}'.", recipient.Email);
        ops.Add(Row(Key("rc", stored.Id), "Recipient", stored), Exists);
        ops.Add(Row(PlaceKey(stored), "Recipient", stored), Exists);
        ops.Add(Pointer(Key("rcpe", stored.PersonId, stored.Id), PlaceKey(stored)), Exists);
        ops.Add(Pointer(Key("rcact", Upper(stored.AgreementId), stored.PersonId), stored.Id), Exists);
        return ops.Then(() =>
        {
            recipient.Version = 1;
            if (newPerson is not null)
            {
                newPerson.Version = 1;
            }
        });
    });

    public void UpdateRecipient(DataShareRecipient recipient, DataSharePerson? person, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Current(Key("rc", recipient.Id), recipient.Version, $"Recipient '{recipient.Id}' was changed by another writer.");
        var before = Read<DataShareRecipient>(current)!;
        var ops = new Ops();
        DataSharePerson? storedPerson = null;
        if (person is not null)
        {
            var personRow = Current(Key("pe", person.Id), person.Version, $"Person '{person.Email}' was changed by another writer.");
            storedPerson = Read<DataSharePerson>(personRow)!;
            storedPerson.Name = person.Name;
            storedPerson.TrainingCompletedOn = person.TrainingCompletedOn;
            storedPerson.Version = person.Version + 1;
            ops.Replace(Row(Key("pe", person.Id), "Person", storedPerson), personRow.ETag, () => Conflict($"Person '{person.Email}' was changed by another writer."));
        }

        var stored = Copy(recipient);
        stored.Version = recipient.Version + 1;
        if (storedPerson is not null)
        {
            WithPerson(stored, storedPerson);
        }

        ops.Replace(Row(Key("rc", stored.Id), "Recipient", stored), current.ETag, () => Conflict($"Recipient '{recipient.Id}' was changed by another writer."));
        ops.Upsert(Row(PlaceKey(stored), "Recipient", stored));
        if (before.RemovedAt is null && stored.RemovedAt is not null)
        {
            ops.Delete(Key("rcact", Upper(stored.AgreementId), stored.PersonId));
        }

        if (storedPerson is not null)
        {
            CopyPersonToPlaces(ops, storedPerson, except: stored.Id);
        }

        return ops.Then(() =>
        {
            recipient.Version++;
            if (person is not null)
            {
                person.Version++;
            }
        });
    });

    /// <summary>Each recipient row carries its person's name, email, training and account: a person's change goes to all of them.</summary>
    private void CopyPersonToPlaces(Ops ops, DataSharePerson person, string? except = null)
    {
        foreach (var pointer in Range(Prefix("rcpe", person.Id)))
        {
            var placeKey = pointer.GetString("Id");
            if (Get(placeKey) is not { } place)
            {
                continue;
            }

            var recipient = WithPerson(Read<DataShareRecipient>(place)!, person);
            if (recipient.Id == except)
            {
                continue;
            }

            ops.Upsert(Row(placeKey, "Recipient", recipient));
            ops.Upsert(Row(Key("rc", recipient.Id), "Recipient", recipient));
        }
    }

    private static DataShareRecipient WithPerson(DataShareRecipient recipient, DataSharePerson person)
    {
        recipient.PersonId = person.Id;
        recipient.Name = person.Name;
        recipient.Email = person.Email;
        recipient.TrainingCompletedOn = person.TrainingCompletedOn;
        recipient.DirectoryObjectId = person.DirectoryObjectId;
        return recipient;
    }

    private static string PlaceKey(DataShareRecipient r) => Key("rcag", Upper(r.AgreementId), Instant(r.AddedAt), r.Id);

    // ---------------------------------------------------------------- audit

    public void AppendAudit(AuditEvent audit) => Write(audit, _ => new Ops());

    // ---------------------------------------------------------------- policy

    public IEnumerable<PolicyValue> ReadPolicy() => Range(Prefix("pol")).Select(e => Read<PolicyValue>(e)!);

    public void WritePolicy(string name, string? expected, string? value, AuditEvent audit) => Write(audit, _ =>
    {
        // Read after the audit head, on every attempt: a writer that changed the setting since also moved the head, so
        // the transaction fails on the head and this is read again; the row's ETag guards it as well.
        var ops = new Ops();
        var key = Key("pol", name.ToLowerInvariant());
        var row = Get(key);
        if (!string.Equals(Read<PolicyValue>(row)?.Value, expected, StringComparison.Ordinal))
        {
            throw Conflict($"Policy setting '{name}' was changed by another writer.");
        }

        Func<Exception> changed = () => Conflict($"Policy setting '{name}' was changed by another writer.");
        if (value is null)
        {
            if (row is not null)
            {
                ops.Delete(key, row.ETag, changed);
            }

            return ops;
        }

        var entity = Row(key, "Policy", new PolicyValue { Name = name, Value = value, ModifiedAt = DateText.Truncate(clock.UtcNow), ModifiedBy = identity.User });
        if (row is null)
        {
            ops.Add(entity, changed);
        }
        else
        {
            ops.Replace(entity, row.ETag, changed);
        }

        return ops;
    });

    // ---------------------------------------------------------------- certificates

    public DisclosureCertificate? FindCertificate(string id) => Read<DisclosureCertificate>(Get(Key("dc", id)));

    public DisclosureCertificate? FindCertificateByNumber(CertificateIssuer issuer, string number) =>
        Get(Key("dcnum", issuer.ToString(), number)) is { } pointer ? FindCertificate(pointer.GetString("Id")) : null;

    public IEnumerable<DisclosureCertificate> ListCertificates(string? personId) =>
        Range(personId is null ? Prefix("dcpe") : Prefix("dcpe", personId)).Select(e => Read<DisclosureCertificate>(e)!);

    public void InsertCertificate(DisclosureCertificate certificate, AuditEvent audit) => Write(audit, _ =>
    {
        var stored = Copy(certificate);
        stored.Version = 1;

        // A person's email never changes: each certificate row carries it, as the SQLite register joins it.
        stored.Email = FindPerson(stored.PersonId)?.Email ?? stored.Email;
        var ops = new Ops();
        DataShareException Exists() => CertificateExists(certificate);
        ops.Add(Row(Key("dc", stored.Id), "Certificate", stored), Exists);
        ops.Add(Row(PersonCertificateKey(stored), "Certificate", stored), Exists);
        ops.Add(Pointer(Key("dcnum", stored.Issuer.ToString(), stored.Number), stored.Id), Exists);
        return ops.Then(() => certificate.Version = 1);
    });

    public void UpdateCertificate(DisclosureCertificate certificate, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Current(Key("dc", certificate.Id), certificate.Version, $"Certificate '{certificate.Id}' was changed by another writer.");
        var before = Read<DisclosureCertificate>(current)!;
        var stored = Copy(certificate);
        stored.Version = certificate.Version + 1;
        stored.Email = before.Email;
        var ops = new Ops();
        ops.Replace(Row(Key("dc", stored.Id), "Certificate", stored), current.ETag, () => Conflict($"Certificate '{certificate.Id}' was changed by another writer."));
        if (PersonCertificateKey(before) != PersonCertificateKey(stored))
        {
            ops.Delete(PersonCertificateKey(before));
        }

        ops.Upsert(Row(PersonCertificateKey(stored), "Certificate", stored));
        var oldNumber = Key("dcnum", before.Issuer.ToString(), before.Number);
        var newNumber = Key("dcnum", stored.Issuer.ToString(), stored.Number);
        if (oldNumber != newNumber)
        {
            ops.Delete(oldNumber);
            ops.Add(Pointer(newNumber, stored.Id), () => CertificateExists(certificate));
        }

        return ops.Then(() => certificate.Version++);
    });

    public void DeleteCertificate(DisclosureCertificate certificate, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Current(Key("dc", certificate.Id), certificate.Version, $"Certificate '{certificate.Id}' was changed by another writer.");
        var before = Read<DisclosureCertificate>(current)!;
        var ops = new Ops();
        ops.Delete(Key("dc", before.Id), current.ETag, () => Conflict($"Certificate '{certificate.Id}' was changed by another writer."));
        ops.Delete(PersonCertificateKey(before));
        ops.Delete(Key("dcnum", before.Issuer.ToString(), before.Number));
        return ops;
    });

    private static string PersonCertificateKey(DisclosureCertificate c) => Key("dcpe", c.PersonId, Date(c.IssuedOn), c.Id);

    private static DataShareException CertificateExists(DisclosureCertificate certificate) =>
        new("CertificateExists", DataShareErrorCategory.ResourceExists,
            $"A {certificate.Issuer} certificate numbered {certificate.Number} is already in the register. Get-DisclosureCertificate -Number {certificate.Number} shows it; Set-DisclosureCertificate corrects it.",
            certificate.Number);

    // ---------------------------------------------------------------- transfers and holdings

    public DataShareTransfer? FindTransfer(string id) => Read<DataShareTransfer>(Get(Key("tr", id)));

    public IEnumerable<DataShareTransfer> ListTransfers(string? agreementId) =>
        Range(agreementId is null ? Prefix("trtime") : Prefix("trag", Upper(agreementId))).Select(e => Read<DataShareTransfer>(e)!);

    public void InsertTransfer(DataShareTransfer transfer, DataShareHolding holding, AuditEvent audit) => Write(audit, _ =>
    {
        var stored = WithoutLink(transfer);
        stored.Version = 1;
        var ops = new Ops();
        DataShareException Exists() => new("TransferExists", DataShareErrorCategory.ResourceExists, $"A transfer with id '{transfer.Id}' already exists.", transfer.Id);
        foreach (var key in TransferKeys(stored))
        {
            ops.Add(Row(key, "Transfer", stored), Exists);
        }

        var written = WriteHolding(ops, holding);
        return ops.Then(() =>
        {
            transfer.Version = 1;
            written();
        });
    });

    public void UpdateTransfer(DataShareTransfer transfer, DataShareHolding holding, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Current(Key("tr", transfer.Id), transfer.Version, $"Transfer '{transfer.Id}' was changed by another writer.");
        var stored = WithoutLink(transfer);
        stored.Version = transfer.Version + 1;
        var ops = new Ops();
        ops.Replace(Row(Key("tr", stored.Id), "Transfer", stored), current.ETag, () => Conflict($"Transfer '{transfer.Id}' was changed by another writer."));
        foreach (var key in TransferKeys(stored).Skip(1))
        {
            ops.Upsert(Row(key, "Transfer", stored));
        }

        var written = WriteHolding(ops, holding);
        return ops.Then(() =>
        {
            transfer.Version++;
            written();
        });
    });

    private static string[] TransferKeys(DataShareTransfer t) => new[]
    {
        Key("tr", t.Id), Key("trag", Upper(t.AgreementId), Instant(t.IssuedAt), t.Id), Key("trtime", Instant(t.IssuedAt), t.Id),
    };

    /// <summary>The link is a secret: it is never stored.</summary>
    private static DataShareTransfer WithoutLink(DataShareTransfer transfer)
    {
        var copy = Copy(transfer);
        copy.Uri = null;
        copy.Note = null;
        copy.Files = copy.Files.Select(f =>
        {
            var file = Copy(f);
            file.Uri = null;
            return file;
        }).ToList();
        return copy;
    }

    public DataShareHolding? FindHolding(string id) => Read<DataShareHolding>(Get(Key("hd", id)));

    public IEnumerable<DataShareHolding> ListHoldings(string? agreementId) =>
        Range(agreementId is null ? Prefix("hddue") : Prefix("hdag", Upper(agreementId))).Select(e => Read<DataShareHolding>(e)!);

    public IEnumerable<DataShareHolding> ListHeldHoldings() => Range(Prefix("hdheld")).Select(e => Read<DataShareHolding>(e)!);

    public void InsertHolding(DataShareHolding holding, AuditEvent audit) => Write(audit, _ =>
    {
        if (holding.Version != 0)
        {
            throw new ArgumentException("A new holding has version 0.", nameof(holding));
        }

        var ops = new Ops();
        var written = WriteHolding(ops, holding);
        return ops.Then(written);
    });

    public void InsertDestruction(DestructionRecord record, DataShareHolding holding, AuditEvent audit) => Write(audit, sequence =>
    {
        var ops = new Ops();
        ops.Add(Row(Key("dr", Upper(record.AgreementId), Instant(record.FinishedAt), record.Id), "Destruction", record), null);
        ops.Add(Row(Key("drtime", Instant(record.FinishedAt), record.Id), "Destruction", record), null);
        var written = WriteHolding(ops, holding);
        return ops.Then(written);
    });

    public IEnumerable<DestructionRecord> ListDestructions(string? agreementId) =>
        Range(agreementId is null ? Prefix("drtime") : Prefix("dr", Upper(agreementId))).Select(e => Read<DestructionRecord>(e)!);

    public DestructionConfirmation? FindConfirmation(string agreementId) => Read<DestructionConfirmation>(Get(Key("cf", Upper(agreementId))));

    public IEnumerable<DestructionConfirmation> ListConfirmations() => Range(Prefix("cf")).Select(e => Read<DestructionConfirmation>(e)!);

    public void InsertConfirmation(DestructionConfirmation confirmation, AuditEvent audit) => Write(audit, _ =>
    {
        var ops = new Ops();
        ops.Add(Row(Key("cf", Upper(confirmation.AgreementId)), "Confirmation", confirmation), () => new DataShareException("DestructionAlreadyConfirmed",
            DataShareErrorCategory.ResourceExists, $"The destruction of agreement {confirmation.AgreementId}'s copies is already confirmed.", confirmation.AgreementId));
        return ops;
    });

    /// <summary>A new holding (version 0) is added; an existing one is written at the version read, its index rows moved.</summary>
    private Action WriteHolding(Ops ops, DataShareHolding holding)
    {
        var stored = Copy(holding);
        stored.Version = holding.Version + 1;
        if (holding.Version == 0)
        {
            DataShareException Exists() => new("HoldingExists", DataShareErrorCategory.ResourceExists, $"A holding with id '{holding.Id}' already exists.", holding.Id);
            foreach (var key in HoldingKeys(stored))
            {
                ops.Add(Row(key, "Holding", stored), Exists);
            }

            return () => holding.Version = 1;
        }

        var current = Current(Key("hd", holding.Id), holding.Version, $"Holding '{holding.Id}' was changed by another writer.");
        var before = Read<DataShareHolding>(current)!;
        var oldKeys = HoldingKeys(before);
        var newKeys = HoldingKeys(stored);
        ops.Replace(Row(newKeys[0], "Holding", stored), current.ETag, () => Conflict($"Holding '{holding.Id}' was changed by another writer."));
        foreach (var key in oldKeys.Skip(1).Except(newKeys))
        {
            ops.Delete(key);
        }

        foreach (var key in newKeys.Skip(1))
        {
            ops.Upsert(Row(key, "Holding", stored));
        }

        return () => holding.Version++;
    }

    private static List<string> HoldingKeys(DataShareHolding h)
    {
        var keys = new List<string> { Key("hd", h.Id), Key("hdag", Upper(h.AgreementId), Date(h.DueOn), h.Id), Key("hddue", Date(h.DueOn), h.Id) };
        if (h.State != HoldingState.Destroyed)
        {
            // Held and pending alike: both may hold data, so both are what a sweep and an overlap check list.
            keys.Add(Key("hdheld", Date(h.DueOn), h.Id));
        }

        return keys;
    }

    // ---------------------------------------------------------------- copying a register in

    public void Restore(RegisterSnapshot snapshot, Action<string, long>? progress)
    {
        if (Info.IsReadOnly)
        {
            throw new DataShareException("RegisterReadOnly", DataShareErrorCategory.PermissionDenied, $"The register {Info.Location} is open read-only; nothing was written.", Info.Location) { IsTerminating = true };
        }

        if (Get("auhead") is not null || Range(Prefix("ag")).Any() || Range(Prefix("org")).Any())
        {
            throw new DataShareException("RegisterCopyDestinationNotEmpty", DataShareErrorCategory.ResourceExists,
                $"The register {Info.Location} already holds records; a copy goes only into an empty register. Nothing was written.", Info.Location);
        }

        // Rows go in transactions of up to 100 rows and under the service's 4 MiB; the register is marked as a copy
        // in progress until the audit head, written last, is in, so a copy cut short is refused when opened (it
        // would otherwise look like a register with fewer records).
        Mark(copying: true);
        var batch = new List<TableTransactionAction>(MaxActions);
        long batchBytes = 0;
        void Flush()
        {
            if (batch.Count == 0)
            {
                return;
            }

            try
            {
                table.SubmitTransaction(batch);
            }
            catch (RequestFailedException ex)
            {
                throw Translate(ex, Info.Location);
            }

            batch.Clear();
            batchBytes = 0;
        }

        void Put(IEnumerable<TableEntity> rows)
        {
            var list = rows.ToList();
            var bytes = list.Sum(Size);
            if (batch.Count + list.Count > MaxActions || batchBytes + bytes > MaxTransactionBytes)
            {
                Flush();
            }

            batch.AddRange(list.Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row)));
            batchBytes += bytes;
        }

        void Each<T>(string kind, IEnumerable<T> items, Func<T, IEnumerable<TableEntity>> rows)
        {
            long count = 0;
            foreach (var item in items)
            {
                Put(rows(item));
                count++;
            }

            Flush();
            progress?.Invoke(kind, count);
        }

        Each("Organisations", snapshot.Organisations, o => new[] { Row(Key("org", o.Id), "Organisation", Plain(o)), Pointer(NameKey(o.Name), o.Id) });
        Each("Assessments", snapshot.Assessments, a => new[]
        {
            Row(Key("sa", a.OrganisationId, Date(a.AssessedOn), Instant(a.RecordedAt), a.Id), "Assessment", a),
            Pointer(Key("saref", a.OrganisationId, a.Reference.ToLowerInvariant()), a.Id),
        });
        Each("Agreements", snapshot.Agreements, a => new[] { Row(Key("ag", Upper(a.Id)), "Agreement", Copy(a)) });
        Each("People", snapshot.People, p => new[] { Row(Key("pe", p.Id), "Person", p), Pointer(LookupKey("pemail", p.NormalisedEmail), p.Id) });
        Each("Recipients", snapshot.Recipients, r =>
        {
            var rows = new List<TableEntity> { Row(Key("rc", r.Id), "Recipient", r), Row(PlaceKey(r), "Recipient", r), Pointer(Key("rcpe", r.PersonId, r.Id), PlaceKey(r)) };
            if (r.RemovedAt is null)
            {
                rows.Add(Pointer(Key("rcact", Upper(r.AgreementId), r.PersonId), r.Id));
            }

            return rows;
        });
        Each("Policy", snapshot.Policy, v => new[] { Row(Key("pol", v.Name.ToLowerInvariant()), "Policy", v) });
        Each("Certificates", snapshot.Certificates, c => new[]
        {
            Row(Key("dc", c.Id), "Certificate", c), Row(PersonCertificateKey(c), "Certificate", c), Pointer(Key("dcnum", c.Issuer.ToString(), c.Number), c.Id),
        });
        Each("Holdings", snapshot.Holdings, h => HoldingKeys(h).Select(key => Row(key, "Holding", h)));
        Each("Transfers", snapshot.Transfers, t =>
        {
            var stored = WithoutLink(t);
            return TransferKeys(stored).Select(key => Row(key, "Transfer", stored));
        });
        Each("Destructions", snapshot.Destructions, d => new[]
        {
            Row(Key("dr", Upper(d.AgreementId), Instant(d.FinishedAt), d.Id), "Destruction", d), Row(Key("drtime", Instant(d.FinishedAt), d.Id), "Destruction", d),
        });
        Each("Confirmations", snapshot.Confirmations, c => new[] { Row(Key("cf", Upper(c.AgreementId)), "Confirmation", c) });
        Each("Audit entries", snapshot.AuditLog, e => new[] { EntryRow(e) });
        if (snapshot.AuditHead is { } head)
        {
            AuditStoredForm.RequireReadable(head);
            Put(new[] { HeadRow(head.Sequence, head.Hash) });
            Flush();
        }

        Mark(copying: false);
    }

    /// <summary>Sets or clears the marker that says a copy into this register has not finished.</summary>
    private void Mark(bool copying)
    {
        var meta = Get("meta") ?? new TableEntity(partition, "meta") { ["SchemaVersion"] = SchemaVersion };
        meta["CopyInProgress"] = copying;
        try
        {
            table.UpsertEntity(meta, TableUpdateMode.Replace);
        }
        catch (RequestFailedException ex)
        {
            throw Translate(ex, Info.Location);
        }
    }

    /// <summary>A row's size as the service counts it, roughly: UTF-16 text and a little per property.</summary>
    private static long Size(TableEntity row) => row.Sum(p => (p.Key.Length * 2) + (p.Value is string text ? (text.Length * 2) + 8 : 16));

    // ---------------------------------------------------------------- sweep lock

    /// <summary>
    /// A lease row: taken when absent or expired, renewed every 20 seconds while held, deleted on dispose. A process
    /// that dies stops renewing, and its lease runs out after a minute, so a killed sweep never blocks the next one.
    /// </summary>
    public IDisposable? TryLockSweep()
    {
        var owner = Guid.NewGuid().ToString("N");
        try
        {
            var now = DateTimeOffset.UtcNow;
            var lease = new TableEntity(partition, "lock!sweep") { ["Owner"] = owner, ["Expires"] = now.AddSeconds(SweepLease.LeaseSeconds), ["Machine"] = identity.Machine };
            var existing = table.GetEntityIfExists<TableEntity>(partition, "lock!sweep");
            Response response;
            if (!existing.HasValue || existing.Value is null)
            {
                response = table.AddEntity(lease);
            }
            else if (existing.Value.GetDateTimeOffset("Expires") is { } expires && expires > now)
            {
                return null;
            }
            else
            {
                response = table.UpdateEntity(lease, existing.Value.ETag, TableUpdateMode.Replace);
            }

            return new SweepLease(table, partition, owner, response.Headers.ETag ?? ETag.All);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
        catch (RequestFailedException ex)
        {
            throw Translate(ex, Info.Location);
        }
    }

    private sealed class SweepLease : IDisposable
    {
        public const int LeaseSeconds = 60;

        private readonly TableClient table;
        private readonly string partition;
        private readonly string owner;
        private readonly Timer timer;
        private readonly object gate = new();
        private ETag etag;
        private bool disposed;

        public SweepLease(TableClient table, string partition, string owner, ETag etag)
        {
            this.table = table;
            this.partition = partition;
            this.owner = owner;
            this.etag = etag;
            timer = new Timer(_ => Renew(), null, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20));
        }

        private void Renew()
        {
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                try
                {
                    var lease = new TableEntity(partition, "lock!sweep") { ["Owner"] = owner, ["Expires"] = DateTimeOffset.UtcNow.AddSeconds(LeaseSeconds) };
                    etag = table.UpdateEntity(lease, etag, TableUpdateMode.Replace).Headers.ETag ?? etag;
                }
                catch (RequestFailedException)
                {
                    // Lost (another sweep took an expired lease) or unreachable: the next renewal tries again.
                }
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                disposed = true;
                timer.Dispose();
                try
                {
                    table.DeleteEntity(partition, "lock!sweep", etag);
                }
                catch (RequestFailedException)
                {
                    // Already taken over or gone; it expires by itself.
                }
            }
        }
    }

    public void Dispose()
    {
        // Nothing held open: the SDK's HTTP connections are pooled by the process.
    }

    // ---------------------------------------------------------------- the write path

    /// <summary>The actions of one change, each with what to report if it is the one the service refuses.</summary>
    private sealed class Ops
    {
        public List<(TableTransactionAction Action, Func<Exception>? OnConflict)> Actions { get; } = new();

        public Action? Done { get; private set; }

        public void Add(TableEntity entity, Func<Exception>? onConflict) => Actions.Add((new TableTransactionAction(TableTransactionActionType.Add, entity), onConflict));

        public void Replace(TableEntity entity, ETag etag, Func<Exception> onConflict) =>
            Actions.Add((new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag), onConflict));

        public void Upsert(TableEntity entity) => Actions.Add((new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity), null));

        public void Delete(string rowKey, ETag? etag = null, Func<Exception>? onConflict = null) =>
            Actions.Add((new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(string.Empty, rowKey), etag ?? ETag.All), onConflict));

        public Ops Then(Action done)
        {
            Done = done;
            return this;
        }
    }

    /// <summary>
    /// One change with its audit entry: builds the change (reading what it needs), chains the entry on the head as
    /// read, and commits both in one transaction. If another writer extended the log first, the transaction fails on
    /// the head and the whole change is built again on the new head.
    /// </summary>
    private void Write(AuditEvent audit, Func<long, Ops> build)
    {
        if (Info.IsReadOnly)
        {
            throw new DataShareException("RegisterReadOnly", DataShareErrorCategory.PermissionDenied,
                $"The register {Info.Location} is open read-only; nothing was changed. Connect without -ReadOnly to make changes.", Info.Location) { IsTerminating = true };
        }

        var random = new Random();
        for (var attempt = 1; ; attempt++)
        {
            var headRow = Get("auhead");
            var head = WritableHead(headRow);
            var ops = build((head?.Sequence ?? 0) + 1);
            var entry = AuditChain.Chain(audit, clock.UtcNow, identity.User, identity.Machine, head);

            var actions = ops.Actions.Select(a => a.Action).ToList();
            foreach (var action in actions)
            {
                action.Entity.PartitionKey = partition;
            }

            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, EntryRow(entry)));
            var newHead = HeadRow(entry.Sequence, entry.Hash);
            actions.Add(headRow is null
                ? new TableTransactionAction(TableTransactionActionType.Add, newHead)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, newHead, headRow.ETag));
            if (actions.Count > MaxActions)
            {
                throw new DataShareException("RegisterChangeTooLarge", DataShareErrorCategory.LimitsExceeded,
                    $"This change would write {actions.Count} rows at once, more than one transaction of the Table service holds ({MaxActions}). Nothing was changed.", null);
            }

            try
            {
                table.SubmitTransaction(actions);
                ops.Done?.Invoke();
                return;
            }
            catch (TableTransactionFailedException ex)
            {
                var index = ex.FailedTransactionActionIndex ?? -1;
                if (index >= 0 && index < ops.Actions.Count)
                {
                    // 409 (already there), 412 (changed since read) and 404 (gone since read) are other writers; any
                    // other answer (400, 413…) says what is wrong with the change itself.
                    throw ex.Status is 409 or 412 or 404
                        ? ops.Actions[index].OnConflict?.Invoke() ?? Conflict("The record was changed by another writer.")
                        : Translate(ex, Info.Location);
                }

                if (ex.Status is not (409 or 412) || attempt >= MaxAttempts)
                {
                    throw Translate(ex, Info.Location);
                }

                // Another writer extended the audit log first: build again on its head, after a short random wait.
                Thread.Sleep(random.Next(5, 20 + Math.Min(attempt, 20) * 10));
            }
            catch (RequestFailedException ex)
            {
                throw Translate(ex, Info.Location);
            }
            catch (Azure.Identity.AuthenticationFailedException ex)
            {
                throw SignInFailed(ex, Info.Location);
            }
        }
    }

    /// <summary>The row at <paramref name="rowKey"/>, which must be at <paramref name="expectedVersion"/> (else a conflict).</summary>
    private TableEntity Current(string rowKey, long expectedVersion, string conflict)
    {
        var row = Get(rowKey);
        if (row is null || (row.GetInt64("Version") ?? 0) != expectedVersion)
        {
            throw Conflict(conflict);
        }

        return row;
    }

    private static RegisterConflictException Conflict(string message) => new(message);

    // ---------------------------------------------------------------- rows

    private TableEntity? Get(string rowKey)
    {
        try
        {
            var response = table.GetEntityIfExists<TableEntity>(partition, rowKey);
            return response.HasValue ? response.Value : null;
        }
        catch (RequestFailedException ex)
        {
            throw Translate(ex, Info.Location);
        }
        catch (Azure.Identity.AuthenticationFailedException ex)
        {
            throw SignInFailed(ex, Info.Location);
        }
    }

    /// <summary>Rows whose key starts with <paramref name="prefix"/> (which ends with the separator), in key order, page by page.</summary>
    private IEnumerable<TableEntity> Range(string prefix) =>
        Query($"PartitionKey eq '{Quote(partition)}' and RowKey ge '{Quote(prefix)}' and RowKey lt '{Quote(End(prefix))}'");

    private IEnumerable<TableEntity> Query(string filter)
    {
        IEnumerator<TableEntity> rows;
        try
        {
            rows = table.Query<TableEntity>(filter).GetEnumerator();
        }
        catch (RequestFailedException ex)
        {
            throw Translate(ex, Info.Location);
        }

        using (rows)
        {
            while (true)
            {
                try
                {
                    if (!rows.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (RequestFailedException ex)
                {
                    throw Translate(ex, Info.Location);
                }
                catch (Azure.Identity.AuthenticationFailedException ex)
                {
                    throw SignInFailed(ex, Info.Location);
                }

                yield return rows.Current;
            }
        }
    }

    private static string Quote(string text) => text.Replace("'", "''");

    /// <summary>The first key after every key that starts with <paramref name="prefix"/> (ending in the separator).</summary>
    private static string End(string prefix) => prefix.Substring(0, prefix.Length - 1) + (char)(Separator + 1);

    /// <summary>
    /// A row key from parts: each part escaped (anything but letters, digits and - . _ @ becomes %XX), joined by '!',
    /// which sorts before every character a part can hold, so 'DS1!…' comes before 'DS10!…' as 'DS1' before 'DS10'.
    /// </summary>
    private static string Key(params string[] parts)
    {
        var text = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                text.Append(Separator);
            }

            foreach (var c in parts[i])
            {
                if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '.' or '_' or '@')
                {
                    text.Append(c);
                }
                else
                {
                    foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                    {
                        text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
                    }
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The lookup row of an organisation's name, compared without regard to case.</summary>
    private static string NameKey(string name) => LookupKey("orgname", name.ToLowerInvariant());

    /// <summary>
    /// A lookup row's key from free text (an organisation's name, an email): the escaped text while the key fits the
    /// service's key limit, else the text's SHA-256 after "%h", which escaping never writes (it writes "%" and two
    /// upper-case hex digits), so it cannot equal an escaped key. Text that fits keeps the key it always had; text that
    /// does not could never be stored before.
    /// </summary>
    private static string LookupKey(string kind, string text)
    {
        var key = Key(kind, text);
        if (key.Length <= MaxKeyChars)
        {
            return key;
        }

        using var sha = System.Security.Cryptography.SHA256.Create();
        var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var hex = new StringBuilder(hash.Length * 2);
        foreach (var b in hash)
        {
            hex.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return Prefix(kind) + "%h" + hex;
    }

    /// <summary>The start of the range of keys that begin with these parts.</summary>
    private static string Prefix(params string[] parts) => Key(parts) + Separator;

    /// <summary>Agreement ids compare without regard to case, as in the SQLite register.</summary>
    private static string Upper(string id) => id.ToUpperInvariant();

    private static string Date(DateTime day) => DateText.FormatDate(day);

    private static string Instant(DateTimeOffset instant) => DateText.FormatInstant(instant);

    private static string Sequence(long sequence) => sequence.ToString("D19", CultureInfo.InvariantCulture);

    private TableEntity Row<T>(string rowKey, string kind, T record)
    {
        var entity = new TableEntity(partition, rowKey) { ["Kind"] = kind };
        if (record is not null && typeof(T).GetProperty("Version") is { } version)
        {
            entity["Version"] = Convert.ToInt64(version.GetValue(record), CultureInfo.InvariantCulture);
        }

        Put(entity, "Data", JsonSerializer.Serialize(record, Json));
        return entity;
    }

    private TableEntity Pointer(string rowKey, string id) => new(partition, rowKey) { ["Kind"] = "Index", ["Id"] = id };

    private static T? Read<T>(TableEntity? entity)
        where T : class => entity is null ? null : JsonSerializer.Deserialize<T>(Take(entity, "Data"), Json);

    private static T Copy<T>(T record) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(record, Json), Json)!;

    /// <summary>Text longer than a property may hold goes over several (Name, Name_1, Name_2…); an entity holds 1 MiB.</summary>
    private static void Put(TableEntity entity, string name, string text)
    {
        if (text.Length > 15 * PropertyChars)
        {
            throw new DataShareException("RegisterRecordTooLarge", DataShareErrorCategory.LimitsExceeded,
                $"A record of {text.Length} characters is larger than a row of the Table register holds; nothing was changed.", null);
        }

        var count = Math.Max(1, (text.Length + PropertyChars - 1) / PropertyChars);
        for (var i = 0; i < count; i++)
        {
            var start = i * PropertyChars;
            entity[i == 0 ? name : name + "_" + i.ToString(CultureInfo.InvariantCulture)] = text.Substring(start, Math.Min(PropertyChars, text.Length - start));
        }

        entity[name + "Parts"] = count;
    }

    private static string Take(TableEntity entity, string name)
    {
        var count = entity.GetInt32(name + "Parts") ?? 1;
        if (count == 1)
        {
            return entity.GetString(name);
        }

        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(entity.GetString(i == 0 ? name : name + "_" + i.ToString(CultureInfo.InvariantCulture)));
        }

        return text.ToString();
    }

    /// <summary>Microsoft Entra sign-in failed (no identity, expired, refused): the register cannot be reached.</summary>
    private static DataShareException SignInFailed(Exception ex, string location) =>
        new("RegisterAccessDenied", DataShareErrorCategory.PermissionDenied,
            $"Signing in to the register at {location} failed: {ex.Message.Split('\n')[0]}", location, ex) { IsTerminating = true };

    private static DataShareException Translate(RequestFailedException ex, string location) => ex.Status switch
    {
        401 or 403 => new DataShareException("RegisterAccessDenied", DataShareErrorCategory.PermissionDenied,
            $"The register at {location} refused access ({ex.Status} {ex.ErrorCode}). The sign-in needs the 'Storage Table Data Contributor' role (or 'Reader' for -ReadOnly).", location, ex) { IsTerminating = true },
        404 => new DataShareException("RegisterNotFound", DataShareErrorCategory.ObjectNotFound,
            $"There is no register table at {location} ({ex.ErrorCode}). Check the table name; to start a new, empty register, connect with -Create.", location, ex) { IsTerminating = true },
        409 or 412 => new RegisterConflictException($"The register at {location} was changed by another writer ({ex.ErrorCode}).", ex),
        _ => new DataShareException("RegisterUnavailable", DataShareErrorCategory.ResourceUnavailable,
            $"The register at {location} answered {ex.Status} {ex.ErrorCode}: {ex.Message.Split('\n')[0]}", location, ex) { IsTerminating = true },
    };
}
