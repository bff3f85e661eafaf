using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Register;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// A holding's own write (UpdateHolding): its state changed at the version read, with its audit entry, and what was
/// checked of its location at registration kept as written.
/// </summary>
public abstract partial class RegisterContract
{
    [Fact]
    public void A_holding_keeps_its_location_check_and_a_withdrawn_one_is_no_longer_held()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var found = Holding("HD-0000000001", "DS1", "c-1", new DateTime(2026, 3, 6));
        found.LocationCheck = HoldingLocationCheck.Found;
        var missing = Holding("HD-0000000002", "DS1", "c-2", new DateTime(2026, 3, 7));
        missing.LocationCheck = HoldingLocationCheck.Missing;
        register.InsertHolding(found, new AuditEvent("Holding.Register", "Holding", found.Id));
        register.InsertHolding(missing, new AuditEvent("Holding.Register", "Holding", missing.Id));
        Assert.Equal((HoldingLocationCheck.Found, HoldingLocationCheck.Missing), (register.FindHolding(found.Id)!.LocationCheck, register.FindHolding(missing.Id)!.LocationCheck));

        var withdrawn = register.FindHolding(missing.Id)!;
        withdrawn.State = HoldingState.Withdrawn;
        register.UpdateHolding(withdrawn, new AuditEvent("Holding.Withdraw", "Holding", withdrawn.Id, new Dictionary<string, string?> { ["Reason"] = "typed wrongly" }));

        var read = register.FindHolding(missing.Id)!;
        Assert.Equal((HoldingState.Withdrawn, HoldingLocationCheck.Missing, 2L), (read.State, read.LocationCheck, read.Version));
        Assert.Equal(new[] { found.Id }, register.ListHeldHoldings().Select(h => h.Id));
        Assert.Equal(new[] { found.Id, missing.Id }, register.ListHoldings("DS1").Select(h => h.Id));
        Assert.Equal(new[] { found.Id, missing.Id }, register.ListHoldings(null).Select(h => h.Id));
        var entry = register.ReadAuditLog(1).Last();
        Assert.Equal(("Holding.Withdraw", missing.Id, "typed wrongly"), (entry.Action, entry.TargetId, entry.Details["Reason"]));
    }

    [Fact]
    public void A_holds_fields_are_written_read_and_cleared_with_the_holding()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var holding = Holding("HD-0000000001", "DS1", "c-1", new DateTime(2026, 3, 6));
        register.InsertHolding(holding, new AuditEvent("Holding.Register", "Holding", holding.Id));
        var fresh = register.FindHolding(holding.Id)!;
        Assert.Equal((null, null, null, false, null), (fresh.HoldUntil, fresh.HoldReason, fresh.HoldApprovedBy, fresh.HoldLegal, fresh.HoldReviewOn));

        fresh.HoldUntil = new DateTime(2026, 9, 1);
        fresh.HoldReason = "complaint under investigation";
        fresh.HoldApprovedBy = "Dana Officer";
        fresh.HoldLegal = true;
        fresh.HoldReviewOn = new DateTime(2026, 6, 1);
        register.UpdateHolding(fresh, new AuditEvent("Holding.Hold", "Holding", holding.Id, new Dictionary<string, string?> { ["Until"] = "2026-09-01" }));

        foreach (var read in new[] { register.FindHolding(holding.Id)!, register.ListHeldHoldings().Single(), register.ListHoldings("DS1").Single() })
        {
            Assert.Equal((new DateTime(2026, 9, 1), "complaint under investigation", "Dana Officer", true, new DateTime(2026, 6, 1), new DateTime(2026, 3, 6), 2L),
                (read.HoldUntil, read.HoldReason, read.HoldApprovedBy, read.HoldLegal, read.HoldReviewOn, read.DueOn, read.Version));
        }

        var lifted = register.FindHolding(holding.Id)!;
        lifted.HoldUntil = null;
        lifted.HoldReason = null;
        lifted.HoldApprovedBy = null;
        lifted.HoldLegal = false;
        lifted.HoldReviewOn = null;
        register.UpdateHolding(lifted, new AuditEvent("Holding.HoldLift", "Holding", holding.Id));
        var after = register.FindHolding(holding.Id)!;
        Assert.Equal((null, null, null, false, null, 3L), (after.HoldUntil, after.HoldReason, after.HoldApprovedBy, after.HoldLegal, after.HoldReviewOn, after.Version));
        Assert.Equal(new[] { "Holding.Hold", "Holding.HoldLift" }, register.ReadAuditLog(1).Select(e => e.Action).Where(a => a.StartsWith("Holding.Hold", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_stale_holding_update_is_a_conflict_with_nothing_written()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var holding = Holding("HD-0000000001", "DS1", "c-1", new DateTime(2026, 3, 6));
        register.InsertHolding(holding, new AuditEvent("Holding.Register", "Holding", holding.Id));
        var stale = register.FindHolding(holding.Id)!;
        var current = register.FindHolding(holding.Id)!;
        current.State = HoldingState.Withdrawn;
        register.UpdateHolding(current, new AuditEvent("Holding.Withdraw", "Holding", holding.Id));

        var auditBefore = register.ReadAuditHead()!.Sequence;
        stale.State = HoldingState.Destroyed;
        Assert.Throws<RegisterConflictException>(() => register.UpdateHolding(stale, new AuditEvent("Holding.Destroy", "Holding", holding.Id)));
        Assert.Equal(HoldingState.Withdrawn, register.FindHolding(holding.Id)!.State);
        Assert.Equal(auditBefore, register.ReadAuditHead()!.Sequence);
        Assert.Empty(register.ListHeldHoldings());
    }
}
