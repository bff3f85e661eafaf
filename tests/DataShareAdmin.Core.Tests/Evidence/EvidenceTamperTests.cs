using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace DataShareAdmin.Core.Tests.Evidence;

/// <summary>Any change to a pack is found by Test-DataShareEvidence's engine, from the pack alone; a bad pack never throws.</summary>
public sealed class EvidenceTamperTests : IClassFixture<EvidenceTamperTests.OnePack>
{
    private readonly byte[] pack;

    public EvidenceTamperTests(OnePack fixture) => pack = fixture.Pack;

    /// <summary>One pack for the class: made the same way as EvidenceExportTests'.</summary>
    public sealed class OnePack : IDisposable
    {
        private readonly EvidenceExportTests source = new();

        public byte[] Pack => source.Pack;

        public void Dispose() => source.Dispose();
    }

    private static string Ids(EvidenceTestResult result) => string.Join(", ", result.Problems.Select(p => p.Id));

    /// <remarks>
    /// Every byte of the tag files, whose lines the verifier parses strictly; in the payload, whose only defence is its
    /// digest, about 200 positions per file spread over it, the first and the last (every byte took most of a minute).
    /// </remarks>
    [Fact]
    public void Changing_any_single_byte_of_any_file_fails_verification()
    {
        Assert.True(EvidencePack.Verify(pack).IsValid);
        var entries = new EvidencePack(pack).Entries;
        Assert.Equal(6, entries.Count);
        var checkedPositions = 0;
        var expected = 0;
        for (var e = 0; e < entries.Count; e++)
        {
            var length = entries[e].Content.Length;
            var step = entries[e].Name.Contains("/data/", StringComparison.Ordinal) ? Math.Max(1, length / 200) : 1;
            var positions = Enumerable.Range(0, (length + step - 1) / step).Select(i => i * step).Append(length - 1).Distinct().ToList();
            expected += 2 * positions.Count;
            foreach (var position in positions)
            {
                foreach (var change in new byte[] { 0x01, 0x20 })
                {
                    var bag = new EvidencePack(pack);
                    var content = (byte[])bag.Entries[e].Content.Clone();
                    content[position] ^= change;
                    bag.Entries[e] = (bag.Entries[e].Name, content);

                    var result = EvidencePack.Verify(bag.Zip());

                    Assert.False(result.IsValid, $"{entries[e].Name} byte {position} ^ {change} went unnoticed");
                    checkedPositions++;
                }
            }
        }

        Assert.Equal(expected, checkedPositions);
    }

