using System;
using System.Linq;
using System.Management.Automation;

namespace DataShareAdmin.Module.Tests;

public sealed class AgreementCmdletTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly PowerShellSession session;

    public AgreementCmdletTests() => session = new PowerShellSession(temp.File("register.db"));

    [Fact]
    public void New_get_approve_and_set_round_trip_through_the_pipeline()
    {
        var created = session.Run(Scripts.NewAgreement("DS00752")).AssertNoErrors().Single<DataShareAgreement>();
        Assert.Equal(new[] { "KS2 attainment:B3", "FSM eligibility:C4" }, created.DataItems.Select(i => i.ToString()));

        session.Run("Get-DataShareAgreement DS00752 | Approve-DataShareAgreement -Reference DSAP-2026-001 -ApprovedOn 2026-01-01").AssertNoErrors();
        session.Run("Get-DataShareAgreement -Id DS00752 | Set-DataShareAgreement -Title 'Renamed' -RetentionDays 14").AssertNoErrors();

        var read = session.Run("Get-DataShareAgreement -Id ds00752 -AsOf 2026-06-01").AssertNoErrors().Single<DataShareAgreement>();
        Assert.Equal(("Renamed", 14, "DSAP-2026-001", AgreementStatus.Active), (read.Title, read.RetentionDays, read.ApprovalReference, read.Status));
        Assert.Equal(3, session.AuditCount());
    }

    [Fact]
    public void Data_items_bind_from_hashtables_and_the_short_form()
    {
        var created = session.Run(Scripts.NewAgreement("DS1").Replace("-DataItem 'KS2 attainment:B3', 'FSM eligibility:C4'", "-DataItem @{ Name = 'CIN'; Sensitivity = 'd'; IdentificationRisk = 5 }, 'KS4:A1'", StringComparison.Ordinal))
            .AssertNoErrors().Single<DataShareAgreement>();
        Assert.Equal(new[] { "CIN:D5", "KS4:A1" }, created.DataItems.Select(i => i.ToString()));
    }

    [Fact]
    public void Several_data_items_fit_in_one_csv_cell()
    {
        var created = session.Run("[pscustomobject]@{ Id = 'CSV9'; Organisation = 'O'; Title = 'T'; Purpose = 'P'; LegalGateway = 'G'; LawfulBasis = 'B'; StartsOn = '2026-01-01'; EndsOn = '2026-12-31'; DataItem = 'KS2:B3; FSM:C4;' } | New-DataShareAgreement")
            .AssertNoErrors().Single<DataShareAgreement>();
        Assert.Equal(new[] { "KS2:B3", "FSM:C4" }, created.DataItems.Select(i => i.ToString()));
    }

    [Fact]
    public void Get_filters_by_wildcard_and_status_as_of_a_date()
    {
        session.Run(Scripts.NewAgreement("DS1", "2026-01-01", "2026-06-30") + "; " + Scripts.NewAgreement("DS2") + "; " + Scripts.NewAgreement("XY3")).AssertNoErrors();
        session.Run("Approve-DataShareAgreement DS1 -Reference R -ApprovedOn 2025-12-01; Approve-DataShareAgreement DS2 -Reference R -ApprovedOn 2025-12-01").AssertNoErrors();

        Assert.Equal(new[] { "DS1", "DS2" }, session.Run("Get-DataShareAgreement -Id DS*").AssertNoErrors().All<DataShareAgreement>().Select(a => a.Id));
        Assert.Equal(new[] { "DS2" }, session.Run("Get-DataShareAgreement -Status Active -AsOf 2026-07-01").All<DataShareAgreement>().Select(a => a.Id));
        Assert.Equal(new[] { "DS1" }, session.Run("Get-DataShareAgreement -Status Ended -AsOf 2026-07-01").All<DataShareAgreement>().Select(a => a.Id));
        Assert.Equal(new[] { "XY3" }, session.Run("Get-DataShareAgreement -Status Pending").All<DataShareAgreement>().Select(a => a.Id));
        Assert.Empty(session.Run("Get-DataShareAgreement -Id 'ZZ*'").AssertNoErrors().Output);
    }

    [Fact]
    public void Suspension_is_set_and_lifted()
    {
        session.Run(Scripts.NewAgreement("DS1") + "; Approve-DataShareAgreement DS1 -Reference R -ApprovedOn 2025-12-01").AssertNoErrors();
        var suspended = session.Run("Set-DataShareAgreement DS1 -Suspended $true -PassThru").AssertNoErrors().Single<DataShareAgreement>();
        Assert.True(suspended.IsSuspended);
        Assert.Equal(AgreementStatus.Suspended, session.Run("Get-DataShareAgreement DS1 -AsOf 2026-06-01").Single<DataShareAgreement>().Status);
        session.Run("Set-DataShareAgreement DS1 -Suspended $false").AssertNoErrors();
        Assert.Equal(AgreementStatus.Active, session.Run("Get-DataShareAgreement DS1 -AsOf 2026-06-01").Single<DataShareAgreement>().Status);
    }

    [Theory]
    [InlineData("-StartsOn 2026-06-01 -EndsOn 2026-05-31", "AgreementDatesInvalid")]
    [InlineData("-StartsOn 2026-01-01 -EndsOn 2026-12-31 -DataItem 'Bad:F9'", "DataItemClassificationInvalid")]
    [InlineData("-StartsOn 2026-01-01 -EndsOn 2026-12-31 -DataItem @{ Name = 'Bad'; Sensitivity = 'B'; IdentificationRisk = 7 }", "DataItemClassificationInvalid")]
    [InlineData("-StartsOn 2026-01-01 -EndsOn 2026-12-31 -RetentionDays -1", "AgreementRetentionInvalid")]
    public void Bad_agreements_are_refused_with_a_specific_error_and_write_nothing(string arguments, string errorId)
    {
        var result = session.Run("New-DataShareAgreement -Id DS9 -Organisation O -Title T -Purpose P -LegalGateway G -LawfulBasis B " + arguments);

        Assert.Empty(result.Output);
        result.SingleError().AssertError(errorId, ErrorCategory.InvalidArgument, "NewDataShareAgreementCommand");
        Assert.Empty(session.Run("Get-DataShareAgreement").Output);
        Assert.Equal(0, session.AuditCount());
    }

    [Fact]
    public void A_bad_id_and_a_duplicate_id_are_refused()
    {
        session.Run(Scripts.NewAgreement("DS1")).AssertNoErrors();

        session.Run(Scripts.NewAgreement("DS--1")).SingleError().AssertError("AgreementIdInvalid", ErrorCategory.InvalidArgument, "NewDataShareAgreementCommand");
        session.Run(Scripts.NewAgreement("ds1")).SingleError().AssertError("AgreementExists", ErrorCategory.ResourceExists, "NewDataShareAgreementCommand");
        Assert.Equal(1, session.AuditCount());
    }

    [Fact]
    public void Unknown_agreements_give_not_found_and_the_pipeline_goes_on()
    {
        session.Run(Scripts.NewAgreement("DS1")).AssertNoErrors();
        var result = session.Run("Get-DataShareAgreement -Id DS404, DS1");

        Assert.Equal("DS1", result.Single<DataShareAgreement>().Id);
        result.SingleError().AssertError("AgreementNotFound", ErrorCategory.ObjectNotFound, "GetDataShareAgreementCommand");
        Assert.Equal("DS404", result.Errors[0].TargetObject);

        session.Run("Set-DataShareAgreement DS404 -Title x").SingleError().AssertError("AgreementNotFound", ErrorCategory.ObjectNotFound, "SetDataShareAgreementCommand");
        session.Run("Approve-DataShareAgreement DS404 -Reference R").SingleError().AssertError("AgreementNotFound", ErrorCategory.ObjectNotFound, "ApproveDataShareAgreementCommand");
    }

    [Fact]
    public void Approving_twice_is_refused()
    {
        session.Run(Scripts.NewAgreement("DS1") + "; Approve-DataShareAgreement DS1 -Reference R -ApprovedOn 2025-12-01").AssertNoErrors();
        session.Run("Approve-DataShareAgreement DS1 -Reference R2").SingleError().AssertError("AgreementAlreadyApproved", ErrorCategory.InvalidOperation, "ApproveDataShareAgreementCommand");
        Assert.Equal(2, session.AuditCount());
    }

    [Fact]
    public void WhatIf_changes_nothing_for_any_agreement_cmdlet()
    {
        session.Run(Scripts.NewAgreement("DS1")).AssertNoErrors();

        Assert.Empty(session.Run(Scripts.NewAgreement("DS2") + " -WhatIf").AssertNoErrors().Output);
        session.Run("Set-DataShareAgreement DS1 -Title Changed -WhatIf -PassThru").AssertNoErrors();
        session.Run("Approve-DataShareAgreement DS1 -Reference R -WhatIf").AssertNoErrors();
        session.Run("Get-DataShareAgreement DS1 | Set-DataShareAgreement -Suspended $true -WhatIf").AssertNoErrors();

        var agreement = session.Run("Get-DataShareAgreement").Single<DataShareAgreement>();
        Assert.Equal(("DS1", "Attainment study DS1", AgreementStatus.Pending, false), (agreement.Id, agreement.Title, agreement.Status, agreement.IsSuspended));
        Assert.Equal(1, session.AuditCount());
    }

    [Fact]
    public void Agreements_import_from_csv_style_objects_by_property_name()
    {
        var result = session.Run("""
            $rows = @(
                [pscustomobject]@{ Id = 'CSV1'; Organisation = 'O'; Title = 'T1'; Purpose = 'P'; LegalGateway = 'G'; LawfulBasis = 'B'; StartsOn = '2026-01-01'; EndsOn = '2026-12-31'; DataItem = 'KS2:B3' }
                [pscustomobject]@{ Id = 'CSV2'; Organisation = 'O'; Title = 'T2'; Purpose = 'P'; LegalGateway = 'G'; LawfulBasis = 'B'; StartsOn = '2026-02-01'; EndsOn = '2026-01-01'; DataItem = 'KS2:B3' }
                [pscustomobject]@{ Id = 'CSV3'; Organisation = 'O'; Title = 'T3'; Purpose = 'P'; LegalGateway = 'G'; LawfulBasis = 'B'; StartsOn = '2026-01-01'; EndsOn = '2026-12-31'; AccessRoute = 'DirectTransfer' }
            )
            $rows | New-DataShareAgreement
            """);

        Assert.Equal(new[] { "CSV1", "CSV3" }, result.All<DataShareAgreement>().Select(a => a.Id));
        Assert.Equal(AccessRoute.DirectTransfer, result.All<DataShareAgreement>().Last().AccessRoute);
        result.SingleError().AssertError("AgreementDatesInvalid", ErrorCategory.InvalidArgument, "NewDataShareAgreementCommand");
    }

    [Fact]
    public void Tab_completion_offers_agreement_ids_from_the_register()
    {
        session.Run(Scripts.NewAgreement("DS00752") + "; " + Scripts.NewAgreement("DS00901") + "; " + Scripts.NewAgreement("XY1")).AssertNoErrors();
        const string input = "Get-DataShareAgreement -Id DS0";
        using var shell = PowerShell.Create();
        shell.Runspace = session.Runspace;

        var completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);

        Assert.Equal(new[] { "DS00752", "DS00901" }, completion.CompletionMatches.Select(m => m.CompletionText));
    }

    public void Dispose()
    {
        session.Dispose();
        temp.Dispose();
    }
}
