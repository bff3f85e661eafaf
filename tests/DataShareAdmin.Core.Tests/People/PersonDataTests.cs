using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.SafePeople;

namespace DataShareAdmin.Core.Tests.PersonData;

/// <summary>
/// Jo is on two agreements (DS1 with a declaration, DS2 removed), holds a certificate, has training and a directory
/// account and was sent a notice; Sam, on DS1 only, has none of those. Their exports must hold exactly their own records.
/// </summary>
public sealed class PersonDataTests : IDisposable
{
    private const string JoNumber = "001234567890";
    private readonly TestRegister test = new(new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();
    private readonly DataShareRecipient jo;
    private readonly DataShareRecipient joOnTwo;
    private readonly DataShareRecipient sam;

    public PersonDataTests()
    {
        var engine = test.Engine;
        Samples.AddOrganisation(engine, assessedOn: "2026-02-01", validUntil: "2027-12-31");
        engine.Agreements.Create(Samples.Agreement("DS1", "2026-01-01", "2026-12-31"), host);
        engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 1, 1), Samples.Decision(), host);
        engine.Agreements.Create(Samples.Agreement("DS2", "2026-02-01", "2026-11-30"), host);
        jo = engine.Recipients.Add("DS1", "Jo Bloggs", "Jo@Example.org", "Analyst", host)!;
        joOnTwo = engine.Recipients.Add("DS2", "Jo Bloggs", "jo@example.org", null, host)!;
        sam = engine.Recipients.Add("DS1", "Sam Other", "sam@example.org", null, host)!;
        engine.Recipients.Update(jo.Id, new RecipientChanges { DeclarationSignedOn = new DateTime(2026, 1, 10), TrainingCompletedOn = new DateTime(2026, 1, 5) }, host);
        engine.Recipients.Remove(joOnTwo.Id, "Left the project", host);
        engine.Certificates.Add(jo.Id, new CertificateDraft { Issuer = "DBS", Level = "Basic", Number = JoNumber, IssuedOn = new DateTime(2025, 3, 1) }, host);
        engine.Certificates.Add(sam.Id, new CertificateDraft { Issuer = "DBS", Level = "Basic", Number = "009876543210", IssuedOn = new DateTime(2025, 4, 1) }, host);
        engine.Register.SetPersonDirectoryId(jo.PersonId, "6f1c2b1e-0000-4000-8000-000000000001", new AuditEvent("Person.Resolve", "Person", jo.PersonId, new Dictionary<string, string?> { ["ObjectId"] = "6f1c2b1e-0000-4000-8000-000000000001" }));

