using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Module.Tests;

public sealed class AuditAndRegisterCmdletTests : IDisposable
{
    private readonly TempDirectory temp = new();

    private string RegisterPath => temp.File("register.db");

    /// <summary>A register with six audited changes, and the session closed so the file can be tampered with.</summary>
    private void WriteSixChanges()
    {
        using var session = new PowerShellSession(RegisterPath);
        session.Run(string.Join("; ",
            Scripts.NewAgreement("DS1"), Scripts.NewAgreement("DS2"),
            "Approve-DataShareAgreement DS1 -Reference R -ApprovedOn 2025-12-01",
            "Add-DataShareRecipient DS1 -Name Jo -Email jo@example.org | Out-Null",
            "Set-DataShareAgreement DS2 -Title Changed",
            "Add-DataShareRecipient DS2 -Name Sam -Email sam@example.org | Out-Null")).AssertNoErrors();
    }

    private AuditLogTestResult TestLog(string arguments = "")
    {
        using var session = new PowerShellSession(RegisterPath);
        var result = session.Run("Test-DataShareAuditLog " + arguments);
        return result.Single<AuditLogTestResult>();
    }

    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={RegisterPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public void Every_change_is_audited_with_actor_and_machine_and_the_log_is_intact()
    {
        WriteSixChanges();
        using var session = new PowerShellSession(RegisterPath);

        // The session's set-up added two organisations and an assessment (entries 1 to 3) before the six changes.
        var entries = session.Run("Get-DataShareAuditLog").AssertNoErrors().All<AuditEntry>().ToList();
        Assert.Equal(new[] { "Organisation.Create", "Organisation.Assessment", "Organisation.Create", "Agreement.Create", "Agreement.Create", "Agreement.Approve", "Recipient.Add", "Agreement.Update", "Recipient.Add" }, entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal((Environment.UserName, Environment.MachineName), (e.Actor, e.Machine)));

        Assert.Equal(new long[] { 4, 6, 7 }, session.Run("Get-DataShareAgreement DS1 | Get-DataShareAuditLog").All<AuditEntry>().Select(e => e.Sequence));
        Assert.Equal(new long[] { 6 }, session.Run("Get-DataShareAuditLog -Action '*.Approve'").All<AuditEntry>().Select(e => e.Sequence));
        Assert.Equal(new long[] { 8, 9 }, session.Run("Get-DataShareAuditLog -FromSequence 8").All<AuditEntry>().Select(e => e.Sequence));

        var result = session.Run("Test-DataShareAuditLog").AssertNoErrors().Single<AuditLogTestResult>();
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(9, result.EntryCount);
        Assert.Equal("9:" + entries[^1].Hash, result.Head);

        var checkedAgainst = session.Run("Test-DataShareAuditLog -ExpectedHead $args[0]", result.Head).AssertNoErrors().Single<AuditLogTestResult>();
        Assert.True(checkedAgainst.IsIntact);
    }

    [Fact]
    public void An_edited_entry_is_detected()
    {
        WriteSixChanges();
        Tamper("UPDATE audit_log SET target_id = 'DS9' WHERE sequence = 3");
        var result = TestLog();
        Assert.False(result.IsIntact);
        Assert.Equal(3, result.FirstBadSequence);
    }

    [Fact]
    public void A_deleted_entry_is_detected()
    {
        WriteSixChanges();
        Tamper("DELETE FROM audit_log WHERE sequence = 2");
        var result = TestLog();
        Assert.False(result.IsIntact);
        Assert.Equal(2, result.FirstBadSequence);
    }

    [Fact]
    public void Reordered_entries_are_detected()
    {
        WriteSixChanges();
        // Swap the contents of entries 4 and 5, keeping their sequence numbers.
        Tamper("""
            UPDATE audit_log SET sequence = -4 WHERE sequence = 4;
            UPDATE audit_log SET sequence = 4 WHERE sequence = 5;
            UPDATE audit_log SET sequence = 5 WHERE sequence = -4;
            """);
        var result = TestLog();
        Assert.False(result.IsIntact);
        Assert.Equal(4, result.FirstBadSequence);
    }

    [Fact]
    public void A_truncated_tail_is_detected_against_the_head()
    {
        WriteSixChanges();
        Tamper("DELETE FROM audit_log WHERE sequence >= 5");
        var result = TestLog();
        Assert.False(result.IsIntact);
        Assert.Equal(5, result.FirstBadSequence);
        Assert.Contains("cut short", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tail_and_head_rewritten_together_are_caught_by_a_head_recorded_elsewhere()
    {
        WriteSixChanges();
        var recorded = TestLog().Head;
        Tamper("""
            DELETE FROM audit_log WHERE sequence = 9;
            UPDATE audit_head SET sequence = 8, hash = (SELECT hash FROM audit_log WHERE sequence = 8);
            """);

        Assert.True(TestLog().IsIntact);
        var result = TestLog("-ExpectedHead '" + recorded + "'");
        Assert.False(result.IsIntact);
        Assert.Equal(9, result.FirstBadSequence);
    }

    [Fact]
    public void A_malformed_expected_head_is_a_clear_error()
    {
        WriteSixChanges();
        using var session = new PowerShellSession(RegisterPath);
        session.Run("Test-DataShareAuditLog -ExpectedHead 'yesterday'").SingleError()
            .AssertError("AuditHeadInvalid", ErrorCategory.InvalidArgument, "TestDataShareAuditLogCommand");
    }

    [Fact]
    public void A_file_that_is_not_a_register_stops_connect_and_is_left_unchanged()
    {
        var path = temp.File("notes.txt");
        File.WriteAllText(path, new string('x', 5000));
        using var session = new PowerShellSession(registerPath: null);

        var error = session.RunTerminating("Connect-DataShareRegister -Path $args[0]", path);

        error.AssertError("RegisterNotSqlite", ErrorCategory.InvalidData, "ConnectDataShareRegisterCommand");
        Assert.Equal(new string('x', 5000), File.ReadAllText(path));
    }

    [Fact]
    public void A_read_only_register_refuses_every_change_and_writes_nothing()
    {
        WriteSixChanges();
        var before = File.ReadAllBytes(RegisterPath);
        using var session = new PowerShellSession(RegisterPath, readOnly: true);

        Assert.Equal(2, session.Run("Get-DataShareAgreement").AssertNoErrors().Output.Count);
        var error = session.RunTerminating(Scripts.NewAgreement("DS3"));
        error.AssertError("RegisterReadOnly", ErrorCategory.PermissionDenied, "NewDataShareAgreementCommand");
        session.RunTerminating("Set-DataShareAgreement DS1 -Title x").AssertError("RegisterReadOnly", ErrorCategory.PermissionDenied, "SetDataShareAgreementCommand");

        Assert.Equal(before, File.ReadAllBytes(RegisterPath));
    }

    [Fact]
    public void Connect_reports_where_the_register_is_and_each_runspace_keeps_its_own()
    {
        using var first = new PowerShellSession(registerPath: null);
        using var second = new PowerShellSession(registerPath: null);
        var info = first.Run("Connect-DataShareRegister -Path $args[0] -Create -PassThru", temp.File("a.db")).AssertNoErrors().Single<RegisterInfo>();
        second.Run("Connect-DataShareRegister -Path $args[0] -Create", temp.File("b.db")).AssertNoErrors();

        Assert.Equal(("SQLite", temp.File("a.db"), "Parameter", 7, false), (info.Backend, info.Location, info.Source, info.SchemaVersion, info.IsReadOnly));
        first.Run(Scripts.Organisations + Environment.NewLine + Scripts.NewAgreement("DS1")).AssertNoErrors();
        Assert.Empty(second.Run("Get-DataShareAgreement").AssertNoErrors().Output);

        // The actor Connect reports is the one the audit log then records.
        var entry = first.Run("Get-DataShareAuditLog -Action Agreement.Create").AssertNoErrors().Single<AuditEntry>();
        Assert.False(string.IsNullOrEmpty(info.Actor));
        Assert.Equal(info.Actor, entry.Actor);
    }

    [Fact]
    public void Each_path_piped_to_connect_is_checked_and_the_last_good_one_is_kept()
    {
        File.WriteAllText(temp.File("bad.db"), new string('x', 5000));
        using var session = new PowerShellSession(registerPath: null);

        var result = session.Run("$args | ForEach-Object { [pscustomobject]@{ FullName = $_ } } | Connect-DataShareRegister -Create -PassThru -ErrorAction Continue",
            temp.File("a.db"), temp.File("b.db"));
        Assert.Equal(new[] { temp.File("a.db"), temp.File("b.db") }, result.All<RegisterInfo>().Select(i => i.Location));

        // A failed connect leaves the session with no register (not the last good one) until a connect succeeds.
        session.RunTerminating("Connect-DataShareRegister -Path $args[0]", temp.File("bad.db")).AssertError("RegisterNotSqlite", ErrorCategory.InvalidData, "ConnectDataShareRegisterCommand");
        session.RunTerminating("Get-DataShareAgreement").AssertError("RegisterNotConnected", ErrorCategory.InvalidOperation, "GetDataShareAgreementCommand");
        session.Run("Connect-DataShareRegister -Path $args[0]", temp.File("b.db")).AssertNoErrors();
        session.Run(Scripts.Organisations + Environment.NewLine + Scripts.NewAgreement("DS1")).AssertNoErrors();
        Assert.Single(session.Run("Get-DataShareAgreement").Output);
        Assert.True(new FileInfo(temp.File("b.db")).Length > 0);
        using var check = new PowerShellSession(temp.File("b.db"));
        Assert.Single(check.Run("Get-DataShareAgreement").AssertNoErrors().Output);
    }

    [Fact]
    public void Without_connect_the_environment_variable_chooses_the_register()
    {
        // Nothing makes a register without being asked: the one the variable names is made once, on purpose.
        using (var making = new PowerShellSession(registerPath: null))
        {
            making.Run("Connect-DataShareRegister -Create").AssertNoErrors();
        }

        using var session = new PowerShellSession(registerPath: null);
        session.Run(Scripts.Organisations + Environment.NewLine + Scripts.NewAgreement("ENV1")).AssertNoErrors();
        Assert.True(File.Exists(Environment.GetEnvironmentVariable("DATASHAREADMIN_REGISTER")));
        Assert.Contains("ENV1", session.Run("Get-DataShareAgreement ENV1").Single<DataShareAgreement>().Id, StringComparison.Ordinal);
    }

    public void Dispose() => temp.Dispose();
}
