using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Retention;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// A dry run of the retention sweep (-WhatIf): it measures and says what it would delete, deletes and records
/// nothing whatever the host answers, takes no sweep lock, and works on a read-only register such as a backup.
/// </summary>
public sealed class SweepDryRunTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 8, 1, 9, 0, 0, TimeSpan.Zero);
    private const string Account = "https://contosodata.blob.core.windows.net/";

    private readonly TestRegister test = new(Now);
    private readonly MemoryRetentionStorage storage = new();
    private readonly List<DataShareException> errors = new();
    private readonly DataShareHolding holding;

    public SweepDryRunTests()
    {
        // Ended 30 June and kept 10 days: due 11 July, so due on 1 August.
        var agreement = Samples.Agreement("DS1", "2026-01-01", "2026-06-30");
        agreement.RetentionDays = 10;
        test.Engine.Agreements.Create(agreement, new FakeHost());
        test.Engine.Agreements.Approve("DS1", "DSAP-DS1", new DateTime(2026, 1, 1), Samples.Decision(), new FakeHost());
        holding = test.Engine.Retention.Register("DS1", Account + "box-a/", new FakeHost())!;
        storage.Add("box-a", "extract.csv");
        storage.Add("box-a", "notes.txt");
    }

    private string LockFile => test.Path + ".sweep-lock";

    private List<DestructionRecord> DryRun(DataShareEngine engine, FakeHost host) =>
        engine.Retention.Sweep(new SweepOptions { DryRun = true }, _ => storage, host, errors.Add).ToList();

    [Fact]
    public void A_dry_run_works_on_a_read_only_register_and_leaves_no_lock()
    {
        var audit = test.AuditCount();
        test.Engine.Dispose();
        using var readOnly = test.OpenEngine(readOnly: true);
        var host = new FakeHost(approve: false);

        var records = DryRun(readOnly, host);

        Assert.Empty(records);
        Assert.Empty(errors);
        Assert.Contains(host.Asked, a => a.StartsWith("Delete 2 object(s)", StringComparison.Ordinal) && a.EndsWith(holding.Location, StringComparison.Ordinal));
        Assert.Empty(storage.Deleted);
        Assert.False(File.Exists(LockFile));
        Assert.Equal(HoldingState.Held, readOnly.Register.FindHolding(holding.Id)!.State);
        Assert.Equal(audit, (readOnly.Register.ReadAuditHead()?.Sequence ?? 0) - test.SetUpEntries);
    }

    [Fact]
    public void A_dry_run_deletes_and_records_nothing_even_when_the_host_says_yes()
    {
        var audit = test.AuditCount();
        var host = new FakeHost(approve: true);

        var records = DryRun(test.Engine, host);

        Assert.Empty(records);
        Assert.Single(host.Asked);
        Assert.Empty(storage.Deleted);
        Assert.Equal(2, storage.Containers["box-a"].Count);
        Assert.Equal(HoldingState.Held, test.Engine.Register.FindHolding(holding.Id)!.State);
        Assert.Equal(audit, test.AuditCount());
        Assert.False(File.Exists(LockFile));
    }

    [Fact]
    public void A_dry_run_neither_waits_for_nor_blocks_a_real_sweep()
    {
        using (var running = test.Engine.Register.TryLockSweep())
        {
            Assert.NotNull(running);
            Assert.Empty(DryRun(test.Engine, new FakeHost(approve: false)));
            Assert.Empty(errors);
        }

        var records = test.Engine.Retention.Sweep(new SweepOptions(), _ => storage, new FakeHost(approve: true), errors.Add).ToList();
        Assert.Equal(DestructionOutcome.Destroyed, Assert.Single(records).Outcome);
    }

    public void Dispose() => test.Dispose();
}
