using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The sweep at the edges: dates at the end of the calendar, a record that cannot be planned, and local folders
/// whose links would lead a delete outside the holding. One bad holding never stops the others.
/// </summary>
public sealed class RetentionEdgeTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 8, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly TestRegister test = new(Now);
    private readonly FakeHost host = new();
    private readonly List<DataShareException> errors = new();

    public RetentionEdgeTests()
    {
        // ENDED ended on 30 June and keeps nothing after: due since 1 July. ACTIVE runs to the end of the year.
        Agreement("ENDED", "2026-06-30");
        Agreement("ACTIVE", "2026-12-31");
    }

    private DataShareEngine Engine => test.Engine;

    private void Agreement(string id, string ends, int retention = 0)
    {
        var agreement = Samples.Agreement(id, "2026-01-01", ends);
        agreement.RetentionDays = retention;
        Engine.Agreements.Create(agreement, host);
    }

    /// <summary>A folder under the test's directory with one file of <paramref name="bytes"/> bytes.</summary>
    private string Folder(string name, int bytes = 3)
    {
        var folder = Path.Combine(test.Directory, name);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "pupils.csv"), new byte[bytes]);
        return folder;
    }

    private DataShareHolding Hold(string agreementId, string location) => Engine.Retention.Register(agreementId, location, host)!;

    private List<DestructionRecord> Sweep() =>
        Engine.Retention.Sweep(new SweepOptions(), _ => null, host, errors.Add).ToList();

    [Theory]
    [InlineData("9999-12-31", 0)]
    [InlineData("9999-12-31", 3650)]
    [InlineData("9999-06-30", 3650)]
    public void An_open_ended_agreement_at_the_end_of_the_calendar_is_never_due_and_stops_nothing(string endsOn, int retentionDays)
    {
        Agreement("OPEN", "2026-12-31", retentionDays);
        var open = Hold("OPEN", Folder("open"));
        var due = Hold("ENDED", Folder("ended"));
        Samples.Vary(Engine, "OPEN", new Agreements.AgreementChanges { EndsOn = DateTime.Parse(endsOn, System.Globalization.CultureInfo.InvariantCulture) }, host);

        // Registering, listing, planning and sweeping all go on; the open-ended agreement's holdings are due at the
        // calendar's last day, which saturates rather than overflowing.
        var another = Hold("OPEN", Folder("open-2"));
        Assert.Equal(DateTime.MaxValue.Date, another.DueOn);
        Assert.Equal(DateTime.MaxValue.Date, Engine.Retention.Get(open.Id).DueOn);
        Assert.Equal(3, Engine.Retention.Find(null, includeDestroyed: false).Count());
        Assert.Equal(new[] { due.Id }, Engine.Retention.Plan(null).Select(p => p.HoldingId));
        Assert.Equal(new[] { due.Id }, Engine.Retention.Plan(new DateTime(9999, 12, 30)).Select(p => p.HoldingId));
        Assert.DoesNotContain(Engine.Retention.OverdueConfirmations(new DateTime(9999, 12, 31)), a => a.Id == "OPEN");

        var record = Assert.Single(Sweep());
        Assert.Empty(errors);
        Assert.Equal((due.Id, DestructionOutcome.Destroyed), (record.HoldingId, record.Outcome));
        Assert.True(Directory.Exists(Path.Combine(test.Directory, "open")));
    }

    [Theory]
    [InlineData("9999-12-31", 1, "9999-12-31")]
    [InlineData("9999-12-30", 3651, "9999-12-31")]
    [InlineData("9999-12-30", 1, "9999-12-31")]
    [InlineData("0001-01-01", -1, "0001-01-01")]
    [InlineData("2026-06-30", 1, "2026-07-01")]
    [InlineData("2028-02-28", 1, "2028-02-29")]
    [InlineData("2026-06-30", long.MaxValue, "9999-12-31")]
    [InlineData("2026-06-30", long.MinValue, "0001-01-01")]
    public void Days_added_at_the_edges_of_the_calendar_stop_at_its_first_or_last_day(string day, long days, string expected)
    {
        Assert.Equal(DateText.ParseDate(expected), ShareCalendar.AddDays(DateText.ParseDate(day), days));
    }

    [Fact]
    public void A_holding_that_cannot_be_planned_is_reported_with_its_id_and_every_other_due_holding_is_still_swept()
    {
        Agreement("LOST", "2026-05-31");
        var first = Hold("ENDED", Folder("first"));
        var broken = Hold("LOST", Folder("broken"));
        var last = Hold("ENDED", Folder("last"));

        // Damage the register as a restore from an old backup or a hand edit might: the holding's agreement is gone.
        using (var connection = new SqliteConnection($"Data Source={test.Path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA foreign_keys = OFF; DELETE FROM agreements WHERE id = 'LOST';";
            command.ExecuteNonQuery();
        }

        var records = Sweep();

        Assert.Equal(new[] { first.Id, last.Id }.OrderBy(i => i, StringComparer.Ordinal), records.Select(r => r.HoldingId).OrderBy(i => i, StringComparer.Ordinal));
        Assert.All(records, r => Assert.Equal(DestructionOutcome.Destroyed, r.Outcome));
        var error = Assert.Single(errors);
        Assert.Equal(("HoldingPlanFailed", DataShareErrorCategory.InvalidData, (object?)broken.Id), (error.ErrorId, error.Category, error.Target));
        Assert.Contains(broken.Id, error.Message, StringComparison.Ordinal);
        Assert.Contains("LOST", error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(test.Directory, "broken")));
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(broken.Id)!.State);
    }

    [Fact]
    public void A_folder_holding_that_is_itself_a_link_is_not_followed_and_what_it_points_at_stays()
    {
        // A link is refused at registration (HoldingSafetyTests); here the folder registered becomes one afterwards.
        var outside = Folder("outside", bytes: 7);
        var link = Path.Combine(test.Directory, "extract-link");
        Directory.CreateDirectory(link);
        var holding = Hold("ENDED", link);
        Directory.Delete(link);
        Directory.CreateSymbolicLink(link, outside);
        var other = Hold("ENDED", Folder("plain"));

        var record = Assert.Single(Sweep());

        Assert.Equal(other.Id, record.HoldingId);
        Assert.True(File.Exists(Path.Combine(outside, "pupils.csv")));
        var error = Assert.Single(errors);
        Assert.Equal(("SweepHoldingUnsafe", (object?)holding.Id), (error.ErrorId, error.Target));
        Assert.Contains("link", error.Message, StringComparison.Ordinal);
        Assert.Equal(HoldingState.Held, Engine.Register.FindHolding(holding.Id)!.State);
    }

    [Fact]
    public void A_folder_reached_through_a_linked_parent_that_another_agreement_holds_is_not_swept()
    {
        // ACTIVE holds real/ds; ENDED registered alias/ds, where alias is a link to real: the same folder.
        var real = Path.Combine(test.Directory, "real");
        var active = Folder(Path.Combine("real", "ds"), bytes: 9);
        var alias = Path.Combine(test.Directory, "alias");
        Directory.CreateSymbolicLink(alias, real);
        Hold("ACTIVE", active);
        var holding = Hold("ENDED", Path.Combine(alias, "ds"));

        Assert.Empty(Sweep());

        Assert.True(File.Exists(Path.Combine(active, "pupils.csv")));
        var error = Assert.Single(errors);
        Assert.Equal(("SweepHoldingUnsafe", (object?)holding.Id), (error.ErrorId, error.Target));
        Assert.Contains("ACTIVE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_sub_folder_swapped_for_a_link_after_the_listing_is_not_followed()
    {
        var folder = Folder("swap");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        File.WriteAllText(Path.Combine(folder, "sub", "b.csv"), "mine");
        var outside = Path.Combine(test.Directory, "precious");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "b.csv"), "not mine");
        var store = new LocalFolderStore(folder);
        var listed = store.List(CancellationToken.None).Single(o => o.Name.EndsWith("b.csv", StringComparison.Ordinal));

        // Between the listing and the delete, the sub-folder becomes a link to a folder outside the holding.
        Directory.Delete(Path.Combine(folder, "sub"), recursive: true);
        Directory.CreateSymbolicLink(Path.Combine(folder, "sub"), outside);
        var answer = await store.DeleteAsync(listed, CancellationToken.None);

        Assert.Equal("not mine", File.ReadAllText(Path.Combine(outside, "b.csv")));
        Assert.NotEqual(DeleteResult.Deleted, answer.Result);
        Assert.NotEqual(DeleteResult.Gone, answer.Result);
    }

    public void Dispose() => test.Dispose();
}
