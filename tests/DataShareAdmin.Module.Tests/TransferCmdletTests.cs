using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Xml.Linq;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Module.Tests;

/// <summary>
/// New-, Get- and Revoke-DataShareTransfer against Azurite started by the test run: links download the exact bytes,
/// stop working when revoked or expired, refusals leave nothing in storage, and the signature appears nowhere but
/// in the link itself.
/// </summary>
public sealed class TransferCmdletTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private static DateTime Today => Scripts.Today;

    private readonly AzuriteServer azurite;
    private readonly BlobRest blobs;
    private readonly TempDirectory temp = new();
    private readonly PowerShellSession session;
    private readonly HttpClient http = new();
    private readonly string extract;

    public TransferCmdletTests(AzuriteFixture fixture)
    {
        azurite = fixture.Server;
        blobs = new BlobRest(azurite);
        session = new PowerShellSession(temp.File("register.db"));
        session.Run(string.Join(Environment.NewLine,
            Scripts.NewAgreement("DS1", Day(-30), Day(365), "DirectTransfer"),
            $"Approve-DataShareAgreement DS1 -Reference DSAP-1 -ApprovedOn {Day(-40)}",
            Ready("Jo Bloggs", "jo@example.org", "001234567890", Day(-60)))).AssertNoErrors();
        session.Run("Connect-DataShareStorage -ConnectionString $args[0] -AllowHttpLoopback", azurite.ConnectionString).AssertNoErrors();
        extract = temp.File("pupils.csv");
        File.WriteAllText(extract, "upn,ks2_reading\nA123456789012,105\n");
    }

    private static string Day(int offset) => Scripts.Day(offset);

    private static string Ready(string name, string email, string number, string certificateIssued, string agreement = "DS1") =>
        $"Add-DataShareRecipient {agreement} -Name '{name}' -Email {email} | Set-DataShareRecipient -DeclarationSignedOn {Day(-20)} -TrainingCompletedOn {Day(-50)}" + Environment.NewLine +
        $"Get-DataShareRecipient {agreement} -Email {email} | Add-DisclosureCertificate -Issuer DBS -Level Basic -Number {number} -IssuedOn {certificateIssued} -HolderName '{name}' | Out-Null";

    private DataShareTransfer Issue(string arguments = "-ValidFor 1.00:00:00", params object[] values) =>
        session.Run("New-DataShareTransfer DS1 -Path $args[0] " + arguments, new object[] { extract }.Concat(values).ToArray()).AssertNoErrors().Single<DataShareTransfer>();

    private HttpResponseMessage Get(Uri link) => http.Send(new HttpRequestMessage(HttpMethod.Get, link));

    private byte[] Download(Uri link)
    {
        using var response = Get(link);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    [Fact]
    public void The_link_downloads_the_exact_bytes_of_small_and_multi_block_files_with_their_hash_in_the_metadata()
    {
        var large = temp.File("large.bin");
        var content = new byte[(20 * 1024 * 1024) + 12345];
        new Random(7).NextBytes(content);
        File.WriteAllBytes(large, content);

        var result = session.Run("New-DataShareTransfer -AgreementId DS1 -Path $args[0], $args[1] -ValidFor ([TimeSpan]::FromDays(2)) -Verbose", extract, large).AssertNoErrors();
        var transfer = result.Single<DataShareTransfer>();

        Assert.Equal(TransferStatus.Active, transfer.Status);
        Assert.Equal(new[] { "pupils.csv", "large.bin" }, transfer.Files.Select(f => f.Name));
        foreach (var (file, path) in transfer.Files.Zip(new[] { extract, large }))
        {
            var bytes = Download(file.Uri!);
            Assert.Equal(File.ReadAllBytes(path), bytes);
            Assert.Equal(Sha256(bytes), file.Sha256);
            Assert.Equal(bytes.Length, file.Size);
        }

        var stored = blobs.ListBlobs(transfer.Container).ToDictionary(b => b.Name);
        Assert.Equal(transfer.Files[1].Sha256, stored["large.bin"].Metadata["sha256"]);
        Assert.Equal(content.Length.ToString(CultureInfo.InvariantCulture), stored["large.bin"].Metadata["size"]);
        Assert.Equal(new[] { transfer.Id }, blobs.ListAccessPolicies(transfer.Container));
        Assert.Contains(result.Progress, p => p.Activity == "Uploading transfer" && p.StatusDescription.StartsWith("pupils.csv (1 of 2", StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.Activity == "Uploading transfer" && p.StatusDescription.StartsWith("large.bin (2 of 2", StringComparison.Ordinal) && p.PercentComplete < 100);
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
        Assert.Equal(transfer.ExpiresOn, session.Run("Get-DataShareTransfer -Id $args[0]", transfer.Id).AssertNoErrors().Single<DataShareTransfer>().ExpiresOn);
    }

    [Fact]
    public void The_container_link_lists_and_reads_the_transfer_and_nothing_else()
    {
        var first = Issue();
        var second = Issue();

        var listing = XDocument.Parse(System.Text.Encoding.UTF8.GetString(Download(new Uri(first.Uri + "&restype=container&comp=list"))).TrimStart('\uFEFF'));
        Assert.Equal(new[] { "pupils.csv" }, listing.Descendants("Name").Select(n => n.Value));

        // The first link's signature does not open the second transfer's container.
        var foreign = new UriBuilder(second.Files[0].Uri!) { Query = first.Uri!.Query.TrimStart('?') }.Uri;
        using var refused = Get(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public void After_revoking_the_link_is_refused_and_a_fresh_link_for_the_same_files_works()
    {
        var transfer = Issue();
        Assert.Equal(File.ReadAllBytes(extract), Download(transfer.Files[0].Uri!));

        var result = session.Run("Get-DataShareTransfer DS1 -Active | Revoke-DataShareTransfer").AssertNoErrors();
        var revoked = result.Single<DataShareTransfer>();
        Assert.Equal((transfer.Id, TransferStatus.Revoked), (revoked.Id, revoked.Status));
        Assert.Contains("30 seconds", revoked.Note, StringComparison.Ordinal);
        Assert.Null(revoked.Uri);
        using (var response = Get(transfer.Files[0].Uri!))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        session.Run("Revoke-DataShareTransfer $args[0]", transfer.Id).SingleError()
            .AssertError("TransferAlreadyRevoked", ErrorCategory.InvalidOperation, "RevokeDataShareTransferCommand");

        var fresh = session.Run("New-DataShareTransfer -FromTransfer $args[0] -ValidFor 01:00:00", transfer.Id).AssertNoErrors().Single<DataShareTransfer>();
        Assert.Equal((transfer.Container, transfer.Id), (fresh.Container, fresh.FromTransferId));
        Assert.Equal(File.ReadAllBytes(extract), Download(fresh.Files[0].Uri!));
        Assert.Equal(new[] { fresh.Id }, blobs.ListAccessPolicies(transfer.Container));
    }

    [Fact]
    public void An_expired_link_is_refused_and_listed_as_expired()
    {
        // The shortest lifetime New-DataShareTransfer accepts is a minute (TransferLifetimeInvalid below that).
        var transfer = Issue("-ValidFor 00:01:00");
        Thread.Sleep(transfer.ExpiresOn - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1.5));

        using var response = Get(transfer.Files[0].Uri!);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(new[] { transfer.Id }, session.Run("Get-DataShareTransfer -Expired").AssertNoErrors().All<DataShareTransfer>().Select(t => t.Id));
        Assert.Empty(session.Run("Get-DataShareTransfer DS1 -Active").AssertNoErrors().Output);

        // The expired link's policy no longer counts against the container's five: five fresh links fit.
        var fresh = session.Run("$id = $args[0]; 1..5 | ForEach-Object { New-DataShareTransfer -FromTransfer $id -ValidFor 01:00:00 }", transfer.Id).AssertNoErrors().All<DataShareTransfer>().Select(t => t.Id).ToList();
        Assert.Equal(fresh.OrderBy(id => id, StringComparer.Ordinal), blobs.ListAccessPolicies(transfer.Container).OrderBy(id => id, StringComparer.Ordinal));
        session.Run("New-DataShareTransfer -FromTransfer $args[0] -ValidFor 01:00:00", transfer.Id).SingleError()
            .AssertError("TransferAccessPoliciesFull", ErrorCategory.LimitsExceeded, "NewDataShareTransferCommand");
    }

    [Fact]
    public void A_literal_path_takes_brackets_as_they_are_while_path_expands_wildcards()
    {
        var odd = temp.File("pupils[2026].csv");
        File.WriteAllText(odd, "x\n");
        session.Run("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00", odd).SingleError()
            .AssertError("TransferFileNotFound", ErrorCategory.ObjectNotFound, "NewDataShareTransferCommand");

        var literal = session.Run("New-DataShareTransfer DS1 -LiteralPath $args[0] -ValidFor 01:00:00", odd).AssertNoErrors().Single<DataShareTransfer>();
        Assert.Equal("pupils[2026].csv", Assert.Single(literal.Files).Name);
        Assert.Equal("x\n", System.Text.Encoding.UTF8.GetString(Download(literal.Files[0].Uri!)));

        var wildcard = session.Run("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00", temp.File("pupil*.csv")).AssertNoErrors().Single<DataShareTransfer>();
        Assert.Equal(new[] { "pupils.csv", "pupils[2026].csv" }, wildcard.Files.Select(f => f.Name).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void A_folder_sends_the_files_in_it_and_an_empty_file_warns()
    {
        var folder = Directory.CreateDirectory(temp.File("extract")).FullName;
        File.WriteAllText(Path.Combine(folder, "a.csv"), "a\n1\n");
        Directory.CreateDirectory(Path.Combine(folder, "lookups"));
        File.WriteAllText(Path.Combine(folder, "lookups", "b.csv"), "b\n2\n");
        File.WriteAllBytes(Path.Combine(folder, "empty.csv"), Array.Empty<byte>());

        var result = session.Run("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00", folder).AssertNoErrors();
        var transfer = result.Single<DataShareTransfer>();

        Assert.Equal(new[] { "a.csv", "empty.csv", "lookups/b.csv" }, blobs.ListBlobs(transfer.Container).Select(b => b.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal("b\n2\n", System.Text.Encoding.UTF8.GetString(Download(transfer.Files.Single(f => f.Name == "lookups/b.csv").Uri!)));
        Assert.Contains(result.Warnings, w => w.Message.Contains("empty.csv", StringComparison.Ordinal) && w.Message.Contains("0 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_refusal_has_its_own_error_and_leaves_nothing_in_storage_or_the_register()
    {
        session.Run(string.Join(Environment.NewLine,
            Scripts.NewAgreement("DS2", Day(-30), Day(365), "DirectTransfer"),
            Scripts.NewAgreement("SRS1", Day(-30), Day(365)),
            $"Approve-DataShareAgreement SRS1 -Reference DSAP-3 -ApprovedOn {Day(-40)}")).AssertNoErrors();
        var containers = blobs.ListContainers();
        var audit = 0L;

        void Refused(string script, string errorId, ErrorCategory category, params object[] values)
        {
            audit = session.AuditCount();
            var error = session.Run(script, values).SingleError();
            error.AssertError(errorId, category, "NewDataShareTransferCommand");
            Assert.Equal(containers, blobs.ListContainers());
            Assert.Equal(audit, session.AuditCount());
        }

        Refused("New-DataShareTransfer DS2 -Path $args[0] -ValidFor 01:00:00", "TransferAgreementNotActive", ErrorCategory.InvalidOperation, extract);
        Refused("New-DataShareTransfer SRS1 -Path $args[0] -ValidFor 01:00:00", "TransferRouteNotDirect", ErrorCategory.InvalidOperation, extract);
        Refused("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00", "TransferFileNotFound", ErrorCategory.ObjectNotFound, temp.File("missing.csv"));
        Refused("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 8.00:00:00", "TransferLifetimeTooLong", ErrorCategory.InvalidArgument, extract);
        Refused("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 0", "TransferLifetimeInvalid", ErrorCategory.InvalidArgument, extract);
        Refused("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00 -AllowedIpRange 2001:db8::1", "TransferIpRangeInvalid", ErrorCategory.InvalidArgument, extract);
        Refused("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00 -RecipientId RC-0000000000", "RecipientNotFound", ErrorCategory.ObjectNotFound, extract);
        Refused("New-DataShareTransfer NOSUCH -Path $args[0] -ValidFor 01:00:00", "AgreementNotFound", ErrorCategory.ObjectNotFound, extract);
        Refused("New-DataShareTransfer -FromTransfer TR-0000000000 -ValidFor 01:00:00", "TransferNotFound", ErrorCategory.ObjectNotFound);
        session.Run("Set-DataSharePolicy TransferAllowedSensitivity A -Confirm:$false").AssertNoErrors();
        Refused("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00", "TransferDataItemNotAllowed", ErrorCategory.InvalidOperation, extract);

        // An organisation with no security assessment receives nothing directly.
        session.Run(string.Join(Environment.NewLine,
            Scripts.NewAgreement("DS3", Day(-30), Day(365), "DirectTransfer").Replace("'University of Example'", "O", StringComparison.Ordinal),
            $"Approve-DataShareAgreement DS3 -Reference DSAP-4 -ApprovedOn {Day(-40)}")).AssertNoErrors();
        Refused("New-DataShareTransfer DS3 -Path $args[0] -ValidFor 01:00:00", "TransferOrganisationNotAssessed", ErrorCategory.PermissionDenied, extract);

        // An agreement approved before justifications were recorded (as the schema 5 upgrade leaves one) gets none.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={temp.File("register.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE agreements SET direct_transfer_justification = NULL WHERE id = 'DS1'";
            command.ExecuteNonQuery();
        }

        Refused("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00", "TransferJustificationMissing", ErrorCategory.InvalidOperation, extract);
    }

    [Fact]
    public void A_recipient_whose_certificate_goes_stale_before_the_links_last_day_is_refused()
    {
        // Acceptable for 24 months from issue: through tomorrow, so not on the last day of a 3-day link.
        var issued = Today.AddDays(1).AddMonths(-24).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        session.Run(Ready("Sam Smith", "sam@example.org", "009876543210", issued)).AssertNoErrors();
        var containers = blobs.ListContainers();

        var error = session.Run("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 3.00:00:00", extract).SingleError();

        error.AssertError("TransferRecipientNotReady", ErrorCategory.InvalidOperation, "NewDataShareTransferCommand");
        Assert.Contains("sam@example.org", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("the link's last day", error.Exception.Message, StringComparison.Ordinal);
        Assert.Equal(containers, blobs.ListContainers());

        // The same link for Jo alone is issued.
        var jo = session.Run("(Get-DataShareRecipient DS1 -Email jo@example.org).Id").AssertNoErrors().Output.Single().ToString();
        var transfer = session.Run("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 3.00:00:00 -RecipientId $args[1]", extract, jo).AssertNoErrors().Single<DataShareTransfer>();
        Assert.Equal(new[] { jo }, transfer.RecipientIds);
    }

    [Fact]
    public void Agreements_pipe_in_and_tab_completion_offers_transfer_ids_newest_first()
    {
        var first = session.Run("Get-DataShareAgreement DS1 | New-DataShareTransfer -Path $args[0] -ValidFor 01:00:00", extract).AssertNoErrors().Single<DataShareTransfer>();
        var second = Issue();
        Assert.Equal("DS1", first.AgreementId);

        using var shell = PowerShell.Create();
        shell.Runspace = session.Runspace;
        const string input = "Revoke-DataShareTransfer -Id TR-";
        var completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);

        Assert.Equal(new[] { second.Id, first.Id }, completion.CompletionMatches.Select(m => m.CompletionText));
        Assert.Contains("DS1, 1 file(s), Active", completion.CompletionMatches[0].ToolTip, StringComparison.Ordinal);
    }

    [Fact]
    public void What_if_uploads_nothing_and_writes_nothing()
    {
        var containers = blobs.ListContainers();
        var audit = session.AuditCount();

        var result = session.Run("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00 -WhatIf", extract).AssertNoErrors();

        Assert.Empty(result.Output);
        Assert.Equal(containers, blobs.ListContainers());
        Assert.Equal(audit, session.AuditCount());
    }

    [Fact]
    public void Without_a_storage_connection_a_transfer_is_refused_clearly()
    {
        using var fresh = new PowerShellSession(temp.File("register.db"));
        fresh.Run("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00", extract).SingleError()
            .AssertError("StorageNotConnected", ErrorCategory.InvalidOperation, "NewDataShareTransferCommand");
    }

    [Fact]
    public void Stopping_mid_upload_removes_the_container_and_records_the_transfer_incomplete()
    {
        var large = temp.File("large.bin");
        using (var stream = File.Create(large))
        {
            stream.SetLength(256L * 1024 * 1024);
        }

        var containers = blobs.ListContainers();
        var audit = session.AuditCount();
        using (var shell = PowerShell.Create())
        {
            shell.Runspace = session.Runspace;
            shell.AddScript("New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00").AddArgument(large);
            var started = new ManualResetEventSlim();
            shell.Streams.Progress.DataAdded += (_, _) => started.Set();
            var running = shell.BeginInvoke();
            Assert.True(started.Wait(TimeSpan.FromSeconds(60)), "The upload never reported progress.");
            shell.Stop();
            Assert.Throws<PipelineStoppedException>(() => shell.EndInvoke(running));
        }

        Assert.Equal(containers, blobs.ListContainers());
        Assert.Equal(audit + 2, session.AuditCount()); // Transfer.Start, Transfer.Fail
        Assert.Equal(TransferStatus.Incomplete, session.Run("Get-DataShareTransfer").AssertNoErrors().Single<DataShareTransfer>().Status);
    }

    [Fact]
    public void The_signature_is_in_the_link_only_never_in_the_register_streams_audit_or_table_view()
    {
        var result = session.Run("$t = New-DataShareTransfer DS1 -Path $args[0] -ValidFor 01:00:00 -Verbose -Debug -Confirm:$false; $t; Get-DataShareTransfer -Verbose; Get-DataShareAuditLog", extract).AssertNoErrors();
        var transfer = result.All<object>().OfType<DataShareTransfer>().First();
        var signature = System.Web.HttpUtility.ParseQueryString(transfer.Uri!.Query)["sig"]!;
        Assert.True(signature.Length > 20);

        var streams = string.Join("\n", result.Verbose.Select(v => v.Message).Concat(result.Debug.Select(d => d.Message))
            .Concat(result.Warnings.Select(w => w.Message)).Concat(result.Information.Select(i => i.ToString()))
            .Concat(result.Output.Where(o => o.BaseObject is not DataShareTransfer t || t.Uri is null).Select(o => o.ToString()))
            .Concat(result.Output.Where(o => o.BaseObject is AuditEntry).SelectMany(o => ((AuditEntry)o.BaseObject).Details.Values)));
        Assert.DoesNotContain(signature, streams, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", streams, StringComparison.Ordinal);
        Assert.Contains(result.Verbose, v => v.Message.Contains(transfer.Id, StringComparison.Ordinal));

        foreach (var cell in TableViewCells(transfer))
        {
            Assert.DoesNotContain("sig=", cell, StringComparison.Ordinal);
            Assert.DoesNotContain(signature, cell, StringComparison.Ordinal);
        }

        session.Dispose();
        var register = File.ReadAllBytes(temp.File("register.db")).Concat(File.Exists(temp.File("register.db-wal")) ? File.ReadAllBytes(temp.File("register.db-wal")) : Array.Empty<byte>()).ToArray();
        foreach (var text in new[] { System.Text.Encoding.UTF8.GetString(register), System.Text.Encoding.Unicode.GetString(register) })
        {
            Assert.DoesNotContain(signature, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(signature), text, StringComparison.Ordinal);
            Assert.DoesNotContain("sig=", text, StringComparison.Ordinal);
        }

        Assert.Contains(transfer.Id, System.Text.Encoding.UTF8.GetString(register), StringComparison.Ordinal);
    }

    /// <summary>What each column of the module's default table view for transfers shows for this object.</summary>
    private IEnumerable<string> TableViewCells(DataShareTransfer transfer)
    {
        var format = XDocument.Load(Path.Combine(Path.GetDirectoryName(TestEnvironment.ModuleManifest)!, "DataShareAdmin.format.ps1xml"));
        var view = format.Descendants("View").Single(v => (string?)v.Element("ViewSelectedBy")?.Element("TypeName") == "DataShareAdmin.DataShareTransfer" && v.Element("TableControl") is not null);
        var items = view.Descendants("TableColumnItem").ToList();
        Assert.True(items.Count >= 6);
        using var probe = new PowerShellSession(null);
        foreach (var item in items)
        {
            var property = (string?)item.Element("PropertyName");
            var script = property is null ? (string)item.Element("ScriptBlock")! : "$_." + property;
            var value = probe.Run("$args[0] | ForEach-Object { " + script + " }", transfer).AssertNoErrors().Output.SingleOrDefault();
            yield return value?.ToString() ?? string.Empty;
        }
    }

    public void Dispose()
    {
        session.Dispose();
        http.Dispose();
        blobs.Dispose();
        temp.Dispose();
    }
}
