using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Transfers;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// No untracked copies: a transfer is in the register, incomplete with a pending holding, before its container exists;
/// it becomes issued only when every file is uploaded and checked; whatever stops it leaves a holding the sweep deletes.
/// Now is 15 June 2026, 09:00 UTC (10:00 in London); a three-day link's holding falls due on 20 June.
/// </summary>
public sealed class TransferPendingTests : TransferTestsBase
{
    private static readonly DateTime Today = new(2026, 6, 15);

    /// <summary>The day after the transfer started plus TransferGraceDays (1): as if its link had stopped as it began.</summary>
    private static readonly DateTime PendingDue = new(2026, 6, 17);

    /// <summary>A copy of the register as it is on disk right now: what a kill -9 at this moment would leave.</summary>
    private string KillSnapshot()
    {
        var copy = Path.Combine(test.Directory, "killed-" + Guid.NewGuid().ToString("N") + ".db");
        using var connection = new SqliteConnection($"Data Source={test.Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO $copy";
        command.Parameters.AddWithValue("$copy", copy);
        command.ExecuteNonQuery();
        return copy;
    }

    private DataShareEngine OpenSnapshot(string path) =>
        DataShareEngine.Open(new EngineOptions { RegisterPath = path, Clock = test.Clock, Identity = TestRegister.Identity });

    [Fact]
    public void The_transfer_and_its_pending_holding_are_recorded_before_the_container_is_created()
    {
        DataShareTransfer? started = null;
        DataShareHolding? pending = null;
        AuditEntry? entry = null;
        storage.OnCreate = _ =>
        {
            started = Engine.Register.ListTransfers("DS1").Single();
            pending = Engine.Register.FindHolding(started.HoldingId);
            entry = Engine.Register.ReadAuditLog(0).Last();
        };

        var transfer = Engine.Transfers.Issue(Request(), storage, host)!;

        Assert.Equal((transfer.Id, TransferState.Incomplete, transfer.Container, 17L), (started!.Id, started.State, started.Container, started.TotalBytes));
        Assert.Equal(new[] { ("pupils.csv", 17L, string.Empty) }, started.Files.Select(f => (f.Name, f.Size, f.Sha256)));
        Assert.Equal((HoldingState.Pending, PendingDue, transfer.Id), (pending!.State, pending.DueOn, pending.TransferId));
        Assert.Equal("https://contosodata.blob.core.windows.net/" + transfer.Container, pending.Location);
        Assert.Equal(("Transfer.Start", transfer.Id, "2026-06-17", "pupils.csv:17"), (entry!.Action, entry.TargetId, entry.Details["HoldingDueOn"], entry.Details["Files"]));
        Assert.Equal(pending.Id, storage.ContainerMetadata[transfer.Container]["holdingid"]);

        // Complete: issued, hashed, and the holding held until the day after the link's last day plus a grace day.
        var stored = Engine.Register.FindTransfer(transfer.Id)!;
        Assert.Equal((TransferState.Issued, transfer.Files[0].Sha256), (stored.State, stored.Files[0].Sha256));
        Assert.Equal(TransferStatus.Active, Engine.Transfers.Get(transfer.Id).Status);
        var holding = Engine.Register.FindHolding(transfer.HoldingId)!;
        Assert.Equal((HoldingState.Held, new DateTime(2026, 6, 20)), (holding.State, holding.DueOn));
        Assert.Equal(new[] { "Transfer.Start", "Transfer.Issue" }, Engine.Register.ReadAuditLog(0).Where(e => e.TargetId == transfer.Id).Select(e => e.Action));
    }

    [Fact]
    public void A_transfer_killed_part_way_leaves_an_incomplete_transfer_whose_container_the_plan_lists_on_its_due_day()
    {
        string? snapshot = null;
        storage.DuringUpload = () => snapshot ??= KillSnapshot();
        var transfer = Engine.Transfers.Issue(Request(), storage, host)!;

        using var killed = OpenSnapshot(snapshot!);
        var left = killed.Transfers.Get(transfer.Id);
        Assert.Equal((TransferStatus.Incomplete, TransferState.Incomplete), (left.Status, left.State));
        Assert.Contains("No link was issued", left.Note, StringComparison.Ordinal);
        Assert.Contains("2026-06-17", left.Note, StringComparison.Ordinal);
        Assert.Equal(new[] { left.Id }, killed.Transfers.Find("DS1", new[] { TransferStatus.Incomplete }).Select(t => t.Id));
        Assert.Empty(killed.Transfers.Find("DS1", new[] { TransferStatus.Active }));
        Assert.Equal(HoldingState.Pending, killed.Retention.Get(left.HoldingId).State);
        Assert.Equal(new[] { left.HoldingId }, killed.Retention.Find("DS1", includeDestroyed: false).Select(h => h.Id));

        Assert.Empty(killed.Retention.Plan(PendingDue.AddDays(-1)));
        var item = Assert.Single(killed.Retention.Plan(PendingDue));
        Assert.Equal((left.HoldingId, PendingDue), (item.HoldingId, item.DueOn));
        Assert.Contains($"Transfer {transfer.Id} never finished", item.Reason, StringComparison.Ordinal);
        Assert.Contains("no link was issued", item.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interrupted_transfer_is_never_due_later_than_its_agreement()
    {
        Samples.Vary(Engine, "DS1", new Agreements.AgreementChanges { EndsOn = Today.AddDays(1), RetentionDays = 0 }, host);
        string? snapshot = null;
        storage.DuringUpload = () => snapshot ??= KillSnapshot();

        var transfer = Engine.Transfers.Issue(Request(TimeSpan.FromHours(2)), storage, host)!;

        using var killed = OpenSnapshot(snapshot!);
        Assert.Equal(new DateTime(2026, 6, 17), killed.Retention.Get(transfer.HoldingId).DueOn);
        Samples.Vary(Engine, "DS1", new Agreements.AgreementChanges { EndsOn = Today, RetentionDays = 0 }, host);
        Assert.Equal(new DateTime(2026, 6, 16), Engine.Retention.Get(transfer.HoldingId).DueOn);
    }

    [Theory]
    [InlineData("Create")]
    [InlineData("Upload")]
    [InlineData("AddPolicy")]
    [InlineData("Sign")]
    public void A_transfer_that_fails_stays_incomplete_and_its_container_falls_due_at_once(string step)
    {
        storage.FailAt = step;

        var error = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(), storage, host));

        Assert.Equal("StorageRequestFailed", error.ErrorId);
        Assert.Contains("No link was issued", error.Message, StringComparison.Ordinal);
        Assert.Empty(storage.Containers);
        var transfer = Engine.Transfers.Find("DS1", null).Single();
        Assert.Equal((TransferStatus.Incomplete, TransferState.Incomplete), (transfer.Status, transfer.State));
        var holding = Engine.Retention.Get(transfer.HoldingId);
        Assert.Equal((HoldingState.Pending, Today), (holding.State, holding.DueOn));
        var failed = Engine.Register.ReadAuditLog(0).Last();
        Assert.Equal(("Transfer.Fail", transfer.Id, "StorageRequestFailed", "2026-06-15"), (failed.Action, failed.TargetId, failed.Details["Error"], failed.Details["HoldingDueOn"]));
        Assert.Contains($"Injected failure at {step}", failed.Details["Reason"], StringComparison.Ordinal);
        Assert.Equal(holding.Id, Assert.Single(Engine.Retention.Plan(Today)).HoldingId);
    }

    [Fact]
    public void A_stopped_transfer_is_recorded_as_failed_and_reports_a_cancellation()
    {
        storage.DuringUpload = () => host.Cancellation.Cancel();

        var error = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(), storage, host));