        // As Send-DataShareNotice records a notice it mailed (sending itself needs the directory).
        engine.Register.AppendAudit(new AuditEvent("Notice.Send", "Notice", jo.Id, new Dictionary<string, string?>
        {
            ["Kind"] = "CertificateLapsing", ["AgreementId"] = "DS1", ["To"] = "jo@example.org", ["Title"] = "Your certificate lapses", ["Due"] = "2027-03-01",
        }));
        engine.Register.AppendAudit(new AuditEvent("Notice.Send", "Notice", sam.Id, new Dictionary<string, string?> { ["Kind"] = "CertificateLapsing", ["To"] = "sam@example.org" }));
    }

    public void Dispose() => test.Dispose();

    private PersonDataDocument Collect(DataSharePerson person) => test.Engine.People.Collect(person, host);

    private static JsonNode Json(PersonDataDocument document)
    {
        using var output = new MemoryStream();
        PersonDataService.WriteJson(document, output);
        return JsonNode.Parse(output.ToArray())!;
    }

    [Fact]
    public void The_json_holds_every_kind_of_record_the_register_holds_about_the_person()
    {
        var json = Json(Collect(test.Engine.People.FindByEmail(" JO@example.org ")));

        Assert.Equal(("datashareadmin-person-data", 1), ((string)json["schema"]!, (int)json["schemaVersion"]!));
        Assert.Equal((jo.PersonId, "Jo Bloggs", "Jo@Example.org"), ((string)json["person"]!["id"]!, (string)json["person"]!["name"]!, (string)json["person"]!["email"]!));

        // Both agreements, the removed place too, each with its agreement.
        var places = json["recipients"]!.AsArray();
        Assert.Equal(new[] { "DS1", "DS2" }, places.Select(p => (string)p!["agreementId"]!).OrderBy(x => x, StringComparer.Ordinal));
        var onDs1 = places.Single(p => (string)p!["agreementId"]! == "DS1")!;
        Assert.Equal(("Analyst", "2026-01-10", "Attainment gaps"), ((string)onDs1["role"]!, (string)onDs1["declarationSignedOn"]!, (string)onDs1["agreementTitle"]!));
        Assert.True((bool)onDs1["readiness"]!["isReady"]!, onDs1["readiness"]!.ToJsonString());
        var onDs2 = places.Single(p => (string)p!["agreementId"]! == "DS2")!;
        Assert.Equal("Left the project", (string)onDs2["removedReason"]!);
        Assert.Null(onDs2["readiness"]);

        // The certificate number in full, for the subject.
        Assert.Equal(JoNumber, (string)json["certificates"]!.AsArray().Single()!["number"]!);
        Assert.Equal(jo.Id, (string)json["declarations"]!.AsArray().Single()!["recipientId"]!);
        Assert.Equal("2026-01-05", (string)json["training"]!["completedOn"]!);
        Assert.Equal("6f1c2b1e-0000-4000-8000-000000000001", (string)json["directoryAccount"]!["objectId"]!);
        var notice = json["notices"]!.AsArray().Single()!;
        Assert.Equal(("CertificateLapsing", "jo@example.org", "2027-03-01"), ((string)notice["kind"]!, (string)notice["to"]!, (string)notice["due"]!));

        var actions = json["audit"]!.AsArray().Select(e => (string)e!["action"]!).ToList();
        foreach (var action in new[] { "Recipient.Add", "Recipient.Update", "Recipient.Remove", "Certificate.Add", "Person.Resolve", "Notice.Send" })
        {
            Assert.Contains(action, actions);
        }

        // Nothing of Sam's.
        var text = json.ToJsonString();
        Assert.DoesNotContain("sam@example.org", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(sam.Id, text, StringComparison.Ordinal);
        Assert.DoesNotContain("009876543210", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_person_with_none_of_some_kinds_gets_empty_lists_not_missing_ones()
    {
        test.Engine.Certificates.Remove(test.Engine.Certificates.Find(sam.PersonId).Single().Id, "Entered for the wrong person", host);
        var json = Json(Collect(test.Engine.People.FindById(sam.PersonId.ToLowerInvariant())));

        Assert.Single(json["recipients"]!.AsArray());
        Assert.Empty(json["certificates"]!.AsArray());
        Assert.Empty(json["declarations"]!.AsArray());
        Assert.Null((string?)json["training"]!["completedOn"]);
        Assert.Null(json["directoryAccount"]);
        Assert.Single(json["notices"]!.AsArray());

        // The removed certificate's entries are still about Sam: its add and its removal.
        var certificateActions = json["audit"]!.AsArray().Where(e => (string)e!["targetType"]! == "Certificate").Select(e => (string)e!["action"]!);
        Assert.Equal(new[] { "Certificate.Add", "Certificate.Remove" }, certificateActions);
    }

    [Fact]
    public void An_entry_whose_free_text_names_the_person_is_theirs_and_one_naming_a_longer_address_is_not()
    {
        var summary = Samples.Agreement("DS3", "2026-03-01", "2026-10-31");
        summary.LaySummary = "Questions about this share go to JO@example.org (the analyst).";
        test.Engine.Agreements.Create(summary, host);
        var other = Samples.Agreement("DS4", "2026-03-01", "2026-10-31");
        other.LaySummary = "Contact bojo@example.org or jo@example.org.uk.";
        test.Engine.Agreements.Create(other, host);

        var about = Collect(test.Engine.People.FindById(jo.PersonId)).Audit;

        Assert.Contains(about, e => e.Action == "Agreement.Create" && e.TargetId == "DS3");
        Assert.DoesNotContain(about, e => e.TargetId == "DS4");
    }

    [Fact]
    public void The_page_names_the_person_and_says_it_is_their_personal_data()
    {
        var document = Collect(test.Engine.People.FindById(jo.PersonId));
        using var output = new MemoryStream();
        PersonDataService.WriteHtml(document, output);
        var html = Encoding.UTF8.GetString(output.ToArray());

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("Personal data held about Jo Bloggs", html, StringComparison.Ordinal);
        Assert.Contains("personal data of the person it is about", html, StringComparison.Ordinal);
        Assert.Contains(JoNumber, html, StringComparison.Ordinal);
        Assert.Contains("DS2", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_export_is_audited_naming_who_and_whom_and_never_the_certificate_number()
    {
        var before = test.Engine.Register.ReadAuditHead()!.Sequence;
        var document = Collect(test.Engine.People.FindById(jo.PersonId));
        Assert.Equal(before, test.Engine.Register.ReadAuditHead()!.Sequence);

        test.Engine.People.RecordExport(document, new[] { "jo.json", "jo.html" });

        var entry = test.Engine.Register.ReadAuditLog(before + 1).Single();
        Assert.Equal(("Person.Export", "Person", jo.PersonId, "tester"), (entry.Action, entry.TargetType, entry.TargetId, entry.Actor));
        Assert.Equal("tester", entry.Details["ExportedBy"]);
        Assert.Equal("jo.json, jo.html", entry.Details["Files"]);
        Assert.Equal(("2", "1"), (entry.Details["Recipients"], entry.Details["Certificates"]));
        var all = string.Join("|", entry.Details.Values);
        Assert.DoesNotContain("7890", all, StringComparison.Ordinal);
        Assert.DoesNotContain(JoNumber, all, StringComparison.Ordinal);

        // The next export lists the last one among the entries about the person.
        Assert.Contains(Collect(test.Engine.People.FindById(jo.PersonId)).Audit, e => e.Action == "Person.Export");
    }

    [Theory]
    [InlineData("nobody@example.org", true)]
    [InlineData("PE-0000000000", false)]
    [InlineData("RC-0000000000", false)]
    public void A_person_not_in_the_register_is_PersonNotFound(string key, bool byEmail)
    {
        var error = Assert.Throws<DataShareException>(() => byEmail ? test.Engine.People.FindByEmail(key) : test.Engine.People.FindById(key));

        Assert.Equal(("PersonNotFound", DataShareErrorCategory.ObjectNotFound), (error.ErrorId, error.Category));
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_email_is_refused_as_such()
    {
        var error = Assert.Throws<DataShareException>(() => test.Engine.People.FindByEmail("not an address"));

        Assert.Equal(("RecipientEmailInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
    }
}
