using System;
using System.Text.Json;

namespace DataShareAdmin.Core.Tests;

/// <summary>A link prints and serialises without its signature; only Reveal() gives it.</summary>
public sealed class DataShareLinkTests
{
    private static readonly Uri Signed = new("https://acct.blob.core.windows.net/dsa-ds1/a%20b.csv?sv=2025-01-05&si=TR-1&sr=c&sig=SECRET%2BSIG%3D");

    [Fact]
    public void Reveal_gives_the_whole_link()
    {
        var link = new DataShareLink(Signed);

        Assert.Same(Signed, link.Reveal());
        Assert.Equal(Signed.AbsoluteUri, link.Reveal().AbsoluteUri);
    }

    [Fact]
    public void Text_and_address_hold_no_query_and_no_signature()
    {
        var link = new DataShareLink(Signed);

        Assert.Equal("https://acct.blob.core.windows.net/dsa-ds1/a%20b.csv", link.Address);
        Assert.Equal(link.Address + DataShareLink.HiddenQuery, link.ToString());
        Assert.DoesNotContain("SECRET", link.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", link.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", $"{link}", StringComparison.Ordinal);
    }

    [Fact]
    public void Serialised_as_json_it_holds_only_the_address()
    {
        var transfer = new DataShareTransfer { Id = "TR-1", Uri = new DataShareLink(Signed), Files = new[] { new TransferFile { Name = "a b.csv", Uri = new DataShareLink(Signed) } } };

        var json = JsonSerializer.Serialize(transfer);

        Assert.DoesNotContain("SECRET", json, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", json, StringComparison.Ordinal);
        Assert.Contains("dsa-ds1", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_or_missing_link_is_refused()
    {
        Assert.Throws<ArgumentNullException>(() => new DataShareLink(null!));
        Assert.Throws<ArgumentException>(() => new DataShareLink(new Uri("dsa-ds1?sig=x", UriKind.Relative)));
    }
}
