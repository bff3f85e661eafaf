using System;
using System.Linq;
using DataShareAdmin.Core.Retention;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The rules a sweep's deletes follow for names and addresses, without storage: which blob names may be deleted
/// from a holding, how a name is written into an exact address, how endpoints are matched, and calendar-edge days.
/// </summary>
public sealed class BlobNamesTests
{
    [Theory]
    [InlineData("p/a.csv", "p/")]
    [InlineData("p/x/./y.csv", "p/")]
    [InlineData("p/x/../y.csv", "p/")]
    [InlineData("p/x/..", "p/")]
    [InlineData("p//a.csv", "p/")]
    [InlineData("p/...", "p/")]
    [InlineData("p/a%2Eb.csv", "p/")]
    [InlineData("a.csv", null)]
    [InlineData("x/../a.csv", null)]
    [InlineData("ünïcødé/名前.csv", null)]
    public void A_name_inside_the_holding_however_it_is_read_may_be_deleted(string name, string? prefix)
    {
        Assert.True(BlobNames.IsInside(name, prefix, out var why), why);
    }

    [Theory]
    [InlineData("p/../p2/z.csv", "p/", "outside the holding's prefix 'p/'")]
    [InlineData("p/..", "p/", "the container itself")]
    [InlineData("../activez/keep.csv", null, "climb out of the container")]
    [InlineData("a/../../b", null, "climb out of the container")]
    [InlineData(".", null, "the container itself")]
    [InlineData("x/..", null, "the container itself")]
    [InlineData("", null, "the container itself")]
    [InlineData("p/%2E%2E/p2/z.csv", "p/", "read as 'p/../p2/z.csv'")]
    [InlineData("p/%252E%252E/p2/z.csv", "p/", "read as 'p/../p2/z.csv'")]
    [InlineData("p/%2e%2E%2fp2/z.csv", "p/", "read as 'p/../p2/z.csv'")]
    [InlineData("p/..\\p2\\z.csv", "p/", "read as 'p/../p2/z.csv'")]
    [InlineData("p\\..\\..\\other\\x", "p\\", "climb out of the container")]
    [InlineData("q/a.csv", "p/", "not under the holding's prefix")]
    public void A_name_that_could_be_read_as_one_outside_the_holding_is_not_deleted(string name, string? prefix, string reason)
    {
        Assert.False(BlobNames.IsInside(name, prefix, out var why));
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_name_is_judged_without_trouble()
    {
        var deep = "p/" + string.Concat(Enumerable.Repeat("a/", 500)) + string.Concat(Enumerable.Repeat("../", 501)) + "x";
        Assert.False(BlobNames.IsInside(deep, "p/", out _));
        Assert.True(BlobNames.IsInside("p/" + new string('a', 100_000), "p/", out _));
    }

    [Theory]
    [InlineData("p/../p2/z.csv", "p/%2E%2E/p2/z.csv")]
    [InlineData("p/x/./y.csv", "p/x/%2E/y.csv")]
    [InlineData("p/.../y", "p/%2E%2E%2E/y")]
    [InlineData("a b/c?d#e%2E", "a%20b/c%3Fd%23e%252E")]
    [InlineData("p\\q", "p%5Cq")]
    public void A_name_is_written_escaped_segment_by_segment_dot_segments_included(string name, string escaped)
    {
        Assert.Equal(escaped, BlobNames.Escape(name));
        Assert.Equal(name, BlobNames.Unescape(escaped));
    }

    private static readonly string[] Segments = { "a", "b.csv", ".", "..", "...", "%2E%2E", "%252e.", "x\\..", string.Empty, "ü" };

    [Property(MaxTest = 1000)]
    public Property Any_name_allowed_stays_inside_with_dot_segments_removed_and_round_trips_through_its_address(int[] picks)
    {
        var name = "p/" + string.Join("/", picks.Select(p => Segments[Math.Abs(p % Segments.Length)]));
        if (!BlobNames.IsInside(name, "p/", out _))
        {
            return true.ToProperty();
        }

        var normalised = BlobNames.RemoveDotSegments(name);
        var escaped = BlobNames.Escape(name);
        return (normalised is not null && normalised.StartsWith("p/", StringComparison.Ordinal)
            && BlobNames.Unescape(escaped) == name
            && !escaped.Split('/').Any(s => s is "." or "..")).ToProperty();
    }

    [Theory]
    [InlineData("https://contosodata.blob.core.windows.net/data/p/", "https://contosodata.blob.core.windows.net:443/contosodata")]
    [InlineData("https://CONTOSODATA.blob.core.windows.net/data", "https://contosodata.blob.core.windows.net:443/contosodata")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/data/", "http://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("http://localhost:10000/devstoreaccount1/data/", "http://localhost:10000/devstoreaccount1")]
    [InlineData("https://127.0.0.1:10000/devstoreaccount1/data/", "https://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("https://contosodata.blob.core.usgovcloudapi.net/data", "https://contosodata.blob.core.usgovcloudapi.net:443/contosodata")]
    public void A_holding_is_matched_to_a_connection_by_scheme_host_port_and_account(string location, string endpoint)
    {
        Assert.Equal(endpoint, HoldingLocation.Parse(location).Endpoint);
    }

    [Fact]
    public void A_folder_holding_has_no_storage_endpoint() =>
        Assert.Null(HoldingLocation.Parse(System.IO.Path.GetTempPath() + "extract").Endpoint);
}
