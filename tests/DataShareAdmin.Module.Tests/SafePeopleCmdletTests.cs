using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DataShareAdmin.Module.Tests;

public sealed class SafePeopleCmdletTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly PowerShellSession session;

    public SafePeopleCmdletTests()
    {
        session = new PowerShellSession(temp.File("register.db"));
        session.Run(string.Join("; ",
            Scripts.NewAgreement("DS1", "2026-01-01", "2027-12-31"), Scripts.NewAgreement("DS2", "2026-01-01", "2027-12-31"), Scripts.NewAgreement("DS3"),
            "Approve-DataShareAgreement DS1 -Reference R -ApprovedOn 2025-12-01",
            "Approve-DataShareAgreement DS2 -Reference R -ApprovedOn 2025-12-01",
            "Add-DataShareRecipient DS1 -Name 'Jo Bloggs' -Email jo@example.org | Set-DataShareRecipient -DeclarationSignedOn 2026-01-05 -TrainingCompletedOn 2025-11-01",
            "Add-DataShareRecipient DS1 -Name 'Sam Smith' -Email sam@example.org | Set-DataShareRecipient -DeclarationSignedOn 2026-01-05 -TrainingCompletedOn 2025-11-01",
            "Add-DataShareRecipient DS2 -Name 'Priya Patel' -Email priya@example.org | Out-Null",
            "Add-DataShareRecipient DS3 -Name 'Pending Person' -Email pending@example.org | Out-Null")).AssertNoErrors();
    }

    private void AddCertificates() => session.Run("""
        Get-DataShareRecipient DS1 -Email jo@example.org | Add-DisclosureCertificate -Issuer DBS -Level Enhanced -Number 001234567890 -IssuedOn 2025-03-01 -HolderName 'Jo Bloggs' -DateOfBirth 1990-04-01 | Out-Null
        Get-DataShareRecipient DS1 -Email sam@example.org | Add-DisclosureCertificate -Issuer DisclosureScotland -Level 'Level 1' -Number 1234567890123456 -IssuedOn 2024-01-10 | Out-Null
        """).AssertNoErrors();

    [Fact]
    public void Not_ready_recipients_of_active_agreements_come_out_of_the_documented_pipeline()
    {
        AddCertificates();

        var notReady = session.Run("Get-DataShareAgreement -Status Active -AsOf 2026-06-01 | Get-DataShareRecipient | Test-DataShareRecipient -AsOf 2026-06-01 | Where-Object { -not $_.IsReady }")
            .AssertNoErrors().All<RecipientTestResult>().ToList();

        Assert.Equal(new[] { "sam@example.org", "priya@example.org" }, notReady.Select(r => r.Email));
        Assert.Equal(new[] { "Certificate" }, notReady[0].FailedChecks);
        Assert.Contains("acceptable through 2026-01-10", notReady[0].Checks[0].Reason, StringComparison.Ordinal);
        Assert.Equal(new[] { "Certificate", "Declaration", "Training" }, notReady[1].FailedChecks);

        var jo = session.Run("Test-DataShareRecipient -AgreementId DS1 -AsOf 2026-06-01 | Where-Object IsReady").Single<RecipientTestResult>();
        Assert.Equal((new DateTime(2027, 3, 1), true), (jo.ReadyUntil!.Value, jo.Warning));
        Assert.Contains("before agreement DS1 ends on 2027-12-31", jo.WarningReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Agreements_piped_to_test_recipient_test_their_recipients_once_each()
    {
        var results = session.Run("Get-DataShareAgreement DS1, DS2, DS1 | Test-DataShareRecipient").AssertNoErrors().All<RecipientTestResult>();
        Assert.Equal(new[] { "jo@example.org", "sam@example.org", "priya@example.org" }, results.Select(r => r.Email));
        Assert.Equal(4, session.Run("Test-DataShareRecipient").AssertNoErrors().Output.Count);
    }

    [Fact]
    public void Recipients_piped_to_test_certificate_give_a_verdict_per_certificate_with_the_exact_boundary()
    {
        AddCertificates();

        var onLastDay = session.Run("Get-DataShareRecipient DS1 | Test-DisclosureCertificate -AsOf 2026-01-10").AssertNoErrors().All<CertificateTestResult>().ToList();
        Assert.Equal(new[] { true, true }, onLastDay.Select(r => r.IsValid));
        var sam = onLastDay.Single(r => r.Issuer == CertificateIssuer.DisclosureScotland);
        Assert.Equal((CertificateLevel.Basic, new DateTime(2026, 1, 10), 0), (sam.Level, sam.ValidUntil, sam.DaysRemaining));

        var dayAfter = session.Run("Get-DataShareRecipient DS1 -Email sam@example.org | Test-DisclosureCertificate -AsOf 2026-01-11").Single<CertificateTestResult>();
        Assert.False(dayAfter.IsValid);
        Assert.Equal(-1, dayAfter.DaysRemaining);

        var viaCertificates = session.Run("Get-DisclosureCertificate -Number '0012*' | Test-DisclosureCertificate -AsOf 2027-03-01").Single<CertificateTestResult>();
        Assert.Equal(("001234567890", true), (viaCertificates.Number, viaCertificates.IsValid));
    }

    [Theory]
    [InlineData("-Issuer DBS -Level Basic -Number 12345678901 -IssuedOn 2025-01-01", "CertificateNumberInvalid", ErrorCategory.InvalidArgument)]
    [InlineData("-Issuer DBS -Level Basic -Number 001234567890 -IssuedOn 2099-01-01", "CertificateIssueDateInvalid", ErrorCategory.InvalidArgument)]
    [InlineData("-Issuer Police -Level Basic -Number 001234567890 -IssuedOn 2025-01-01", "CertificateIssuerInvalid", ErrorCategory.InvalidArgument)]
    [InlineData("-Issuer DBS -Level Platinum -Number 001234567890 -IssuedOn 2025-01-01", "CertificateLevelInvalid", ErrorCategory.InvalidArgument)]
    public void Bad_certificates_give_specific_errors_and_write_nothing(string arguments, string errorId, ErrorCategory category)
    {
        var before = session.AuditCount();
        session.Run("Get-DataShareRecipient DS1 -Email jo@example.org | Add-DisclosureCertificate " + arguments)
            .SingleError().AssertError(errorId, category, "AddDisclosureCertificateCommand");
        Assert.Equal(before, session.AuditCount());
        Assert.Empty(session.Run("Get-DisclosureCertificate").Output);
    }

    [Fact]
    public void Certificates_are_corrected_and_removed_with_confirmation_rules_and_audit()
    {
        AddCertificates();
        var id = session.Run("(Get-DisclosureCertificate -RecipientId jo@example.org).Id").Single<string>();
        var before = session.AuditCount();

        session.Run("Get-DisclosureCertificate -Id $args[0] | Set-DisclosureCertificate -IssuedOn 2025-04-01 -WhatIf", id).AssertNoErrors();
        session.Run("Remove-DisclosureCertificate -Id $args[0] -WhatIf", id).AssertNoErrors();
        Assert.Equal(before, session.AuditCount());

        session.Run("Get-DisclosureCertificate -Id $args[0] | Set-DisclosureCertificate -IssuedOn 2025-04-01", id).AssertNoErrors();
        Assert.Equal(new DateTime(2025, 4, 1), session.Run("Get-DisclosureCertificate -Id $args[0]", id).Single<DisclosureCertificate>().IssuedOn);
        session.Run("Remove-DisclosureCertificate -Id $args[0] -Reason 'Wrong person' -Confirm:$false", id).AssertNoErrors();
        Assert.Single(session.Run("Get-DisclosureCertificate").Output);
        Assert.Equal(new[] { "Certificate.Update", "Certificate.Remove" }, session.Run("Get-DataShareAuditLog -TargetId $args[0]", id).All<AuditEntry>().Skip(1).Select(e => e.Action));
    }

    [Fact]
    public void A_messy_csv_imports_good_rows_reports_bad_ones_by_row_and_reimports_as_unchanged()
    {
        var csv = temp.File("certs.csv");
        File.WriteAllText(csv,
            "\uFEFFEmail,Certificate number,Issuer,Level,Issue date,DOB\r\n" +
            "jo@example.org,'001234567890,DBS,Enhanced,01/03/2025,01/04/1990\r\n" +
            "\r\n" +
            "sam@example.org,12345678901,DBS,Basic,01/01/2025,\r\n" +
            "\"priya@example.org\",\"000011112222\",\"DBS\",\"Basic\",\"14 Feb 2025\",\r\n", new UTF8Encoding(false));

        var first = session.Run("Import-DisclosureCertificate -Path $args[0]", csv);
        Assert.Equal(new[] { (2, "Added"), (5, "Added") }, first.All<CertificateImportResult>().Select(r => (r.Row, r.Status)));
        var error = first.SingleError();
        error.AssertError("CertificateNumberInvalid", ErrorCategory.InvalidArgument, "ImportDisclosureCertificateCommand");
        Assert.StartsWith("Row 4: ", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.TargetObject);

        var before = session.AuditCount();
        var again = session.Run("Import-DisclosureCertificate -Path $args[0]", csv);
        Assert.Equal(new[] { "Unchanged", "Unchanged" }, again.All<CertificateImportResult>().Select(r => r.Status));
        Assert.Equal(before, session.AuditCount());
        Assert.Equal("001234567890", session.Run("Get-DisclosureCertificate -RecipientId jo@example.org").Single<DisclosureCertificate>().Number);
    }

    [Fact]
    public void A_long_import_reports_progress_and_always_completes_the_bar()
    {
        var csv = temp.File("many.csv");
        var lines = new System.Collections.Generic.List<string> { "Email,Number,Issuer,Level,IssuedOn" };
        for (var i = 0; i < 210; i++)
        {
            lines.Add($"p{i}@example.org,{i:D12},DBS,Basic,2025-01-01");
        }

        File.WriteAllLines(csv, lines);
        session.Run("0..209 | ForEach-Object { Add-DataShareRecipient DS1 -Name \"Person $_\" -Email \"p$_@example.org\" } | Out-Null").AssertNoErrors();

        var result = session.Run("Import-DisclosureCertificate -Path $args[0]", csv).AssertNoErrors();

        Assert.Equal(210, result.Output.Count);
        Assert.Equal(new[] { ProgressRecordType.Processing, ProgressRecordType.Processing, ProgressRecordType.Completed }, result.Progress.Select(p => p.RecordType));
        Assert.All(result.Progress, p => Assert.Equal(result.Progress[0].ActivityId, p.ActivityId));
        Assert.Equal("210 rows", result.Progress[^1].StatusDescription);
    }

    [Fact]
    public void Rows_piped_as_objects_import_like_csv_rows()
    {
        var results = session.Run("""
            @(
                [pscustomobject]@{ Email = 'jo@example.org'; Number = '001234567890'; Issuer = 'DBS'; Level = 'Basic'; IssuedOn = [datetime]'2025-03-01' }
                [pscustomobject]@{ Email = 'nobody@example.org'; Number = '001234567891'; Issuer = 'DBS'; Level = 'Basic'; IssuedOn = '2025-03-01' }
            ) | Import-DisclosureCertificate
            """);
        Assert.True(results.Output.Count == 1, string.Join("\n", results.Errors.Select(e => e.FullyQualifiedErrorId + " " + e)));
        Assert.Equal("Added", results.Single<CertificateImportResult>().Status);
        results.SingleError().AssertError("PersonNotFound", ErrorCategory.ObjectNotFound, "ImportDisclosureCertificateCommand");
    }

    [Fact]
    public void A_missing_import_file_and_missing_columns_are_clear_errors()
    {
        session.Run("Import-DisclosureCertificate -Path $args[0]", temp.File("absent.csv")).SingleError()
            .AssertError("CertificateImportFileNotFound", ErrorCategory.ObjectNotFound, "ImportDisclosureCertificateCommand");
        File.WriteAllText(temp.File("thin.csv"), "Email,Number\njo@example.org,001234567890\n");
        session.RunTerminating("Import-DisclosureCertificate -Path $args[0]", temp.File("thin.csv"))
            .AssertError("CertificateImportColumnsMissing", ErrorCategory.InvalidData, "ImportDisclosureCertificateCommand");
    }

    [Fact]
    public void Policy_is_shown_changed_with_WhatIf_respected_and_reset()
    {
        var settings = session.Run("Get-DataSharePolicy").AssertNoErrors().All<DataSharePolicySetting>().ToList();
        Assert.Contains(settings, s => s.Name == "CertificateMaxAgeMonths" && s.Value == "24" && s.DefaultValue == "24" && s.IsDefault);

        session.Run("Set-DataSharePolicy CertificateMaxAgeMonths 36 -WhatIf").AssertNoErrors();
        Assert.Equal("24", session.Run("Get-DataSharePolicy CertificateMaxAgeMonths").Single<DataSharePolicySetting>().Value);

        var changed = session.Run("Set-DataSharePolicy -Name CertificateMaxAgeMonths -Value 36 -PassThru").AssertNoErrors().Single<DataSharePolicySetting>();
        Assert.Equal(("36", false), (changed.Value, changed.IsDefault));
        AddCertificates();
        Assert.True(session.Run("Get-DisclosureCertificate -RecipientId sam@example.org | Test-DisclosureCertificate -AsOf 2026-06-01").Single<CertificateTestResult>().IsValid);

        session.Run("Set-DataSharePolicy CertificateMaxAgeMonths -Default").AssertNoErrors();
        Assert.True(session.Run("Get-DataSharePolicy Cert*").All<DataSharePolicySetting>().Single().IsDefault);
        Assert.Equal(2, session.Run("Get-DataShareAuditLog -Action Policy.Set").Output.Count);
    }

    [Theory]
    [InlineData("Set-DataSharePolicy CertificateMaxAgeMonths 'two years'", "PolicyValueInvalid", ErrorCategory.InvalidArgument, "SetDataSharePolicyCommand")]
    [InlineData("Set-DataSharePolicy MaxAge 3", "PolicySettingNotFound", ErrorCategory.ObjectNotFound, "SetDataSharePolicyCommand")]
    [InlineData("Get-DataSharePolicy MaxAge", "PolicySettingNotFound", ErrorCategory.ObjectNotFound, "GetDataSharePolicyCommand")]
    public void Bad_policy_input_gives_specific_errors_and_writes_nothing(string script, string errorId, ErrorCategory category, string commandClass)
    {
        var before = session.AuditCount();
        session.Run(script).SingleError().AssertError(errorId, category, commandClass);
        Assert.Equal(before, session.AuditCount());
    }

    [Fact]
    public void Online_checks_reach_the_configured_service_and_keep_personal_data_out_of_every_stream()
    {
        using var server = new FakeUpdateService("NEW_INFO");
        session.Run($"""
            Set-DataSharePolicy DbsUpdateServiceUri '{server.BaseUri}'
            Set-DataSharePolicy DbsOrganisationName 'Example Council'
            Set-DataSharePolicy DbsCheckerForename Alex
            Set-DataSharePolicy DbsCheckerSurname Checker
            """).AssertNoErrors();
        AddCertificates();

        var result = session.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; Get-DisclosureCertificate | Test-DisclosureCertificate -Online -AsOf 2026-06-01 -Verbose -Debug");

        var verdicts = result.AssertNoErrors().All<CertificateTestResult>().ToList();
        var jo = verdicts.Single(v => v.Issuer == CertificateIssuer.DBS);
        Assert.Equal((false, "NEW_INFO"), (jo.IsValid, jo.OnlineStatus));
        Assert.Equal("NotAvailable", verdicts.Single(v => v.Issuer == CertificateIssuer.DisclosureScotland).OnlineStatus);
        var request = Assert.Single(server.Requests);
        Assert.StartsWith("/crsc/api/status/001234567890?", request, StringComparison.Ordinal);
        Assert.Contains("dateOfBirth=01%2F04%2F1990", request, StringComparison.Ordinal);

        var said = string.Join("\n", result.Verbose.Select(v => v.Message).Concat(result.Warnings.Select(w => w.Message)));
        foreach (var secret in new[] { "001234567890", "1990", "Bloggs", "crsc" })
        {
            Assert.DoesNotContain(secret, said, StringComparison.Ordinal);
        }

        var audit = string.Join("\n", session.Run("Get-DataShareAuditLog").All<AuditEntry>().SelectMany(e => e.Details.Values));
        Assert.DoesNotContain("001234567890", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("1990", audit, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        session.Dispose();
        temp.Dispose();
    }

    /// <summary>Answers every status check with one status, in the Update Service's XML, and records the request targets.</summary>
    private sealed class FakeUpdateService : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly Task loop;

        public FakeUpdateService(string status)
        {
            var port = FreePort();
            BaseUri = $"http://127.0.0.1:{port}";
            listener.Prefixes.Add(BaseUri + "/");
            listener.Start();
            loop = Task.Run(async () =>
            {
                while (listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await listener.GetContextAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                    {
                        return;
                    }

                    lock (Requests)
                    {
                        Requests.Add(context.Request.RawUrl ?? string.Empty);
                    }

                    var body = Encoding.UTF8.GetBytes($"<statusCheckResult><statusCheckResultType>SUCCESS</statusCheckResultType><status>{status}</status><forename>JO</forename><surname>BLOGGS</surname><printDate>01/03/2025</printDate></statusCheckResult>");
                    context.Response.ContentType = "application/xml";
                    context.Response.ContentLength64 = body.Length;
                    await context.Response.OutputStream.WriteAsync(body).ConfigureAwait(false);
                    context.Response.Close();
                }
            });
        }

        public string BaseUri { get; }

        public System.Collections.Generic.List<string> Requests { get; } = new();

        public void Dispose()
        {
            listener.Stop();
            listener.Close();
            loop.Wait(TimeSpan.FromSeconds(5));
        }

        private static int FreePort()
        {
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }
    }
}
