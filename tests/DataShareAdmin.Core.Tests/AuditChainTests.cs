using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Audit;

namespace DataShareAdmin.Core.Tests;

public sealed class AuditChainTests
{
    private static List<AuditEntry> Chain(int count)
    {
        var entries = new List<AuditEntry>();
        AuditHead? head = null;
        for (var i = 0; i < count; i++)
        {
            var entry = AuditChain.Chain(new AuditEntry
            {
                Timestamp = new DateTimeOffset(2026, 1, 1, 12, 0, i, 123, TimeSpan.Zero).AddTicks(4567),
                Actor = "alice",
                Machine = "ws01",
                Action = "Agreement.Create",
                TargetType = "Agreement",
                TargetId = "DS" + i,
                Details = new Dictionary<string, string> { ["Title"] = "t\"" + i, ["A"] = "line\nbreak" },
            }, head);
            head = new AuditHead { Sequence = entry.Sequence, Hash = entry.Hash };
            entries.Add(entry);
        }

        return entries;
    }

    private static AuditHead HeadOf(IReadOnlyList<AuditEntry> entries) => new() { Sequence = entries[^1].Sequence, Hash = entries[^1].Hash };

    [Fact]
    public void Chaining_numbers_entries_links_hashes_and_truncates_time_to_milliseconds()
    {
        var entries = Chain(3);

        Assert.Equal(new long[] { 1, 2, 3 }, entries.Select(e => e.Sequence));
        Assert.Equal(AuditChain.GenesisHash, entries[0].PreviousHash);
        Assert.Equal(entries[0].Hash, entries[1].PreviousHash);
        Assert.Equal(0, entries[0].Timestamp.Ticks % TimeSpan.TicksPerMillisecond);
        Assert.All(entries, e => Assert.Matches("^[0-9a-f]{64}$", e.Hash));
    }

    [Fact]
    public void Canonical_text_is_independent_of_detail_order_and_escapes_strings()
    {
        var a = Chain(1)[0];
        var reordered = new AuditEntry
        {
            Sequence = a.Sequence,
            Timestamp = a.Timestamp,
            Actor = a.Actor,
            Machine = a.Machine,
            Action = a.Action,
            TargetType = a.TargetType,
            TargetId = a.TargetId,
            Details = a.Details.Reverse().ToDictionary(p => p.Key, p => p.Value),
            PreviousHash = a.PreviousHash,
        };

        Assert.Equal(a.Hash, AuditChain.ComputeHash(reordered));
        Assert.Contains("\"line\\nbreak\"", AuditChain.CanonicalText(a), StringComparison.Ordinal);
        Assert.Contains("\"t\\\"0\"", AuditChain.CanonicalText(a), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Actor")]
    [InlineData("Machine")]
    [InlineData("Action")]
    [InlineData("TargetType")]
    [InlineData("TargetId")]
    [InlineData("Timestamp")]
    [InlineData("Details")]
    public void Every_field_is_covered_by_the_hash(string field)
    {
        var entry = Chain(1)[0];
        var original = entry.Hash;
        switch (field)
        {
            case "Actor": entry.Actor += "x"; break;
            case "Machine": entry.Machine += "x"; break;
            case "Action": entry.Action += "x"; break;
            case "TargetType": entry.TargetType += "x"; break;
            case "TargetId": entry.TargetId += "x"; break;
            case "Timestamp": entry.Timestamp = entry.Timestamp.AddMilliseconds(1); break;
            default: entry.Details = new Dictionary<string, string>(entry.Details) { ["Title"] = "changed" }; break;
        }

        Assert.NotEqual(original, AuditChain.ComputeHash(entry));
    }

    [Fact]
    public void An_intact_chain_verifies_and_reports_its_head()
    {
        var entries = Chain(5);
        var result = AuditVerifier.Verify(entries, HeadOf(entries));

        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(5, result.EntryCount);
        Assert.Equal(5, result.HeadSequence);
        Assert.Equal("5:" + entries[4].Hash, result.Head);
        Assert.Null(result.FirstBadSequence);
    }

    [Fact]
    public void An_empty_log_with_no_head_is_intact()
    {
        var result = AuditVerifier.Verify(Array.Empty<AuditEntry>(), null);
        Assert.True(result.IsIntact);
        Assert.Equal(0, result.EntryCount);
    }

    [Fact]
    public void An_edited_entry_is_reported_at_its_sequence()
    {
        var entries = Chain(5);
        entries[2].TargetId = "DS999";

        var result = AuditVerifier.Verify(entries, HeadOf(entries));

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Contains("altered", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deleted_entry_is_reported_where_the_gap_is()
    {
        var entries = Chain(5);
        var head = HeadOf(entries);
        entries.RemoveAt(1);

        var result = AuditVerifier.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBadSequence);
    }

    [Fact]
    public void A_deleted_entry_renumbered_to_hide_the_gap_is_still_detected()
    {
        var entries = Chain(5);
        var head = HeadOf(entries);
        entries.RemoveAt(1);
        for (var i = 1; i < entries.Count; i++)
        {
            entries[i].Sequence = i + 1;
        }

        var result = AuditVerifier.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBadSequence);
    }

    [Fact]
    public void A_break_reports_the_first_bad_entry_and_counts_the_whole_log()
    {
        var entries = Chain(6);
        var head = HeadOf(entries);
        entries[1].Actor = "mallory";
        entries[4].TargetId = "forged";

        var result = AuditVerifier.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBadSequence);
        Assert.Equal(6, result.EntryCount);
    }

    [Fact]
    public void An_entry_that_could_not_be_read_as_written_is_broken_even_when_its_values_still_verify()
    {
        var entries = Chain(4);
        entries[2].Problem = "the details are not in the form the module writes";

        var result = AuditVerifier.Verify(entries, HeadOf(entries));

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Contains("not in the form the module writes", result.Problem, StringComparison.Ordinal);
        Assert.Equal(4, result.EntryCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-7)]
    public void A_row_numbered_below_one_is_broken(long sequence)
    {
        var entries = Chain(3);
        var head = HeadOf(entries);
        entries.Insert(0, new AuditEntry { Sequence = sequence, Hash = entries[0].Hash, PreviousHash = AuditChain.GenesisHash });

        var result = AuditVerifier.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(sequence, result.FirstBadSequence);
        Assert.Equal(4, result.EntryCount);
    }

    [Fact]
    public void A_stored_head_that_could_not_be_read_as_written_is_broken()
    {
        var entries = Chain(3);
        var head = HeadOf(entries);
        head.Problem = "its hash is stored as bytes, not as text";

        var result = AuditVerifier.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBadSequence);
    }

