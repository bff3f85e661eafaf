using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.Core.Tests;

/// <summary>Output releases: a release with its files, exceptions and cells, its state changes, and what is refused.</summary>
public abstract partial class RegisterContract
{
    private static OutputRelease Release(string id, string agreementId, DateTimeOffset at) => new()
    {
        Id = id,
        AgreementId = agreementId,
        State = OutputReleaseState.Requested,
        Purpose = "Paper on \"FSM\" & <attainment>",
        Rules = new OutputRules().ToString(),
        RequestedBy = "alice",
        RequestedAt = at,
        Verdict = OutputVerdict.Fail,
        Files = new ReadableList<OutputReleaseFile>
        {
            new() { ReleaseId = id, Position = 0, Name = "fsm.csv", Sha256 = new string('a', 64), Size = 120, Dimensions = new ReadableList<string> { "Region", "Sex" }, Cells = 3, Failed = 1, Suppressed = 1, Verdict = OutputVerdict.Fail },
            new() { ReleaseId = id, Position = 1, Name = "pay.csv", Sha256 = new string('b', 64), Size = 80, Kind = "Magnitude", Dimensions = new ReadableList<string> { "Sector" }, Cells = 1, Review = 1, Verdict = OutputVerdict.Review },
        },
        Exceptions = new ReadableList<OutputReleaseException>
        {
            new() { ReleaseId = id, File = "fsm.csv", Cell = "Region=North, Sex=F", Rules = "Threshold", Justification = "Published already", WrittenBy = "alice", WrittenAt = at },
        },
    };

    private static List<OutputReleaseCell> ReleaseCells(string id) => new()
    {
        new() { ReleaseId = id, File = 0, Position = 0, Categories = new ReadableList<string> { "North", "F" }, Count = 4 },
        new() { ReleaseId = id, File = 0, Position = 1, Categories = new ReadableList<string> { "North", "M" }, Count = null },
        new() { ReleaseId = id, File = 0, Position = 2, Categories = new ReadableList<string> { "North, \"quoted\"", "Total" }, Count = 25 },
        new() { ReleaseId = id, File = 1, Position = 0, Categories = new ReadableList<string> { "Retail" }, Count = 40 },
    };

    private static string Cells(IEnumerable<OutputReleaseCell> cells) =>
        string.Join(" | ", cells.Select(c => $"{c.ReleaseId}/{c.File}/{c.Position}:{string.Join(",", c.Categories)}={c.Count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "[c]"}"));

    [Fact]
    public void An_output_release_round_trips_with_its_files_exceptions_and_cells()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var at = new DateTimeOffset(2026, 3, 1, 10, 0, 0, 250, TimeSpan.Zero);
        var written = Release("RL-0000000001", "DS1", at);
        register.InsertOutputRelease(written, ReleaseCells(written.Id), new AuditEvent("OutputRelease.Requested", "OutputRelease", written.Id));

