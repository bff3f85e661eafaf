using System;
using System.IO;
using System.Linq;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// New-DataShareTransfer -Path never follows a link: a directory link inside the extract once sent a file from outside
/// it, and a file link failed with "the file changed size". Each is refused by name, before anything is recorded or made.
/// </summary>
public sealed class TransferLinkTests : TransferTestsBase
{
    private readonly string outside;

    public TransferLinkTests()
    {
        outside = Path.Combine(test.Directory, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.csv"), "not,for,this,agreement\n");
    }

    private void AssertRefusedAsLink(string path, string link, string target)
    {
        var error = Refused(Request(null, path), "TransferPathIsLink");
        Assert.Equal(DataShareErrorCategory.InvalidArgument, error.Category);
        Assert.Equal(link, error.Target);
        Assert.Contains($"'{link}' is a link to '{target}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Asked, a => a.Contains("Upload", StringComparison.Ordinal));
    }

    [Fact]
    public void A_directory_link_inside_the_extract_is_refused_and_nothing_outside_is_sent()
    {
        var link = Path.Combine(folder, "lookups");
        Directory.CreateSymbolicLink(link, outside);

        AssertRefusedAsLink(folder, link, outside);
        Assert.Empty(storage.Calls);
    }

    [Fact]
    public void A_file_link_inside_the_extract_is_refused_as_a_link_not_as_a_changed_file()
    {
        var link = Path.Combine(folder, "sub", "secret.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, Path.Combine(outside, "secret.csv"));

        AssertRefusedAsLink(folder, link, Path.Combine(outside, "secret.csv"));
    }

    [Fact]
    public void A_link_named_as_the_path_itself_is_refused_saying_where_it_points()
    {
        var fileLink = Path.Combine(test.Directory, "latest.csv");
        File.CreateSymbolicLink(fileLink, extract);
        var folderLink = Path.Combine(test.Directory, "latest");
        Directory.CreateSymbolicLink(folderLink, folder);

        AssertRefusedAsLink(fileLink, fileLink, extract);
        AssertRefusedAsLink(folderLink + Path.DirectorySeparatorChar, folderLink, folder);
    }

    [Fact]
    public void A_dangling_link_is_refused_as_a_link_not_as_a_missing_file()
    {
        var link = Path.Combine(folder, "gone.csv");
        File.CreateSymbolicLink(link, Path.Combine(outside, "no-such-file.csv"));

        AssertRefusedAsLink(folder, link, Path.Combine(outside, "no-such-file.csv"));
        AssertRefusedAsLink(link, link, Path.Combine(outside, "no-such-file.csv"));
    }

    [Fact]
    public void A_folder_reached_through_a_linked_parent_is_sent_as_its_own_files()
    {
        var linkedParent = Path.Combine(test.Directory, "via");
        Directory.CreateSymbolicLink(linkedParent, test.Directory);
        Directory.CreateDirectory(Path.Combine(folder, "2026"));
        File.WriteAllText(Path.Combine(folder, "2026", "schools.csv"), "urn\n1\n");

        var transfer = Engine.Transfers.Issue(Request(null, Path.Combine(linkedParent, "extract")), storage, host)!;

        Assert.Equal(new[] { "2026/schools.csv", "pupils.csv" }, transfer.Files.Select(f => f.Name));
    }
}
