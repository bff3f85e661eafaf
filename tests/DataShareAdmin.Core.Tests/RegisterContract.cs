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
public abstract partial class RegisterContract : IDisposable
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

        // Everyone, in id order, whatever order they came in.
        var ann = new DataSharePerson { Id = "PE-0000000000", Name = "Ann", Email = "ann@example.org", NormalisedEmail = "ann@example.org", CreatedAt = Clock.UtcNow };
        register.InsertRecipient(Recipient("RC-0000000004", "DS2", ann.Id), ann, Event("Recipient.Add", "RC-0000000004"));
        Assert.Equal(new[] { ("PE-0000000000", "ann@example.org"), ("PE-0000000001", "Jo@Example.org") }, register.ListPeople().Select(p => (p.Id, p.Email)));
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
        // Without an Entra sign-in (a file, or a connection string's account key) the actor is the identity given.
        Assert.Equal((TestRegister.Identity.User, TestRegister.Identity.Machine), (entries[0].Actor, entries[0].Machine));
        Assert.Equal(TestRegister.Identity.User, register.Info.Actor);
        Assert.True(AuditVerifier.Verify(entries, register.ReadAuditHead()).IsIntact);
        Assert.Single(register.ReadAuditLog(2));
    }

    [Fact]
    public void Policy_values_are_stored_replaced_removed_and_audited()
    {
        var register = New();
        register.WritePolicy("CertificateMaxAgeMonths", null, "36", new AuditEvent("Policy.Set", "Policy", "CertificateMaxAgeMonths"));
        register.WritePolicy("certificatemaxagemonths", "36", "30", new AuditEvent("Policy.Set", "Policy", "CertificateMaxAgeMonths"));
        register.WritePolicy("TimeZone", null, "Europe/Paris", new AuditEvent("Policy.Set", "Policy", "TimeZone"));

        var values = register.ReadPolicy().ToDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(("30", "tester", Clock.UtcNow), (values["CertificateMaxAgeMonths"].Value, values["CertificateMaxAgeMonths"].ModifiedBy, values["CertificateMaxAgeMonths"].ModifiedAt));
        Assert.Equal(2, values.Count);

        Assert.Equal(("Europe/Paris", "tester"), (register.FindPolicy("timezone")!.Value, register.FindPolicy("TimeZone")!.ModifiedBy));
        Assert.Equal("30", register.FindPolicy("CertificateMaxAgeMonths")!.Value);
        Assert.Null(register.FindPolicy("DirectoryRequiredGroupId"));

        register.WritePolicy("TimeZone", "Europe/Paris", null, new AuditEvent("Policy.Set", "Policy", "TimeZone"));
        Assert.Single(register.ReadPolicy());
        Assert.Null(register.FindPolicy("TimeZone"));
        Assert.Equal(4, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void A_policy_write_on_a_value_another_writer_has_changed_is_a_conflict_and_writes_nothing()
    {
        var register = New();
        register.WritePolicy("CertificateMaxAgeMonths", null, "36", new AuditEvent("Policy.Set", "Policy", "CertificateMaxAgeMonths"));

        // The writer read nothing stored (or 30), but 36 is there now: its Before would be untrue.
        Assert.Throws<RegisterConflictException>(() => register.WritePolicy("CertificateMaxAgeMonths", null, "40", new AuditEvent("Policy.Set", "Policy", "CertificateMaxAgeMonths")));
        Assert.Throws<RegisterConflictException>(() => register.WritePolicy("certificatemaxagemonths", "30", null, new AuditEvent("Policy.Set", "Policy", "CertificateMaxAgeMonths")));
        Assert.Throws<RegisterConflictException>(() => register.WritePolicy("TimeZone", "Europe/Paris", "Europe/Rome", new AuditEvent("Policy.Set", "Policy", "TimeZone")));

        Assert.Equal("36", Assert.Single(register.ReadPolicy()).Value);
        Assert.Equal(1, register.ReadAuditHead()!.Sequence);
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

    private static DataShareHolding Holding(string id, string agreementId, string container, DateTime due) => new()
    {
        Id = id,
        AgreementId = agreementId,
        Kind = HoldingKind.BlobContainer,
        Location = "https://contosodata.blob.core.windows.net/" + container,
        StorageAccount = "contosodata",
        Container = container,
        DueOn = due,
        RegisteredAt = new DateTimeOffset(2026, 3, 1, 10, 0, 0, 456, TimeSpan.Zero),
        RegisteredBy = "alice",
    };

    private static DataShareTransfer Transfer(string id, string agreementId, string holdingId, string container, DateTimeOffset issued) => new()
    {
        Id = id,
        AgreementId = agreementId,
        HoldingId = holdingId,
        StorageAccount = "contosodata",
        BlobEndpoint = "https://contosodata.blob.core.windows.net",
        Container = container,
        Files = new[] { new TransferFile { Name = "a/b \"c\".csv", Size = 5_000_000_000, Sha256 = new string('a', 64), Uri = new DataShareLink(new Uri("https://x/y?sig=SECRET")) } },
        TotalBytes = 5_000_000_000,
        RecipientIds = new[] { "RC-0000000001", "RC-0000000002" },
        LinkKind = TransferLinkKind.StoredAccessPolicy,
        AccessPolicyId = id,
        AllowedIpRange = "203.0.113.0-203.0.113.255",
        StartsOn = issued.AddMinutes(-5),
        ExpiresOn = issued.AddDays(3),
        IssuedAt = issued,
        IssuedBy = "alice",
        Uri = new DataShareLink(new Uri("https://x/y?sig=SECRET")),
    };

    [Fact]
    public void A_transfer_and_its_holding_round_trip_every_field_but_the_link()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var issued = new DateTimeOffset(2026, 3, 1, 10, 0, 0, 789, TimeSpan.Zero);
        var holding = Holding("HD-0000000001", "DS1", "dsa-ds1-tr-0000000001", new DateTime(2026, 3, 6));
        var written = Transfer("TR-0000000001", "DS1", holding.Id, holding.Container!, issued);
        register.InsertTransfer(written, holding, new AuditEvent("Transfer.Issue", "Transfer", written.Id));

        var read = register.FindTransfer("TR-0000000001")!;
        Assert.Equal((1L, 1L), (read.Version, holding.Version));
        Assert.Equal(
            (written.AgreementId, written.HoldingId, written.StorageAccount, written.BlobEndpoint, written.Container, written.TotalBytes, written.LinkKind, written.AccessPolicyId, written.AllowedIpRange, written.StartsOn, written.ExpiresOn, written.IssuedAt, written.IssuedBy),
            (read.AgreementId, read.HoldingId, read.StorageAccount, read.BlobEndpoint, read.Container, read.TotalBytes, read.LinkKind, read.AccessPolicyId, read.AllowedIpRange, read.StartsOn, read.ExpiresOn, read.IssuedAt, read.IssuedBy));
        Assert.Equal(written.RecipientIds, read.RecipientIds);
        var file = Assert.Single(read.Files);
        Assert.Equal(("a/b \"c\".csv", 5_000_000_000L, new string('a', 64)), (file.Name, file.Size, file.Sha256));
        Assert.Null(file.Uri);
        Assert.Null(read.Uri);
        Assert.Null(read.RevokedAt);

        var readHolding = register.FindHolding("HD-0000000001")!;
        Assert.Equal(
            (holding.AgreementId, holding.Kind, holding.Location, holding.StorageAccount, holding.Container, holding.Prefix, holding.DueOn, holding.RegisteredAt, holding.RegisteredBy, 1L),
            (readHolding.AgreementId, readHolding.Kind, readHolding.Location, readHolding.StorageAccount, readHolding.Container, readHolding.Prefix, readHolding.DueOn, readHolding.RegisteredAt, readHolding.RegisteredBy, readHolding.Version));
        Assert.Equal("Transfer.Issue", register.ReadAuditLog(0).Last().Action);
    }

    [Fact]
    public void Transfers_and_holdings_list_by_agreement_in_order()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        register.InsertAgreement(Agreement("DS2"), Event("Agreement.Create", "DS2"));
        var start = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        register.InsertTransfer(Transfer("TR-000000000B", "DS1", "HD-000000000B", "c-b", start.AddHours(2)), Holding("HD-000000000B", "DS1", "c-b", new DateTime(2026, 3, 9)), new AuditEvent("Transfer.Issue", "Transfer", "B"));
        register.InsertTransfer(Transfer("TR-000000000A", "DS2", "HD-000000000A", "c-a", start.AddHours(1)), Holding("HD-000000000A", "DS2", "c-a", new DateTime(2026, 3, 8)), new AuditEvent("Transfer.Issue", "Transfer", "A"));
        register.InsertTransfer(Transfer("TR-000000000C", "DS1", "HD-000000000C", "c-c", start.AddHours(3)), Holding("HD-000000000C", "DS1", "c-c", new DateTime(2026, 3, 7)), new AuditEvent("Transfer.Issue", "Transfer", "C"));

        Assert.Equal(new[] { "TR-000000000A", "TR-000000000B", "TR-000000000C" }, register.ListTransfers(null).Select(t => t.Id));
        Assert.Equal(new[] { "TR-000000000B", "TR-000000000C" }, register.ListTransfers("DS1").Select(t => t.Id));
        Assert.Empty(register.ListTransfers("DS9"));
        Assert.Equal(new[] { "HD-000000000C", "HD-000000000A", "HD-000000000B" }, register.ListHoldings(null).Select(h => h.Id));
        Assert.Equal(new[] { "HD-000000000C", "HD-000000000B" }, register.ListHoldings("DS1").Select(h => h.Id));
        Assert.Null(register.FindTransfer("TR-9999999999"));
        Assert.Null(register.FindHolding("HD-9999999999"));
    }

    [Fact]
    public void A_second_link_on_a_holding_moves_its_due_day_and_a_stale_holding_version_is_a_conflict()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var start = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var holding = Holding("HD-0000000001", "DS1", "c-1", new DateTime(2026, 3, 6));
        register.InsertTransfer(Transfer("TR-0000000001", "DS1", holding.Id, "c-1", start), holding, new AuditEvent("Transfer.Issue", "Transfer", "1"));

        var stale = register.FindHolding(holding.Id)!;
        var current = register.FindHolding(holding.Id)!;
        current.DueOn = new DateTime(2026, 3, 10);
        register.InsertTransfer(Transfer("TR-0000000002", "DS1", holding.Id, "c-1", start.AddDays(1)), current, new AuditEvent("Transfer.Issue", "Transfer", "2"));
        Assert.Equal((new DateTime(2026, 3, 10), 2L), (register.FindHolding(holding.Id)!.DueOn, register.FindHolding(holding.Id)!.Version));

        var auditBefore = register.ReadAuditHead()!.Sequence;
        stale.DueOn = new DateTime(2026, 3, 20);
        Assert.Throws<RegisterConflictException>(() =>
            register.InsertTransfer(Transfer("TR-0000000003", "DS1", holding.Id, "c-1", start.AddDays(2)), stale, new AuditEvent("Transfer.Issue", "Transfer", "3")));
        Assert.Null(register.FindTransfer("TR-0000000003"));
        Assert.Equal(auditBefore, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void A_revocation_is_written_with_the_holding_and_a_stale_transfer_version_is_a_conflict()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var start = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var holding = Holding("HD-0000000001", "DS1", "c-1", new DateTime(2026, 3, 6));
        register.InsertTransfer(Transfer("TR-0000000001", "DS1", holding.Id, "c-1", start), holding, new AuditEvent("Transfer.Issue", "Transfer", "1"));

        var stale = register.FindTransfer("TR-0000000001")!;
        var transfer = register.FindTransfer("TR-0000000001")!;
        transfer.RevokedAt = start.AddHours(1);
        transfer.RevokedBy = "bob";
        var due = register.FindHolding(holding.Id)!;
        due.DueOn = new DateTime(2026, 3, 3);
        register.UpdateTransfer(transfer, due, new AuditEvent("Transfer.Revoke", "Transfer", transfer.Id));

        var read = register.FindTransfer("TR-0000000001")!;
        Assert.Equal((start.AddHours(1), "bob", 2L), (read.RevokedAt, read.RevokedBy, read.Version));
        Assert.Equal(new DateTime(2026, 3, 3), register.FindHolding(holding.Id)!.DueOn);

        stale.RevokedAt = start.AddHours(2);
        Assert.Throws<RegisterConflictException>(() => register.UpdateTransfer(stale, register.FindHolding(holding.Id)!, new AuditEvent("Transfer.Revoke", "Transfer", stale.Id)));
        Assert.Equal(start.AddHours(1), register.FindTransfer("TR-0000000001")!.RevokedAt);
    }

    [Fact]
    public void A_transfer_id_used_twice_is_refused_with_nothing_written()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var start = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        register.InsertTransfer(Transfer("TR-0000000001", "DS1", "HD-0000000001", "c-1", start), Holding("HD-0000000001", "DS1", "c-1", new DateTime(2026, 3, 6)), new AuditEvent("Transfer.Issue", "Transfer", "1"));
        var head = register.ReadAuditHead()!.Sequence;

        var error = Assert.Throws<DataShareException>(() => register.InsertTransfer(Transfer("TR-0000000001", "DS1", "HD-0000000002", "c-2", start), Holding("HD-0000000002", "DS1", "c-2", new DateTime(2026, 3, 6)), new AuditEvent("Transfer.Issue", "Transfer", "1")));
        Assert.Equal("TransferExists", error.ErrorId);
        Assert.Null(register.FindHolding("HD-0000000002"));
        Assert.Equal(head, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void A_registered_holding_is_held_until_a_verified_destruction_record_is_written_with_it()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var holding = Holding("HD-0000000001", "DS1", "data", new DateTime(2026, 3, 6));
        holding.Kind = HoldingKind.BlobPrefix;
        holding.Prefix = "share-12/";
        holding.Location += "/share-12/";
        register.InsertHolding(holding, new AuditEvent("Holding.Register", "Holding", holding.Id));
        register.InsertHolding(Holding("HD-0000000002", "DS1", "other", new DateTime(2026, 3, 1)), new AuditEvent("Holding.Register", "Holding", "HD-0000000002"));
        Assert.Equal(new[] { "HD-0000000002", "HD-0000000001" }, register.ListHeldHoldings().Select(h => h.Id));

        var read = register.FindHolding(holding.Id)!;
        Assert.Equal((HoldingKind.BlobPrefix, "share-12/", HoldingState.Held, (DateTimeOffset?)null), (read.Kind, read.Prefix, read.State, read.DestroyedAt));

        var record = new DestructionRecord
        {
            Id = "DR-0000000001",
            HoldingId = holding.Id,
            AgreementId = "DS1",
            Location = holding.Location,
            Outcome = DestructionOutcome.Blocked,
            Reason = "1 object(s) kept by BlobImmutableDueToLegalHold",
            ObjectsDeleted = 3,
            BytesDeleted = 5_000_000_000,
            ObjectsRemaining = 1,
            Verified = false,
            SoftDelete = "On (7 days)",
            RecoverableUntil = new DateTimeOffset(2026, 3, 8, 10, 0, 0, TimeSpan.Zero),
            StartedAt = new DateTimeOffset(2026, 3, 1, 10, 0, 0, 1, TimeSpan.Zero),
            FinishedAt = new DateTimeOffset(2026, 3, 1, 10, 0, 5, 2, TimeSpan.Zero),
            Operator = "alice",
            Machine = "sweeper",
            AsOf = new DateTime(2026, 3, 1),
        };
        register.InsertDestruction(record, read, new AuditEvent("Holding.Destroy", "Holding", holding.Id));
        Assert.Equal(HoldingState.Held, register.FindHolding(holding.Id)!.State);

        var destroyed = register.FindHolding(holding.Id)!;
        destroyed.State = HoldingState.Destroyed;
        destroyed.DestroyedAt = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var second = new DestructionRecord { Id = "DR-0000000002", HoldingId = holding.Id, AgreementId = "DS1", Location = holding.Location, Verified = true, SoftDelete = "Off", Operator = "bob", Machine = "m", AsOf = new DateTime(2026, 3, 2), StartedAt = destroyed.DestroyedAt.Value, FinishedAt = destroyed.DestroyedAt.Value };
        register.InsertDestruction(second, destroyed, new AuditEvent("Holding.Destroy", "Holding", holding.Id));

        Assert.Equal(new[] { "HD-0000000002" }, register.ListHeldHoldings().Select(h => h.Id));
        Assert.Equal((HoldingState.Destroyed, destroyed.DestroyedAt), (register.FindHolding(holding.Id)!.State, register.FindHolding(holding.Id)!.DestroyedAt));
        var records = register.ListDestructions("DS1").ToList();
        Assert.Equal(new[] { "DR-0000000001", "DR-0000000002" }, records.Select(r => r.Id));
        var first = records[0];
        Assert.Equal(
            (record.Outcome, record.Reason, record.ObjectsDeleted, record.BytesDeleted, record.ObjectsRemaining, record.Verified, record.SoftDelete, record.RecoverableUntil, record.StartedAt, record.FinishedAt, record.Operator, record.Machine, record.AsOf),
            (first.Outcome, first.Reason, first.ObjectsDeleted, first.BytesDeleted, first.ObjectsRemaining, first.Verified, first.SoftDelete, first.RecoverableUntil, first.StartedAt, first.FinishedAt, first.Operator, first.Machine, first.AsOf));
        Assert.Empty(register.ListDestructions("DS2"));
    }

    [Fact]
    public void A_destruction_written_against_a_stale_holding_is_a_conflict_and_writes_nothing()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        register.InsertHolding(Holding("HD-0000000001", "DS1", "data", new DateTime(2026, 3, 6)), new AuditEvent("Holding.Register", "Holding", "HD-0000000001"));
        var stale = register.FindHolding("HD-0000000001")!;
        var fresh = register.FindHolding("HD-0000000001")!;
        fresh.DueOn = new DateTime(2026, 3, 9);
        register.InsertTransfer(Transfer("TR-0000000001", "DS1", fresh.Id, "data", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)), fresh, new AuditEvent("Transfer.Issue", "Transfer", "TR-0000000001"));
        var head = register.ReadAuditHead()!.Sequence;

        stale.State = HoldingState.Destroyed;
        Assert.Throws<RegisterConflictException>(() => register.InsertDestruction(
            new DestructionRecord { Id = "DR-0000000001", HoldingId = stale.Id, AgreementId = "DS1", Location = stale.Location, SoftDelete = "Off", Operator = "a", Machine = "m" },
            stale, new AuditEvent("Holding.Destroy", "Holding", stale.Id)));
        Assert.Empty(register.ListDestructions(null));
        Assert.Equal(HoldingState.Held, register.FindHolding(stale.Id)!.State);
        Assert.Equal(head, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void A_confirmation_is_recorded_once()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        Assert.Null(register.FindConfirmation("DS1"));
        var confirmation = new DestructionConfirmation
        {
            AgreementId = "DS1",
            ConfirmedBy = "DPO <dpo@example.org>",
            ConfirmedOn = new DateTime(2026, 2, 1),
            Evidence = "Letter 2026/77",
            RecordedAt = new DateTimeOffset(2026, 2, 2, 9, 0, 0, 5, TimeSpan.Zero),
            RecordedBy = "alice",
        };
        register.InsertConfirmation(confirmation, new AuditEvent("Agreement.ConfirmDestruction", "Agreement", "DS1"));

        register.InsertAgreement(Agreement("DS0"), Event("Agreement.Create", "DS0"));
        Assert.Single(register.ListConfirmations());
        register.InsertConfirmation(new DestructionConfirmation { AgreementId = "DS0", ConfirmedBy = "DPO", ConfirmedOn = new DateTime(2026, 2, 3), RecordedAt = confirmation.RecordedAt, RecordedBy = "alice" },
            new AuditEvent("Agreement.ConfirmDestruction", "Agreement", "DS0"));
        Assert.Equal(new[] { "DS0", "DS1" }, register.ListConfirmations().Select(c => c.AgreementId));

        var read = register.FindConfirmation("ds1")!;
        Assert.Equal((confirmation.ConfirmedBy, confirmation.ConfirmedOn, confirmation.Evidence, confirmation.RecordedAt, confirmation.RecordedBy),
            (read.ConfirmedBy, read.ConfirmedOn, read.Evidence, read.RecordedAt, read.RecordedBy));
        var head = register.ReadAuditHead()!.Sequence;
        Assert.Equal("DestructionAlreadyConfirmed", Assert.Throws<DataShareException>(() => register.InsertConfirmation(confirmation, new AuditEvent("Agreement.ConfirmDestruction", "Agreement", "DS1"))).ErrorId);
        Assert.Equal(head, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void Only_one_sweep_lock_is_held_at_a_time_across_writers()
    {
        var first = New("shared");
        var second = New("shared");

        using (var held = first.TryLockSweep())
        {
            Assert.NotNull(held);
            Assert.Null(second.TryLockSweep());
            Assert.Null(first.TryLockSweep());
        }

        using var next = second.TryLockSweep();
        Assert.NotNull(next);
    }

    [Fact]
    public void Organisations_are_unique_by_name_in_any_case_follow_renames_and_list_by_name()
    {
        var register = New();
        var zeta = Organisation("OR-ZZZZZZZZZZ", "Zeta Trust");
        var alpha = Organisation("OR-AAAAAAAAAA", "alpha Institute");
        register.InsertOrganisation(zeta, Event("Organisation.Create", zeta.Id));
        register.InsertOrganisation(alpha, Event("Organisation.Create", alpha.Id));
        Assert.Equal(1, zeta.Version);

        var duplicate = Assert.Throws<DataShareException>(() => register.InsertOrganisation(Organisation("OR-BBBBBBBBBB", "ZETA TRUST"), Event("Organisation.Create", "x")));
        Assert.Equal("OrganisationExists", duplicate.ErrorId);
        Assert.Equal(new[] { "alpha Institute", "Zeta Trust" }, register.ListOrganisations().Select(o => o.Name));
        Assert.Equal(zeta.Id, register.FindOrganisationByName("zeta trust")!.Id);

        var agreement = Agreement("DS1");
        agreement.OrganisationId = zeta.Id;
        agreement.Organisation = zeta.Name;
        register.InsertAgreement(agreement, Event("Agreement.Create", "DS1"));
        Assert.Equal("Zeta Trust", register.FindAgreement("DS1")!.Organisation);
        zeta.Name = "Zeta Research Trust";
        register.UpdateOrganisation(zeta, Event("Organisation.Update", zeta.Id));
        Assert.Equal(2, zeta.Version);
        Assert.Equal("Zeta Research Trust", register.FindAgreement("DS1")!.Organisation);
        Assert.Null(register.FindOrganisationByName("Zeta Trust"));
        Assert.Equal(zeta.Id, register.FindOrganisationByName("ZETA research trust")!.Id);

        zeta.Name = "Alpha institute";
        Assert.Equal("OrganisationExists", Assert.Throws<DataShareException>(() => register.UpdateOrganisation(zeta, Event("Organisation.Update", zeta.Id))).ErrorId);
        var stale = register.FindOrganisation(alpha.Id)!;
        stale.Version = 7;
        Assert.Throws<RegisterConflictException>(() => register.UpdateOrganisation(stale, Event("Organisation.Update", alpha.Id)));
        Assert.Equal(4, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void Assessments_list_by_organisation_and_day_and_a_reference_is_used_once_per_organisation()
    {
        var register = New();
        var one = Organisation("OR-AAAAAAAAAA", "One");
        var two = Organisation("OR-BBBBBBBBBB", "Two");
        register.InsertOrganisation(one, Event("Organisation.Create", one.Id));
        register.InsertOrganisation(two, Event("Organisation.Create", two.Id));
        register.InsertAssessment(Assessment("SA-0000000002", two, "2026-02-01", "R1"), Event("Organisation.Assessment", two.Id));
        register.InsertAssessment(Assessment("SA-0000000001", one, "2026-03-01", "R2"), Event("Organisation.Assessment", one.Id));
        register.InsertAssessment(Assessment("SA-0000000003", one, "2025-03-01", "R1"), Event("Organisation.Assessment", one.Id));

        var error = Assert.Throws<DataShareException>(() => register.InsertAssessment(Assessment("SA-0000000004", one, "2026-04-01", "r2"), Event("Organisation.Assessment", one.Id)));
        Assert.Equal("AssessmentExists", error.ErrorId);

        Assert.Equal(new[] { "SA-0000000003", "SA-0000000001" }, register.ListAssessments(one.Id).Select(a => a.Id));
        Assert.Equal(new[] { "SA-0000000003", "SA-0000000001", "SA-0000000002" }, register.ListAssessments(null).Select(a => a.Id));
        var read = register.ListAssessments(two.Id).Single();
        Assert.Equal(("Two", new DateTime(2026, 2, 1), new DateTime(2027, 2, 1), AssessmentOutcome.Passed, "R1"), (read.Organisation, read.AssessedOn, read.ValidUntil, read.Outcome, read.Reference));
        Assert.Equal(5, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void A_person_s_directory_account_shows_on_every_place_and_an_event_alone_is_audited()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        register.InsertAgreement(Agreement("DS2"), Event("Agreement.Create", "DS2"));
        var person = new DataSharePerson { Id = "PE-AAAAAAAAAA", Name = "Jo", Email = "jo@example.org", NormalisedEmail = "jo@example.org", CreatedAt = Clock.UtcNow };
        register.InsertRecipient(Recipient("RC-AAAAAAAAAA", "DS1", person.Id), person, Event("Recipient.Add", "RC-AAAAAAAAAA"));
        register.InsertRecipient(Recipient("RC-BBBBBBBBBB", "DS2", person.Id), null, Event("Recipient.Add", "RC-BBBBBBBBBB"));

        register.SetPersonDirectoryId(person.Id, "6f2d1c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6", Event("Person.Resolve", person.Id));
        register.AppendAudit(Event("Access.Revoke", "RC-AAAAAAAAAA"));

        Assert.Equal("6f2d1c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6", register.FindPerson(person.Id)!.DirectoryObjectId);
        Assert.All(register.ListRecipients(null, includeRemoved: true), r => Assert.Equal("6f2d1c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6", r.DirectoryObjectId));
        Assert.Equal("6f2d1c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6", register.FindRecipient("RC-BBBBBBBBBB")!.DirectoryObjectId);
        Assert.Equal("PersonNotFound", Assert.Throws<DataShareException>(() => register.SetPersonDirectoryId("PE-ZZZZZZZZZZ", null, Event("Person.Resolve", "x"))).ErrorId);
        var entries = register.ReadAuditLog(1).ToList();
        Assert.Equal(new[] { "Agreement.Create", "Agreement.Create", "Recipient.Add", "Recipient.Add", "Person.Resolve", "Access.Revoke" }, entries.Select(e => e.Action));
        Assert.True(AuditVerifier.Verify(entries, register.ReadAuditHead()).IsIntact);
    }

    [Fact]
    public void Two_writers_at_once_lose_nothing_and_keep_one_chain()
    {
        var first = New("shared");
        var second = New("shared");
        const int each = 15;

        System.Threading.Tasks.Parallel.For(0, 2, w =>
        {
            var register = w == 0 ? first : second;
            for (var i = 0; i < each; i++)
            {
                register.InsertAgreement(Agreement($"W{w}N{i}"), Event("Agreement.Create", $"W{w}N{i}"));
            }
        });

        Assert.Equal(2 * each, first.ListAgreements().Count());
        var entries = second.ReadAuditLog(1).ToList();
        Assert.Equal(Enumerable.Range(1, 2 * each).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.True(AuditVerifier.Verify(entries, first.ReadAuditHead()).IsIntact);
    }

    private static DataShareOrganisation Organisation(string id, string name) => new()
    {
        Id = id,
        Name = name,
        Address = "1 Road",
        CreatedAt = new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero),
        CreatedBy = "alice",
        ModifiedAt = new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.Zero),
    };

    private SecurityAssessment Assessment(string id, DataShareOrganisation organisation, string assessedOn, string reference) => new()
    {
        Id = id,
        OrganisationId = organisation.Id,
        Organisation = organisation.Name,
        AssessedOn = DateTime.Parse(assessedOn, System.Globalization.CultureInfo.InvariantCulture),
        ValidUntil = DateTime.Parse(assessedOn, System.Globalization.CultureInfo.InvariantCulture).AddYears(1),
        Outcome = AssessmentOutcome.Passed,
        Reference = reference,
        RecordedAt = Clock.UtcNow,
        RecordedBy = "alice",
    };

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
