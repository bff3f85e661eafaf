using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataShareAdmin.Core.Retention;

namespace DataShareAdmin.Core.Tests.Evidence;

/// <summary>
/// DS1, a direct transfer to a ready recipient, issued on 15 June 2026; the agreement then ends, the transfer's
/// container is swept and the organisation confirms destruction. The pack is made on 15 March 2027, after Jo's
/// certificate has lapsed: readiness is still judged as of the transfer's day.
/// </summary>
public sealed class EvidenceExportTests : TransferTestsBase
{
    private readonly DataShareTransfer transfer;
    private readonly byte[] pack;

    public EvidenceExportTests()
    {
        Samples.Vary(Engine, "DS1", new Agreements.AgreementChanges { EndsOn = new DateTime(2026, 6, 30) }, host);
        transfer = Engine.Transfers.Issue(Request(), storage, host)!;
        Engine.Transfers.Revoke(transfer.Id, storage, host);

        test.Clock.UtcNow = new DateTimeOffset(2026, 9, 1, 9, 0, 0, TimeSpan.Zero);
        var blobs = new MemoryRetentionStorage { AccountName = storage.AccountName };
        foreach (var name in storage.Containers[transfer.Container].Keys)
        {
            blobs.Add(transfer.Container, name, 18);
        }

        var errors = new List<DataShareException>();
        Assert.Single(Engine.Retention.Sweep(new SweepOptions(), a => a == blobs.AccountName ? blobs : null, host, errors.Add).ToList());
        Assert.Empty(errors);
        Engine.Retention.Confirm("DS1", "DPO, University of Example", new DateTime(2026, 9, 1), "Letter of 1 September", host);

        test.Clock.UtcNow = new DateTimeOffset(2027, 3, 15, 9, 0, 0, TimeSpan.Zero);
        pack = Export("DS1");
    }

    private byte[] Export(string id)
    {
        using var output = new MemoryStream();
        Engine.Evidence.Export(id, output, host);
        return output.ToArray();
    }

    private JsonNode Index(EvidencePack bag) => JsonNode.Parse(bag.Text("data/evidence.json"))!;