    [Fact]
    public void Reordered_entries_are_detected()
    {
        var entries = Chain(5);
        var head = HeadOf(entries);
        (entries[1], entries[2]) = (entries[2], entries[1]);

        var result = AuditVerifier.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBadSequence);
    }

    [Fact]
    public void A_truncated_tail_is_detected_against_the_stored_head()
    {
        var entries = Chain(5);
        var head = HeadOf(entries);
        entries.RemoveRange(3, 2);

        var result = AuditVerifier.Verify(entries, head);

        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBadSequence);
        Assert.Contains("cut short", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_head_is_reported()
    {
        var entries = Chain(2);
        var result = AuditVerifier.Verify(entries, null);
        Assert.False(result.IsIntact);
    }

    [Fact]
    public void A_rewritten_log_is_caught_only_by_a_head_recorded_elsewhere()
    {
        var original = Chain(4);
        var recorded = HeadOf(original);

        // Rewrite entry 2 and re-chain everything after it: the log is self-consistent again.
        var forged = Chain(4);
        forged[1].TargetId = "forged";
        AuditHead? head = new() { Sequence = 1, Hash = forged[0].Hash };
        for (var i = 1; i < forged.Count; i++)
        {
            AuditChain.Chain(forged[i], head);
            head = HeadOf(forged.Take(i + 1).ToList());
        }

        Assert.True(AuditVerifier.Verify(forged, HeadOf(forged)).IsIntact);
        var checkedAgainstRecord = AuditVerifier.Verify(forged, HeadOf(forged), recorded);
        Assert.False(checkedAgainstRecord.IsIntact);
        Assert.Equal(4, checkedAgainstRecord.FirstBadSequence);
    }

    [Fact]
    public void A_log_shorter_than_the_recorded_head_is_reported()
    {
        var entries = Chain(3);
        var recorded = new AuditHead { Sequence = 5, Hash = new string('a', 64) };
        var result = AuditVerifier.Verify(entries, HeadOf(entries), recorded);
        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBadSequence);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("5")]
    [InlineData("x:0000")]
    [InlineData("5:nothex")]
    [InlineData("5:abcd")]
    [InlineData("0:anything")]
    public void A_malformed_head_is_refused(string text)
    {
        var error = Assert.Throws<DataShareException>(() => AuditVerifier.ParseHead(text));
        Assert.Equal("AuditHeadInvalid", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidArgument, error.Category);
    }

    [Fact]
    public void A_well_formed_head_parses()
    {
        var hash = new string('A', 64);
        var head = AuditVerifier.ParseHead("12:" + hash);
        Assert.Equal(12, head.Sequence);
        Assert.Equal(new string('a', 64), head.Hash);
    }
}