    [Fact]
    public void A_payload_file_removed_or_added_fails_verification()
    {
        var removed = new EvidencePack(pack);
        removed.Remove("data/summary.html");
        var result = EvidencePack.Verify(removed.Zip());
        Assert.Contains(result.Problems, p => p.Id == "EvidenceManifestFileMissing" && p.Entry == "data/summary.html");
        Assert.Contains(result.Problems, p => p.Id == "EvidencePayloadOxumMismatch");

        var added = new EvidencePack(pack);
        added["data/extra.csv"] = Encoding.UTF8.GetBytes("upn\nA1\n");
        result = EvidencePack.Verify(added.Zip());
        Assert.False(result.IsValid);
        Assert.Contains(result.Problems, p => p.Id == "EvidenceFileNotInManifest" && p.Entry == "data/extra.csv");

        // Even re-bagged, a missing summary is missing.
        removed.Rebag();
        Assert.Equal("EvidencePayloadFileMissing", Ids(EvidencePack.Verify(removed.Zip())));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    public void An_audit_entry_removed_from_the_index_fails_verification_even_when_the_bag_is_remade(int which)
    {
        var bag = new EvidencePack(pack);
        var index = JsonNode.Parse(bag.Text("data/evidence.json"))!;
        var entries = index["audit"]!["entries"]!.AsArray();
        entries.RemoveAt(which < 0 ? entries.Count + which : which);
        bag["data/evidence.json"] = Encoding.UTF8.GetBytes(index.ToJsonString());

        var plain = EvidencePack.Verify(bag.Zip());
        Assert.Contains(plain.Problems, p => p.Id == "EvidenceDigestMismatch" && p.Entry == "data/evidence.json");

        bag.Rebag();
        var remade = EvidencePack.Verify(bag.Zip());
        Assert.False(remade.IsValid);
        Assert.Equal("EvidenceAuditChainBroken", Ids(remade));
    }

    [Fact]
    public void An_audit_entry_edited_in_the_index_fails_verification_even_when_the_bag_is_remade()
    {
        var bag = new EvidencePack(pack);
        var index = JsonNode.Parse(bag.Text("data/evidence.json"))!;
        index["audit"]!["entries"]![1]!["actor"] = "someone else";
        bag["data/evidence.json"] = Encoding.UTF8.GetBytes(index.ToJsonString());
        bag.Rebag();

        Assert.Equal("EvidenceAuditEntryAltered", Ids(EvidencePack.Verify(bag.Zip())));
    }

    [Fact]
    public void The_head_in_the_index_and_in_bag_info_must_agree()
    {
        var bag = new EvidencePack(pack);
        bag["bag-info.txt"] = Encoding.UTF8.GetBytes(bag.Text("bag-info.txt").Replace("DataShareAdmin-Audit-Head: ", "DataShareAdmin-Audit-Head: 1", StringComparison.Ordinal));
        bag.Rebag();

        Assert.Equal("EvidenceAuditHeadMismatch", Ids(EvidencePack.Verify(bag.Zip())));
    }

    [Fact]
    public void A_key_twice_in_the_index_is_a_finding()
    {
        var bag = new EvidencePack(pack);
        bag["data/evidence.json"] = Encoding.UTF8.GetBytes(bag.Text("data/evidence.json").Replace("\"schemaVersion\": 1,", "\"schemaVersion\": 1, \"schemaVersion\": 1,", StringComparison.Ordinal));
        bag.Rebag();

        Assert.Equal("EvidenceIndexDuplicateKey", Ids(EvidencePack.Verify(bag.Zip())));
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("/tmp/evil.txt")]
    [InlineData("C:/evil.txt")]
    [InlineData("DS1-evidence\\data\\evil.txt")]
    [InlineData("DS1-evidence/data/../../evil.txt")]
    [InlineData("DS1-evidence/./data/evil.txt")]
    public void Entry_names_that_could_escape_a_folder_are_findings_and_nothing_is_written(string name)
    {
        var bag = new EvidencePack(pack);
        bag.Entries.Add((name, Encoding.UTF8.GetBytes("x")));
        var before = Directory.GetFiles(Path.GetTempPath(), "evil.txt", SearchOption.TopDirectoryOnly).Length;

        var result = EvidencePack.Verify(bag.Zip());

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("EvidenceEntryNameUnsafe", name), (problem.Id, problem.Entry));
        Assert.Equal(before, Directory.GetFiles(Path.GetTempPath(), "evil.txt", SearchOption.TopDirectoryOnly).Length);
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "..", "evil.txt")));
    }

    [Fact]
    public void A_percent_encoded_dot_dot_in_a_manifest_is_not_a_path_the_module_writes()
    {
        var bag = new EvidencePack(pack);
        bag["data/%2E%2E/x.txt"] = Encoding.UTF8.GetBytes("x");
        bag.Rebag();

        var result = EvidencePack.Verify(bag.Zip());
        Assert.Contains(result.Problems, p => p.Id == "EvidenceManifestLineInvalid");
        Assert.Contains(result.Problems, p => p.Id == "EvidenceFileNotInManifest" && p.Entry == "data/%2E%2E/x.txt");
    }

    [Fact]
    public void Duplicate_zip_entries_are_findings()
    {
        var bag = new EvidencePack(pack);
        var json = bag.Entries.Single(e => e.Name.EndsWith("data/evidence.json", StringComparison.Ordinal));
        bag.Entries.Add((json.Name.ToUpperInvariant().Replace("DS1-EVIDENCE", "DS1-evidence", StringComparison.Ordinal), json.Content));
        bag.Entries.Add(json);

        var result = EvidencePack.Verify(bag.Zip());

        Assert.False(result.IsValid);
        Assert.Equal(3, result.Problems.Count(p => p.Id == "EvidenceEntryDuplicate"));
    }

    [Fact]
    public void Not_a_zip_an_empty_file_or_a_cut_off_zip_is_EvidenceZipCorrupt()
    {
        foreach (var bytes in new[] { Array.Empty<byte>(), Encoding.UTF8.GetBytes("not a zip at all"), pack.Take(pack.Length / 2).ToArray() })
        {
            var result = EvidencePack.Verify(bytes);
            Assert.False(result.IsValid);
            Assert.Equal("EvidenceZipCorrupt", Ids(result));
        }
    }

    [Fact]
    public void A_zip_that_is_not_a_bag_or_lacks_its_manifests_says_so()
    {
        var empty = new MemoryStream();
        using (new ZipArchive(empty, ZipArchiveMode.Create, leaveOpen: true))
        {
        }

        Assert.Equal("EvidenceBagDeclarationMissing", Ids(EvidencePack.Verify(empty.ToArray())));

        var bag = new EvidencePack(pack);
        bag.Remove("manifest-sha512.txt");
        bag.Remove("tagmanifest-sha512.txt");
        var result = EvidencePack.Verify(bag.Zip());
        Assert.Contains(result.Problems, p => p.Id == "EvidenceManifestMissing");
        Assert.Contains(result.Problems, p => p.Id == "EvidenceTagManifestMissing");
    }
}
