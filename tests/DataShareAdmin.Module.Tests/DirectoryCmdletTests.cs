using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Module.Tests;

/// <summary>The directory cmdlets in a hosted runspace against a loopback fake of Microsoft Graph, through the real SDK.</summary>
public sealed class DirectoryCmdletTests : IDisposable
{
    private const string Token = "secret-graph-token-4b1d";
    private const string JoId = "6f2d1c3a-1b2c-4d5e-8f90-a1b2c3d4e5f6";
    private const string SamId = "0b7e4d2a-9a64-4f0e-8c1f-3a520b7e4d2a";
    private const string Group = "8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90";

    private readonly TempDirectory temp = new();
    private readonly PowerShellSession session;
    private readonly FakeGraphServer graph = new();

    public DirectoryCmdletTests()
    {
        session = new PowerShellSession(temp.File("register.db"));
        graph.AddUser(JoId, "jo_example.org#EXT#@contoso.onmicrosoft.com", "jo@example.org", "Guest");
        graph.AddUser(SamId, "sam@contoso.org", "sam@contoso.org", "Member", enabled: false);
        graph.AddGroup(Group, JoId, SamId);
        session.Run(string.Join(Environment.NewLine,
            Scripts.NewAgreement("DS1", Scripts.Day(-30), Scripts.Day(20)) + $" -AccessGroupId {Group} -OfficerName 'Ada Officer' -OfficerEmail ada@council.example | Out-Null",
            $"Approve-DataShareAgreement DS1 -Reference DSAP-1 -ApprovedOn {Scripts.Day(-40)}",
            "Add-DataShareRecipient DS1 -Name Jo -Email jo@example.org | Out-Null",
            "Add-DataShareRecipient DS1 -Name Sam -Email sam@contoso.org | Out-Null",
            "Add-DataShareRecipient DS1 -Name Nobody -Email nobody@example.org | Out-Null")).AssertNoErrors();
    }

