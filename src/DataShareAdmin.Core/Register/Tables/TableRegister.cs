using System;
using System.Net.Http;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
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
    public const int SchemaVersion = 16;

    private const string StorageScope = "https://storage.azure.com/.default";

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

                if (version < LegalGatewaysSince && !readOnly)
                {
                    // Before the marker: should this fail, the next opening seeds again.
                    SeedLegalGateways(table, options.RegisterName, clock.UtcNow);
                }

                if (version < SchemaVersion && !readOnly)
                {
                    MarkSchema(table, found);
                }

                if (!readOnly && found.GetBoolean(IndexedMarker) != true)
                {
                    // After the marker: a release that writes holdings without their index rows no longer opens it.
                    new TableRegister(table, options.RegisterName, clock, identity, Describe(location, source, readOnly, identity)).IndexHeldHoldings(found);
                }

                if (!readOnly && found.GetBoolean(TermsMarker) != true)
                {
                    new TableRegister(table, options.RegisterName, clock, ActingAs(options, identity), Describe(location, source, readOnly, identity)).VersionApprovedTerms();
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
                var marker = new TableEntity(options.RegisterName, "meta") { ["SchemaVersion"] = SchemaVersion, ["CreatedAt"] = DateText.FormatInstant(clock.UtcNow), ["CreatedBy"] = ActingAs(options, identity).User, [IndexedMarker] = true, [TermsMarker] = true };
                try
                {
                    table.AddEntity(marker);
                    SeedLegalGateways(table, options.RegisterName, clock.UtcNow);
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    // Another process created it at the same moment (and seeds it).
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

    public void Dispose()
    {
        // Nothing held open: the SDK's HTTP connections are pooled by the process.
    }
}
