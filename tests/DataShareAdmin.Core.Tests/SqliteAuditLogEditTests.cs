using System;
using DataShareAdmin.Core.Audit;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The audit log of a real SQLite register file edited behind the engine's back, as someone with the file could: the
/// check reads the stored rows and finds the first bad entry. (The chain's rules themselves are in AuditChainTests.)
/// </summary>
public sealed class SqliteAuditLogEditTests : IDisposable
{
    private readonly TestRegister test = new();

    public SqliteAuditLogEditTests()
    {
        // Entry 1 is the set-up's organisation; six agreements are entries 2 to 7. The file is closed for tampering.
        var host = new FakeHost();
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        test.Engine.Agreements.Create(Samples.Agreement("DS2"), host);
        test.Engine.Agreements.Create(Samples.Agreement("DS3"), host);
        test.Engine.Agreements.Create(Samples.Agreement("DS4"), host);
        test.Engine.Agreements.Create(Samples.Agreement("DS5"), host);
        test.Engine.Agreements.Create(Samples.Agreement("DS6"), host);
        test.Engine.Dispose();
    }

    private AuditLogTestResult Check(string? expectedHead = null)
    {
        using var engine = test.OpenEngine();
        return new AuditService(engine.Register, test.Clock).Test(expectedHead, new FakeHost());
    }

    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={test.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void The_untouched_file_is_intact()
    {
        var result = Check();

        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(7, result.EntryCount);
    }

    [Fact]
    public void An_edited_entry_is_found_at_its_sequence()
    {
        Tamper("UPDATE audit_log SET target_id = 'DS9' WHERE sequence = 3");

        var result = Check();

        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBadSequence);
    }

    [Fact]
    public void A_deleted_entry_is_found_where_the_gap_is()
    {
        Tamper("DELETE FROM audit_log WHERE sequence = 2");

        var result = Check();

        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBadSequence);
    }

    [Fact]
    public void Entries_swapped_under_their_own_sequence_numbers_are_found()
    {
        Tamper("""
            UPDATE audit_log SET sequence = -4 WHERE sequence = 4;
            UPDATE audit_log SET sequence = 4 WHERE sequence = 5;
            UPDATE audit_log SET sequence = 5 WHERE sequence = -4;
            """);

        var result = Check();

        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBadSequence);
    }

    [Fact]
    public void A_tail_cut_off_is_found_against_the_stored_head()
    {
        Tamper("DELETE FROM audit_log WHERE sequence >= 5");

        var result = Check();

        Assert.False(result.IsIntact);
        Assert.Equal(5, result.FirstBadSequence);
        Assert.Contains("cut short", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tail_and_head_rewritten_together_are_found_only_against_a_head_recorded_elsewhere()
    {
        var recorded = Check().Head;
        Tamper("""
            DELETE FROM audit_log WHERE sequence = 7;
            UPDATE audit_head SET sequence = 6, hash = (SELECT hash FROM audit_log WHERE sequence = 6);
            """);

        Assert.True(Check().IsIntact);
        var result = Check(recorded);

        Assert.False(result.IsIntact);
        Assert.Equal(7, result.FirstBadSequence);
    }

    public void Dispose() => test.Dispose();
}
