using System;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// The embedded register: one SQLite file in WAL mode. Every write is one IMMEDIATE transaction holding the
/// change and its audit entry, so two processes (a nightly sweep and an officer) queue for the write lock
/// (busy timeout) rather than corrupting or losing each other's writes.
/// </summary>
public sealed partial class SqliteRegister : IDataShareRegister
{
    private const int BusyTimeoutSeconds = 30;
    private const int SqliteReadOnly = 8;
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteCantOpen = 14;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;
    private const int SqliteConstraint = 19;

    private readonly SqliteConnection connection;
    private readonly IClock clock;
    private readonly AuditIdentity identity;

    // A snapshot reader's check that the file has not changed under it (null for writers and live readers).
    private SqliteSnapshotGuard? guard;

    // This register's place among the process's users of the file (see SqliteFileUsers); ended after the connection.
    private SqliteFileUsers.User? user;

    private SqliteRegister(SqliteConnection connection, RegisterInfo info, IClock clock, AuditIdentity identity)
    {
        this.connection = connection;
        this.clock = clock;
        this.identity = identity;
        Info = info;
    }

    public RegisterInfo Info { get; }

    /// <summary>
    /// Opens the register at <paramref name="location"/>: an existing one (migrating it to the current schema unless
    /// read-only), or a new one only when the location asks for it. See <see cref="SqliteOpening"/> for how a
    /// read-only opening avoids creating anything.
    /// </summary>
    public static SqliteRegister Open(RegisterLocation location, IClock clock, AuditIdentity identity)
    {
        var opening = SqliteOpening.Decide(location, BusyTimeoutSeconds);
        var connection = new SqliteConnection(opening.ConnectionString);
        try
        {
            connection.Open();
            var version = Prepare(connection, location, clock, identity);
            opening.Guard?.Check();
            var info = new RegisterInfo
            {
                Backend = "SQLite",
                Location = location.Path,
                Source = location.Source,
                SchemaVersion = version,
                IsReadOnly = location.IsReadOnly,
                Actor = identity.User,
            };
            return new SqliteRegister(connection, info, clock, identity) { guard = opening.Guard, user = opening.User };
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            opening.User.Dispose();
            opening.Guard?.Check();
            throw Translate(ex, location.Path, location.IsReadOnly);
        }
        catch
        {
            connection.Dispose();
            opening.User.Dispose();
            throw;
        }
    }

    private static int Prepare(SqliteConnection connection, RegisterLocation location, IClock clock, AuditIdentity identity)
    {
        var version = SqliteSchema.ReadVersion(connection);
        if (version > SqliteSchema.CurrentVersion)
        {
            throw Terminating("RegisterSchemaTooNew", DataShareErrorCategory.InvalidData,
                $"The register '{location.Path}' has schema version {version}, newer than this module knows ({SqliteSchema.CurrentVersion}). It was written by a later release of DataShareAdmin: update the module; the register has not been changed.",
                location.Path);
        }

        if (version == 0 && SqliteSchema.CountUserTables(connection) > 0
            || version > 0 && SqliteSchema.ReadApplicationId(connection) != SqliteSchema.ApplicationId)
        {
            throw Terminating("RegisterNotDataShare", DataShareErrorCategory.InvalidData,
                $"'{location.Path}' is an SQLite database but not a DataShareAdmin register; it has not been changed. Connect to a register file, or create a new one with Connect-DataShareRegister -Create at a path where there is no file.",
                location.Path);
        }

        if (version == 0 && !location.CreateIfMissing)
        {
            // An SQLite database with nothing in it is not a register yet: it becomes one only when asked.
            throw location.NotFound("it is an empty SQLite database");
        }

        if (version < SqliteSchema.CurrentVersion)
        {
            if (location.IsReadOnly)
            {
                throw Terminating("RegisterReadOnly", DataShareErrorCategory.PermissionDenied,
                    $"The register '{location.Path}' needs upgrading from schema {version} to {SqliteSchema.CurrentVersion}, which cannot be done read-only. Open it once without -ReadOnly.",
                    location.Path);
            }

            // WAL lets readers carry on while a writer works; it is persistent, so set once when the file is new.
            Execute(connection, "PRAGMA journal_mode = WAL;");
            SqliteSchema.Migrate(connection, (transaction, audit) => AppendAudit(connection, transaction, clock, identity, audit));
        }

        return SqliteSchema.CurrentVersion;
    }

    public void Dispose()
    {
        connection.Dispose();
        user?.Dispose();
    }
}
