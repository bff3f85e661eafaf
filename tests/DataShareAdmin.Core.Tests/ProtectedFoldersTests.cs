using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Retention;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The protected folders by rule, on Windows and on Unix, whatever machine runs the tests: the platform's facts are
/// given, not read, and links resolve through a table.
/// </summary>
public sealed class ProtectedFoldersTests
{
    private static readonly FolderPlatform Windows = new()
    {
        IsWindows = true,
        SystemFolders = new[] { @"C:\Windows", @"C:\Program Files", @"C:\Program Files (x86)" },
        SharedFolders = new[] { @"C:\ProgramData", @"C:\Users", @"C:\Users\ann\AppData\Local\Temp", @"C:\Users\Public" },
        HomeParents = new[] { @"C:\Users" },
        Homes = new[] { @"C:\Users\ann" },
        ModuleFolder = @"C:\Users\ann\Documents\PowerShell\Modules\DataShareAdmin\1.0.0",
        ResolveLinks = Links(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [@"D:\shortcut"] = @"C:\Windows\System32" }),
    };

    private static readonly FolderPlatform Unix = new()
    {
        IsWindows = false,
        SystemFolders = FolderPlatform.UnixSystemFolders,
        SharedFolders = new[] { "/home", "/tmp", "/srv", "/var", "/mnt" },
        HomeParents = new[] { "/home", "/Users" },
        Homes = new[] { "/home/ann", "/root" },
        ModuleFolder = "/opt/microsoft/powershell/Modules/DataShareAdmin",
        ResolveLinks = Links(new Dictionary<string, string>(StringComparer.Ordinal) { ["/srv/config"] = "/etc", ["/srv/safe"] = "/srv/data/real" }),
    };

    private static Func<string, string> Links(Dictionary<string, string> links) => path =>
    {
        foreach (var (link, target) in links)
        {
            if (path.Equals(link, StringComparison.OrdinalIgnoreCase) || path.StartsWith(link + (path.Contains('\\') ? "\\" : "/"), StringComparison.OrdinalIgnoreCase))
            {
                return target + path.Substring(link.Length);
            }
        }

        return path;
    };

    [Theory]
    [InlineData(@"C:\", "root")]
    [InlineData(@"D:", "root")]
    [InlineData(@"d:\", "root")]
    [InlineData(@"\\server\share", "root")]
    [InlineData(@"\\server\share\", "root")]
    [InlineData(@"C:\Windows", "operating-system")]
    [InlineData(@"c:\windows\", "operating-system")]
    [InlineData(@"C:/Windows/System32", "operating-system")]
    [InlineData(@"C:\Temp\..\Windows", "operating-system")]
    [InlineData(@"C:\Program Files\Contoso", "operating-system")]
    [InlineData(@"C:\Users", "other people's")]
    [InlineData(@"C:\ProgramData", "other people's")]
    [InlineData(@"C:\Users\ann", "home")]
    [InlineData(@"C:\Users\bob\", "home")]
    [InlineData(@"C:\Users\ann\Documents", "holds the DataShareAdmin module")]
    [InlineData(@"C:\Users\ann\Documents\PowerShell\Modules\DataShareAdmin\1.0.0\Dependencies", "inside the DataShareAdmin module")]
    [InlineData(@"C:\DataShare", "holds the register")]
    [InlineData(@"C:\DataShare\Register", "holds the register")]
    [InlineData(@"D:\shortcut", "leads through a link to C:\\Windows\\System32")]
    public void Windows_folders_that_are_protected(string folder, string why)
    {
        Assert.Contains(why, ProtectedFolders.Why(folder, Windows, @"C:\DataShare\Register\register.db"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"C:\Users\ann\Documents\extracts\DS00752")]
    [InlineData(@"C:\Users\ann\AppData\Local\Temp\ds1")]
    [InlineData(@"C:\DataShare\Register\extracts")]
    [InlineData(@"C:\Windows2\data")]
    [InlineData(@"D:\Extracts\DS00752")]
    [InlineData(@"\\server\share\extracts")]
    [InlineData(@"C:\%2E%2E\Windows")]
    public void Windows_folders_that_may_be_holdings(string folder)
    {
        Assert.Null(ProtectedFolders.Why(folder, Windows, @"C:\DataShare\Register\register.db"));
    }

    [Theory]
    [InlineData("/", "root")]
    [InlineData("//", "root")]
    [InlineData("/etc", "operating-system")]
    [InlineData("/etc/", "operating-system")]
    [InlineData("/etc/ssl/private", "inside the operating-system")]
    [InlineData("/srv/data/../../etc", "operating-system")]
    [InlineData("/usr/local/share", "inside the operating-system")]
    [InlineData("/var/lib/postgresql", "inside the operating-system")]
    [InlineData("/var", "other people's")]
    [InlineData("/tmp/", "other people's")]
    [InlineData("/home", "other people's")]
    [InlineData("/home/ann", "home")]
    [InlineData("/home/zed/", "home")]
    [InlineData("/Users/kim", "home")]
    [InlineData("/root", "home")]
    [InlineData("/opt/microsoft", "holds the DataShareAdmin module")]
    [InlineData("/opt/microsoft/powershell/Modules/DataShareAdmin/en-US", "inside the DataShareAdmin module")]
    [InlineData("/srv/dsa", "holds the register")]
    [InlineData("/srv/config", "leads through a link to /etc")]
    [InlineData("/srv/config/ssl", "leads through a link to /etc/ssl")]
    public void Unix_folders_that_are_protected(string folder, string why)
    {
        Assert.Contains(why, ProtectedFolders.Why(folder, Unix, "/srv/dsa/register.db"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/home/ann/extracts")]
    [InlineData("/srv/data/ds1")]
    [InlineData("/srv/dsa/extracts")]
    [InlineData("/srv/safe")]
    [InlineData("/tmp/ds1")]
    [InlineData("/etcetera")]
    [InlineData("/tmp/%2E%2E/etc")]
    [InlineData("/mnt/share/ds1")]
    [InlineData("/opt/other")]
    public void Unix_folders_that_may_be_holdings(string folder)
    {
        Assert.Null(ProtectedFolders.Why(folder, Unix, "/srv/dsa/register.db"));
    }
}
