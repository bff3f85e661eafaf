using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace DataShareAdmin.Module.Tests;

/// <summary>Organisations, security assessments and direct-transfer justifications through the cmdlets, in a hosted runspace.</summary>
public sealed class OrganisationCmdletTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly PowerShellSession session;

    public OrganisationCmdletTests() => session = new PowerShellSession(temp.File("register.db"));

    private static string Day(int offset) => Scripts.Day(offset);

    [Fact]
    public void Organisations_are_created_from_the_pipeline_found_by_name_or_from_an_agreement_and_changed()
    {
        var created = session.Run("""
            @(
                [pscustomobject]@{ Name = 'Northshire Research Institute'; Address = '2 Quay Street'; ProtectionOfficerEmail = 'dpo@northshire.example' }
                [pscustomobject]@{ Name = 'Southshire Trust' }
            ) | New-DataShareOrganisation
            """).AssertNoErrors().All<DataShareOrganisation>().ToList();
        Assert.Equal(new[] { "Northshire Research Institute", "Southshire Trust" }, created.Select(o => o.Name));
        Assert.All(created, o => Assert.Equal(AssessmentState.None, o.AssessmentStatus));

        Assert.Equal(new[] { "Northshire Research Institute", "Southshire Trust" }, session.Run("Get-DataShareOrganisation -Name '*shire*'").AssertNoErrors().All<DataShareOrganisation>().Select(o => o.Name));

        session.Run(Scripts.NewAgreement("DS1", Day(-30), Day(300), "DirectTransfer").Replace("'University of Example'", "'northshire research INSTITUTE'", StringComparison.Ordinal)).AssertNoErrors();
        var viaAgreement = session.Run("Get-DataShareAgreement DS1 | Get-DataShareOrganisation").AssertNoErrors().Single<DataShareOrganisation>();
        Assert.Equal(created[0].Id, viaAgreement.Id);
        Assert.Equal(new[] { "DS1" }, viaAgreement.AgreementIds);

        session.Run("Get-DataShareOrganisation -Name 'Northshire Research Institute' | Set-DataShareOrganisation -NewName 'Northshire Institute' -Address '' -ProtectionOfficerName 'Pat Officer'").AssertNoErrors();
        var renamed = session.Run("Get-DataShareOrganisation -OrganisationId $args[0]", created[0].Id).AssertNoErrors().Single<DataShareOrganisation>();
        Assert.Equal(("Northshire Institute", null, "Pat Officer"), (renamed.Name, renamed.Address, renamed.ProtectionOfficerName));
        Assert.Equal("Northshire Institute", session.Run("Get-DataShareAgreement DS1").Single<DataShareAgreement>().Organisation);
        var audit = session.Run("Get-DataShareAuditLog -Action 'Organisation.*'").AssertNoErrors().All<AuditEntry>().Where(e => e.TargetId == created[0].Id).Select(e => e.Action);
        Assert.Equal(new[] { "Organisation.Create", "Organisation.Update" }, audit);
    }

    [Fact]
    public void Assessments_default_their_validity_from_policy_and_the_latest_decides_the_standing()
    {
        session.Run("Set-DataSharePolicy SecurityAssessmentValidMonths 6 -Confirm:$false").AssertNoErrors();
        var added = session.Run($"Get-DataShareOrganisation O | Add-DataShareSecurityAssessment -AssessedOn {Day(-10)} -Outcome Passed -Reference ISQ-9").AssertNoErrors().Single<SecurityAssessment>();
        Assert.Equal(Scripts.Today.AddDays(-10).AddMonths(6), added.ValidUntil);
        Assert.Equal(AssessmentState.Current, session.Run("Get-DataShareOrganisation O").Single<DataShareOrganisation>().AssessmentStatus);

        session.Run($"Add-DataShareSecurityAssessment O -AssessedOn {Day(-1)} -Outcome Failed -Reference ISQ-10").AssertNoErrors();
        var failed = session.Run("Get-DataShareOrganisation O").Single<DataShareOrganisation>();
        Assert.Equal((AssessmentState.Failed, 2), (failed.AssessmentStatus, failed.Assessments.Length));

        // As of before the failure, the pass still stood.
        Assert.Equal(AssessmentState.Current, session.Run($"Get-DataShareOrganisation O -AsOf {Day(-5)}").Single<DataShareOrganisation>().AssessmentStatus);
    }

    [Theory]
    [InlineData("New-DataShareOrganisation -Name 'UNIVERSITY OF EXAMPLE'", "OrganisationExists", ErrorCategory.ResourceExists, "NewDataShareOrganisationCommand")]
    [InlineData("New-DataShareOrganisation -Name 'New Place' -ProtectionOfficerEmail 'dpo at example'", "OrganisationEmailInvalid", ErrorCategory.InvalidArgument, "NewDataShareOrganisationCommand")]
    [InlineData("Get-DataShareOrganisation -Name 'Nobody Ltd'", "OrganisationNotFound", ErrorCategory.ObjectNotFound, "GetDataShareOrganisationCommand")]
    [InlineData("Get-DataShareOrganisation -OrganisationId 'RC-0000000000'", "OrganisationIdInvalid", ErrorCategory.InvalidArgument, "GetDataShareOrganisationCommand")]
    [InlineData("Set-DataShareOrganisation O -NewName 'University of Example'", "OrganisationExists", ErrorCategory.ResourceExists, "SetDataShareOrganisationCommand")]
    [InlineData("Set-DataShareOrganisation 'Nobody Ltd' -Address x", "OrganisationNotFound", ErrorCategory.ObjectNotFound, "SetDataShareOrganisationCommand")]
    [InlineData("Add-DataShareSecurityAssessment O -AssessedOn 2026-03-01 -ValidUntil 2026-02-28 -Outcome Passed -Reference R1", "AssessmentDatesInvalid", ErrorCategory.InvalidArgument, "AddDataShareSecurityAssessmentCommand")]
    [InlineData("Add-DataShareSecurityAssessment O -AssessedOn 2099-01-01 -Outcome Passed -Reference R1", "AssessmentDateInvalid", ErrorCategory.InvalidArgument, "AddDataShareSecurityAssessmentCommand")]
    [InlineData("Add-DataShareSecurityAssessment 'Nobody Ltd' -AssessedOn 2026-03-01 -Outcome Passed -Reference R1", "OrganisationNotFound", ErrorCategory.ObjectNotFound, "AddDataShareSecurityAssessmentCommand")]
    [InlineData("Add-DataShareSecurityAssessment 'University of Example' -AssessedOn 2026-03-01 -Outcome Passed -Reference isq-1", "AssessmentExists", ErrorCategory.ResourceExists, "AddDataShareSecurityAssessmentCommand")]
    [InlineData("New-DataShareAgreement -Id DS9 -Organisation 'Nobody Ltd' -Title T -Purpose P -LegalGateway G -LawfulBasis B -StartsOn 2026-01-01 -EndsOn 2026-12-31", "OrganisationNotFound", ErrorCategory.ObjectNotFound, "NewDataShareAgreementCommand")]
    public void Bad_input_gets_a_specific_error_and_writes_nothing(string script, string errorId, ErrorCategory category, string commandClass)
    {
        var before = File.ReadAllBytes(temp.File("register.db"));
        var result = session.Run(script);

        Assert.Empty(result.Output);
        result.SingleError().AssertError(errorId, category, commandClass);
        Assert.Equal(0, session.AuditCount());
        Assert.Equal(2, session.Run("Get-DataShareOrganisation").All<DataShareOrganisation>().Count());
        Assert.Single(session.Run("Get-DataShareOrganisation 'University of Example'").Single<DataShareOrganisation>().Assessments);
        Assert.Empty(session.Run("Get-DataShareAgreement").Output);
        GC.KeepAlive(before);
    }

    [Fact]
    public void A_direct_transfer_agreement_is_approved_only_with_a_justification()
    {
        session.Run(Scripts.NewAgreement("DS1", Day(-30), Day(300), "DirectTransfer").Replace($" -DirectTransferJustification '{Scripts.Justification}'", string.Empty, StringComparison.Ordinal)).AssertNoErrors();

        var refused = session.Run($"Approve-DataShareAgreement DS1 -Reference DSAP-1 -ApprovedOn {Day(-40)}");
        refused.SingleError().AssertError("AgreementJustificationMissing", ErrorCategory.InvalidOperation, "ApproveDataShareAgreementCommand");
        Assert.Equal(AgreementStatus.Pending, session.Run("Get-DataShareAgreement DS1").Single<DataShareAgreement>().Status);

        session.Run("Set-DataShareAgreement DS1 -DirectTransferJustification $args[0]", Scripts.Justification).AssertNoErrors();
        session.Run($"Approve-DataShareAgreement DS1 -Reference DSAP-1 -ApprovedOn {Day(-40)}").AssertNoErrors();
        session.Run("Set-DataShareAgreement DS1 -DirectTransferJustification ''").SingleError()
            .AssertError("AgreementJustificationMissing", ErrorCategory.InvalidOperation, "SetDataShareAgreementCommand");
        Assert.Equal(Scripts.Justification, session.Run("Get-DataShareAgreement DS1").Single<DataShareAgreement>().DirectTransferJustification);
    }

    [Fact]
    public void Test_recipient_reports_the_organisation_s_assessment()
    {
        session.Run(string.Join(Environment.NewLine,
            Scripts.NewAgreement("DS1", Day(-30), Day(300), "DirectTransfer").Replace("'University of Example'", "O", StringComparison.Ordinal),
            "Add-DataShareRecipient DS1 -Name Jo -Email jo@example.org | Out-Null")).AssertNoErrors();

        var result = session.Run("Get-DataShareRecipient DS1 | Test-DataShareRecipient").AssertNoErrors().Single<RecipientTestResult>();

        Assert.Contains("Organisation", result.FailedChecks);
        Assert.Contains("No security assessment", result.Checks.Single(c => c.Name == "Organisation").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_organisations_report_is_written_soonest_lapsing_first()
    {
        session.Run($"New-DataShareOrganisation 'Later Trust' | Add-DataShareSecurityAssessment -AssessedOn {Day(-5)} -ValidUntil {Day(900)} -Outcome Passed -Reference L-1").AssertNoErrors();
        var path = temp.File("organisations.csv");

        session.Run("Export-DataShareReport -Kind Organisations -Format Csv -Path $args[0]", path).AssertNoErrors();

        var lines = File.ReadAllLines(path, Encoding.UTF8);
        Assert.StartsWith("organisation,organisationId,", lines[0].TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Equal(new[] { "O", "University of Example", "Later Trust" }, lines.Skip(1).Select(l => l.Split(',')[0].Trim('"')));
    }

    [Fact]
    public void Tab_completion_offers_organisation_names_quoted_where_needed()
    {
        const string input = "Add-DataShareSecurityAssessment -Organisation Univ";
        using var shell = PowerShell.Create();
        shell.Runspace = session.Runspace;

        var completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);

        Assert.Equal(new[] { "'University of Example'" }, completion.CompletionMatches.Select(m => m.CompletionText));
    }

    [Fact]
    public void A_register_from_the_previous_release_upgrades_with_its_organisations_and_flags_the_unjustified_agreement()
    {
        var copy = temp.File("v4.db");
        File.Copy(Path.Combine(TestEnvironment.RepositoryRoot, "tests", "fixtures", "registers", "register-v4.db"), copy);
        using var upgraded = new PowerShellSession(registerPath: null);

        var info = upgraded.Run("Connect-DataShareRegister -Path $args[0] -PassThru", copy).AssertNoErrors().Single<RegisterInfo>();

        Assert.Equal(7, info.SchemaVersion);
        var organisations = upgraded.Run("Get-DataShareOrganisation").AssertNoErrors().All<DataShareOrganisation>().ToList();
        Assert.Equal(new[] { "Example Research Trust", "Northshire County Council", "University of Example" }, organisations.Select(o => o.Name));
        var agreement = upgraded.Run("Get-DataShareAgreement DS00752 -AsOf 2026-06-15").AssertNoErrors().Single<DataShareAgreement>();
        Assert.Equal((AgreementStatus.Active, organisations[2].Id, (string?)null), (agreement.Status, agreement.OrganisationId, agreement.DirectTransferJustification));
        Assert.True(upgraded.Run("Test-DataShareAuditLog").AssertNoErrors().Single<AuditLogTestResult>().IsIntact);

        var report = temp.File("register.csv");
        upgraded.Run("Export-DataShareReport -Kind Register -Format Csv -Path $args[0] -AsOf 2026-06-15", report).AssertNoErrors();
        var text = File.ReadAllText(report);
        Assert.Contains("Direct transfer without a justification: approved, but no transfers until one is recorded", text, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        session.Dispose();
        temp.Dispose();
    }
}
