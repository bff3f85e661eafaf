using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// The write path and the plumbing under every record family: one transaction per change with its audit entry,
/// rows streamed from a reader, parameters, and SQLite's errors said in the register's terms.
/// </summary>
public sealed partial class SqliteRegister
{
    /// <summary>One write transaction: the change, then its audit entry chained onto the current head.</summary>
    private void Write(AuditEvent audit, Action<SqliteTransaction> change)
    {
        try
        {
            using var transaction = connection.BeginTransaction();
            change(transaction);
            AppendAudit(connection, transaction, clock, identity, audit);
            transaction.Commit();
        }
        catch (SqliteException ex)
        {
            throw Translate(ex, Info.Location);
        }
    }

    private IEnumerable<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        SqliteCommand command;
        SqliteDataReader reader;
        try
        {
            command = Command(null, sql, parameters);
            reader = command.ExecuteReader();
        }
        catch (SqliteException ex)
        {
            guard?.Check();
            throw Translate(ex, Info.Location);
        }

        using (command)
        using (reader)
        {
            while (true)
            {
                bool hasRow;
                try
                {
                    hasRow = reader.Read();
                }
                catch (SqliteException ex)
                {
                    guard?.Check();
                    throw Translate(ex, Info.Location);
                }

                // A snapshot hands on a row only if the file had not changed by the time the row was read.
                guard?.Check();
                if (!hasRow)
                {
                    yield break;
                }

                yield return map(reader);
            }
        }
    }

    private static T? First<T>(IEnumerable<T> items)
        where T : class
    {
        foreach (var item in items)
        {
            return item;
        }

        return null;
    }

    private SqliteCommand Command(SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        Command(connection, transaction, sql, parameters);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private int Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>False when a uniqueness constraint refused the row; any other failure throws.</summary>
    private bool TryExecute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        try
        {
            Execute(transaction, sql, parameters);
            return true;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == SqliteConstraint && ex.SqliteExtendedErrorCode != 787)
        {
            return false;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static (string, object?)[] Concat((string, object?)[] parameters, (string, object?) more)
    {
        var all = new (string, object?)[parameters.Length + 1];
        parameters.CopyTo(all, 0);
        all[parameters.Length] = more;
        return all;
    }

    private static string? Text(SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    private static DataShareException Terminating(string id, DataShareErrorCategory category, string message, object? target, Exception? inner = null) =>
        new(id, category, message, target, inner) { IsTerminating = true };

    private DataShareException Translate(SqliteException ex, string path) => Translate(ex, path, Info.IsReadOnly);

    internal static DataShareException Translate(SqliteException ex, string path, bool readOnlyConnection) => ex.SqliteErrorCode switch
    {
        SqliteReadOnly when readOnlyConnection => Terminating("RegisterReadOnly", DataShareErrorCategory.PermissionDenied,
            $"The register '{path}' is open read-only (-ReadOnly), so nothing was changed. To make changes, connect without -ReadOnly as someone who may write the register.", path, ex),
        SqliteReadOnly => Terminating("RegisterReadOnly", DataShareErrorCategory.PermissionDenied,
            $"The register '{path}' cannot be written with your permissions (the file, or its folder, where SQLite keeps its -wal and -shm files), so nothing was changed. Ask for write access, or connect with -ReadOnly to read it.", path, ex),
        SqliteNotADatabase => Terminating("RegisterNotSqlite", DataShareErrorCategory.InvalidData,
            $"'{path}' is not an SQLite register file; it has not been changed. Connect to a register file, or create a new one with Connect-DataShareRegister -Create at a path where there is no file.", path, ex),
        SqliteCantOpen => Terminating("RegisterUnavailable", DataShareErrorCategory.ResourceUnavailable,
            $"The register '{path}' cannot be opened: {ex.Message}. Check the path and your permissions on its folder.", path, ex),
        SqliteCorrupt => Terminating("RegisterCorrupt", DataShareErrorCategory.InvalidData,
            $"The register '{path}' is damaged ({ex.Message}). Restore it from a backup.", path, ex),
        SqliteBusy or SqliteLocked => new DataShareException("RegisterBusy", DataShareErrorCategory.ResourceUnavailable,
            $"The register '{path}' stayed locked by another process for {BusyTimeoutSeconds} s; nothing was changed. Try again.", path, ex),
        _ => new DataShareException("RegisterError", DataShareErrorCategory.WriteError,
            string.Format(CultureInfo.InvariantCulture, "The register '{0}' reported an error: {1}", path, ex.Message), path, ex),
    };
}