    private void Connect() => session.Run("Connect-DataShareDirectory -AccessToken $args[0] -GraphEndpoint $args[1] -AllowHttpLoopback", Secure(Token), graph.GraphEndpoint).AssertNoErrors();

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    [Fact]
    public void Resolve_records_each_account_and_says_which_are_missing_or_disabled()
    {
        Connect();

        var result = session.Run("Get-DataShareAgreement DS1 | Resolve-DataShareRecipient -Verbose");

        result.AssertNoErrors();
        var resolutions = result.All<DirectoryResolution>().OrderBy(r => r.Email, StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { ("jo@example.org", DirectoryMatch.Resolved), ("nobody@example.org", DirectoryMatch.NotFound), ("sam@contoso.org", DirectoryMatch.Disabled) },
            resolutions.Select(r => (r.Email, r.Status)));
        Assert.Equal(("Guest", "jo_example.org#EXT#@contoso.onmicrosoft.com"), (resolutions[0].UserType, resolutions[0].UserPrincipalName));
        Assert.Contains(result.Warnings, w => w.Message.Contains("nobody@example.org", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Message.Contains("disabled", StringComparison.Ordinal));

        var jo = session.Run("Get-DataShareRecipient DS1 -Email jo@example.org").AssertNoErrors().Single<DataShareRecipient>();
        Assert.Equal(JoId, jo.DirectoryObjectId);
        Assert.All(graph.Requests, r => Assert.Equal("Bearer " + Token, r.Header("Authorization")));

        // The token never reaches the audit log or any stream.
        var audit = session.Run("Get-DataShareAuditLog -Action 'Person.Resolve'").AssertNoErrors().All<AuditEntry>();
        Assert.Equal(2, audit.Count());
        var everything = string.Join("\n", session.Run("Get-DataShareAuditLog").All<AuditEntry>().SelectMany(e => e.Details.Values))
            + string.Join("\n", result.Verbose.Select(v => v.Message)) + string.Join("\n", result.Warnings.Select(w => w.Message));
        Assert.DoesNotContain(Token, everything, StringComparison.Ordinal);
    }

    [Fact]
    public void Connected_readiness_checks_the_account_and_revoke_takes_people_out_of_the_access_group()
    {
        Connect();
        session.Run("Resolve-DataShareRecipient DS1 -WarningAction SilentlyContinue | Out-Null").AssertNoErrors();

        var tests = session.Run("Test-DataShareRecipient DS1").AssertNoErrors().All<RecipientTestResult>().ToDictionary(r => r.Email);
        Assert.True(tests["jo@example.org"].Checks.Single(c => c.Name == "Directory").Passed);
        Assert.Contains("disabled", tests["sam@contoso.org"].Checks.Single(c => c.Name == "Directory").Reason, StringComparison.Ordinal);
        Assert.Contains("Resolve-DataShareRecipient", tests["nobody@example.org"].Checks.Single(c => c.Name == "Directory").Reason, StringComparison.Ordinal);

        var whatIf = session.Run("Revoke-DataShareAccess DS1 -WhatIf");
        whatIf.AssertNoErrors();
        Assert.DoesNotContain(graph.Requests, r => r.Method == "DELETE");
        Assert.Equal(new[] { JoId, SamId }, graph.MembersOf(Group));

        var changes = session.Run("Revoke-DataShareAccess DS1 -Confirm:$false -WarningAction SilentlyContinue").AssertNoErrors().All<AccessChange>().ToList();
        Assert.Equal(2, changes.Count(c => c.Action == AccessAction.RemovedFromGroup));
        Assert.Equal("nobody@example.org", changes.Single(c => c.Action == AccessAction.NotResolved).Email);
        Assert.Empty(graph.MembersOf(Group));
        Assert.Equal(2, session.Run("Get-DataShareAuditLog -Action 'Access.Revoke'").All<AuditEntry>().Count());
    }

    [Fact]
    public void Notices_show_who_would_be_mailed_without_connecting_and_are_sent_once_connected()
    {
        var preview = session.Run("Send-DataShareNotice -Kind AgreementEnding -WithinDays 30 -WhatIf");

        preview.AssertNoErrors();
        Assert.Empty(preview.Output);
        Assert.Empty(graph.Requests);

        Connect();
        var sent = session.Run("Send-DataShareNotice AgreementEnding -WithinDays 30 -Confirm:$false").AssertNoErrors().Single<DataShareNotice>();
        Assert.Equal(new[] { "jo@example.org", "nobody@example.org", "sam@contoso.org" }, sent.To.OrderBy(t => t, StringComparer.Ordinal));
        Assert.Equal(new[] { "ada@council.example" }, sent.Cc);
        var mail = Assert.Single(graph.Mails);
        Assert.Contains("DS1", mail.Subject, StringComparison.Ordinal);
        Assert.Single(session.Run("Get-DataShareAuditLog -Action 'Notice.Send'").All<AuditEntry>());

        // A second run the same day mails nothing (NoticeRepeatDays), and says so with -Verbose; -Force mails it again.
        var again = session.Run("Send-DataShareNotice AgreementEnding -Confirm:$false -Verbose").AssertNoErrors();
        Assert.Empty(again.Output);
        Assert.Contains(again.Verbose, v => v.Message.Contains("again", StringComparison.Ordinal) && v.Message.Contains("-Force", StringComparison.Ordinal));
        session.Run("Send-DataShareNotice AgreementEnding -Force -Confirm:$false").AssertNoErrors().Single<DataShareNotice>();
        Assert.Equal(2, graph.Mails.Count);
    }

    [Theory]
    [InlineData("Connect-DataShareDirectory -AccessToken $args[0] -GraphEndpoint http://graph.example.org/v1.0", "DirectoryEndpointInsecure", ErrorCategory.InvalidArgument, "ConnectDataShareDirectoryCommand")]
    [InlineData("Connect-DataShareDirectory -AccessToken $args[0] -GraphEndpoint 'https://graph.microsoft.com/v1.0?x=1'", "DirectoryEndpointInvalid", ErrorCategory.InvalidArgument, "ConnectDataShareDirectoryCommand")]
    [InlineData("Connect-DataShareDirectory -DeviceCode -TenantId contoso.onmicrosoft.com", "DirectorySignInIncomplete", ErrorCategory.InvalidArgument, "ConnectDataShareDirectoryCommand")]
    [InlineData("Send-DataShareNotice AgreementEnding -AgreementId NOPE1 -WhatIf", "AgreementNotFound", ErrorCategory.ObjectNotFound, "SendDataShareNoticeCommand")]
    [InlineData("Resolve-DataShareRecipient DS1", "DirectoryNotConnected", ErrorCategory.InvalidOperation, "ResolveDataShareRecipientCommand")]
    [InlineData("Revoke-DataShareAccess DS1 -Confirm:$false", "DirectoryNotConnected", ErrorCategory.InvalidOperation, "RevokeDataShareAccessCommand")]
    [InlineData("Send-DataShareNotice AgreementEnding -Confirm:$false", "DirectoryNotConnected", ErrorCategory.InvalidOperation, "SendDataShareNoticeCommand")]
    [InlineData("Send-DataShareNotice TransferIssued", "NoticeKindNeedsTransfer", ErrorCategory.InvalidArgument, "SendDataShareNoticeCommand")]
    [InlineData("[DataShareAdmin.DataShareTransfer]@{ Id = 'TR-0000000000'; AgreementId = 'DS1' } | Send-DataShareNotice TransferIssued -Confirm:$false", "TransferLinkUnavailable", ErrorCategory.InvalidOperation, "SendDataShareNoticeCommand")]
    [InlineData("Set-DataShareAgreement DS1 -AccessGroupId 'not-a-group'", "AgreementAccessGroupInvalid", ErrorCategory.InvalidArgument, "SetDataShareAgreementCommand")]
    [InlineData("Set-DataShareAgreement DS1 -OfficerEmail 'ada at council'", "AgreementOfficerEmailInvalid", ErrorCategory.InvalidArgument, "SetDataShareAgreementCommand")]
    public void Bad_input_gets_a_specific_error_and_changes_nothing(string script, string errorId, ErrorCategory category, string commandClass)
    {
        var before = session.AuditCount();

        var result = session.Run(script, Secure(Token));

        Assert.Empty(result.Output);
        result.SingleError().AssertError(errorId, category, commandClass);
        Assert.Equal(before, session.AuditCount());
        Assert.Empty(graph.Requests);
        Assert.Equal(new[] { Group }, session.Run("Get-DataShareAgreement DS1").Single<DataShareAgreement>().AccessGroupIds);
    }

    public void Dispose()
    {
        session.Dispose();
        graph.Dispose();
        temp.Dispose();
    }
}
