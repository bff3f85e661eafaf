using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Organisations;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.SafePeople;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Length limits on every free-text field, the same on every backend: one character over is refused with the
/// record's <c>&lt;Noun&gt;FieldTooLong</c> error before anything is written; exactly at the limit is stored. And a
/// record with every field at its limit at once, in characters JSON must escape, is stored and read back whole.
/// </summary>
public abstract class TextLimitContract : IDisposable
{
    protected static readonly DateTimeOffset Now = new(2026, 6, 15, 9, 30, 0, TimeSpan.Zero);

    private readonly List<DataShareEngine> engines = new();
    private readonly FakeHost host = new();

    /// <summary>One free-text field: its limit, the error id over it, and how a user sets it.</summary>
    private sealed record Field(int Max, string ErrorId, Action<DataShareEngine, string, FakeHost> Apply);

    private static readonly Dictionary<string, Field> Fields = new()
    {
        ["Agreement.Title"] = new(300, "AgreementFieldTooLong", (e, v, h) => e.Agreements.Create(With(Fresh(), a => a.Title = v), h)),
        ["Agreement.Purpose"] = new(4000, "AgreementFieldTooLong", (e, v, h) => e.Agreements.Create(With(Fresh(), a => a.Purpose = v), h)),
        ["Agreement.LegalGateway"] = new(1000, "AgreementFieldTooLong", (e, v, h) => e.Agreements.Create(With(Fresh(), a => a.LegalGateway = v), h)),
        ["Agreement.LawfulBasis"] = new(500, "AgreementFieldTooLong", (e, v, h) => e.Agreements.Create(With(Fresh(), a => a.LawfulBasis = v), h)),
        ["Agreement.DirectTransferJustification"] = new(4000, "AgreementFieldTooLong", (e, v, h) => e.Agreements.Create(With(Fresh(), a => a.DirectTransferJustification = v), h)),
        ["Agreement.OfficerName"] = new(200, "AgreementFieldTooLong", (e, v, h) => e.Agreements.Create(With(Fresh(), a => a.OfficerName = v), h)),
        ["Agreement.DataItem"] = new(100, "AgreementFieldTooLong", (e, v, h) => e.Agreements.Create(With(Fresh(), a => a.DataItems = new[] { new DataItem(v, "B", 3) }), h)),
        ["Agreement.DataItems"] = new(200, "AgreementFieldTooLong", (e, v, h) => e.Agreements.Create(With(Fresh(), a => a.DataItems = Items(v.Length, "i")), h)),
        ["Agreement.AccessGroupIds"] = new(50, "AgreementFieldTooLong", (e, v, h) => e.Agreements.Create(With(Fresh(), a => a.AccessGroupIds = Groups(v.Length, 1)), h)),
        ["Agreement.Update.Purpose"] = new(4000, "AgreementFieldTooLong", (e, v, h) => e.Agreements.Update("DS1", new AgreementChanges { Purpose = v }, h)),
        ["Agreement.Approve.Reference"] = new(100, "AgreementFieldTooLong", (e, v, h) => e.Agreements.Approve("DS1", v, Now.UtcDateTime.Date, Samples.Decision(), h)),
        ["Organisation.Name"] = new(200, "OrganisationFieldTooLong", (e, v, h) => e.Organisations.Create(v, null, null, null, h)),
        ["Organisation.Address"] = new(500, "OrganisationFieldTooLong", (e, v, h) => e.Organisations.Create("Org " + Guid.NewGuid().ToString("N"), v, null, null, h)),
        ["Organisation.ProtectionOfficerName"] = new(200, "OrganisationFieldTooLong", (e, v, h) => e.Organisations.Create("Org " + Guid.NewGuid().ToString("N"), null, v, null, h)),
        ["Organisation.Update.Address"] = new(500, "OrganisationFieldTooLong", (e, v, h) => e.Organisations.Update(Samples.OrganisationName, new OrganisationChanges { Address = v }, h)),
        ["Assessment.Reference"] = new(100, "AssessmentFieldTooLong", (e, v, h) => e.Organisations.AddAssessment(new AssessmentRequest { Organisation = Samples.OrganisationName, AssessedOn = new DateTime(2026, 1, 1), Outcome = AssessmentOutcome.Passed, Reference = v }, h)),
        ["Recipient.Name"] = new(200, "RecipientFieldTooLong", (e, v, h) => e.Recipients.Add("DS1", v, Guid.NewGuid().ToString("N") + "@example.org", null, h)),
        ["Recipient.Role"] = new(200, "RecipientFieldTooLong", (e, v, h) => e.Recipients.Add("DS1", "Sam", Guid.NewGuid().ToString("N") + "@example.org", v, h)),
        ["Recipient.Update.Name"] = new(200, "RecipientFieldTooLong", (e, v, h) => e.Recipients.Update(Jo(e).Id, new RecipientChanges { Name = v }, h)),
        ["Recipient.Update.Role"] = new(200, "RecipientFieldTooLong", (e, v, h) => e.Recipients.Update(Jo(e).Id, new RecipientChanges { Role = v }, h)),
        ["Recipient.Remove.Reason"] = new(1000, "RecipientFieldTooLong", (e, v, h) => e.Recipients.Remove(e.Recipients.Find("DS1", false).First(r => r.Email == "leaver@example.org").Id, v, h)),
        ["Certificate.HolderName"] = new(200, "CertificateFieldTooLong", (e, v, h) => e.Certificates.Add("jo@example.org", Draft(d => d.HolderName = v), h)),
        ["Certificate.SeenOriginalBy"] = new(200, "CertificateFieldTooLong", (e, v, h) => e.Certificates.Add("jo@example.org", Draft(d => d.SeenOriginalBy = v), h)),
        ["Certificate.Update.HolderName"] = new(200, "CertificateFieldTooLong", (e, v, h) => e.Certificates.Update(JoCertificate(e).Id, new CertificateChanges { HolderName = v }, h)),
        ["Certificate.Remove.Reason"] = new(1000, "CertificateFieldTooLong", (e, v, h) => e.Certificates.Remove(e.Register.ListCertificates(Jo(e).PersonId).Last().Id, v, h)),
        ["Holding.Location"] = new(2048, "HoldingFieldTooLong", (e, v, h) => e.Retention.Register("DS1", Folder(v), h, allowMissing: true)),
        ["DestructionConfirmation.ConfirmedBy"] = new(200, "DestructionConfirmationFieldTooLong", (e, v, h) => e.Retention.Confirm("DS9", v, new DateTime(2026, 6, 1), null, h)),
        ["DestructionConfirmation.Evidence"] = new(2000, "DestructionConfirmationFieldTooLong", (e, v, h) => e.Retention.Confirm("DS9", "DPO", new DateTime(2026, 6, 1), v, h)),
        ["Policy.DbsOrganisationName"] = new(1000, "PolicyFieldTooLong", (e, v, h) => e.Policy.Set("DbsOrganisationName", v, h)),
    };

