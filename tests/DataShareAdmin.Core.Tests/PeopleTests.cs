using DataShareAdmin.Core.People;

namespace DataShareAdmin.Core.Tests;

public sealed class PeopleTests
{
    [Theory]
    [InlineData("jo.bloggs@example.ac.uk")]
    [InlineData("J.O'Brien+data@Example.org")]
    [InlineData("a@b.co")]
    public void Valid_emails_are_accepted(string email) => Assert.True(EmailAddress.IsValid(email));

    [Theory]
    [InlineData("")]
    [InlineData("jo")]
    [InlineData("jo@")]
    [InlineData("@example.org")]
    [InlineData("jo@example")]
    [InlineData("jo bloggs@example.org")]
    [InlineData("jo@@example.org")]
    [InlineData("jo..b@example.org")]
    [InlineData("jo.@example.org")]
    [InlineData("jo@-example.org")]
    public void Malformed_emails_are_refused(string email)
    {
        Assert.False(EmailAddress.IsValid(email));
        var error = Assert.Throws<DataShareException>(() => EmailAddress.Require(email));
        Assert.Equal("RecipientEmailInvalid", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidArgument, error.Category);
    }

    [Fact]
    public void Emails_normalise_by_trimming_and_lower_casing() =>
        Assert.Equal("jo.bloggs@example.ac.uk", EmailAddress.Require("  Jo.Bloggs@Example.AC.uk "));

    [Fact]
    public void Ids_have_a_prefix_and_ten_base32_characters_and_do_not_repeat()
    {
        var seen = new System.Collections.Generic.HashSet<string>();
        for (var i = 0; i < 2000; i++)
        {
            var id = Ids.NewRecipientId();
            Assert.Matches("^RC-[0-9A-HJKMNP-TV-Z]{10}$", id);
            Assert.True(Ids.LooksLike(Ids.RecipientPrefix, id));
            Assert.True(seen.Add(id));
        }

        Assert.False(Ids.LooksLike(Ids.RecipientPrefix, "DS00752"));
        Assert.False(Ids.LooksLike(Ids.RecipientPrefix, "RC-123"));
        Assert.False(Ids.LooksLike(Ids.RecipientPrefix, Ids.NewPersonId()));
    }
}
