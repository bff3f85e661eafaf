using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The sweep at the edges of the calendar: an agreement that ends on 9999-12-31 is never due, and stops nothing.
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
        Engine.Agreements.Update("OPEN", new Agreements.AgreementChanges { EndsOn = DateTime.Parse(endsOn, System.Globalization.CultureInfo.InvariantCulture) }, host);

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

    public void Dispose() => test.Dispose();
}
