using System;
using System.Linq;
using DataShareAdmin.Core.People;

namespace DataShareAdmin.Core.Tests;

public sealed class RecipientServiceTests : IDisposable
{
    private readonly TestRegister test = new();
    private readonly FakeHost host = new();

    public RecipientServiceTests()
    {
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        test.Engine.Agreements.Create(Samples.Agreement("DS2"), host);
    }

    private RecipientService Recipients => test.Engine.Recipients;

    [Fact]
    public void A_person_on_two_agreements_is_one_person_with_two_places()
    {
        var first = Recipients.Add("DS1", "Jo Bloggs", "Jo.Bloggs@Example.ac.uk", "Analyst", host)!;
        var second = Recipients.Add("ds2", "Jo Bloggs", "jo.bloggs@example.ac.uk ", null, host)!;

        Assert.Equal(first.PersonId, second.PersonId);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal("DS2", second.AgreementId);
        Assert.Equal("Jo.Bloggs@Example.ac.uk", second.Email);
    }

    [Fact]
    public void Adding_the_same_person_twice_to_one_agreement_is_refused()
    {
        Recipients.Add("DS1", "Jo", "jo@example.org", null, host);
        var before = test.AuditCount();
        var error = Assert.Throws<DataShareException>(() => Recipients.Add("DS1", "Jo", "JO@example.org", null, host));
        Assert.Equal(("RecipientExists", DataShareErrorCategory.ResourceExists), (error.ErrorId, error.Category));
        Assert.Equal(before, test.AuditCount());
    }

    [Fact]
    public void A_different_name_for_a_known_email_keeps_the_stored_name_and_warns()
    {
        Recipients.Add("DS1", "Jo Bloggs", "jo@example.org", null, host);
        var second = Recipients.Add("DS2", "Joanna Bloggs", "jo@example.org", null, host)!;
        Assert.Equal("Jo Bloggs", second.Name);
        Assert.Single(host.Warnings);
    }

    [Theory]
    [InlineData("DS404", "Jo", "jo@example.org", "AgreementNotFound")]
    [InlineData("DS1", "Jo", "not-an-email", "RecipientEmailInvalid")]
    [InlineData("DS1", " ", "jo@example.org", "RecipientNameMissing")]
    [InlineData("bad id!", "Jo", "jo@example.org", "AgreementIdInvalid")]
    public void Bad_input_writes_nothing(string agreement, string name, string email, string errorId)
    {
        var before = test.AuditCount();
        Assert.Equal(errorId, Assert.Throws<DataShareException>(() => Recipients.Add(agreement, name, email, null, host)).ErrorId);
        Assert.Equal(before, test.AuditCount());
        Assert.Empty(Recipients.Find(null, true));
    }

    [Fact]
    public void No_one_can_be_added_to_an_ended_agreement()
    {
        test.Engine.Agreements.Create(Samples.Agreement("OLD1", "2025-01-01", "2025-12-31"), host);
        test.Engine.Agreements.Approve("OLD1", "R", new DateTime(2025, 1, 1), Samples.Decision(), host);
        var error = Assert.Throws<DataShareException>(() => Recipients.Add("OLD1", "Jo", "jo@example.org", null, host));
        Assert.Equal(("AgreementNotOpen", DataShareErrorCategory.InvalidOperation), (error.ErrorId, error.Category));
    }

    [Fact]
    public void Training_belongs_to_the_person_and_the_declaration_to_the_place()
    {
        var first = Recipients.Add("DS1", "Jo", "jo@example.org", null, host)!;
        var second = Recipients.Add("DS2", "Jo", "jo@example.org", null, host)!;

        Recipients.Update(first.Id, new RecipientChanges { TrainingCompletedOn = new DateTime(2026, 5, 1), DeclarationSignedOn = new DateTime(2026, 5, 2) }, host);

        var other = Recipients.Get(second.Id);
        Assert.Equal(new DateTime(2026, 5, 1), other.TrainingCompletedOn);
        Assert.Null(other.DeclarationSignedOn);
        Assert.Equal(new DateTime(2026, 5, 2), Recipients.Get(first.Id).DeclarationSignedOn);
        var entry = test.Engine.Audit.Read(1, e => e.Action == "Recipient.Update").Single();
        Assert.Equal(" -> 2026-05-01", entry.Details["TrainingCompletedOn"]);
    }

    [Fact]
    public void Future_dates_and_malformed_ids_are_refused()
    {
        var recipient = Recipients.Add("DS1", "Jo", "jo@example.org", null, host)!;
        var before = test.AuditCount();
        Assert.Equal("RecipientDateInvalid", Assert.Throws<DataShareException>(() =>
            Recipients.Update(recipient.Id, new RecipientChanges { DeclarationSignedOn = new DateTime(2026, 6, 16) }, host)).ErrorId);
        var wrongKind = Assert.Throws<DataShareException>(() => Recipients.Update("DS1", new RecipientChanges { Role = "x" }, host));
        Assert.Equal(("RecipientIdInvalid", DataShareErrorCategory.InvalidArgument), (wrongKind.ErrorId, wrongKind.Category));
        Assert.Equal("RecipientNotFound", Assert.Throws<DataShareException>(() => Recipients.Get("RC-0000000000")).ErrorId);
        Assert.Equal(before, test.AuditCount());
    }

    [Fact]
    public void Removal_keeps_the_record_and_blocks_further_changes()
    {
        var recipient = Recipients.Add("DS1", "Jo", "jo@example.org", null, host)!;
        var removed = Recipients.Remove(recipient.Id, "Left the project", host)!;

        Assert.False(removed.IsActive);
        Assert.Empty(Recipients.Find("DS1", includeRemoved: false));
        Assert.Single(Recipients.Find("DS1", includeRemoved: true));
        Assert.Equal("Left the project", test.Engine.Audit.Read(1, e => e.Action == "Recipient.Remove").Single().Details["Reason"]);
        Assert.Equal("RecipientNotActive", Assert.Throws<DataShareException>(() => Recipients.Remove(recipient.Id, null, host)).ErrorId);

        // The person can be given a new place afterwards.
        Assert.NotNull(Recipients.Add("DS1", "Jo", "jo@example.org", null, host));
    }

    [Fact]
    public void Declining_writes_nothing()
    {
        var recipient = Recipients.Add("DS1", "Jo", "jo@example.org", null, host)!;
        var before = test.AuditCount();
        host.Approve = false;

        Assert.Null(Recipients.Add("DS2", "Jo", "jo@example.org", null, host));
        Assert.Null(Recipients.Update(recipient.Id, new RecipientChanges { Role = "Lead" }, host));
        Assert.Null(Recipients.Remove(recipient.Id, null, host));
        Assert.Equal(before, test.AuditCount());
        Assert.True(Recipients.Get(recipient.Id).IsActive);
    }

    [Fact]
    public void Listing_an_unknown_agreement_is_an_error_not_an_empty_list() =>
        Assert.Equal("AgreementNotFound", Assert.Throws<DataShareException>(() => Recipients.Find("DS404", false).ToList()).ErrorId);

    public void Dispose() => test.Dispose();
}