        var read = register.FindOutputRelease("rl-0000000001")!;
        Assert.Equal(1, written.Version);
        Assert.Equal((written.Id, "DS1", OutputReleaseState.Requested, written.Purpose, written.Rules, "alice", at, OutputVerdict.Fail, 1L),
            (read.Id, read.AgreementId, read.State, read.Purpose, read.Rules, read.RequestedBy, read.RequestedAt, read.Verdict, read.Version));
        Assert.Equal((null, null, null, null, null), (read.ApprovedBy, read.ApprovedAt, read.RevokedBy, read.RevokedAt, read.RevokedReason));
        Assert.Equal(
            new[] { "0 fsm.csv aaaa 120 Frequency Region,Sex 3/1/0/1 Fail", "1 pay.csv bbbb 80 Magnitude Sector 1/0/1/0 Review" },
            read.Files.Select(f => $"{f.Position} {f.Name} {f.Sha256.Substring(0, 4)} {f.Size} {f.Kind} {string.Join(",", f.Dimensions)} {f.Cells}/{f.Failed}/{f.Review}/{f.Suppressed} {f.Verdict}"));
        var exception = Assert.Single(read.Exceptions);
        Assert.Equal(("fsm.csv", "Region=North, Sex=F", "Threshold", "Published already", "alice", at), (exception.File, exception.Cell, exception.Rules, exception.Justification, exception.WrittenBy, exception.WrittenAt));
        Assert.Equal(Cells(ReleaseCells(written.Id)), Cells(register.ListOutputReleaseCells(written.Id)));
        Assert.Equal(written.Id, Assert.Single(register.ListOutputReleases("ds1")).Id);
        Assert.Empty(register.ListOutputReleases("DS2"));
        Assert.Equal("OutputRelease.Requested", register.ReadAuditLog(1).Last().Action);
    }

    [Fact]
    public void Output_releases_list_by_request_time_and_cells_by_release()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        register.InsertAgreement(Agreement("DS2"), Event("Agreement.Create", "DS2"));
        var at = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        register.InsertOutputRelease(Release("RL-0000000003", "DS1", at.AddMinutes(2)), ReleaseCells("RL-0000000003"), new AuditEvent("OutputRelease.Requested", "OutputRelease", "RL-0000000003"));
        register.InsertOutputRelease(Release("RL-0000000002", "DS2", at.AddMinutes(1)), ReleaseCells("RL-0000000002").Take(1), new AuditEvent("OutputRelease.Requested", "OutputRelease", "RL-0000000002"));

        Assert.Equal(new[] { "RL-0000000002", "RL-0000000003" }, register.ListOutputReleases(null).Select(r => r.Id));
        Assert.Equal(new[] { "RL-0000000003" }, register.ListOutputReleases("DS1").Select(r => r.Id));
        Assert.Equal(Cells(ReleaseCells("RL-0000000002").Take(1).Concat(ReleaseCells("RL-0000000003"))), Cells(register.ListOutputReleaseCells(null)));
        Assert.Empty(register.ListOutputReleaseCells("RL-0000000009"));
    }

    [Fact]
    public void A_duplicate_output_release_is_refused_and_writes_no_audit_entry()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var at = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        register.InsertOutputRelease(Release("RL-0000000001", "DS1", at), ReleaseCells("RL-0000000001"), new AuditEvent("OutputRelease.Requested", "OutputRelease", "RL-0000000001"));

        var error = Assert.Throws<DataShareException>(() => register.InsertOutputRelease(Release("RL-0000000001", "DS1", at.AddMinutes(1)), ReleaseCells("RL-0000000001").Take(1),
            new AuditEvent("OutputRelease.Requested", "OutputRelease", "RL-0000000001")));

        Assert.Equal(("OutputReleaseExists", DataShareErrorCategory.ResourceExists), (error.ErrorId, error.Category));
        Assert.Equal(2, register.ReadAuditHead()!.Sequence);
        Assert.Equal(4, register.ListOutputReleaseCells("RL-0000000001").Count());
        Assert.Equal(at, Assert.Single(register.ListOutputReleases("DS1")).RequestedAt);
    }

    [Fact]
    public void An_output_release_changes_state_at_the_version_read_and_a_stale_change_is_refused()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var at = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        register.InsertOutputRelease(Release("RL-0000000001", "DS1", at), ReleaseCells("RL-0000000001"), new AuditEvent("OutputRelease.Requested", "OutputRelease", "RL-0000000001"));
        var first = register.FindOutputRelease("RL-0000000001")!;
        var stale = register.FindOutputRelease("RL-0000000001")!;

        first.State = OutputReleaseState.Approved;
        first.ApprovedBy = "bob";
        first.ApprovedAt = at.AddHours(1);
        register.UpdateOutputRelease(first, new AuditEvent("OutputRelease.Approved", "OutputRelease", first.Id));
        stale.State = OutputReleaseState.Rejected;
        stale.RevokedBy = "carol";

        Assert.Throws<RegisterConflictException>(() => register.UpdateOutputRelease(stale, new AuditEvent("OutputRelease.Rejected", "OutputRelease", stale.Id)));
        var read = register.FindOutputRelease("RL-0000000001")!;
        Assert.Equal((OutputReleaseState.Approved, "bob", at.AddHours(1), (string?)null, 2L), (read.State, read.ApprovedBy, read.ApprovedAt, read.RevokedBy, read.Version));
        Assert.Equal(OutputReleaseState.Approved, Assert.Single(register.ListOutputReleases("DS1")).State);
        Assert.Equal(Assert.Single(read.Exceptions).Justification, Assert.Single(register.ListOutputReleases(null)).Exceptions.Single().Justification);
        Assert.Equal(3, register.ReadAuditHead()!.Sequence);
    }
}