        Assert.Equal(("TransferCancelled", DataShareErrorCategory.OperationStopped), (error.ErrorId, error.Category));
        Assert.Empty(storage.Containers);
        var transfer = Engine.Transfers.Find("DS1", null).Single();
        Assert.Equal(TransferStatus.Incomplete, transfer.Status);
        Assert.Equal(Today, Engine.Retention.Get(transfer.HoldingId).DueOn);
        Assert.Equal(("Transfer.Fail", "TransferCancelled"), (Engine.Register.ReadAuditLog(0).Last().Action, Engine.Register.ReadAuditLog(0).Last().Details["Error"]));
    }

    [Fact]
    public void An_incomplete_transfer_gets_no_fresh_link_and_has_none_to_revoke()
    {
        storage.FailAt = "Sign";
        Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(), storage, host));
        storage.Failing.Clear();
        var incomplete = Engine.Transfers.Find("DS1", null).Single();
        var before = test.AuditCount();

        var again = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(new TransferRequest { FromTransferId = incomplete.Id, ValidFor = TimeSpan.FromDays(1) }, storage, host));
        var revoke = Assert.Throws<DataShareException>(() => Engine.Transfers.Revoke(incomplete.Id, storage, host));

        Assert.Equal(("TransferIncomplete", DataShareErrorCategory.InvalidOperation), (again.ErrorId, again.Category));
        Assert.Equal(("TransferIncomplete", DataShareErrorCategory.InvalidOperation), (revoke.ErrorId, revoke.Category));
        Assert.Contains("-Path", again.Message, StringComparison.Ordinal);
        Assert.Equal(before, test.AuditCount());
        Assert.Single(Engine.Register.ListTransfers(null));
    }

    [Fact]
    public void What_is_in_the_container_is_checked_before_the_link_is_signed()
    {
        var second = Path.Combine(folder, "schools.csv");
        File.WriteAllText(second, "urn\n1\n");
        var uploads = 0;
        storage.DuringUpload = () =>
        {
            if (++uploads == 2)
            {
                var container = storage.Containers.Keys.Single();
                storage.Containers[container]["intruder.csv"] = new StoredFile { Name = "intruder.csv", Size = 3 };
            }
        };

        var error = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(null, folder), storage, host));

        Assert.Equal(("TransferUploadMismatch", DataShareErrorCategory.InvalidData), (error.ErrorId, error.Category));
        Assert.Contains("intruder.csv", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AddPolicy", storage.Calls);
        Assert.Empty(storage.Containers);
        Assert.Equal(TransferStatus.Incomplete, Engine.Transfers.Find("DS1", null).Single().Status);
    }

    [Fact]
    public void A_file_altered_in_the_container_during_the_upload_fails_the_transfer()
    {
        File.WriteAllText(Path.Combine(folder, "schools.csv"), "urn\n1\n");
        var uploads = 0;
        storage.DuringUpload = () =>
        {
            if (++uploads == 2)
            {
                storage.Containers.Values.Single().Values.Single().Metadata[BlobTransferStorage.Sha256Key] = new string('0', 64);
            }
        };

        var error = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(null, folder), storage, host));

        Assert.Equal("TransferUploadMismatch", error.ErrorId);
        Assert.Contains("pupils.csv", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AddPolicy", storage.Calls);
    }

    [Fact]
    public void A_pipeline_stopping_once_the_transfer_is_issued_takes_nothing_away()
    {
        host.VerboseThrows = message => message.StartsWith("Issued transfer", StringComparison.Ordinal);

        Assert.Throws<InvalidOperationException>(() => Engine.Transfers.Issue(Request(), storage, host));

        var transfer = Engine.Register.ListTransfers("DS1").Single();
        Assert.Equal(TransferState.Issued, transfer.State);
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(transfer.HoldingId)!.State);
        Assert.Single(storage.Containers);
        Assert.DoesNotContain(Engine.Register.ReadAuditLog(0), e => e.Action == "Transfer.Fail");
    }

    [Fact]
    public void A_pipeline_stopping_once_a_fresh_link_is_recorded_leaves_its_policy()
    {
        var first = Engine.Transfers.Issue(Request(), storage, host)!;
        host.VerboseThrows = message => message.StartsWith("Issued transfer", StringComparison.Ordinal);

        Assert.Throws<InvalidOperationException>(() => Engine.Transfers.Issue(new TransferRequest { FromTransferId = first.Id, ValidFor = TimeSpan.FromDays(1) }, storage, host));

        var again = Engine.Register.ListTransfers("DS1").Single(t => t.FromTransferId == first.Id);
        Assert.Contains(again.Id, storage.Policies[first.Container]);
    }

    [Fact]
    public void A_transfer_whose_container_was_swept_while_it_uploaded_is_not_issued()
    {
        storage.DuringUpload = () =>
        {
            var holding = Engine.Register.ListHoldings("DS1").Single();
            holding.State = HoldingState.Destroyed;
            holding.DestroyedAt = Now;
            Engine.Register.InsertDestruction(
                new DestructionRecord { Id = Ids.NewDestructionId(), HoldingId = holding.Id, AgreementId = "DS1", Location = holding.Location, Verified = true, SoftDelete = "Off", Operator = "sweeper", Machine = "m", AsOf = Today },
                holding, new AuditEvent("Holding.Destroy", "Holding", holding.Id, new Dictionary<string, string?>()));
        };

        var error = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(), storage, host));

        Assert.Equal(("TransferContainerSwept", DataShareErrorCategory.InvalidOperation), (error.ErrorId, error.Category));
        Assert.Empty(storage.Containers);
        var transfer = Engine.Transfers.Find("DS1", null).Single();
        Assert.Equal(TransferStatus.Incomplete, transfer.Status);
        Assert.Equal(HoldingState.Destroyed, Engine.Register.FindHolding(transfer.HoldingId)!.State);
        Assert.Equal("Transfer.Fail", Engine.Register.ReadAuditLog(0).Last().Action);
    }
}