    [Fact]
    public void A_pack_verifies_and_records_the_register_head()
    {
        var result = EvidencePack.Verify(pack);

        Assert.True(result.IsValid, string.Join("\n", result.Problems));
        Assert.Empty(result.Problems);
        Assert.Equal("DS1", result.AgreementId);
        Assert.Equal(Engine.Register.ReadAuditHead()!.ToString(), result.AuditHead);
        Assert.Equal("2027-03-15", result.BaggingDate);
        Assert.Equal(2, result.PayloadFiles);
        Assert.True(result.AuditEntries >= 6, result.AuditEntries.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_bag_is_laid_out_as_RFC_8493_says_and_marked_as_personal_data()
    {
        var bag = new EvidencePack(pack);

        Assert.Equal("DS1-evidence", bag.Root);
        Assert.Equal(
            new[] { "bag-info.txt", "bagit.txt", "data/evidence.json", "data/summary.html", "manifest-sha512.txt", "tagmanifest-sha512.txt" },
            bag.Entries.Select(e => e.Name.Substring("DS1-evidence/".Length)).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", bag.Text("bagit.txt"));
        var info = bag.Text("bag-info.txt");
        Assert.Contains("Bagging-Date: 2027-03-15\n", info, StringComparison.Ordinal);
        Assert.Contains("External-Identifier: DS1\n", info, StringComparison.Ordinal);
        Assert.Contains("Contains-Personal-Data: yes", info, StringComparison.Ordinal);
        var payload = bag["data/evidence.json"].Length + bag["data/summary.html"].Length;
        Assert.Contains($"Payload-Oxum: {payload}.2\n", info, StringComparison.Ordinal);
        Assert.Contains(EvidenceBagSha("data/evidence.json", bag) + "  data/evidence.json\n", bag.Text("manifest-sha512.txt"), StringComparison.Ordinal);
        Assert.Contains(EvidenceBagSha("manifest-sha512.txt", bag) + "  manifest-sha512.txt\n", bag.Text("tagmanifest-sha512.txt"), StringComparison.Ordinal);
    }

    private static string EvidenceBagSha(string path, EvidencePack bag) => Core.Evidence.EvidenceBag.Sha512(bag[path]);

    [Fact]
    public void The_index_holds_terms_readiness_on_the_transfer_day_files_destruction_and_audit()
    {
        var index = Index(new EvidencePack(pack));

        Assert.Equal(("datashareadmin-evidence", 1), ((string)index["schema"]!, (int)index["schemaVersion"]!));
        Assert.Equal("DSAP-1", (string)index["agreement"]!["approval"]!["reference"]!);
        Assert.Contains(index["agreement"]!["history"]!.AsArray(), h => (string)h!["action"]! == "Variation.Approve" && ((string)h["details"]!["Changes"]!).Contains("EndsOn: 2026-12-31 -> 2026-06-30", StringComparison.Ordinal));
        Assert.Equal("ISQ-2026-02-01", (string)index["organisation"]!["assessments"]![0]!["reference"]!);
        var recipient = index["recipients"]![0]!;
        Assert.Equal(("Jo Bloggs", "jo@example.org", "…7890"), ((string)recipient["name"]!, (string)recipient["email"]!, (string)recipient["certificates"]![0]!["numberMasked"]!));

        var sent = index["transfers"]![0]!;
        Assert.Equal((transfer.Id, "2026-06-15", "Destroyed"), ((string)sent["id"]!, (string)sent["issuedOn"]!, (string)sent["status"]!));
        Assert.NotNull((string?)sent["revokedAt"]);
        Assert.Equal(transfer.Files[0].Sha256, (string)sent["files"]![0]!["sha256"]!);
        var ready = sent["readiness"]![0]!;

        // Jo's certificate (issued 2025-03-01) lapsed after 2027-03-01: she is not ready today, and was on the day.
        Assert.False(Engine.Readiness.Test(jo, null, null).IsReady);
        Assert.Equal((jo.Id, "2026-06-15", true, "…7890", "2027-03-01"),
            ((string)ready["recipientId"]!, (string)ready["day"]!, (bool)ready["isReady"]!, (string)ready["certificate"]!["numberMasked"]!, (string)ready["certificate"]!["validUntil"]!));

        var holding = index["holdings"]![0]!;
        Assert.Equal(("Destroyed", "Destroyed", true), ((string)holding["state"]!, (string)holding["destructions"]![0]!["outcome"]!, (bool)holding["destructions"]![0]!["verified"]!));
        Assert.Equal("DPO, University of Example", (string)index["destructionConfirmation"]!["confirmedBy"]!);
        Assert.Empty(index["governance"]!.AsArray());
        Assert.Empty(index["outputReleases"]!.AsArray());

        var actions = index["audit"]!["entries"]!.AsArray().Select(e => (string)e!["action"]!).ToList();
        foreach (var action in new[] { "Agreement.Create", "Agreement.Approve", "Recipient.Add", "Transfer.Issue", "Transfer.Revoke", "Holding.Destroy", "Agreement.ConfirmDestruction" })
        {
            Assert.Contains(action, actions);
        }

        // The organisation's own entries and the certificate's are about other things.
        Assert.DoesNotContain("Organisation.Create", actions);
        Assert.DoesNotContain("Certificate.Add", actions);
    }

    [Fact]
    public void No_link_signature_or_full_certificate_number_is_anywhere_in_the_pack()
    {
        var signature = System.Web.HttpUtility.ParseQueryString(transfer.Uri!.Reveal().Query)["sig"];
        Assert.False(string.IsNullOrEmpty(signature));
        foreach (var (name, content) in new EvidencePack(pack).Entries)
        {
            var text = Encoding.UTF8.GetString(content);
            Assert.DoesNotContain(signature, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(signature!), text, StringComparison.Ordinal);
            Assert.DoesNotContain("sig=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(transfer.Uri.Reveal().Query, text, StringComparison.Ordinal);
            Assert.DoesNotContain("001234567890", text, StringComparison.Ordinal);
            Assert.False(text.Contains("http://", StringComparison.Ordinal) && name.EndsWith(".html", StringComparison.Ordinal), name + " loads or links something");
        }
    }

    [Fact]
    public void A_pack_is_never_made_from_an_audit_log_that_does_not_verify()
    {
        test.ExecuteRaw("UPDATE audit_log SET actor = 'someone else' WHERE sequence = 3");
        using var output = new MemoryStream();

        var error = Assert.Throws<DataShareException>(() => Engine.Evidence.Export("DS1", output, host));

        Assert.Equal(("EvidenceAuditLogBroken", DataShareErrorCategory.InvalidData), (error.ErrorId, error.Category));
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void An_agreement_not_in_the_register_is_AgreementNotFound()
    {
        using var output = new MemoryStream();
        var error = Assert.Throws<DataShareException>(() => Engine.Evidence.Export("DS404", output, host));
        Assert.Equal(("AgreementNotFound", DataShareErrorCategory.ObjectNotFound), (error.ErrorId, error.Category));
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void Entries_written_after_the_head_was_read_are_not_part_of_the_pack_and_later_packs_verify_too()
    {
        // Entries about other things after the last one about DS1: the pack ends in a gap, at the head.
        Engine.Organisations.Create("Another Trust", null, null, null, host);
        var later = EvidencePack.Verify(Export("DS1"));
        Assert.True(later.IsValid, string.Join("\n", later.Problems));
        Assert.Equal(Engine.Register.ReadAuditHead()!.ToString(), later.AuditHead);
        Assert.NotEqual(EvidencePack.Verify(pack).AuditHead, later.AuditHead);
    }

    internal byte[] Pack => pack;
}
