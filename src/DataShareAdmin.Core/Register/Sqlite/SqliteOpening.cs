using System;
using System.IO;
using System.Text;
using System.Threading;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// Looks at what is at a register's path before SQLite touches it, and decides how to open it.
/// </summary>
/// <remarks>
/// <para>Nothing is created unless the location asks for it (<see cref="RegisterLocation.CreateIfMissing"/>), so a
/// mistyped name is an error rather than a new, empty register. A folder, a device, a pipe or an empty file is not a
/// register, and is never written to.</para>
/// <para>A read-only opening never creates a file. SQLite's write-ahead log keeps two files beside the register
/// (<c>-wal</c> and <c>-shm</c>) while anyone has it open; a read-only connection that finds them missing would
/// create them, owned by the reader, which the owner then cannot write (and a reader who may not write the folder
/// could not open the register at all). So:</para>
/// <list type="bullet">
/// <item>when a writer is connected (the <c>-wal</c> and <c>-shm</c> files are there), the reader joins SQLite's own
/// protocol read-only (<c>mode=ro</c>): it sees every committed change, and SQLite reads a <c>-shm</c> it may not
/// write into private memory;</item>
/// <item>when no writer is connected (no <c>-wal</c>: the last writer folded it into the file and removed it), the
/// file holds the whole register, and the reader opens it <c>immutable=1</c>, which creates and locks nothing. That
/// is only safe while the file does not change, and a writer may start meanwhile: when it finishes it folds its
/// changes into the file. So each row read is checked against the file's size and last-write time
/// (<see cref="SqliteSnapshotGuard"/>): a row is handed on only if the file had not changed when it was read, and
/// a change stops the command with <c>RegisterChangedWhileReading</c> instead of mixing old and new pages. On Linux
/// the reader also holds a shared lock that keeps writers in other processes from changing the file at all while it
/// reads (<see cref="SqliteFileUsers"/>), so that error is left for the rare cases the lock cannot cover.</item>
/// </list>
/// </remarks>
internal sealed class SqliteOpening
{
    private const int WalIndexWaits = 20;

    private SqliteOpening(string connectionString, SqliteSnapshotGuard? guard, SqliteFileUsers.User user)
    {
        ConnectionString = connectionString;
        Guard = guard;
        User = user;
    }

    public string ConnectionString { get; }

    /// <summary>For a snapshot: the check that the file has not changed since it was opened.</summary>
    public SqliteSnapshotGuard? Guard { get; }

    /// <summary>This register's place among the process's users of the file: dispose it after the connection closes.</summary>
    public SqliteFileUsers.User User { get; }

    public static SqliteOpening Decide(RegisterLocation location, int busyTimeoutSeconds)
    {
        var path = location.Path;
        if (Directory.Exists(path))
        {
            throw Invalid(location, $"'{path}' is a folder, not a register file. Name the file itself, for example '{System.IO.Path.Combine(path, RegisterLocation.DefaultFileName)}'.");
        }

        path = FollowLink(location, path);
        if (!File.Exists(path))
        {
            if (!location.CreateIfMissing)
            {
                throw location.NotFound();
            }

            CreateFolder(location);
            return new SqliteOpening(Build(path, SqliteOpenMode.ReadWriteCreate, busyTimeoutSeconds), null,
                SqliteFileUsers.Enter(path, reader: false));
        }

        // A device, a pipe or /proc file reports no length, as does an empty file: none of them is a register. A new
        // register's rows can sit in its -wal until the last connection closes, so an empty file beside one is kept.
        if (new FileInfo(path).Length == 0 && !File.Exists(path + "-wal"))
        {
            if (location.CreateIfMissing)
            {
                throw Invalid(location, $"'{path}' exists but is empty or is not an ordinary file (a device or a pipe, say); a new register is made only where there is no file. Delete it, or choose another path.");
            }

            throw location.NotFound("it is empty, or not an ordinary file");
        }

        if (!location.IsReadOnly)
        {
            // ReadWrite, not ReadWriteCreate: a file removed since the check above is not quietly made again.
            return new SqliteOpening(Build(path, SqliteOpenMode.ReadWrite, busyTimeoutSeconds), null,
                SqliteFileUsers.Enter(path, reader: false));
        }

        // The hold (where there is one) comes before the look for a -wal, so no writer removes it in between.
        var user = SqliteFileUsers.Enter(path, reader: true);
        try
        {
            return ReadOnly(path, busyTimeoutSeconds, user);
        }
        catch
        {
            user.Dispose();
            throw;
        }
    }