    public static TheoryData<string> FieldNames => new(Fields.Keys);

    /// <summary>An engine over a fresh, empty register of this backend.</summary>
    protected abstract DataShareEngine OpenEngine();

    /// <summary>Checks what the backend stored against its own limits (the Table register: row, property and batch sizes).</summary>
    protected virtual void AssertWithinStorageLimits(DataShareEngine engine)
    {
    }

    protected virtual void Cleanup()
    {
    }

    [Theory]
    [MemberData(nameof(FieldNames))]
    public void One_character_over_the_limit_is_refused_and_nothing_is_written_while_the_limit_itself_is_stored(string name)
    {
        var field = Fields[name];
        var engine = Prepared();
        var head = engine.Register.ReadAuditHead()!.ToString();

        var error = Assert.Throws<DataShareException>(() => field.Apply(engine, Text(field.Max + 1, 'a'), host));

        Assert.Equal((field.ErrorId, DataShareErrorCategory.LimitsExceeded), (error.ErrorId, error.Category));
        Assert.Contains(name.Split('.').Last(), error.Message, StringComparison.Ordinal);
        Assert.Equal(head, engine.Register.ReadAuditHead()!.ToString());

        field.Apply(engine, Text(field.Max, 'a'), host);
        Assert.NotEqual(head, engine.Register.ReadAuditHead()!.ToString());
    }

