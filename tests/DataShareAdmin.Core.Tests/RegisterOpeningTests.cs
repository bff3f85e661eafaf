using System;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Opening a SQLite register: nothing is created unless asked, nothing that is not a register is written, and a
/// read-only opening creates no file and mixes no old and new pages.
/// </summary>
public sealed class RegisterOpeningTests : IDisposable
{
    private static readonly FixedClock Clock = new(new DateTimeOffset(2026, 6, 15, 9, 30, 0, TimeSpan.Zero));
    private readonly string directory = Directory.CreateTempSubdirectory("dsa-opening-").FullName;

    private static SqliteRegister Open(string path, bool readOnly = false, bool create = false, string source = "Parameter") =>
        SqliteRegister.Open(new RegisterLocation(path, source, readOnly, create), Clock, TestRegister.Identity);

    private static void Write(SqliteRegister register, int entries)
    {
        for (var i = 0; i < entries; i++)
        {
            register.AppendAudit(new AuditEvent("Test.Event", "Test", "t" + i));
        }
    }

    private string[] Entries(string? folder = null) =>
        Directory.GetFileSystemEntries(folder ?? directory).Select(e => Path.GetFileName(e)!).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData("Parameter", "-Create")]
    [InlineData("Environment", RegisterLocation.RegisterEnvironmentVariable)]
    [InlineData("MachineConfiguration", "register.path")]
    [InlineData("UserDefault", "Connect-DataShareRegister -Create")]
    public void A_register_named_but_not_there_is_an_error_and_nothing_is_created(string source, string hint)
    {
        var path = Path.Combine(directory, "missing", "folder", "register.db");

        var error = Assert.Throws<DataShareException>(() => Open(path, source: source));

        Assert.Equal(("RegisterNotFound", DataShareErrorCategory.ObjectNotFound, path), (error.ErrorId, error.Category, error.Target));
        Assert.True(error.IsTerminating);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
        Assert.Empty(Entries());
    }

    [Fact]
    public void Create_makes_a_register_once_and_then_opens_the_same_one()
    {
        var path = Path.Combine(directory, "new", "register.db");
        using (var created = Open(path, create: true))
        {
            Write(created, 2);
        }

        using (var again = Open(path, create: true))
        {
            Assert.Equal(2, again.ReadAuditHead()!.Sequence);
        }

        using var plain = Open(path);
        Assert.Equal(2, plain.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void A_read_only_opening_never_creates_even_when_asked_to()
    {
        var path = Path.Combine(directory, "register.db");
        var location = new RegisterLocation(path, "Parameter", isReadOnly: true, createIfMissing: true);

        var error = Assert.Throws<DataShareException>(() => SqliteRegister.Open(location, Clock, TestRegister.Identity));

        Assert.False(location.CreateIfMissing);
        Assert.Equal("RegisterNotFound", error.ErrorId);
        Assert.Contains("never creates", error.Message, StringComparison.Ordinal);
        Assert.Empty(Entries());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_folder_is_not_a_register(bool create)
    {
        var folder = Directory.CreateDirectory(Path.Combine(directory, "register.db")).FullName;

        var error = Assert.Throws<DataShareException>(() => Open(folder, create: create));

        Assert.Equal(("RegisterPathInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Empty(Entries(folder));
        Assert.Equal(new[] { "register.db" }, Entries());
    }

    [Theory]
    [InlineData(false, "RegisterNotFound")]
    [InlineData(true, "RegisterPathInvalid")]
    public void An_empty_file_is_not_a_register_and_is_left_as_it_is(bool create, string errorId)
    {
        var path = Path.Combine(directory, "register.db");
        File.WriteAllBytes(path, Array.Empty<byte>());

        var error = Assert.Throws<DataShareException>(() => Open(path, create: create));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(0, new FileInfo(path).Length);
        Assert.Equal(new[] { "register.db" }, Entries());
    }

    [SkippableFact]
    public void A_device_is_not_a_register_and_nothing_is_written_beside_it()
    {
        Skip.IfNot(File.Exists("/dev/null"), "There is no /dev/null on this system (Windows): the device case is tested on Linux and macOS.");

        Assert.Equal("RegisterNotFound", Assert.Throws<DataShareException>(() => Open("/dev/null")).ErrorId);
        Assert.Equal("RegisterPathInvalid", Assert.Throws<DataShareException>(() => Open("/dev/null", create: true)).ErrorId);
        Assert.Equal("RegisterNotFound", Assert.Throws<DataShareException>(() => Open("/dev/null", readOnly: true)).ErrorId);
        Assert.False(File.Exists("/dev/null-wal"));
        Assert.False(File.Exists("/dev/null-shm"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_empty_sqlite_database_becomes_a_register_only_when_asked(bool create)
    {
        var path = Path.Combine(directory, "empty.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE scratch (x); DROP TABLE scratch;";
            command.ExecuteNonQuery();
        }

        var before = File.ReadAllBytes(path);
        if (create)
        {
            using var register = Open(path, create: true);
            Assert.Equal(SqliteSchema.CurrentVersion, register.Info.SchemaVersion);
            return;
        }

        var error = Assert.Throws<DataShareException>(() => Open(path));
        Assert.Equal("RegisterNotFound", error.ErrorId);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [SkippableFact]
    public void A_link_leads_to_its_register_and_a_dangling_link_creates_nothing()
    {
        Skip.If(OperatingSystem.IsWindows(), "Making symbolic links on Windows needs a privilege the test run may not have; links are tested on Linux and macOS.");
        var real = Path.Combine(directory, "real.db");
        using (var created = Open(real, create: true))
        {
            Write(created, 1);
        }

        var links = Directory.CreateDirectory(Path.Combine(directory, "links")).FullName;
        var link = Path.Combine(links, "register.db");
        File.CreateSymbolicLink(link, real);
        using (var reader = Open(link, readOnly: true))
        {
            Assert.Equal(1, reader.ReadAuditHead()!.Sequence);
        }

        Assert.Equal(new[] { "register.db" }, Entries(links));

        var dangling = Path.Combine(links, "dangling.db");
        File.CreateSymbolicLink(dangling, Path.Combine(directory, "nowhere.db"));
        Assert.Equal("RegisterNotFound", Assert.Throws<DataShareException>(() => Open(dangling)).ErrorId);
        Assert.Equal("RegisterPathInvalid", Assert.Throws<DataShareException>(() => Open(dangling, create: true)).ErrorId);
        Assert.False(File.Exists(Path.Combine(directory, "nowhere.db")));
    }

    [Fact]
    public void A_reader_of_a_quiet_register_creates_no_file_and_sees_every_record()
    {
        var path = Path.Combine(directory, "register.db");
        using (var writer = Open(path, create: true))
        {
            Write(writer, 3);
        }

        Assert.Equal(new[] { "register.db" }, Entries());
        var before = File.ReadAllBytes(path);

        using (var reader = Open(path, readOnly: true))
        {
            Assert.True(reader.Info.IsReadOnly);
            Assert.Equal(3, reader.ReadAuditHead()!.Sequence);
            Assert.Equal(3, reader.ReadAuditLog(0).Count());
            Assert.Equal(new[] { "register.db" }, Entries());
            var refused = Assert.Throws<DataShareException>(() => Write(reader, 1));
            Assert.Equal(("RegisterReadOnly", DataShareErrorCategory.PermissionDenied), (refused.ErrorId, refused.Category));
            Assert.Contains("open read-only", refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(new[] { "register.db" }, Entries());
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_reader_beside_a_writer_sees_its_latest_changes_and_creates_nothing()
    {
        var path = Path.Combine(directory, "register.db");
        using var writer = Open(path, create: true);
        Write(writer, 2);
        var whileWriting = Entries();
        Assert.Contains("register.db-wal", whileWriting);

        using (var reader = Open(path, readOnly: true))
        {
            Assert.Equal(2, reader.ReadAuditHead()!.Sequence);
            Write(writer, 1);
            Assert.Equal(3, reader.ReadAuditHead()!.Sequence);
        }

        Assert.Equal(whileWriting, Entries());
        Write(writer, 1);
        Assert.Equal(4, writer.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void A_reader_of_a_quiet_register_stops_rather_than_mix_in_a_change_made_while_it_reads()
    {
        var path = Path.Combine(directory, "register.db");
        using (var writer = Open(path, create: true))
        {
            Write(writer, 3);
        }

        using var reader = Open(path, readOnly: true);
        using var entries = reader.ReadAuditLog(0).GetEnumerator();
        Assert.True(entries.MoveNext());

        // A writer in this process (no lock of the reader's can stop it) comes and goes, folding its log into the
        // file as it closes: enough to make the file grow.
        using (var writer = Open(path))
        {
            Write(writer, 60);
        }

        var error = Assert.Throws<DataShareException>(() => entries.MoveNext());
        Assert.Equal(("RegisterChangedWhileReading", DataShareErrorCategory.ResourceUnavailable), (error.ErrorId, error.Category));
        Assert.True(error.IsTerminating);
    }

    [Fact]
    public void A_write_ahead_log_without_its_index_is_not_joined_by_a_reader_until_the_owner_recovers_it()
    {
        var path = Path.Combine(directory, "register.db");
        using (var writer = Open(path, create: true))
        {
            Write(writer, 2);
        }

        // What a writer that stopped between removing the two files leaves behind.
        File.WriteAllBytes(path + "-wal", Array.Empty<byte>());

        var error = Assert.Throws<DataShareException>(() => Open(path, readOnly: true));

        Assert.Equal(("RegisterRecoveryNeeded", DataShareErrorCategory.ResourceUnavailable), (error.ErrorId, error.Category));
        Assert.True(error.IsTerminating);
        Assert.Equal(new[] { "register.db", "register.db-wal" }, Entries());

        using (var owner = Open(path))
        {
            Assert.Equal(2, owner.ReadAuditHead()!.Sequence);
        }

        using var reader = Open(path, readOnly: true);
        Assert.Equal(2, reader.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void A_read_only_register_at_a_path_with_uri_characters_opens()
    {
        var folder = Directory.CreateDirectory(Path.Combine(directory, "a %2E #;= b ü")).FullName;
        var path = Path.Combine(folder, "register 100%.db");
        using (var writer = Open(path, create: true))
        {
            Write(writer, 1);
        }

        using var reader = Open(path, readOnly: true);

        Assert.Equal(1, reader.ReadAuditHead()!.Sequence);
        Assert.Equal(path, reader.Info.Location);
        Assert.Equal(new[] { "register 100%.db" }, Entries(folder));
    }

    [Fact]
    public void The_snapshot_uri_escapes_every_character_sqlite_would_read_as_syntax()
    {
        var uri = SqliteOpening.ImmutableUri(Path.Combine(directory, "a b", "%2E?x#y", "ü.db"));
        Assert.StartsWith("file:", uri, StringComparison.Ordinal);
        Assert.EndsWith("/a%20b/%252E%3Fx%23y/%C3%BC.db?immutable=1", uri, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