    private static SqliteOpening ReadOnly(string path, int busyTimeoutSeconds, SqliteFileUsers.User user)
    {
        for (var wait = 0; ; wait++)
        {
            var wal = File.Exists(path + "-wal");
            var index = File.Exists(path + "-shm");
            if (wal && index || File.Exists(path + "-journal"))
            {
                return new SqliteOpening(Build(path, SqliteOpenMode.ReadOnly, busyTimeoutSeconds), null, user);
            }

            if (!wal)
            {
                // Taken after the look for a -wal: the file is whole from here on until the guard sees it change.
                var guard = new SqliteSnapshotGuard(path);
                return new SqliteOpening(Build(ImmutableUri(path), SqliteOpenMode.ReadOnly, busyTimeoutSeconds), guard, user);
            }

            // A -wal without its -shm: a writer between creating the two (or removing them), or one that stopped
            // part-way. Joining would make the -shm here, owned by this reader.
            if (wait == WalIndexWaits)
            {
                throw new DataShareException("RegisterRecoveryNeeded", DataShareErrorCategory.ResourceUnavailable,
                    $"The register '{path}' has a write-ahead log ({System.IO.Path.GetFileName(path)}-wal) without its index (-shm): a writer stopped part-way. Open it once without -ReadOnly, as someone who may write its folder, so SQLite can recover it; then read it again. Nothing was changed.",
                    path) { IsTerminating = true };
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>A SQLite URI for the file, every byte outside the unreserved set percent-encoded.</summary>
    internal static string ImmutableUri(string path)
    {
        var full = System.IO.Path.GetFullPath(path).Replace('\\', '/');
        var text = new StringBuilder(full.StartsWith("/", StringComparison.Ordinal) ? "file:" : "file:///");
        foreach (var b in Encoding.UTF8.GetBytes(full))
        {
            var c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '.' or '_' or '~' or '/' or ':')
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.Append("?immutable=1").ToString();
    }

    private static string Build(string dataSource, SqliteOpenMode mode, int busyTimeoutSeconds) => new SqliteConnectionStringBuilder
    {
        DataSource = dataSource,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = busyTimeoutSeconds,
        ForeignKeys = true,
    }.ToString();

    /// <summary>The file a link points to (SQLite keeps the -wal beside that file, not beside the link).</summary>
    private static string FollowLink(RegisterLocation location, string path)
    {
#if !NET
        // The netstandard2.0 build only exists for the cmdlets to compile against; the engine that runs is net8.0.
        _ = location;
        return path;
#else
        var file = new FileInfo(path);
        if (file.LinkTarget is null)
        {
            return path;
        }

        FileSystemInfo? target;
        try
        {
            target = file.ResolveLinkTarget(returnFinalTarget: true);
        }
        catch (IOException ex)
        {
            throw Invalid(location, $"'{path}' is a link that cannot be followed ({ex.Message}).");
        }

        if (target is null || !target.Exists)
        {
            if (location.CreateIfMissing)
            {
                throw Invalid(location, $"'{path}' is a link to '{target?.FullName}', which does not exist; a register is not created through a link. Name the file itself.");
            }

            throw location.NotFound($"it is a link to '{target?.FullName}', which does not exist");
        }

        if (target is DirectoryInfo)
        {
            throw Invalid(location, $"'{path}' is a link to the folder '{target.FullName}', not a register file.");
        }

        return target.FullName;
#endif
    }

    private static void CreateFolder(RegisterLocation location)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(location.Path)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataShareException("RegisterUnavailable", DataShareErrorCategory.ResourceUnavailable,
                $"The register folder for '{location.Path}' cannot be created: {ex.Message}", location.Path, ex) { IsTerminating = true };
        }
    }

    private static DataShareException Invalid(RegisterLocation location, string message) =>
        new("RegisterPathInvalid", DataShareErrorCategory.InvalidArgument, message + " Nothing was created or changed.", location.Path) { IsTerminating = true };
}

/// <summary>
/// A snapshot reader's check that the register file is as it was when the snapshot was opened (size and last-write
/// time, to the tick). A writer changes the file only by folding its log into it, which moves both.
/// </summary>
internal sealed class SqliteSnapshotGuard
{
    private readonly string path;
    private readonly long length;
    private readonly DateTime written;

    public SqliteSnapshotGuard(string path)
    {
        this.path = path;
        var file = new FileInfo(path);
        length = file.Length;
        written = file.LastWriteTimeUtc;
    }

    /// <summary>Throws <c>RegisterChangedWhileReading</c> when the file is no longer the one the snapshot began with.</summary>
    public void Check()
    {
        var file = new FileInfo(path);
        if (file.Exists && file.Length == length && file.LastWriteTimeUtc == written)
        {
            return;
        }

        throw new DataShareException("RegisterChangedWhileReading", DataShareErrorCategory.ResourceUnavailable,
            $"The register '{path}' was changed by a writer while this read-only command was reading it, so it stopped rather than mix the register before and after the change. Anything it wrote before this error is correct, but may be incomplete. Run the command again.",
            path) { IsTerminating = true };
    }
}