    [Theory]
    [InlineData("Agreement.Title", "AgreementFieldInvalid")]
    [InlineData("Recipient.Name", "RecipientFieldInvalid")]
    [InlineData("Certificate.HolderName", "CertificateFieldInvalid")]
    [InlineData("Organisation.Address", "OrganisationFieldInvalid")]
    public void Half_a_surrogate_pair_is_refused_rather_than_stored_as_something_else(string name, string errorId)
    {
        var engine = Prepared();
        var head = engine.Register.ReadAuditHead()!.ToString();

        var error = Assert.Throws<DataShareException>(() => Fields[name].Apply(engine, "Before \uD83D after", host));

        Assert.Equal((errorId, DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Equal(head, engine.Register.ReadAuditHead()!.ToString());
        Fields[name].Apply(engine, "A whole pair \uD83D\uDE00 is fine", host);
    }

    [Fact]
    public void A_register_with_every_field_of_every_record_at_its_limit_at_once_is_stored_and_read_back_whole()
    {
        var engine = Prepared();

        // Organisation: created at every limit, then every field changed to another value at its limit.
        var organisation = engine.Organisations.Create(Text(200, 'é'), Text(500, '<'), Text(200, '>'), Email('+'), host)!;
        organisation = engine.Organisations.Update(organisation.Id, new OrganisationChanges { Name = Text(200, '&'), Address = Text(500, 'ü'), ProtectionOfficerName = Text(200, '"'), ProtectionOfficerEmail = Email('&') }, host)!;
        engine.Organisations.AddAssessment(new AssessmentRequest { Organisation = organisation.Id, AssessedOn = new DateTime(2026, 1, 1), Outcome = AssessmentOutcome.Passed, Reference = Text(100, '\'') }, host);

        // Agreement: created at every limit, every field changed, approved with the longest reference.
        var agreement = Largest("DSMAX", organisation.Id, 'é', 1);
        engine.Agreements.Create(agreement, host);
        engine.Agreements.Update("DSMAX", new AgreementChanges
        {
            Title = Text(300, 'ö'), Purpose = Text(4000, '<'), LegalGateway = Text(1000, '>'), LawfulBasis = Text(500, '&'),
            DirectTransferJustification = Text(4000, '\''), OfficerName = Text(200, '+'), OfficerEmail = Email('\''),
            DataItems = Items(TextLimits.DataItems, "<"), AccessGroupIds = Groups(TextLimits.AccessGroups, 2),
        }, host);
        engine.Agreements.Approve("DSMAX", Text(100, 'ß'), new DateTime(2026, 1, 2), Samples.Decision(), host);

        // A recipient, their certificate and a holding at every limit; the recipient and certificate changed and removed.
        var recipient = engine.Recipients.Add("DSMAX", Text(200, 'é'), Email('~'), Text(200, '<'), host)!;
        engine.Recipients.Update(recipient.Id, new RecipientChanges { Name = Text(200, '>'), Role = Text(200, '&') }, host);
        var certificate = engine.Certificates.Add(recipient.Id, Draft(d => { d.HolderName = Text(200, 'ñ'); d.SeenOriginalBy = Text(200, '<'); d.SeenOriginalOn = new DateTime(2026, 6, 1); }), host)!;
        engine.Certificates.Update(certificate.Id, new CertificateChanges { HolderName = Text(200, 'ç'), SeenOriginalBy = Text(200, '>') }, host);
        engine.Retention.Register("DSMAX", Folder(Text(TextLimits.Location, 'é')), host, allowMissing: true);
        engine.Certificates.Remove(certificate.Id, Text(1000, '<'), host);
        engine.Recipients.Remove(recipient.Id, Text(1000, '>'), host);

        // An ended agreement at every limit, its destruction confirmed at every limit; a policy value at its limit.
        var ended = Largest("DSENDED", organisation.Id, 'ø', 3);
        ended.StartsOn = new DateTime(2025, 1, 1);
        ended.EndsOn = new DateTime(2026, 3, 31);
        engine.Agreements.Create(ended, host);
        engine.Retention.Confirm("DSENDED", Text(200, 'é'), new DateTime(2026, 6, 1), Text(2000, '<'), host);
        engine.Policy.Set("DbsOrganisationName", Text(1000, 'é'), host);

        var read = engine.Agreements.Get("DSMAX");
        Assert.Equal((Text(300, 'ö'), Text(4000, '<'), Text(1000, '>'), Text(500, '&'), Text(4000, '\''), Text(100, 'ß')),
            (read.Title, read.Purpose, read.LegalGateway, read.LawfulBasis, read.DirectTransferJustification, read.ApprovalReference));
        Assert.Equal(Items(TextLimits.DataItems, "<").Select(i => i.ToString()), read.DataItems.Select(i => i.ToString()));
        Assert.Equal(TextLimits.AccessGroups, read.AccessGroupIds.Length);
        Assert.Equal(Text(200, '&'), engine.Organisations.Get(organisation.Id).Name);
        Assert.Equal(Text(1000, '>'), engine.Recipients.Get(recipient.Id).RemovedReason);
        Assert.Equal(Text(2000, '<'), engine.Register.FindConfirmation("DSENDED")!.Evidence);
        Assert.Equal(Folder(Text(TextLimits.Location, 'é')), engine.Retention.Find("DSMAX", false).Single().Location);

        var audit = engine.Audit.Test(null, host);
        Assert.True(audit.IsIntact, audit.Problem);
        Assert.All(engine.Audit.Read(long.MinValue, null), e => Assert.Null(e.Problem));
        AssertWithinStorageLimits(engine);
    }

    public void Dispose()
    {
        foreach (var engine in engines)
        {
            engine.Dispose();
        }

        Cleanup();
        GC.SuppressFinalize(this);
    }

    /// <summary>A fresh register with the samples' organisation, an active agreement DS1 with Jo (two certificates) and a leaver, and DS9, ended.</summary>
    private DataShareEngine Prepared()
    {
        var engine = OpenEngine();
        engines.Add(engine);

        // One test identity creates and approves: separation of duties (on by default for Tables) is not what is tested here.
        engine.Policy.Set(Policy.PolicyCatalogue.RequireSeparateApprover, "false", host);
        Samples.AddOrganisation(engine);
        engine.Agreements.Create(Samples.Agreement("DS1"), host);
        engine.Agreements.Create(Samples.Agreement("DS9", "2025-01-01", "2026-03-31"), host);
        engine.Recipients.Add("DS1", "Jo", "jo@example.org", null, host);
        engine.Recipients.Add("DS1", "Leaver", "leaver@example.org", null, host);
        engine.Certificates.Add("jo@example.org", Draft(_ => { }), host);
        engine.Certificates.Add("jo@example.org", Draft(_ => { }), host);
        return engine;
    }

    private static DataShareRecipient Jo(DataShareEngine engine) => engine.Recipients.Find("DS1", false).First(r => r.Email == "jo@example.org");

    private static DisclosureCertificate JoCertificate(DataShareEngine engine) => engine.Register.ListCertificates(Jo(engine).PersonId).First();

    private static int drafts;

    private static CertificateDraft Draft(Action<CertificateDraft> set)
    {
        var draft = new CertificateDraft
        {
            Issuer = "DBS",
            Level = "Basic",
            Number = (100_000_000_000L + System.Threading.Interlocked.Increment(ref drafts)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            IssuedOn = new DateTime(2025, 1, 1),
        };
        set(draft);
        return draft;
    }

    private static DataShareAgreement Fresh() => Samples.Agreement("DS" + Guid.NewGuid().ToString("N").Substring(0, 8).ToUpperInvariant());

    private static DataShareAgreement With(DataShareAgreement agreement, Action<DataShareAgreement> set)
    {
        set(agreement);
        return agreement;
    }

    private static DataShareAgreement Largest(string id, string organisationId, char c, int groupSeed) => new()
    {
        Id = id,
        OrganisationId = organisationId,
        Title = Text(300, c),
        Purpose = Text(4000, c),
        LegalGateway = Text(1000, c),
        LawfulBasis = Text(500, c),
        AccessRoute = AccessRoute.DirectTransfer,
        DirectTransferJustification = Text(4000, c),
        OfficerName = Text(200, c),
        OfficerEmail = Email('+'),
        StartsOn = new DateTime(2026, 1, 1),
        EndsOn = new DateTime(2026, 12, 31),
        RetentionDays = 30,
        DataItems = Items(TextLimits.DataItems, c.ToString()),
        AccessGroupIds = Groups(TextLimits.AccessGroups, groupSeed),
    };

    /// <summary>Text of exactly <paramref name="length"/> characters.</summary>
    private static string Text(int length, char c) => new(c, length);

    /// <summary>The longest address the module accepts (254 characters), its local part of a character JSON escapes.</summary>
    private static string Email(char c) => new string(c, 254 - "@mail.example.org".Length) + "@mail.example.org";

    private static DataItem[] Items(int count, string mark) =>
        Enumerable.Range(0, count).Select(i => new DataItem((mark + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).PadRight(TextLimits.DataItemName, mark[0]), "B", 3)).ToArray();

    private static string[] Groups(int count, int seed) =>
        Enumerable.Range(0, count).Select(i => new Guid(seed, (short)i, 0, new byte[8]).ToString("D")).ToArray();

    /// <summary>A full folder path exactly as long as <paramref name="text"/>: the whole path is the limited text.</summary>
    private static string Folder(string text) => "/" + text.Substring(1);
}
