using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Module.Tests;

/// <summary>The shared register on Azure Tables (Azurite) through the cmdlets: connecting, working on it, and copying to and from it.</summary>
public sealed class TableRegisterCmdletTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly AzuriteServer azurite;
    private readonly TempDirectory temp = new();
    private readonly PowerShellSession session;
    private readonly string name = "m" + Guid.NewGuid().ToString("N").Substring(0, 12);

    public TableRegisterCmdletTests(AzuriteFixture fixture)
    {
        azurite = fixture.Server;
        session = new PowerShellSession(temp.File("local.db"));
        session.Run(Scripts.NewAgreement("DS1") + " | Out-Null").AssertNoErrors();
    }

    private string ConnectTables(string suffix = "") => $"Connect-DataShareRegister -ConnectionString $args[0] -RegisterName {name}{suffix} -Create";

    [Fact]
    public void The_cmdlets_work_the_same_on_the_shared_register()
    {
        var info = session.Run(ConnectTables() + " -PassThru", azurite.ConnectionString).AssertNoErrors().Single<RegisterInfo>();
        Assert.Equal(("AzureTables", 7), (info.Backend, info.SchemaVersion));
        Assert.EndsWith("/DataShareRegister#" + name, info.Location, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", info.Location, StringComparison.Ordinal);

        session.Run(Scripts.Organisations + Environment.NewLine + Scripts.NewAgreement("DS7") + " | Out-Null" + Environment.NewLine +
            "Add-DataShareRecipient DS7 -Name Jo -Email jo@example.org | Set-DataShareRecipient -DeclarationSignedOn 2026-01-05").AssertNoErrors();

        Assert.Equal(new[] { "DS7" }, session.Run("Get-DataShareAgreement").AssertNoErrors().All<DataShareAgreement>().Select(a => a.Id));
        Assert.Equal("jo@example.org", session.Run("Get-DataShareRecipient DS7").AssertNoErrors().Single<DataShareRecipient>().Email);
        var audit = session.Run("Test-DataShareAuditLog").AssertNoErrors().Single<AuditLogTestResult>();
        Assert.True(audit.IsIntact, audit.Problem);
        Assert.Equal(6, audit.EntryCount);

        // Back to the file: it still has only its own agreement.
        session.Run("Connect-DataShareRegister -Path $args[0]", temp.File("local.db")).AssertNoErrors();
        Assert.Equal(new[] { "DS1" }, session.Run("Get-DataShareAgreement").All<DataShareAgreement>().Select(a => a.Id));
    }

    [Fact]
    public void A_register_is_copied_to_tables_and_back_checked_and_never_into_a_register_that_holds_records()
    {
        var preview = session.Run($"Copy-DataShareRegister -DestinationConnectionString $args[0] -RegisterName {name}c -WhatIf", azurite.ConnectionString);
        preview.AssertNoErrors();
        Assert.Empty(preview.Output);
        session.RunTerminating("Connect-DataShareRegister -ConnectionString $args[0] -RegisterName " + name + "c -ReadOnly", azurite.ConnectionString)
            .AssertError("RegisterNotFound", ErrorCategory.ObjectNotFound, "ConnectDataShareRegisterCommand");

        // That failed connect left the session with no register: back to the file to copy from it.
        session.Run("Connect-DataShareRegister -Path $args[0]", temp.File("local.db")).AssertNoErrors();
        var there = session.Run($"Copy-DataShareRegister -DestinationConnectionString $args[0] -RegisterName {name}c -Confirm:$false", azurite.ConnectionString)
            .AssertNoErrors().Single<RegisterCopyResult>();
        Assert.True(there.Verified, there.Problem);
        Assert.Equal((1L, 2L), (there.Agreements, there.Organisations));

        session.Run(ConnectTables("c"), azurite.ConnectionString).AssertNoErrors();
        var home = session.Run("Copy-DataShareRegister -Destination $args[0] -Confirm:$false", temp.File("back.db")).AssertNoErrors().Single<RegisterCopyResult>();
        Assert.True(home.Verified, home.Problem);
        Assert.Equal(there.SourceHead, home.DestinationHead);

        var before = session.Run("Test-DataShareAuditLog").Single<AuditLogTestResult>().Head;
        session.Run("Connect-DataShareRegister -Path $args[0]", temp.File("local.db")).AssertNoErrors();
        session.Run($"Copy-DataShareRegister -DestinationConnectionString $args[0] -RegisterName {name}c -Confirm:$false", azurite.ConnectionString).SingleError()
            .AssertError("RegisterCopyDestinationNotEmpty", ErrorCategory.ResourceExists, "CopyDataShareRegisterCommand");
        session.Run(ConnectTables("c"), azurite.ConnectionString).AssertNoErrors();
        Assert.Equal(before, session.Run("Test-DataShareAuditLog").Single<AuditLogTestResult>().Head);

        // The shared register into itself is refused as such, named by its connection string or not.
        session.Run($"Copy-DataShareRegister -DestinationConnectionString $args[0] -RegisterName {name}c -Confirm:$false", azurite.ConnectionString).SingleError()
            .AssertError("RegisterCopyToItself", ErrorCategory.InvalidArgument, "CopyDataShareRegisterCommand");
    }

    [Fact]
    public void Tab_completion_reads_the_shared_register_and_leaves_the_session_able_to_write()
    {
        session.Run(ConnectTables("t"), azurite.ConnectionString).AssertNoErrors();
        session.Run(Scripts.Organisations + Environment.NewLine + Scripts.NewAgreement("DS00752") + " | Out-Null").AssertNoErrors();
        const string input = "Get-DataShareAgreement -Id DS007";
        using (var shell = PowerShell.Create())
        {
            shell.Runspace = session.Runspace;
            var completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);
            Assert.Equal(new[] { "DS00752" }, completion.CompletionMatches.Select(m => m.CompletionText));
        }

        // The completion opened the register read-only for a moment; the session's connection is still read-write.
        session.Run(Scripts.NewAgreement("DS00753") + " | Out-Null").AssertNoErrors();
        Assert.Equal(2, session.Run("Get-DataShareAgreement").All<DataShareAgreement>().Count());
    }

    [Theory]
    [InlineData("Connect-DataShareRegister -ConnectionString $args[0] -TableName 9lives", "RegisterTableNameInvalid", "ConnectDataShareRegisterCommand")]
    [InlineData("Connect-DataShareRegister -ConnectionString $args[0] -RegisterName 'two words'", "RegisterNameInvalid", "ConnectDataShareRegisterCommand")]
    [InlineData("Connect-DataShareRegister -ConnectionString 'NO_SUCH_VARIABLE_FOR_DSA'", "RegisterConnectionStringInvalid", "ConnectDataShareRegisterCommand")]
    [InlineData("Connect-DataShareRegister -TableEndpoint http://contosodata.table.core.windows.net", "RegisterEndpointInsecure", "ConnectDataShareRegisterCommand")]
    [InlineData("Copy-DataShareRegister -Destination $args[1] -Confirm:$false", "RegisterCopyToItself", "CopyDataShareRegisterCommand")]
    public void Bad_input_gets_a_specific_error_and_the_session_keeps_its_register(string script, string errorId, string commandClass)
    {
        var result = session.Run(script + " -ErrorAction Continue", azurite.ConnectionString, temp.File("local.db"));

        var error = Assert.Single(result.Errors);
        error.AssertError(errorId, ErrorCategory.InvalidArgument, commandClass);
        var info = session.Run("Connect-DataShareRegister -Path $args[0] -PassThru", temp.File("local.db")).Single<RegisterInfo>();
        Assert.Equal("SQLite", info.Backend);
        Assert.Equal(new[] { "DS1" }, session.Run("Get-DataShareAgreement").All<DataShareAgreement>().Select(a => a.Id));
        Assert.False(File.Exists(temp.File("nowhere.db")));
    }

    public void Dispose()
    {
        session.Dispose();
        temp.Dispose();
    }
}
