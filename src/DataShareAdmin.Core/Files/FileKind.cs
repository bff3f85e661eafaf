using System;
using System.IO;
using System.Runtime.InteropServices;

namespace DataShareAdmin.Core.Files;

/// <summary>What is at a path, as the operating system says (not followed through a link).</summary>
public enum FileKind
{
    Missing,
    RegularFile,
    Directory,
    SymbolicLink,
    CharacterDevice,
    BlockDevice,
    NamedPipe,
    Socket,

    /// <summary>It exists, and nothing more can be told.</summary>
    Unknown,
}

/// <summary>
/// Tells a regular file from a device, a pipe, a socket or a link, which .NET's file APIs do not: to them /dev/null
/// is a file that exists, and renaming over it replaces the device with a regular file.
/// </summary>
public static class FileKinds
{
    private const int TypeMask = 0xF000;

    /// <summary>What is at <paramref name="path"/>, without following a link.</summary>
    public static FileKind Of(string path)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return OnWindows(path);
        }

        try
        {
            // .NET's own native shim (shipped with every runtime on Unix) fills a status whose mode is at offset 4
            // with the same type bits on every platform: the BCL reads file types through it the same way.
            var status = new byte[512];
            if (LStat(System.Text.Encoding.UTF8.GetBytes(path + "\0"), status) != 0)
            {
                return File.Exists(path) || Directory.Exists(path) ? FileKind.Unknown : FileKind.Missing;
            }

            return (BitConverter.ToInt32(status, 4) & TypeMask) switch
            {
                0x8000 => FileKind.RegularFile,
                0x4000 => FileKind.Directory,
                0xA000 => FileKind.SymbolicLink,
                0x2000 => FileKind.CharacterDevice,
                0x6000 => FileKind.BlockDevice,
                0x1000 => FileKind.NamedPipe,
                0xC000 => FileKind.Socket,
                _ => FileKind.Unknown,
            };
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return File.Exists(path) || Directory.Exists(path) ? FileKind.Unknown : FileKind.Missing;
        }
    }

    /// <summary>"a character device", "a named pipe", ...: for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.RegularFile => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.NamedPipe => "a named pipe (FIFO)",
        FileKind.Socket => "a socket",
        FileKind.Missing => "nothing",
        _ => "something that is not a regular file",
    };

    private static FileKind OnWindows(string path)
    {
        FileAttributes attributes;
        try
        {
            attributes = File.GetAttributes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return FileKind.Missing;
        }

        return (attributes & FileAttributes.ReparsePoint) != 0 ? FileKind.SymbolicLink
            : (attributes & FileAttributes.Device) != 0 ? FileKind.CharacterDevice
            : (attributes & FileAttributes.Directory) != 0 ? FileKind.Directory
            : FileKind.RegularFile;
    }

    /// <summary>The path as NUL-terminated UTF-8 (what the shim takes), and room for its status.</summary>
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static extern int LStat(byte[] utf8Path, byte[] status);
}

/// <summary>Files that hold personal data: readable and writable by their owner only, where the platform has modes.</summary>
public static class PrivateFiles
{
    /// <summary>
    /// Makes <paramref name="path"/> (just created, still empty) owner-only (0600) on Linux and macOS. On Windows a new
    /// file takes its folder's access list; nothing is changed there.
    /// </summary>
    public static void Restrict(string path)
    {
#if NET
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
#endif
    }
}
