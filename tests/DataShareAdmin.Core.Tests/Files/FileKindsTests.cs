using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using DataShareAdmin.Core.Files;

namespace DataShareAdmin.Core.Tests.Files;

/// <summary>What is at a path, told apart where .NET's file APIs see only "a file that exists".</summary>
public sealed class FileKindsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("datashareadmin-filekinds-").FullName;

    [SkippableFact]
    public void Devices_pipes_sockets_and_links_are_told_from_regular_files()
    {
        Skip.If(OperatingSystem.IsWindows(), "Named pipes, sockets and device nodes in the file system are Unix things.");

        var file = Path.Combine(folder, "report.csv");
        File.WriteAllText(file, "x");
        var fifo = Path.Combine(folder, "pipe");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", fifo) { UseShellExecute = false })!)
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var socketPath = Path.Combine(folder, "socket");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var link = Path.Combine(folder, "link.csv");
        File.CreateSymbolicLink(link, file);
        var dangling = Path.Combine(folder, "dangling.csv");
        File.CreateSymbolicLink(dangling, Path.Combine(folder, "gone.csv"));

        Assert.Equal(FileKind.RegularFile, FileKinds.Of(file));
        Assert.Equal(FileKind.Directory, FileKinds.Of(folder));
        Assert.Equal(FileKind.NamedPipe, FileKinds.Of(fifo));
        Assert.Equal(FileKind.Socket, FileKinds.Of(socketPath));
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(link));
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(dangling));
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
        Assert.Equal(FileKind.Missing, FileKinds.Of(Path.Combine(folder, "missing.csv")));

        // What .NET alone says of each: a file that exists, so a rename over it would replace it.
        Assert.True(File.Exists("/dev/null") && File.Exists(fifo) && File.Exists(socketPath));
        Assert.Equal("a character device", FileKinds.Describe(FileKinds.Of("/dev/null")));
    }

    [Fact]
    public void A_name_that_is_not_in_the_file_system_is_missing()
    {
        Assert.Equal(FileKind.Missing, FileKinds.Of(Path.Combine(folder, "no", "such", "file")));
        Assert.Equal(FileKind.RegularFile, FileKinds.Of(typeof(FileKindsTests).Assembly.Location));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
