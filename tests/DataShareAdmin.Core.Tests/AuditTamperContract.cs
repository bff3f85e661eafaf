using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The audit log under tampering, on every backend: each test writes a five-entry log through the register, then
/// changes what is stored directly (raw SQL on the SQLite file, the Tables SDK on the Table register), the way
/// someone with write access to the storage would, and checks that the chain check reports the first bad entry,
/// counts the whole log, and never throws; and that reading the log shows what can be shown without throwing.
/// </summary>
public abstract class AuditTamperContract : IDisposable
{
    /// <summary>The log's columns by their logical names; each backend maps them to what it stores.</summary>
    public static readonly TheoryData<string> Columns = new()
    {
        "Sequence", "Timestamp", "Actor", "Machine", "Action", "TargetType", "TargetId", "Details", "PreviousHash", "Hash",
    };

    private readonly List<IDataShareRegister> opened = new();

    protected FixedClock Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero));

    /// <summary>A fresh, empty register; later calls to the tamper methods act on it.</summary>
    protected abstract IDataShareRegister OpenFresh();

    /// <summary>The stored value of one column of one entry (text, a number, bytes), as the backend holds it.</summary>
    protected abstract object? GetStored(long sequence, string column);

    /// <summary>Replaces the stored value of one column of one entry, bypassing the module.</summary>
    protected abstract void SetStored(long sequence, string column, object? value);

    /// <summary>Stores a copy of an entry's row under another sequence number (a row added outside the module).</summary>
    protected abstract void CopyRow(long sequence, long newSequence);

    /// <summary>Removes an entry's row.</summary>
    protected abstract void DeleteRow(long sequence);

    /// <summary>A second opening of the register <see cref="OpenFresh"/> last made: another writer on the same log.</summary>
    protected abstract IDataShareRegister OpenAgain();

    /// <summary>Removes every entry of the log and its head, leaving the records.</summary>
    protected abstract void WipeLog();

    /// <summary>Stores the head's sequence as text or its hash as bytes (<paramref name="how"/>: "sequence-as-text", "hash-as-bytes").</summary>
    protected abstract void TamperHead(string how);

    protected virtual void Cleanup()
    {
    }

    /// <summary>A register with five entries, each with details that need escaping in JSON.</summary>
    protected IDataShareRegister Seeded()
    {
        var register = OpenFresh();
        opened.Add(register);
        for (var i = 1; i <= 5; i++)
        {
            register.AppendAudit(new AuditEvent("Test.Event", "Test", "T" + i, new Dictionary<string, string?>
            {
                ["Name"] = "n" + i,
                ["Note"] = "a<b & \"c\" é",
            }));
        }

        Assert.True(Check(register).IsIntact);
        return register;
    }

    protected AuditLogTestResult Check(IDataShareRegister register) => new AuditService(register, Clock).Test(null, new FakeHost());

    protected static List<AuditEntry> ReadAll(IDataShareRegister register) => new AuditService(register, new FixedClock(DateTimeOffset.UnixEpoch)).Read(long.MinValue, null).ToList();

    /// <summary>Asserts the check found the log broken at <paramref name="sequence"/>, counting <paramref name="count"/> entries.</summary>
    protected AuditLogTestResult AssertBrokenAt(IDataShareRegister register, long sequence, long count = 5)
    {
        var result = Check(register);
        Assert.False(result.IsIntact, "The tampered log was reported intact.");
        Assert.Equal(sequence, result.FirstBadSequence);
        Assert.Equal(count, result.EntryCount);
        Assert.False(string.IsNullOrWhiteSpace(result.Problem));
        return result;
    }

    /// <summary>Asserts reading the log does not throw and flags the entry at <paramref name="sequence"/> as unreadable as stored.</summary>
    protected static AuditEntry AssertShownWithProblem(IDataShareRegister register, long sequence)
    {
        var entries = ReadAll(register);
        var entry = Assert.Single(entries, e => e.Sequence == sequence);
        Assert.False(string.IsNullOrWhiteSpace(entry.Problem), "The entry was read as if it were intact.");
        return entry;
    }

    [Theory]
    [MemberData(nameof(Columns))]
    public void Any_change_to_any_column_of_an_entry_breaks_the_log_there(string column)
    {
        var register = Seeded();
        SetStored(3, column, Changed(column, GetStored(3, column)));

        AssertBrokenAt(register, 3);
        Assert.Equal(5, ReadAll(register).Count);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("[\"Name\",\"n3\"]")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("true")]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("{\"Name\":\"n3\"")]
    [InlineData("{\"Name\":3}")]
    [InlineData("{\"Name\":null}")]
    [InlineData("{\"Name\":{\"a\":\"b\"}}")]
    [InlineData("{\"Name\":[\"n3\"]}")]
    [InlineData("{}{}")]
    [InlineData("{} trailing")]
    public void Details_that_are_not_an_object_of_text_are_a_broken_entry(string details)
    {
        var register = Seeded();
        SetStored(3, "Details", details);

        var result = AssertBrokenAt(register, 3);
        Assert.Contains("3", result.Problem, StringComparison.Ordinal);
        AssertShownWithProblem(register, 3);
    }

    [Fact]
    public void Details_with_a_duplicate_key_are_a_broken_entry_even_when_the_last_value_would_verify()
    {
        var register = Seeded();
        var stored = (string)GetStored(3, "Details")!;
        SetStored(3, "Details", stored.Insert(1, "\"Name\":\"forged\","));

        var result = AssertBrokenAt(register, 3);
        Assert.Contains("Name", result.Problem, StringComparison.Ordinal);
        AssertShownWithProblem(register, 3);
    }

    [Theory]
    [InlineData("whitespace")]
    [InlineData("reordered")]
    [InlineData("unescaped")]
    [InlineData("escaped")]
    public void Details_rewritten_in_another_form_with_the_same_values_are_a_broken_entry(string how)
    {
        var register = Seeded();
        var stored = (string)GetStored(3, "Details")!;
        var rewritten = how switch
        {
            "whitespace" => "{ " + stored.Substring(1).Replace("\",\"", "\", \"", StringComparison.Ordinal),
            "reordered" => "{\"Note\":" + stored.Substring(stored.IndexOf("\"Note\":", StringComparison.Ordinal) + 7).TrimEnd('}') + ",\"Name\":\"n3\"}",
            "unescaped" => stored.Replace("\\u003C", "<", StringComparison.Ordinal),
            _ => stored.Replace("n3", "\\u006E3", StringComparison.Ordinal),
        };
        Assert.NotEqual(stored, rewritten);
        SetStored(3, "Details", rewritten);

        AssertBrokenAt(register, 3);
        AssertShownWithProblem(register, 3);
    }

    [Theory]
    [InlineData("2026-03-01 10:00:00.000Z")]
    [InlineData("2026-03-01T10:00:00Z")]
    [InlineData("2026-03-01T10:00:00.000+00:00")]
    [InlineData("2026-03-01T10:00:00.0000Z")]
    [InlineData(" 2026-03-01T10:00:00.000Z")]
    [InlineData("yesterday")]
    [InlineData("")]
    [InlineData("2026-02-30T10:00:00.000Z")]
    public void A_timestamp_that_is_unreadable_or_reformatted_is_a_broken_entry(string timestamp)
    {
        var register = Seeded();
        Assert.Equal("2026-03-01T10:00:00.000Z", GetStored(3, "Timestamp"));
        SetStored(3, "Timestamp", timestamp);

        AssertBrokenAt(register, 3);
        AssertShownWithProblem(register, 3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue + 1)]
    public void A_row_numbered_below_one_is_detected(long sequence)
    {
        var register = Seeded();
        CopyRow(2, sequence);

        AssertBrokenAt(register, sequence, count: 6);
        Assert.Contains(ReadAll(register), e => e.Sequence == sequence);
    }

    [Fact]
    public void An_entry_renumbered_to_zero_is_detected()
    {
        var register = Seeded();
        CopyRow(1, 0);
        DeleteRow(1);

        AssertBrokenAt(register, 0);
    }

    [Fact]
    public void A_log_wiped_whole_beside_the_records_it_described_is_not_intact()
    {
        var register = OpenFresh();
        opened.Add(register);
        register.InsertOrganisation(new DataShareOrganisation { Id = "ORG-WIPE1", Name = "Wiped Trust" },
            new AuditEvent("Organisation.Create", "Organisation", "ORG-WIPE1", new Dictionary<string, string?> { ["Name"] = "Wiped Trust" }));
        Assert.True(Check(register).IsIntact);

        WipeLog();

        var result = Check(register);
        Assert.False(result.IsIntact, "An empty log beside an organisation was reported intact.");
        Assert.Equal((1L, 0L), (result.FirstBadSequence, result.EntryCount));
        Assert.Contains("empty", result.Problem, StringComparison.Ordinal);

        // A register that never held anything has an empty log that is intact.
        Assert.True(Check(OpenFreshTracked()).IsIntact);
    }

    private IDataShareRegister OpenFreshTracked()
    {
        var register = OpenFresh();
        opened.Add(register);
        return register;
    }

    [Fact]
    public void A_gap_in_the_sequence_is_detected_and_the_rest_still_counted()
    {
        var register = Seeded();
        DeleteRow(3);

        var result = AssertBrokenAt(register, 3, count: 4);
        Assert.Contains("missing", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_moved_past_the_end_leaves_a_gap()
    {
        var register = Seeded();
        CopyRow(3, 9);
        DeleteRow(3);

        AssertBrokenAt(register, 3);
    }

    [Fact]
    public void A_row_added_after_the_head_is_detected()
    {
        var register = Seeded();
        CopyRow(5, 6);

        AssertBrokenAt(register, 6, count: 6);
    }

    [Fact]
    public void The_first_of_several_broken_entries_is_reported_and_every_entry_counted()
    {
        var register = Seeded();
        SetStored(4, "Details", "null");
        SetStored(2, "Actor", "mallory");

        AssertBrokenAt(register, 2);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, ReadAll(register).Select(e => e.Sequence));
    }

    [Fact]
    public void Reading_a_tampered_log_shows_the_readable_fields_of_an_unreadable_entry()
    {
        var register = Seeded();
        SetStored(3, "Details", "{\"Name\":");

        var entry = AssertShownWithProblem(register, 3);
        Assert.Equal(("Test.Event", "T3"), (entry.Action, entry.TargetId));
        Assert.Empty(entry.Details);
        Assert.All(ReadAll(register).Where(e => e.Sequence != 3), e => Assert.Null(e.Problem));
    }

    [Fact]
    public void An_intact_log_reads_without_problems()
    {
        var register = Seeded();

        var entries = ReadAll(register);

        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, entries.Select(e => e.Sequence));
        Assert.All(entries, e => Assert.Null(e.Problem));
        Assert.Equal("a<b & \"c\" é", entries[2].Details["Note"]);
    }

    [Theory]
    [InlineData("sequence-as-text")]
    [InlineData("hash-as-bytes")]
    public void A_head_not_stored_as_written_is_reported_and_nothing_is_chained_onto_it(string how)
    {
        var register = Seeded();
        TamperHead(how);

        var result = AssertBrokenAt(register, 5);
        Assert.Contains("head", result.Problem, StringComparison.Ordinal);
        Assert.NotNull(register.ReadAuditHead()!.Problem);
        var error = Assert.Throws<DataShareException>(() => register.AppendAudit(new AuditEvent("Test.Event", "Test", "T6")));
        Assert.Equal(("AuditHeadUnreadable", DataShareErrorCategory.InvalidData), (error.ErrorId, error.Category));
        Assert.Equal(5, ReadAll(register).Count);
    }

    [Fact]
    public void Details_that_would_be_stored_with_a_key_twice_are_refused_and_nothing_is_written()
    {
        var register = Seeded();
        var head = register.ReadAuditHead()!.ToString();

        // Two keys that differ only in unpaired surrogates: JSON can only store each as U+FFFD, so both would be one key.
        var error = Assert.Throws<DataShareException>(() => register.AppendAudit(new AuditEvent("Test.Event", "Test", "T6",
            new Dictionary<string, string?> { ["k\uD800"] = "first", ["k\uD801"] = "second" })));

        Assert.Equal(("AuditDetailsDuplicateKey", DataShareErrorCategory.InvalidData), (error.ErrorId, error.Category));
        Assert.Equal(head, register.ReadAuditHead()!.ToString());
        Assert.True(Check(register).IsIntact);
    }

    [Fact]
    public void Details_that_cannot_be_stored_as_given_are_refused_and_nothing_is_written()
    {
        var register = Seeded();
        var head = register.ReadAuditHead()!.ToString();

        var error = Assert.Throws<DataShareException>(() => register.AppendAudit(new AuditEvent("Test.Event", "Test", "T6",
            new Dictionary<string, string?> { ["Name"] = "half a pair \uD83D" })));

        Assert.Equal(("AuditDetailsInvalid", DataShareErrorCategory.InvalidData), (error.ErrorId, error.Category));
        Assert.Equal(head, register.ReadAuditHead()!.ToString());
    }

    [Fact]
    public void Two_writers_changing_one_policy_setting_at_once_each_record_the_value_they_replaced()
    {
        var first = Seeded();
        var second = OpenAgain();
        opened.Add(second);
        const int each = 12;

        System.Threading.Tasks.Parallel.For(0, 2, w =>
        {
            var policy = new Policy.PolicyService(w == 0 ? first : second);
            for (var i = 0; i < each; i++)
            {
                // Values no other write repeats, so each entry's Before names exactly one earlier After.
                policy.Set("CertificateMaxAgeMonths", (30 + (w * each) + i).ToString(CultureInfo.InvariantCulture), new FakeHost());
            }
        });

        var sets = ReadAll(first).Where(e => e.Action == "Policy.Set").ToList();
        Assert.Equal(2 * each, sets.Count);
        var before = "24";
        foreach (var entry in sets)
        {
            Assert.Equal(before, entry.Details["Before"]);
            before = entry.Details["After"];
        }

        Assert.Equal(before, new Policy.PolicyService(second).Get(n => n == "CertificateMaxAgeMonths").Single().Value);
        Assert.True(Check(first).IsIntact);
    }

    /// <summary>A different value of the same kind as the stored one.</summary>
    protected static object Changed(string column, object? original) => column switch
    {
        "Sequence" => Convert.ToInt64(original, CultureInfo.InvariantCulture) + 4,
        "Timestamp" => DateText.FormatInstant(DateText.ParseInstant((string)original!).AddMilliseconds(1)),
        "Details" => ((string)original!).Replace("n3", "n9", StringComparison.Ordinal),
        "PreviousHash" or "Hash" => Flip((string)original!),
        _ => (string)original! + "x",
    };

    private static string Flip(string hash) => (hash[0] == 'a' ? "b" : "a") + hash.Substring(1);

    public void Dispose()
    {
        foreach (var register in opened)
        {
            register.Dispose();
        }

        Cleanup();
        GC.SuppressFinalize(this);
    }
}
