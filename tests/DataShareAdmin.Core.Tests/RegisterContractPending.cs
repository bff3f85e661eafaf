using System;
using System.Linq;
using DataShareAdmin.Core.Register;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The register's side of a transfer recorded before its first byte is written: an incomplete transfer and its pending
/// holding, held (so a sweep finds it) from the moment they are written, completed or failed later in one write each.
/// </summary>
public abstract partial class RegisterContract
{
    /// <summary>A transfer as New-DataShareTransfer records it before its container exists: files planned, no hashes.</summary>
    private static (DataShareTransfer Transfer, DataShareHolding Holding) Started(string transferId, string holdingId, string container, DateTimeOffset at)
    {
        var holding = Holding(holdingId, "DS1", container, new DateTime(2026, 3, 3));
        holding.State = HoldingState.Pending;
        holding.TransferId = transferId;
        var transfer = Transfer(transferId, "DS1", holdingId, container, at);
        transfer.State = TransferState.Incomplete;
        transfer.Files = new[] { new TransferFile { Name = "pupils.csv", Size = 17 }, new TransferFile { Name = "sub/schools.csv", Size = 5 } };
        transfer.TotalBytes = 22;
        return (transfer, holding);
    }

    [Fact]
    public void An_incomplete_transfer_and_its_pending_holding_are_held_from_the_start_and_complete_in_one_write()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var at = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var (started, pending) = Started("TR-0000000001", "HD-0000000001", "dsa-ds1-tr-0000000001", at);
        register.InsertTransfer(started, pending, new AuditEvent("Transfer.Start", "Transfer", started.Id));

        var read = register.FindTransfer(started.Id)!;
        Assert.Equal((TransferState.Incomplete, 22L), (read.State, read.TotalBytes));
        Assert.Equal(new[] { ("pupils.csv", 17L, string.Empty), ("sub/schools.csv", 5L, string.Empty) }, read.Files.Select(f => (f.Name, f.Size, f.Sha256)));
        Assert.Equal(TransferState.Incomplete, register.ListTransfers("DS1").Single().State);
        Assert.Equal((HoldingState.Pending, started.Id), (register.FindHolding(pending.Id)!.State, register.FindHolding(pending.Id)!.TransferId));

        // Held in every sense a sweep and an overlap check use, though not yet complete.
        Assert.Equal(new[] { pending.Id }, register.ListHeldHoldings().Select(h => h.Id));
        Assert.Equal(HoldingState.Pending, register.ListHeldHoldings().Single().State);
        Assert.Equal(HoldingState.Pending, register.ListHoldings("DS1").Single().State);

        // Completed: the files' hashes, the state, and the holding's new state and due day, in one write.
        read.State = TransferState.Issued;
        read.Files = new[] { new TransferFile { Name = "pupils.csv", Size = 17, Sha256 = new string('b', 64) }, new TransferFile { Name = "sub/schools.csv", Size = 5, Sha256 = new string('c', 64) } };
        var holding = register.FindHolding(pending.Id)!;
        holding.State = HoldingState.Held;
        holding.DueOn = new DateTime(2026, 3, 6);
        register.UpdateTransfer(read, holding, new AuditEvent("Transfer.Issue", "Transfer", read.Id));

        var issued = register.FindTransfer(started.Id)!;
        Assert.Equal((TransferState.Issued, 2L, at), (issued.State, issued.Version, issued.IssuedAt));
        Assert.Equal(new[] { new string('b', 64), new string('c', 64) }, issued.Files.Select(f => f.Sha256));
        Assert.Equal(TransferState.Issued, register.ListTransfers(null).Single().State);
        Assert.Single(register.ListTransfers("DS1"));
        var held = register.FindHolding(pending.Id)!;
        Assert.Equal((HoldingState.Held, new DateTime(2026, 3, 6), 2L), (held.State, held.DueOn, held.Version));
        Assert.Equal(new[] { pending.Id }, register.ListHeldHoldings().Select(h => h.Id));
        Assert.Equal(new[] { "Transfer.Start", "Transfer.Issue" }, register.ReadAuditLog(0).Skip(1).Select(e => e.Action));
    }

    [Fact]
    public void A_pending_holding_a_sweep_destroyed_leaves_the_held_list_and_a_stale_completion_is_a_conflict()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var (started, pending) = Started("TR-0000000001", "HD-0000000001", "dsa-ds1-tr-0000000001", new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero));
        register.InsertTransfer(started, pending, new AuditEvent("Transfer.Start", "Transfer", started.Id));
        var (other, otherPending) = Started("TR-0000000002", "HD-0000000002", "dsa-ds1-tr-0000000002", new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero));
        register.InsertTransfer(other, otherPending, new AuditEvent("Transfer.Start", "Transfer", other.Id));
        var transfer = register.FindTransfer(started.Id)!;
        var stale = register.FindHolding(pending.Id)!;

        var swept = register.FindHolding(pending.Id)!;
        swept.State = HoldingState.Destroyed;
        swept.DestroyedAt = new DateTimeOffset(2026, 3, 3, 2, 0, 0, TimeSpan.Zero);
        register.InsertDestruction(
            new DestructionRecord { Id = "DR-0000000001", HoldingId = swept.Id, AgreementId = "DS1", Location = swept.Location, Verified = true, SoftDelete = "Off", Operator = "a", Machine = "m", AsOf = new DateTime(2026, 3, 3) },
            swept, new AuditEvent("Holding.Destroy", "Holding", swept.Id));
        Assert.Equal(new[] { otherPending.Id }, register.ListHeldHoldings().Select(h => h.Id));
        var head = register.ReadAuditHead()!.Sequence;

        transfer.State = TransferState.Issued;
        stale.State = HoldingState.Held;
        Assert.Throws<RegisterConflictException>(() => register.UpdateTransfer(transfer, stale, new AuditEvent("Transfer.Issue", "Transfer", transfer.Id)));
        Assert.Equal(TransferState.Incomplete, register.FindTransfer(started.Id)!.State);
        Assert.Equal(HoldingState.Destroyed, register.FindHolding(pending.Id)!.State);
        Assert.Equal(head, register.ReadAuditHead()!.Sequence);
    }

    [Fact]
    public void A_copy_keeps_incomplete_transfers_and_pending_holdings_as_they_are()
    {
        var source = New("source");
        source.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var (started, pending) = Started("TR-0000000001", "HD-0000000001", "dsa-ds1-tr-0000000001", new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero));
        source.InsertTransfer(started, pending, new AuditEvent("Transfer.Start", "Transfer", started.Id));
        var destination = New("destination");

        var copied = RegisterCopier.Copy(source, destination, Clock, new FakeHost());

        Assert.True(copied.Verified, copied.Problem);
        Assert.Equal(TransferState.Incomplete, destination.FindTransfer(started.Id)!.State);
        Assert.Equal(HoldingState.Pending, destination.FindHolding(pending.Id)!.State);
        Assert.Equal(new[] { pending.Id }, destination.ListHeldHoldings().Select(h => h.Id));
    }
}
