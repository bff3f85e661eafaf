using System;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.BenchSupport;

/// <summary>
/// Writing rows straight into a SQLite register the module has just created, for the seeders: the schema check, a
/// prepared INSERT per table, and the register's own id, date and instant formats. Seeded rows carry no audit entries,
/// so a seeded register is a benchmark fixture, not a register to keep.
/// </summary>
public static class RegisterRows
{
    /// <summary>
    /// The schema the module creates today (SqliteSchema.Migrations.Count). The seeders write columns by name; a later
    /// schema version fails their check until they have been compared with it (new nullable columns are left NULL).
    /// </summary>
    public const int SchemaVersion = 16;

    /// <summary>
    /// The oldest schema whose columns the seeders write the same way (8 added the output tables, 9 agreement columns the seeders leave at their defaults, 10 the held-identity
    /// index over the same identity text for blob prefixes), so a "before" build's register can be seeded too.
    /// </summary>
    public const int MinimumSchemaVersion = 7;

    /// <summary>"DSA1": PRAGMA application_id of a DataShareAdmin register.</summary>
    public const int ApplicationId = 0x44534131;

    public const string Officer = @"CORP\bench.officer";

    private const string CrockfordAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Opens <paramref name="path"/> read-write with foreign keys on and no pooling (the file is handed to a child next).</summary>
    public static SqliteConnection Open(string path)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, ForeignKeys = true };
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>
    /// The module made this file moments ago: throws unless it is a current-schema register whose
    /// <paramref name="tables"/> are all empty. <paramref name="seeder"/> names the file to update when the schema moves.
    /// </summary>
    public static void CheckEmpty(SqliteConnection connection, string path, string seeder, params string[] tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var version = Convert.ToInt32(Scalar(connection, "PRAGMA user_version"), CultureInfo.InvariantCulture);
        var application = Convert.ToInt32(Scalar(connection, "PRAGMA application_id"), CultureInfo.InvariantCulture);
        long rows = 0;
        foreach (var table in tables)
        {
            rows += Convert.ToInt64(Scalar(connection, $"SELECT count(*) FROM {table}"), CultureInfo.InvariantCulture);
        }

        if (version < MinimumSchemaVersion || version > SchemaVersion || application != ApplicationId || rows != 0)
        {
            throw new BenchmarkException(
                $"{path} is not a schema {MinimumSchemaVersion}-{SchemaVersion} register with empty {string.Join(", ", tables)} (user_version {version}, application_id 0x{application:X8}, {rows} rows): "
                + $"the seeder writes schema-{SchemaVersion} columns directly; check {seeder} against the new schema, then RegisterRows.SchemaVersion.");
        }
    }

    /// <summary>A prepared INSERT with one parameter per column ($p0, $p1, …), reused for every row.</summary>
    public static SqliteCommand Insert(SqliteConnection connection, SqliteTransaction transaction, string table, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(columns);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var names = new string[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            names[i] = "$p" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.Add(new SqliteParameter(names[i], DBNull.Value));
        }

        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", names)})";
        command.Prepare();
        return command;
    }

    /// <summary>Runs a prepared INSERT with these values, in column order (null is NULL).</summary>
    public static void Run(SqliteCommand command, params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(values);
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A prefix and ten Crockford base-32 characters, as the module's own ids.</summary>
    public static string NewId(Random random, string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return string.Create(prefix.Length + 10, (random, prefix), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            for (var i = state.prefix.Length; i < span.Length; i++)
            {
                span[i] = CrockfordAlphabet[state.random.Next(32)];
            }
        });
    }

    /// <summary>A prefix and ten Crockford base-32 characters from <paramref name="value"/>'s low 50 bits: distinct for distinct values.</summary>
    public static string SequentialId(string prefix, ulong value)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return string.Create(prefix.Length + 10, (prefix, value), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            var v = state.value;
            for (var k = span.Length - 1; k >= state.prefix.Length; k--)
            {
                span[k] = CrockfordAlphabet[(int)(v & 31)];
                v >>= 5;
            }
        });
    }

    /// <summary>The register's date form (DateText.FormatDate).</summary>
    public static string? Date(DateTime? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The register's instant form (DateText.FormatInstant): UTC to the millisecond.</summary>
    public static string Instant(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
