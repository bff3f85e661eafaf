using System;
using System.Collections.Generic;
using System.IO;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// The registers this process has open, per file, and (on Linux) a reader's hold on the file that keeps writers in
/// other processes from folding their log into it while the reader reads.
/// </summary>
/// <remarks>
/// <para>SQLite's writer folds its write-ahead log into the file when its connection is the last one to close, and
/// it knows it is the last because it can take an exclusive lock on the file. A connection that reads a snapshot
/// (<c>immutable=1</c>) takes no lock, so a reader that has no other way to stop it holds a shared lock of its own
/// on the same bytes SQLite uses (a POSIX record lock, which is what SQLite itself takes): the writer then leaves its
/// log for a later writer, and the file the reader is reading does not change. The same lock, taken before the reader
/// looks for a <c>-wal</c>, keeps a writer from removing the <c>-wal</c> and <c>-shm</c> between that look and the
/// moment SQLite joins them, which would otherwise make SQLite create them again, owned by the reader.</para>
/// <para>POSIX record locks belong to the process, not to the file handle: closing any handle on the file drops every
/// lock the process holds on it, SQLite's included. So the hold is taken only when no other register in this process
/// has the file open, and its handle is closed only when the last one has closed. Only on Linux: elsewhere .NET's
/// file locks are not shared locks SQLite recognises, and the snapshot's own check (the file's size and last-write
/// time) is what keeps a reader from mixing old and new.</para>
/// </remarks>
internal static class SqliteFileUsers
{
    // SQLite's lock bytes: the shared range starts two bytes after the 1 GiB "pending byte" and is 510 bytes long.
    private const long SharedFirst = 0x40000000L + 2;
    private const long SharedSize = 510;

    private static readonly Dictionary<string, Entry> Files = new(StringComparer.Ordinal);

    /// <summary>
    /// Counts one more register open on <paramref name="path"/> in this process until the result is disposed. A reader
    /// that is the first asks for the hold on a write-ahead-log register; whether it got it is in <see cref="User.Held"/>.
    /// </summary>
    public static User Enter(string path, bool reader)
    {
        lock (Files)
        {
            if (!Files.TryGetValue(path, out var entry))
            {
                entry = new Entry { Hold = reader ? TryHold(path) : null };
                Files[path] = entry;
            }

            entry.Users++;
            return new User(path, entry.Hold is not null);
        }
    }

    private static void Leave(string path)
    {
        FileStream? closing = null;
        lock (Files)
        {
            if (Files.TryGetValue(path, out var entry) && --entry.Users == 0)
            {
                Files.Remove(path);
                closing = entry.Hold;
            }
        }

        closing?.Dispose();
    }

    /// <summary>A shared lock on SQLite's shared range, on Linux and for a write-ahead-log register only; null otherwise.</summary>
    private static FileStream? TryHold(string path)
    {
#if NET
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        FileStream? stream = null;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);

            // Bytes 18 and 19 are 2 in a write-ahead-log database. A rollback-journal file's writers need the exclusive
            // lock to write at all, so a reader holding it would stop them: there, the snapshot's check alone serves.
            var header = new byte[20];
            if (stream.Read(header, 0, header.Length) < header.Length || header[18] != 2 || header[19] != 2)
            {
                stream.Dispose();
                return null;
            }

            // Read-only handle, so .NET takes a read (shared) lock; it fails only while a writer holds the exclusive one.
            stream.Lock(SharedFirst, SharedSize);
            return stream;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            stream?.Dispose();
            return null;
        }
#else
        _ = path;
        return null;
#endif
    }

    private sealed class Entry
    {
        public int Users { get; set; }

        public FileStream? Hold { get; init; }
    }

    /// <summary>One register's use of the file; disposing it (after the register's connection closed) ends it.</summary>
    internal sealed class User : IDisposable
    {
        private readonly string path;
        private bool left;

        public User(string path, bool held)
        {
            this.path = path;
            Held = held;
        }

        /// <summary>True when this process holds the shared lock on the file for its readers.</summary>
        public bool Held { get; }

        public void Dispose()
        {
            if (!left)
            {
                left = true;
                Leave(path);
            }
        }
    }
}
