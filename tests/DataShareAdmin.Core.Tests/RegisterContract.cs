using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// What every register backend must do. Each backend derives from this class and supplies a fresh, empty
/// register; the same tests then run against each (SQLite now, Azure Tables later).
/// </summary>
public abstract class RegisterContract : IDisposable
{
    private readonly List<IDataShareRegister> opened = new();

    protected FixedClock Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero));

    /// <summary>A fresh register; calling it again with the same key opens the same register again (a second writer).</summary>
    protected abstract IDataShareRegister Open(string key);

    private IDataShareRegister New(string key = "main")
    {
        var register = Open(key);
        opened.Add(register);
        return register;
    }

    private static DataShareAgreement Agreement(string id) => new()
    {
        Id = id,
        Organisation = "Org \"quoted\" & <x>",
        Title = "Title",
        Purpose = "Purpose",
        LegalGateway = "Gateway",
        LawfulBasis = "Article 6(1)(e)",
        AccessRoute = AccessRoute.DirectTransfer,
        StartsOn = new DateTime(2026, 1, 1),
        EndsOn = new DateTime(2026, 12, 31),
        RetentionDays = 14,
        DataItems = new[] { new DataItem("KS2", "B", 3), new DataItem("FSM", "C", 4) },
        CreatedAt = new DateTimeOffset(2026, 1, 1, 8, 0, 0, 123, TimeSpan.Zero),
        CreatedBy = "alice",
        ModifiedAt = new DateTimeOffset(2026, 1, 1, 8, 0, 0, 123, TimeSpan.Zero),
    };

    private static AuditEvent Event(string action, string id) => new(action, "Agreement", id, new Dictionary<string, string?> { ["k"] = "v", ["skipped"] = null });

    [Fact]
    public void An_agreement_round_trips_every_field()
    {
        var register = New();
        var written = Agreement("DS1");
        written.ApprovalReference = "DSAP-1";
        written.ApprovedOn = new DateTime(2025, 12, 20);
        written.ApprovedBy = "bob";
        written.IsSuspended = true;
        written.DestroyedOn = new DateTime(2027, 2, 1);
        register.InsertAgreement(written, Event("Agreement.Create", "DS1"));

        var read = register.FindAgreement("ds1")!;

        Assert.Equal(
            (written.Id, written.Organisation, written.Title, written.Purpose, written.LegalGateway, written.LawfulBasis, written.AccessRoute, written.StartsOn, written.EndsOn, written.RetentionDays),
            (read.Id, read.Organisation, read.Title, read.Purpose, read.LegalGateway, read.LawfulBasis, read.AccessRoute, read.StartsOn, read.EndsOn, read.RetentionDays));
        Assert.Equal(new[] { "KS2:B3", "FSM:C4" }, read.DataItems.Select(i => i.ToString()));
        Assert.Equal((written.ApprovalReference, written.ApprovedOn, written.ApprovedBy, written.IsSuspended, written.DestroyedOn),
            (read.ApprovalReference, read.ApprovedOn, read.ApprovedBy, read.IsSuspended, read.DestroyedOn));
        Assert.Equal((written.CreatedAt, written.CreatedBy, written.ModifiedAt), (read.CreatedAt, read.CreatedBy, read.ModifiedAt));
        Assert.Equal(1, read.Version);
    }

    [Fact]
    public void A_duplicate_agreement_is_refused_and_writes_no_audit_entry()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));

        var error = Assert.Throws<DataShareException>(() => register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1")));

        Assert.Equal("AgreementExists", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.ResourceExists, error.Category);
        Assert.Equal(1, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void Agreements_list_in_id_order()
    {
        var register = New();
        foreach (var id in new[] { "DS3", "DS1", "DS2" })
        {
            register.InsertAgreement(Agreement(id), Event("Agreement.Create", id));
        }

        Assert.Equal(new[] { "DS1", "DS2", "DS3" }, register.ListAgreements().Select(a => a.Id));
    }

    [Fact]
    public void A_stale_update_is_refused_and_writes_nothing()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var first = register.FindAgreement("DS1")!;
        var second = Open("main");
        opened.Add(second);
        var stale = second.FindAgreement("DS1")!;

        first.Title = "First writer";
        register.UpdateAgreement(first, Event("Agreement.Update", "DS1"));
        stale.Title = "Second writer";

        Assert.Throws<RegisterConflictException>(() => second.UpdateAgreement(stale, Event("Agreement.Update", "DS1")));
        Assert.Equal("First writer", register.FindAgreement("DS1")!.Title);
        Assert.Equal(2, register.FindAgreement("DS1")!.Version);
        Assert.Equal(2, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void People_are_unique_by_normalised_email_and_recipients_list_by_agreement()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        register.InsertAgreement(Agreement("DS2"), Event("Agreement.Create", "DS2"));
        var person = new DataSharePerson { Id = "PE-0000000001", Name = "Jo", Email = "Jo@Example.org", NormalisedEmail = "jo@example.org", CreatedAt = Clock.UtcNow };
        register.InsertRecipient(Recipient("RC-0000000001", "DS1", person.Id), person, Event("Recipient.Add", "RC-0000000001"));
        register.InsertRecipient(Recipient("RC-0000000002", "DS2", person.Id), null, Event("Recipient.Add", "RC-0000000002"));

        var duplicate = new DataSharePerson { Id = "PE-0000000002", Name = "Jo", Email = "jo@example.org", NormalisedEmail = "jo@example.org", CreatedAt = Clock.UtcNow };
        Assert.Throws<RegisterConflictException>(() =>
            register.InsertRecipient(Recipient("RC-0000000003", "DS2", duplicate.Id), duplicate, Event("Recipient.Add", "RC-0000000003")));

        Assert.Equal("PE-0000000001", register.FindPersonByEmail("jo@example.org")!.Id);
        var listed = register.ListRecipients("DS1", includeRemoved: false).Single();
        Assert.Equal(("RC-0000000001", "Jo", "Jo@Example.org", "Analyst"), (listed.Id, listed.Name, listed.Email, listed.Role));
        Assert.Equal(2, register.ListRecipients(null, includeRemoved: false).Count());
        Assert.Equal(4, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void The_same_person_cannot_hold_two_active_places_on_one_agreement()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var person = new DataSharePerson { Id = "PE-0000000001", Name = "Jo", Email = "jo@example.org", NormalisedEmail = "jo@example.org", CreatedAt = Clock.UtcNow };
        register.InsertRecipient(Recipient("RC-0000000001", "DS1", person.Id), person, Event("Recipient.Add", "RC-0000000001"));

        var error = Assert.Throws<DataShareException>(() =>
            register.InsertRecipient(Recipient("RC-0000000002", "DS1", person.Id), null, Event("Recipient.Add", "RC-0000000002")));
        Assert.Equal("RecipientExists", error.ErrorId);
    }

    [Fact]
    public void Removed_recipients_are_kept_and_listed_only_on_request()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var person = new DataSharePerson { Id = "PE-0000000001", Name = "Jo", Email = "jo@example.org", NormalisedEmail = "jo@example.org", CreatedAt = Clock.UtcNow };
        register.InsertRecipient(Recipient("RC-0000000001", "DS1", person.Id), person, Event("Recipient.Add", "RC-0000000001"));
        var recipient = register.FindRecipient("RC-0000000001")!;
        recipient.RemovedAt = Clock.UtcNow;
        recipient.RemovedReason = "Left the project";
        register.UpdateRecipient(recipient, null, Event("Recipient.Remove", recipient.Id));

        Assert.Empty(register.ListRecipients("DS1", includeRemoved: false));
        var kept = register.ListRecipients("DS1", includeRemoved: true).Single();
        Assert.False(kept.IsActive);
        Assert.Equal("Left the project", kept.RemovedReason);
        Assert.Equal(Clock.UtcNow, kept.RemovedAt);

        // A removed place does not block a new one.
        register.InsertRecipient(Recipient("RC-0000000002", "DS1", person.Id), null, Event("Recipient.Add", "RC-0000000002"));
        Assert.Single(register.ListRecipients("DS1", includeRemoved: false));
    }

    [Fact]
    public void Person_fields_update_with_the_recipient()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var person = new DataSharePerson { Id = "PE-0000000001", Name = "Jo", Email = "jo@example.org", NormalisedEmail = "jo@example.org", CreatedAt = Clock.UtcNow };
        register.InsertRecipient(Recipient("RC-0000000001", "DS1", person.Id), person, Event("Recipient.Add", "RC-0000000001"));

        var recipient = register.FindRecipient("RC-0000000001")!;
        var stored = register.FindPerson(person.Id)!;
        stored.TrainingCompletedOn = new DateTime(2026, 2, 1);
        stored.Name = "Jo Bloggs";
        recipient.DeclarationSignedOn = new DateTime(2026, 2, 2);
        register.UpdateRecipient(recipient, stored, Event("Recipient.Update", recipient.Id));

        var read = register.FindRecipient("RC-0000000001")!;
        Assert.Equal((new DateTime(2026, 2, 1), new DateTime(2026, 2, 2), "Jo Bloggs"), (read.TrainingCompletedOn!.Value, read.DeclarationSignedOn!.Value, read.Name));
    }

    [Fact]
    public void Every_write_appends_one_chained_audit_entry_that_verifies()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var agreement = register.FindAgreement("DS1")!;
        agreement.Title = "Changed";
        register.UpdateAgreement(agreement, Event("Agreement.Update", "DS1"));

        var entries = register.ReadAuditLog(1).ToList();

        Assert.Equal(new[] { "Agreement.Create", "Agreement.Update" }, entries.Select(e => e.Action));
        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, entries[0].Details);
        Assert.Equal(Clock.UtcNow, entries[0].Timestamp);
        Assert.True(AuditVerifier.Verify(entries, register.ReadAuditHead()).IsIntact);
        Assert.Single(register.ReadAuditLog(2));
    }

    [Fact]
    public void Policy_values_are_stored_replaced_removed_and_audited()
    {
        var register = New();
        register.WritePolicy("CertificateMaxAgeMonths", "36", new AuditEvent("Policy.Set", "Policy", "CertificateMaxAgeMonths"));
        register.WritePolicy("certificatemaxagemonths", "30", new AuditEvent("Policy.Set", "Policy", "CertificateMaxAgeMonths"));
        register.WritePolicy("TimeZone", "Europe/Paris", new AuditEvent("Policy.Set", "Policy", "TimeZone"));

        var values = register.ReadPolicy().ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(("30", "tester", Clock.UtcNow), (values["CertificateMaxAgeMonths"].Value, values["CertificateMaxAgeMonths"].ModifiedBy, values["CertificateMaxAgeMonths"].ModifiedAt));
        Assert.Equal(2, values.Count);

        register.WritePolicy("TimeZone", null, new AuditEvent("Policy.Set", "Policy", "TimeZone"));
        Assert.Single(register.ReadPolicy());
        Assert.Equal(4, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void Certificates_round_trip_keep_leading_zeros_and_are_unique_by_issuer_and_number()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var person = new DataSharePerson { Id = "PE-0000000001", Name = "Jo", Email = "jo@example.org", NormalisedEmail = "jo@example.org", CreatedAt = Clock.UtcNow };
        register.InsertRecipient(Recipient("RC-0000000001", "DS1", person.Id), person, Event("Recipient.Add", "RC-0000000001"));
        var certificate = new DisclosureCertificate
        {
            Id = "DC-0000000001", PersonId = person.Id, Issuer = CertificateIssuer.DBS, Level = CertificateLevel.Enhanced, Number = "000123456789",
            IssuedOn = new DateTime(2025, 2, 28), HolderName = "Jo Bloggs", DateOfBirth = new DateTime(1990, 1, 2), SeenOriginalBy = "officer",
            SeenOriginalOn = new DateTime(2025, 3, 1), AddedAt = Clock.UtcNow, AddedBy = "alice",
        };
        register.InsertCertificate(certificate, new AuditEvent("Certificate.Add", "Certificate", certificate.Id));

        var read = register.FindCertificateByNumber(CertificateIssuer.DBS, "000123456789")!;
        Assert.Equal(("DC-0000000001", "jo@example.org", CertificateLevel.Enhanced, new DateTime(2025, 2, 28), new DateTime(1990, 1, 2), "officer", new DateTime(2025, 3, 1), 1L),
            (read.Id, read.Email, read.Level, read.IssuedOn, read.DateOfBirth!.Value, read.SeenOriginalBy, read.SeenOriginalOn, read.Version));
        Assert.Null(register.FindCertificateByNumber(CertificateIssuer.AccessNI, "000123456789"));

        var duplicate = new DisclosureCertificate
        {
            Id = "DC-0000000002", PersonId = person.Id, Issuer = CertificateIssuer.DBS, Level = CertificateLevel.Basic, Number = "000123456789",
            IssuedOn = new DateTime(2025, 2, 28), SeenOriginalBy = "x", SeenOriginalOn = new DateTime(2025, 3, 1), AddedAt = Clock.UtcNow, AddedBy = "x",
        };
        Assert.Equal("CertificateExists", Assert.Throws<DataShareException>(() => register.InsertCertificate(duplicate, new AuditEvent("Certificate.Add", "Certificate", duplicate.Id))).ErrorId);

        read.OnlineStatus = "BLANK_NO_NEW_INFO";
        read.OnlineCheckedAt = Clock.UtcNow;
        register.UpdateCertificate(read, new AuditEvent("Certificate.OnlineCheck", "Certificate", read.Id));
        var stale = register.FindCertificate(read.Id)!;
        stale.Version = 1;
        Assert.Throws<RegisterConflictException>(() => register.UpdateCertificate(stale, new AuditEvent("Certificate.Update", "Certificate", read.Id)));
        Assert.Equal("BLANK_NO_NEW_INFO", register.ListCertificates(person.Id).Single().OnlineStatus);

        register.DeleteCertificate(register.FindCertificate(read.Id)!, new AuditEvent("Certificate.Remove", "Certificate", read.Id));
        Assert.Empty(register.ListCertificates(null));
        Assert.Equal(5, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void Unknown_records_are_not_found()
    {
        var register = New();
        Assert.Null(register.FindAgreement("NOPE"));
        Assert.Null(register.FindRecipient("RC-0000000000"));
        Assert.Null(register.FindPersonByEmail("nobody@example.org"));
        Assert.Null(register.ReadAuditHead());
        Assert.Empty(register.ReadAuditLog(1));
    }

    private DataShareRecipient Recipient(string id, string agreementId, string personId) => new()
    {
        Id = id,
        AgreementId = agreementId,
        PersonId = personId,
        Role = "Analyst",
        AddedAt = Clock.UtcNow,
        AddedBy = "alice",
    };

    public void Dispose()
    {
        foreach (var register in opened)
        {
            register.Dispose();
        }

        Cleanup();
        GC.SuppressFinalize(this);
    }

    protected virtual void Cleanup()
    {
    }
}
