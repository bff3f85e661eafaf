using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Retention;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Holdings a sweep can trust: a local holding is a folder that is there (or is registered as missing on purpose),
/// never a file, a protected folder or a name with control characters; a folder not there is never recorded as
/// destroyed; and a mistaken holding is withdrawn, kept, and skipped.
/// </summary>
public sealed class HoldingSafetyTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 8, 1, 9, 0, 0, TimeSpan.Zero);
    private const string Account = "https://contosodata.blob.core.windows.net/";

    private readonly TestRegister test = new(Now);
    private readonly FakeHost host = new();
    private readonly List<DataShareException> errors = new();

    public HoldingSafetyTests()
    {
        // ENDED ended on 30 June and keeps nothing after: due since 1 July. ACTIVE runs to the end of the year.
        foreach (var (id, ends) in new[] { ("ENDED", "2026-06-30"), ("ACTIVE", "2026-12-31") })
        {
            var agreement = Samples.Agreement(id, "2026-01-01", ends);
            agreement.RetentionDays = 0;
            Engine.Agreements.Create(agreement, host);
        }
    }

    private DataShareEngine Engine => test.Engine;

    private string Folder(string name)
    {
        var folder = Path.Combine(test.Directory, name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "pupils.csv"), "upn\n");
        return folder;
    }

    private List<DestructionRecord> Sweep() => Engine.Retention.Sweep(new SweepOptions(), _ => null, host, errors.Add).ToList();

    private DataShareException Refused(string location, bool allowMissing = false)
    {
        var before = test.AuditCount();
        var error = Assert.Throws<DataShareException>(() => Engine.Retention.Register("ENDED", location, host, allowMissing));
        Assert.Equal(before, test.AuditCount());
        Assert.DoesNotContain(Engine.Register.ListHoldings(null), h => h.State == HoldingState.Held && h.Location == location);
        return error;
    }

    [Fact]
    public void A_file_is_refused_as_a_holding_and_a_folder_that_became_a_file_fails_its_sweep_while_the_rest_go_on()
    {
        var file = Path.Combine(Folder("files"), "pupils.csv");
        var error = Refused(file);
        Assert.Equal(("HoldingLocationNotFolder", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Contains("is a file", error.Message, StringComparison.Ordinal);
        Assert.Equal("HoldingLocationNotFolder", Refused(file, allowMissing: true).ErrorId);

        var becomes = Engine.Retention.Register("ENDED", Folder("becomes-a-file"), host)!;
        var plain = Engine.Retention.Register("ENDED", Folder("plain"), host)!;
        Directory.Delete(becomes.Location, recursive: true);
        File.WriteAllText(becomes.Location, "someone's notes");

        var record = Assert.Single(Sweep());

        Assert.Equal((plain.Id, DestructionOutcome.Destroyed), (record.HoldingId, record.Outcome));
        var failed = Assert.Single(errors);
        Assert.Equal(("SweepHoldingUnsafe", DataShareErrorCategory.InvalidData, (object?)becomes.Id), (failed.ErrorId, failed.Category, failed.Target));
        Assert.Contains("is a file, not a folder", failed.Message, StringComparison.Ordinal);
        Assert.Equal("someone's notes", File.ReadAllText(becomes.Location));
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(becomes.Id)!.State);
        Assert.DoesNotContain(Engine.Register.ListDestructions(null), d => d.HoldingId == becomes.Id);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/etc")]
    [InlineData("/etc/")]
    [InlineData("/etc/ssl")]
    [InlineData("/usr/share")]
    [InlineData("/tmp")]
    [InlineData("/tmp/../etc")]
    [InlineData("/tmp/./../etc//")]
    [InlineData("/home")]
    public void System_folders_are_protected_on_this_machine(string location)
    {
        var error = Refused(location);
        Assert.Equal(("HoldingLocationProtected", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
    }

    [Fact]
    public void The_home_the_register_s_folder_and_above_the_module_s_folder_and_a_link_to_etc_are_protected()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal("HoldingLocationProtected", Refused(home).ErrorId);
        Assert.Equal("HoldingLocationProtected", Refused(test.Directory).ErrorId);
        Assert.Equal("HoldingLocationProtected", Refused(test.Directory + "/").ErrorId);
        Assert.Equal("HoldingLocationProtected", Refused(Path.GetDirectoryName(test.Directory)!).ErrorId);
        var module = Path.GetDirectoryName(typeof(ProtectedFolders).Assembly.Location)!;
        Assert.Equal("HoldingLocationProtected", Refused(module).ErrorId);
        Assert.Equal("HoldingLocationProtected", Refused(Path.GetDirectoryName(module)!).ErrorId);

        var link = Path.Combine(test.Directory, "to-etc");
        Directory.CreateSymbolicLink(link, "/etc");
        var error = Refused(link);
        Assert.Equal("HoldingLocationProtected", error.ErrorId);
        Assert.Contains("/etc", error.Message, StringComparison.Ordinal);
        Assert.Equal("HoldingLocationProtected", Refused(Path.Combine(link, "ssl")).ErrorId);

        // A folder inside the register's folder is not above the register: it may be a holding.
        Assert.NotNull(Engine.Retention.Register("ENDED", Folder("extract"), host));
    }

    [Fact]
    public void A_link_to_a_folder_is_refused_naming_the_folder_so_it_never_hides_an_overlap()
    {
        var data = Folder("data1");
        Assert.NotNull(Engine.Retention.Register("ACTIVE", data, host));
        var link = Path.Combine(test.Directory, "d1link");
        Directory.CreateSymbolicLink(link, data);

        var error = Refused(link);

        // Registered, the link would overlap ACTIVE's holding unseen, and every sweep would then refuse that holding.
        Assert.Equal(("HoldingLocationIsLink", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Contains(data, error.Message, StringComparison.Ordinal);
        Assert.Equal("HoldingLocationIsLink", Refused(link, allowMissing: true).ErrorId);
    }

    [Fact]
    public void Percent_escapes_in_a_path_are_literal_never_decoded_into_another_folder()
    {
        // .NET reads '/tmp/%2E%2E/etc' as a file URI meaning /etc; as a path it is a folder named '%2E%2E' in /tmp.
        var error = Refused("/tmp/%2E%2E/etc");
        Assert.Equal(("HoldingLocationNotFound", DataShareErrorCategory.ObjectNotFound), (error.ErrorId, error.Category));
        Assert.Contains("/tmp/%2E%2E/etc", error.Message, StringComparison.Ordinal);

        var literal = Folder(Path.Combine("%2E%2E", "etc"));
        var holding = Engine.Retention.Register("ENDED", literal, host)!;
        Assert.Equal(literal, holding.Location);
        Assert.EndsWith("/%2E%2E/etc", holding.Location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\u001b[31m")]
    [InlineData("\0")]
    [InlineData("\r")]
    public void A_control_character_anywhere_in_a_location_is_refused(string control)
    {
        var folder = Folder("extract");
        foreach (var location in new[] { folder + control, folder + control + "x", Account + "share/ds1" + control + "/", control + folder })
        {
            var error = Refused(location);
            Assert.Equal(("HoldingLocationInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
            Assert.DoesNotContain(control, error.Message, StringComparison.Ordinal);
        }

        Assert.Throws<DataShareException>(() => Engine.Retention.Register("ENDED", folder + control, host, allowMissing: true));
        Assert.Empty(Engine.Register.ListHoldings(null));
    }

    [Fact]
    public void A_missing_folder_is_refused_unless_allowed_and_is_recorded_as_checked()
    {
        var missing = Path.Combine(test.Directory, "extarcts", "ds1");
        var error = Refused(missing);
        Assert.Equal(("HoldingLocationNotFound", DataShareErrorCategory.ObjectNotFound), (error.ErrorId, error.Category));
        Assert.Contains("-AllowMissing", error.Message, StringComparison.Ordinal);

        var allowed = Engine.Retention.Register("ENDED", missing, host, allowMissing: true)!;
        var found = Engine.Retention.Register("ENDED", Folder("found"), host)!;
        var blob = Engine.Retention.Register("ENDED", Account + "share/ds1/", host)!;

        Assert.Equal(HoldingLocationCheck.Missing, Engine.Register.FindHolding(allowed.Id)!.LocationCheck);
        Assert.Equal(HoldingLocationCheck.Found, Engine.Register.FindHolding(found.Id)!.LocationCheck);
        Assert.Equal(HoldingLocationCheck.NotChecked, Engine.Register.FindHolding(blob.Id)!.LocationCheck);
        Assert.Contains(host.Warnings, w => w.Contains(allowed.Id, StringComparison.Ordinal) && w.Contains("NotFound", StringComparison.Ordinal));
    }

    [Fact]
    public void A_folder_not_there_at_the_sweep_is_NotFound_never_destroyed_whether_it_was_found_or_never_was()
    {
        var never = Engine.Retention.Register("ENDED", Path.Combine(test.Directory, "never"), host, allowMissing: true)!;
        var removed = Engine.Retention.Register("ENDED", Folder("removed"), host)!;
        var present = Engine.Retention.Register("ENDED", Folder("present"), host)!;
        Directory.Delete(removed.Location, recursive: true);

        var records = Sweep().ToDictionary(r => r.HoldingId);

        Assert.Empty(errors);
        Assert.Equal((DestructionOutcome.Destroyed, true), (records[present.Id].Outcome, records[present.Id].Verified));
        foreach (var (holding, says) in new[] { (never, "never been found"), (removed, "someone else removed it") })
        {
            var record = records[holding.Id];
            Assert.Equal((DestructionOutcome.NotFound, false, 0L), (record.Outcome, record.Verified, record.ObjectsDeleted));
            Assert.Contains(says, record.Reason, StringComparison.Ordinal);
            Assert.Equal((HoldingState.Held, (DateTimeOffset?)null), (Engine.Register.FindHolding(holding.Id)!.State, Engine.Register.FindHolding(holding.Id)!.DestroyedAt));
            Assert.Contains(host.Warnings, w => w.Contains(holding.Id, StringComparison.Ordinal) && w.Contains("NotFound", StringComparison.Ordinal));
        }

        // Still due, and reported again: a person has to look. Once the folder is there, it is swept like any other.
        Directory.CreateDirectory(never.Location);
        File.WriteAllText(Path.Combine(never.Location, "late.csv"), "x");
        var later = Sweep().ToDictionary(r => r.HoldingId);
        Assert.Equal((DestructionOutcome.Destroyed, 1L), (later[never.Id].Outcome, later[never.Id].ObjectsDeleted));
        Assert.Equal(DestructionOutcome.NotFound, later[removed.Id].Outcome);
    }

    [Fact]
    public void A_withdrawn_holding_is_kept_audited_with_its_reason_and_skipped_by_plan_and_sweep()
    {
        var mistake = Engine.Retention.Register("ENDED", Folder("mistake"), host)!;
        var real = Engine.Retention.Register("ENDED", Folder("real"), host)!;

        host.Approve = false;
        Assert.Null(Engine.Retention.Withdraw(mistake.Id, "registered the wrong folder", host));
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(mistake.Id)!.State);
        host.Approve = true;

        var withdrawn = Engine.Retention.Withdraw(mistake.Id.ToLowerInvariant(), "  registered the wrong folder ", host)!;

        Assert.Equal(HoldingState.Withdrawn, withdrawn.State);
        Assert.Equal(HoldingState.Withdrawn, Engine.Register.FindHolding(mistake.Id)!.State);
        var entry = Engine.Register.ReadAuditLog(1).Last();
        Assert.Equal(("Holding.Withdraw", mistake.Id, "registered the wrong folder"), (entry.Action, entry.TargetId, entry.Details["Reason"]));
        Assert.Equal(new[] { real.Id }, Engine.Retention.Plan(null).Select(p => p.HoldingId));
        Assert.Equal(new[] { real.Id }, Engine.Retention.Find(null, includeDestroyed: false).Select(h => h.Id));
        Assert.Contains(mistake.Id, Engine.Retention.Find("ENDED", includeDestroyed: true).Select(h => h.Id));

        var record = Assert.Single(Sweep());
        Assert.Equal(real.Id, record.HoldingId);
        Assert.True(File.Exists(Path.Combine(mistake.Location, "pupils.csv")));

        // The same place can be registered again, rightly this time.
        Assert.NotNull(Engine.Retention.Register("ACTIVE", mistake.Location, host));
    }

    [Fact]
    public void Withdrawing_is_refused_for_destroyed_withdrawn_and_transfer_holdings_and_without_a_reason()
    {
        var destroyed = Engine.Retention.Register("ENDED", Folder("gone"), host)!;
        Assert.Single(Sweep());
        var once = Engine.Retention.Register("ENDED", Folder("once"), host)!;
        Engine.Retention.Withdraw(once.Id, "mistake", host);
        var transferHolding = new DataShareHolding
        {
            Id = "HD-00000000TR", AgreementId = "ENDED", Kind = HoldingKind.BlobContainer, Location = Account + "dsa-ended-tr-0000000001",
            StorageAccount = "contosodata", Container = "dsa-ended-tr-0000000001", TransferId = "TR-0000000001",
            DueOn = new DateTime(2026, 7, 1), RegisteredAt = Now, RegisteredBy = "tester",
        };
        Engine.Register.InsertHolding(transferHolding, new AuditEvent("Holding.Register", "Holding", transferHolding.Id));
        var held = Engine.Retention.Register("ENDED", Folder("held"), host)!;
        var before = test.AuditCount();

        DataShareException Refused(string id, string reason) => Assert.Throws<DataShareException>(() => Engine.Retention.Withdraw(id, reason, host));

        foreach (var id in new[] { destroyed.Id, once.Id, transferHolding.Id })
        {
            var error = Refused(id, "mistake");
            Assert.Equal(("HoldingNotWithdrawable", DataShareErrorCategory.InvalidOperation, (object?)id), (error.ErrorId, error.Category, error.Target));
        }

        Assert.Contains("Revoke-DataShareTransfer -Id TR-0000000001", Refused(transferHolding.Id, "mistake").Message, StringComparison.Ordinal);
        foreach (var reason in new[] { string.Empty, "   " })
        {
            var error = Refused(held.Id, reason);
            Assert.Equal(("HoldingWithdrawReasonMissing", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        }

        Assert.Equal("HoldingNotFound", Refused("HD-0000000000", "mistake").ErrorId);
        Assert.Equal(before, test.AuditCount());
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(held.Id)!.State);
    }

    [Fact]
    public void An_ended_agreement_whose_only_holding_left_is_withdrawn_is_destroyed_once_confirmed()
    {
        var gone = Engine.Retention.Register("ENDED", Folder("gone"), host)!;
        var mistake = Engine.Retention.Register("ENDED", Path.Combine(test.Directory, "typo"), host, allowMissing: true)!;
        Sweep();
        Assert.Equal(HoldingState.Destroyed, Engine.Register.FindHolding(gone.Id)!.State);
        Engine.Retention.Confirm("ENDED", "Ann Officer", new DateTime(2026, 7, 20), null, host);
        Assert.Null(Engine.Register.FindAgreement("ENDED")!.DestroyedOn);

        Engine.Retention.Withdraw(mistake.Id, "typed wrongly; the data was only ever in 'gone'", host);

        Assert.NotNull(Engine.Register.FindAgreement("ENDED")!.DestroyedOn);
    }

    [Fact]
    public void The_evidence_pack_index_carries_withdrawn_holdings_NotFound_sweeps_and_what_was_checked()
    {
        var never = Engine.Retention.Register("ENDED", Path.Combine(test.Directory, "never"), host, allowMissing: true)!;
        var mistake = Engine.Retention.Register("ENDED", Folder("mistake"), host)!;
        Engine.Retention.Withdraw(mistake.Id, "registered the wrong folder", host);
        Sweep();

        using var output = new MemoryStream();
        Engine.Evidence.Export("ENDED", output, host);
        var index = System.Text.Json.Nodes.JsonNode.Parse(new Evidence.EvidencePack(output.ToArray()).Text("data/evidence.json"))!;

        var holdings = index["holdings"]!.AsArray().ToDictionary(h => (string)h!["id"]!);
        Assert.Equal(("Held", "Missing", "NotFound", false), ((string)holdings[never.Id]!["state"]!, (string)holdings[never.Id]!["locationCheck"]!,
            (string)holdings[never.Id]!["destructions"]![0]!["outcome"]!, (bool)holdings[never.Id]!["destructions"]![0]!["verified"]!));
        Assert.Equal(("Withdrawn", "Found", 0), ((string)holdings[mistake.Id]!["state"]!, (string)holdings[mistake.Id]!["locationCheck"]!, holdings[mistake.Id]!["destructions"]!.AsArray().Count));
        Assert.Contains(index["audit"]!["entries"]!.AsArray(), e => (string)e!["action"]! == "Holding.Withdraw" && (string)e["details"]!["Reason"]! == "registered the wrong folder");
    }

    public void Dispose() => test.Dispose();
}
