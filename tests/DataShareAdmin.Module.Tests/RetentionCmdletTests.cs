using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Module.Tests;

/// <summary>
/// Register-, Get-DataShareHolding, Get-DataShareRetentionPlan, Invoke-DataShareRetentionSweep and
/// Confirm-DataShareDestruction against Azurite with a realistic layout: ended and active agreements, look-alike
/// prefixes in one container, a container with snapshots, a prefix of 1,500 blobs, and a local folder.
/// </summary>
public sealed class RetentionCmdletTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private static DateTime Today => Scripts.Today;

    private readonly AzuriteServer azurite;
    private readonly BlobRest blobs;
    private readonly TempDirectory temp = new();
    private readonly PowerShellSession session;
    private readonly string run = Guid.NewGuid().ToString("N").Substring(0, 8);
    private readonly string folder;

    public RetentionCmdletTests(AzuriteFixture fixture)
    {
        azurite = fixture.Server;
        blobs = new BlobRest(azurite);
        session = new PowerShellSession(temp.File("register.db"));
        session.Run(string.Join(Environment.NewLine,
            Agreement("ENDED1", -200, -10, 0),
            Agreement("ENDED2", -200, -5, 3),
            Agreement("ACTIVE1", -30, 300, 30))).AssertNoErrors();
        session.Run("Connect-DataShareStorage -ConnectionString $args[0] -AllowHttpLoopback", azurite.ConnectionString).AssertNoErrors();

        // One container shared by two agreements under look-alike prefixes.
        blobs.CreateContainer(Shared);
        Put(Shared, "share-12/a.csv", "share-12/b/c.csv");
        Put(Shared, "share-123/a.csv", "share-123/b/c.csv", "share-12x.csv");

        // A container of its own, with snapshots.
        blobs.CreateContainer(Snaps);
        Put(Snaps, "extract.csv", "lookup.csv");
        blobs.Snapshot(Snaps, "extract.csv");
        blobs.Snapshot(Snaps, "extract.csv");

        folder = Directory.CreateDirectory(temp.File("extract-copy")).FullName;
        File.WriteAllText(Path.Combine(folder, "pupils.csv"), "upn\nA1\n");
        Directory.CreateDirectory(Path.Combine(folder, "working"));
        File.WriteAllText(Path.Combine(folder, "working", "model.rds"), "binary");

        session.Run(string.Join(Environment.NewLine,
            $"Register-DataShareHolding ENDED1 '{Uri(Shared)}/share-12/' | Out-Null",
            $"Register-DataShareHolding ACTIVE1 '{Uri(Shared)}/share-123' | Out-Null",
            $"Register-DataShareHolding ENDED2 '{Uri(Snaps)}' | Out-Null",
            $"Register-DataShareHolding -AgreementId ENDED2 -Location '{folder}' | Out-Null")).AssertNoErrors();
    }

    private string Shared => "shared-" + run;

    private string Snaps => "snaps-" + run;

    private static string Day(int offset) => Scripts.Day(offset);

    private static string Agreement(string id, int starts, int ends, int retention) =>
        Scripts.NewAgreement(id, Day(starts), Day(ends), "DirectTransfer") + $" -RetentionDays {retention} | Out-Null" + Environment.NewLine +
        $"Approve-DataShareAgreement {id} -Reference DSAP-{id} -ApprovedOn {Day(starts - 5)}";

    private string Uri(string container) => azurite.BlobEndpoint.ToString().TrimEnd('/') + "/" + container;

    private void Put(string container, params string[] names)
    {
        foreach (var name in names)
        {
            blobs.PutBlob(container, name, Encoding.UTF8.GetBytes("content of " + name));
        }
    }

    private Dictionary<string, IReadOnlyList<string>> Snapshot() =>
        blobs.ListContainers().Where(c => c.EndsWith(run, StringComparison.Ordinal)).ToDictionary(c => c, c => blobs.ListBlobNames(c));

    [Fact]
    public void The_plan_lists_the_due_holdings_and_never_the_look_alike_of_an_active_agreement()
    {
        var plan = session.Run("Get-DataShareRetentionPlan").AssertNoErrors().All<RetentionPlanItem>().ToList();

        Assert.Equal(new[] { "ENDED1", "ENDED2", "ENDED2" }, plan.Select(p => p.AgreementId).OrderBy(a => a, StringComparer.Ordinal));
        Assert.Contains(plan, p => p.Location.EndsWith("/share-12/", StringComparison.Ordinal) && p.DueOn == Today.AddDays(-9));
        Assert.DoesNotContain(plan, p => p.Location.Contains("share-123", StringComparison.Ordinal));
        Assert.Equal(3, session.Run("Get-DataShareRetentionPlan -AsOf $args[0]", Today.AddDays(300)).AssertNoErrors().Output.Count);
        Assert.Equal(4, session.Run("Get-DataShareRetentionPlan -AsOf $args[0]", Today.AddDays(332)).AssertNoErrors().Output.Count);
    }

    [Fact]
    public void What_if_touches_nothing_in_storage_the_folder_or_the_register()
    {
        var before = Snapshot();
        var audit = session.AuditCount();

        var result = session.Run("Get-DataShareRetentionPlan | Invoke-DataShareRetentionSweep -WhatIf").AssertNoErrors();

        Assert.Empty(result.Output);
        var after = Snapshot();
        Assert.Equal(before.Keys, after.Keys);
        Assert.All(before, pair => Assert.Equal(pair.Value, after[pair.Key]));
        Assert.True(File.Exists(Path.Combine(folder, "working", "model.rds")));
        Assert.Equal(audit, session.AuditCount());
    }

    [Fact]
    public void A_sweep_deletes_every_due_copy_snapshots_included_verifies_and_a_second_run_does_nothing()
    {
        for (var i = 0; i < 1500; i += 1)
        {
            blobs.PutBlob(Shared, $"share-12/bulk/{i:0000}.csv", new byte[] { 1, 2, 3 });
        }

        var result = session.Run("Invoke-DataShareRetentionSweep -Confirm:$false -Verbose").AssertNoErrors();
        var records = result.All<DestructionRecord>().ToList();

        Assert.Equal(3, records.Count);
        Assert.All(records, r => Assert.Equal((DestructionOutcome.Destroyed, true, 0L), (r.Outcome, r.Verified, r.ObjectsRemaining)));
        Assert.Equal(1502, records.Single(r => r.Location.EndsWith("/share-12/", StringComparison.Ordinal)).ObjectsDeleted);
        Assert.Equal(4, records.Single(r => r.Location.EndsWith(Snaps, StringComparison.Ordinal)).ObjectsDeleted);
        Assert.Equal(2, records.Single(r => r.Location == folder).ObjectsDeleted);
        Assert.All(records, r => Assert.Equal("Off", r.SoftDelete));

        // Only the look-alikes are left; the snapshot container and the folder are gone.
        Assert.Equal(new[] { "share-123/a.csv", "share-123/b/c.csv", "share-12x.csv" }, blobs.ListBlobNames(Shared).OrderBy(n => n, StringComparer.Ordinal));
        Assert.DoesNotContain(Snaps, blobs.ListContainers());
        Assert.False(Directory.Exists(folder));
        Assert.Contains(result.Progress, p => p.Activity == "Retention sweep");

        var holdings = session.Run("Get-DataShareHolding -IncludeDestroyed").AssertNoErrors().All<DataShareHolding>().ToList();
        Assert.Equal(3, holdings.Count(h => h.State == HoldingState.Destroyed));
        Assert.Equal(3, session.Run("Get-DataShareAuditLog -Action Holding.Destroy").AssertNoErrors().Output.Count);

        var again = session.Run("Invoke-DataShareRetentionSweep -Confirm:$false -Verbose").AssertNoErrors();
        Assert.Empty(again.Output);
        Assert.Contains(again.Verbose, v => v.Message.StartsWith("Nothing to sweep", StringComparison.Ordinal));
    }

    [Fact]
    public void Confirmation_after_the_sweep_makes_the_ended_agreement_destroyed_and_the_plan_warns_while_it_is_missing()
    {
        session.Run("Set-DataSharePolicy DestructionConfirmationDays 0 -Confirm:$false").AssertNoErrors();
        var plan = session.Run("Get-DataShareRetentionPlan").AssertNoErrors();
        Assert.Contains(plan.Warnings, w => w.Message.Contains("ENDED1", StringComparison.Ordinal) && w.Message.Contains("Confirm-DataShareDestruction", StringComparison.Ordinal));

        session.Run("Invoke-DataShareRetentionSweep -Confirm:$false").AssertNoErrors();
        var confirmation = session.Run($"Confirm-DataShareDestruction ENDED1 -ConfirmedBy 'Dr A. Officer (DPO)' -ConfirmedOn {Day(-1)} -Evidence 'Letter 2026/77'").AssertNoErrors().Single<DestructionConfirmation>();

        Assert.Equal(("ENDED1", "Dr A. Officer (DPO)"), (confirmation.AgreementId, confirmation.ConfirmedBy));
        Assert.Equal(AgreementStatus.Destroyed, session.Run("Get-DataShareAgreement ENDED1").AssertNoErrors().Single<DataShareAgreement>().Status);
        Assert.Equal(AgreementStatus.Ended, session.Run("Get-DataShareAgreement ENDED2").AssertNoErrors().Single<DataShareAgreement>().Status);
        session.Run($"Confirm-DataShareDestruction ENDED1 -ConfirmedBy X -ConfirmedOn {Day(-1)}").SingleError()
            .AssertError("DestructionAlreadyConfirmed", ErrorCategory.ResourceExists, "ConfirmDataShareDestructionCommand");
    }

    [Fact]
    public void Bad_input_is_refused_with_its_own_error_and_nothing_is_written()
    {
        var audit = session.AuditCount();
        var before = Snapshot();

        session.Run($"Register-DataShareHolding ENDED1 '{Uri(Shared)}/share-123/deeper/'").SingleError()
            .AssertError("HoldingOverlapsAnotherAgreement", ErrorCategory.InvalidArgument, "RegisterDataShareHoldingCommand");
        session.Run($"Register-DataShareHolding ENDED1 '{Uri(Shared)}/x/?sv=2025-01-05&sig=abc'").SingleError()
            .AssertError("HoldingLocationHasQuery", ErrorCategory.InvalidArgument, "RegisterDataShareHoldingCommand");
        session.Run("Register-DataShareHolding ENDED1 'https://contosodata.blob.core.windows.net/'").SingleError()
            .AssertError("HoldingLocationInvalid", ErrorCategory.InvalidArgument, "RegisterDataShareHoldingCommand");
        session.Run("Register-DataShareHolding ENDED1 '   '").SingleError()
            .AssertError("HoldingLocationInvalid", ErrorCategory.InvalidArgument, "RegisterDataShareHoldingCommand");
        session.Run("Register-DataShareHolding ENDED1 'ftp://files.example.org/extract/'").SingleError()
            .AssertError("HoldingLocationInvalid", ErrorCategory.InvalidArgument, "RegisterDataShareHoldingCommand");
        session.Run($"Confirm-DataShareDestruction ACTIVE1 -ConfirmedBy X -ConfirmedOn {Day(-1)}").SingleError()
            .AssertError("DestructionConfirmationTooEarly", ErrorCategory.InvalidOperation, "ConfirmDataShareDestructionCommand");
        session.Run("Register-DataShareHolding ENDED1 $args[0]", temp.Path).SingleError()
            .AssertError("HoldingContainsRegister", ErrorCategory.InvalidArgument, "RegisterDataShareHoldingCommand");
        session.Run("Invoke-DataShareRetentionSweep -AsOf $args[0] -Confirm:$false", Today.AddDays(1)).SingleError()
            .AssertError("SweepAsOfInFuture", ErrorCategory.InvalidArgument, "InvokeDataShareRetentionSweepCommand");
        session.Run("Invoke-DataShareRetentionSweep -HoldingId HD-0000000000 -Confirm:$false").SingleError()
            .AssertError("HoldingNotDue", ErrorCategory.InvalidOperation, "InvokeDataShareRetentionSweepCommand");
        session.Run("Get-DataShareHolding -Id HD-0000000000").SingleError()
            .AssertError("HoldingNotFound", ErrorCategory.ObjectNotFound, "GetDataShareHoldingCommand");
        session.Run($"Confirm-DataShareDestruction ENDED1 -ConfirmedBy X -ConfirmedOn {Day(2)}").SingleError()
            .AssertError("DestructionConfirmationInvalid", ErrorCategory.InvalidArgument, "ConfirmDataShareDestructionCommand");

        session.Run("Invoke-DataShareRetentionSweep -ThrottleLimit 0 -Confirm:$false").SingleError()
            .AssertError("SweepThrottleLimitInvalid", ErrorCategory.InvalidArgument, "InvokeDataShareRetentionSweepCommand");

        session.Run("Set-DataSharePolicy SweepMaxHoldings 2 -Confirm:$false").AssertNoErrors();
        audit = session.AuditCount();
        session.RunTerminating("Invoke-DataShareRetentionSweep -Confirm:$false")
            .AssertError("SweepLimitExceeded", ErrorCategory.LimitsExceeded, "InvokeDataShareRetentionSweepCommand");

        Assert.Equal(audit, session.AuditCount());
        var after = Snapshot();
        Assert.All(before, pair => Assert.Equal(pair.Value, after[pair.Key]));
        Assert.True(Directory.Exists(folder));
    }

    [Fact]
    public void A_transfers_container_is_registered_and_falls_due_after_its_link_plus_grace()
    {
        session.Run(string.Join(Environment.NewLine,
            $"Add-DataShareRecipient ACTIVE1 -Name 'Jo Bloggs' -Email jo@example.org | Set-DataShareRecipient -DeclarationSignedOn {Day(-20)} -TrainingCompletedOn {Day(-50)}",
            $"Get-DataShareRecipient ACTIVE1 -Email jo@example.org | Add-DisclosureCertificate -Issuer DBS -Level Basic -Number 001234567890 -IssuedOn {Day(-60)} -HolderName 'Jo Bloggs' | Out-Null")).AssertNoErrors();
        var file = temp.File("extract.csv");
        File.WriteAllText(file, "x\n");
        var transfer = session.Run("New-DataShareTransfer ACTIVE1 -Path $args[0] -ValidFor 2.00:00:00", file).AssertNoErrors().Single<DataShareTransfer>();

        var holding = session.Run("Get-DataShareHolding -Id $args[0]", transfer.HoldingId).AssertNoErrors().Single<DataShareHolding>();
        Assert.Equal((HoldingKind.BlobContainer, transfer.Container, transfer.Id), (holding.Kind, holding.Container, holding.TransferId));
        var lastDay = TimeZoneInfo.ConvertTime(transfer.ExpiresOn, TimeZoneInfo.FindSystemTimeZoneById("Europe/London")).Date;
        Assert.Equal(lastDay.AddDays(1 + 1), holding.DueOn);
        Assert.DoesNotContain(session.Run("Get-DataShareRetentionPlan").AssertNoErrors().All<RetentionPlanItem>(), p => p.HoldingId == holding.Id);
        Assert.Contains(session.Run("Get-DataShareRetentionPlan -AsOf $args[0]", lastDay.AddDays(2)).AssertNoErrors().All<RetentionPlanItem>(), p => p.HoldingId == holding.Id);
    }

    [Fact]
    public void Tab_completion_offers_the_ids_of_holdings_still_held()
    {
        var held = session.Run("Get-DataShareHolding").AssertNoErrors().All<DataShareHolding>().Select(h => h.Id).OrderBy(i => i, StringComparer.Ordinal).ToList();
        Assert.Equal(4, held.Count);
        using var shell = PowerShell.Create();
        shell.Runspace = session.Runspace;

        foreach (var input in new[] { "Invoke-DataShareRetentionSweep -HoldingId HD-", "Get-DataShareHolding -Id hd-" })
        {
            var completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);
            Assert.Equal(held, completion.CompletionMatches.Select(m => m.CompletionText).OrderBy(i => i, StringComparer.Ordinal));
        }
    }

    public void Dispose()
    {
        session.Dispose();
        blobs.Dispose();
        temp.Dispose();
    }
}
