using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace DataShareAdmin.Module.Tests;

public sealed class RecipientCmdletTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly PowerShellSession session;

    public RecipientCmdletTests()
    {
        session = new PowerShellSession(temp.File("register.db"));
        session.Run(string.Join("; ",
            Scripts.NewAgreement("DS1"), Scripts.NewAgreement("DS2"), Scripts.NewAgreement("DS3"),
            "Approve-DataShareAgreement DS1 -Reference R -ApprovedOn 2025-12-01",
            "Approve-DataShareAgreement DS2 -Reference R -ApprovedOn 2025-12-01")).AssertNoErrors();
    }

    [Fact]
    public void Active_agreements_piped_to_get_recipient_list_their_people_not_a_recipient_by_agreement_id()
    {
        session.Run("""
            Add-DataShareRecipient -AgreementId DS1 -Name 'Jo Bloggs' -Email jo@example.org -Role Analyst
            Add-DataShareRecipient -AgreementId DS2 -Name 'Sam Smith' -Email sam@example.org
            Add-DataShareRecipient -AgreementId DS3 -Name 'Pending Person' -Email pending@example.org
            """).AssertNoErrors();

        var result = session.Run("Get-DataShareAgreement -Status Active -AsOf 2026-06-01 | Get-DataShareRecipient").AssertNoErrors();

        Assert.Equal(new[] { ("DS1", "jo@example.org"), ("DS2", "sam@example.org") }, result.All<DataShareRecipient>().Select(r => (r.AgreementId, r.Email)));
    }

    [Fact]
    public void Recipients_piped_on_bind_by_value_and_by_property_name()
    {
        session.Run("Add-DataShareRecipient DS1 -Name Jo -Email jo@example.org").AssertNoErrors();

        session.Run("Get-DataShareRecipient -AgreementId DS1 | Set-DataShareRecipient -DeclarationSignedOn 2026-01-10 -TrainingCompletedOn 2025-12-01").AssertNoErrors();
        session.Run("Get-DataShareRecipient -AgreementId DS1 | ForEach-Object { [pscustomobject]@{ Id = $_.Id } } | Set-DataShareRecipient -Role Lead").AssertNoErrors();

        var recipient = session.Run("Get-DataShareRecipient DS1").Single<DataShareRecipient>();
        Assert.Equal((new DateTime(2026, 1, 10), new DateTime(2025, 12, 1), "Lead"), (recipient.DeclarationSignedOn!.Value, recipient.TrainingCompletedOn!.Value, recipient.Role));
        Assert.Equal(recipient.Id, session.Run("Get-DataShareRecipient -Id $args[0]", recipient.Id).Single<DataShareRecipient>().Id);

        // A recipient's AgreementId reaches Get-DataShareRecipient -AgreementId by property name.
        Assert.Single(session.Run("Get-DataShareRecipient -Id $args[0] | Get-DataShareRecipient", recipient.Id).AssertNoErrors().Output);
    }

    [Fact]
    public void People_import_from_a_csv_and_are_one_person_across_agreements()
    {
        var csv = temp.File("people.csv");
        File.WriteAllLines(csv, new[] { "Name,Email,Role", "Jo Bloggs,jo@example.org,Analyst", "Sam Smith,sam@example.org,", "Bad Row,not-an-email,x" });

        // Import-Csv is not in the hosted engine's core set; its objects have the same shape as these.
        var result = session.Run("""
            $rows = [System.IO.File]::ReadAllLines($args[0]) | ForEach-Object { $_ } | Where-Object { $_ -notlike 'Name,*' } | ForEach-Object {
                $f = $_.Split(','); [pscustomobject]@{ Name = $f[0]; Email = $f[1]; Role = $f[2] } }
            $rows | Add-DataShareRecipient -AgreementId DS1
            """, csv);

        Assert.Equal(new[] { "jo@example.org", "sam@example.org" }, result.All<DataShareRecipient>().Select(r => r.Email));
        var error = result.SingleError();
        error.AssertError("RecipientEmailInvalid", ErrorCategory.InvalidArgument, "AddDataShareRecipientCommand");
        Assert.Equal("not-an-email", error.TargetObject);

        var again = session.Run("Add-DataShareRecipient -AgreementId DS2 -Name 'Jo Bloggs' -Email JO@Example.org").AssertNoErrors().Single<DataShareRecipient>();
        Assert.Equal(result.All<DataShareRecipient>().First().PersonId, again.PersonId);
    }

    [Fact]
    public void An_agreement_piped_whole_to_add_recipient_binds_to_its_agreement()
    {
        var added = session.Run("Get-DataShareAgreement DS2 | Add-DataShareRecipient -Name Jo -Email jo@example.org").AssertNoErrors().Single<DataShareRecipient>();
        Assert.Equal("DS2", added.AgreementId);
    }

    [Fact]
    public void An_agreement_piped_to_set_recipient_is_refused_clearly_rather_than_matched_as_a_recipient()
    {
        var result = session.Run("Get-DataShareAgreement DS1 | Set-DataShareRecipient -Role x");
        result.SingleError().AssertError("RecipientIdInvalid", ErrorCategory.InvalidArgument, "SetDataShareRecipientCommand");
        Assert.Contains("-AgreementId", result.Errors[0].Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Removal_keeps_history_and_WhatIf_changes_nothing()
    {
        var id = session.Run("(Add-DataShareRecipient DS1 -Name Jo -Email jo@example.org).Id").AssertNoErrors().Single<string>();
        var before = session.AuditCount();

        session.Run("Remove-DataShareRecipient -Id $args[0] -Reason 'Left' -WhatIf", id).AssertNoErrors();
        session.Run("Set-DataShareRecipient -Id $args[0] -Role Changed -WhatIf", id).AssertNoErrors();
        session.Run("Add-DataShareRecipient DS2 -Name Jo -Email jo@example.org -WhatIf").AssertNoErrors();
        Assert.Equal(before, session.AuditCount());
        Assert.Single(session.Run("Get-DataShareRecipient").Output);

        session.Run("Get-DataShareRecipient -Id $args[0] | Remove-DataShareRecipient -Reason 'Left the project'", id).AssertNoErrors();
        Assert.Empty(session.Run("Get-DataShareRecipient DS1").Output);
        var kept = session.Run("Get-DataShareRecipient DS1 -IncludeRemoved").Single<DataShareRecipient>();
        Assert.Equal((false, "Left the project"), (kept.IsActive, kept.RemovedReason));
        var entry = session.Run("Get-DataShareAuditLog -Action Recipient.Remove").Single<AuditEntry>();
        Assert.Equal(id, entry.TargetId);
    }

    [Theory]
    [InlineData("Add-DataShareRecipient DS404 -Name Jo -Email jo@example.org", "AgreementNotFound", ErrorCategory.ObjectNotFound, "AddDataShareRecipientCommand")]
    [InlineData("Add-DataShareRecipient DS1 -Name Jo -Email 'jo at example'", "RecipientEmailInvalid", ErrorCategory.InvalidArgument, "AddDataShareRecipientCommand")]
    [InlineData("Get-DataShareRecipient DS404", "AgreementNotFound", ErrorCategory.ObjectNotFound, "GetDataShareRecipientCommand")]
    [InlineData("Get-DataShareRecipient -Id RC-0000000000", "RecipientNotFound", ErrorCategory.ObjectNotFound, "GetDataShareRecipientCommand")]
    [InlineData("Set-DataShareRecipient -Id DS1 -Role x", "RecipientIdInvalid", ErrorCategory.InvalidArgument, "SetDataShareRecipientCommand")]
    [InlineData("Remove-DataShareRecipient -Id RC-0000000000", "RecipientNotFound", ErrorCategory.ObjectNotFound, "RemoveDataShareRecipientCommand")]
    public void Bad_input_gives_a_specific_error_and_writes_nothing(string script, string errorId, ErrorCategory category, string commandClass)
    {
        var before = session.AuditCount();
        session.Run(script).SingleError().AssertError(errorId, category, commandClass);
        Assert.Equal(before, session.AuditCount());
    }

    [Fact]
    public void Recipient_ids_are_accepted_in_any_case()
    {
        var id = session.Run("(Add-DataShareRecipient DS1 -Name Jo -Email jo@example.org).Id").Single<string>();
        session.Run("Set-DataShareRecipient -Id $args[0] -Role Lead", id.ToLowerInvariant()).AssertNoErrors();
        Assert.Equal("Lead", session.Run("Get-DataShareRecipient -Id $args[0]", id.ToLowerInvariant()).Single<DataShareRecipient>().Role);
        session.Run("Remove-DataShareRecipient -Id $args[0]", " " + id.ToLowerInvariant()).AssertNoErrors();
        Assert.Empty(session.Run("Get-DataShareRecipient DS1").Output);
    }

    [Fact]
    public void Recipients_piped_back_in_list_their_agreement_once()
    {
        session.Run("Add-DataShareRecipient DS1 -Name Jo -Email jo@example.org; Add-DataShareRecipient DS1 -Name Sam -Email sam@example.org").AssertNoErrors();
        Assert.Equal(2, session.Run("Get-DataShareRecipient DS1 | Get-DataShareRecipient").AssertNoErrors().Output.Count);
    }

    [Fact]
    public void A_future_declaration_date_is_refused()
    {
        var id = session.Run("(Add-DataShareRecipient DS1 -Name Jo -Email jo@example.org).Id").Single<string>();
        var before = session.AuditCount();
        session.Run("Set-DataShareRecipient -Id $args[0] -DeclarationSignedOn ([datetime]::Today.AddDays(2))", id)
            .SingleError().AssertError("RecipientDateInvalid", ErrorCategory.InvalidArgument, "SetDataShareRecipientCommand");
        Assert.Equal(before, session.AuditCount());
    }

    public void Dispose()
    {
        session.Dispose();
        temp.Dispose();
    }
}
