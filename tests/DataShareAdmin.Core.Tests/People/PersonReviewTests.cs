using System;
using System.Linq;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Reports;

namespace DataShareAdmin.Core.Tests.PersonData;

/// <summary>
/// Jo is on DS1 (ends 2026-12-31) and DS2 (ends 2026-05-31), Alex on DS2 only. With a 30-day review period Alex is
/// due for review from 2026-07-01, Jo only from 2027-01-31, when her later agreement has ended too.
/// </summary>
public sealed class PersonReviewTests : IDisposable
{
    private readonly TestRegister test = new(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();
    private readonly DataShareRecipient jo;
    private readonly DataShareRecipient alex;

    public PersonReviewTests()
    {
        var engine = test.Engine;
        engine.Agreements.Create(Samples.Agreement("DS1", "2026-01-01", "2026-12-31"), host);
        engine.Agreements.Create(Samples.Agreement("DS2", "2026-01-01", "2026-05-31"), host);
        jo = engine.Recipients.Add("DS1", "Jo Bloggs", "jo@example.org", null, host)!;
        engine.Recipients.Add("DS2", "Jo Bloggs", "jo@example.org", null, host);
        alex = engine.Recipients.Add("DS2", "Alex Other", "alex@example.org", null, host)!;
    }

    public void Dispose() => test.Dispose();

    private (string? Person, string? Agreement, object? Due, string? State)[] Review(string asOf, params string[] agreements)
    {
        var table = test.Engine.Reports.Build(ReportKind.Retention, DateTime.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture), agreements.Length == 0 ? null : agreements);
        var person = table.Columns.Select(c => c.Name).ToList().IndexOf("personId");
        // Added after the report's first columns (a CSV reader's positions stay), with the hold's columns.
        Assert.True(person > table.Columns.Select(c => c.Name).ToList().IndexOf("state"), "personId comes after the first columns");
        return table.Rows.Where(r => (string?)r[4] == "PersonReview").Select(r => ((string?)r[person], (string?)r[1], r[3], (string?)r[4])).ToArray();
    }

    [Fact]
    public void The_default_period_is_six_years_and_0_switches_the_listing_off()
    {
        Assert.Equal("2190", PolicyCatalogue.Find(PolicyCatalogue.PersonReviewAfterDays)!.DefaultValue);
        // 2190 days after 2026-05-31 is 2032-05-29 (two leap days on the way): due from the day after.
        Assert.Empty(Review("2032-05-29"));
        Assert.Equal(new[] { alex.PersonId }, Review("2032-05-30").Select(r => r.Person));

        test.Engine.Policy.Set(PolicyCatalogue.PersonReviewAfterDays, "0", host);
        Assert.Empty(Review("2040-01-01"));
    }

    [Fact]
    public void People_are_listed_once_every_agreement_of_theirs_ended_longer_ago_than_the_period()
    {
        test.Engine.Policy.Set(PolicyCatalogue.PersonReviewAfterDays, "30", host);

        Assert.Empty(Review("2026-06-30"));
        var july = Review("2026-07-01");
        Assert.Equal((alex.PersonId, "DS2", (object)new DateTime(2026, 7, 1), "PersonReview"), Assert.Single(july));

        Assert.Single(Review("2027-01-30"));
        var later = Review("2027-01-31");
        Assert.Equal(new[] { (jo.PersonId, "DS1"), (alex.PersonId, "DS2") }, later.Select(r => (r.Person!, r.Agreement!)).OrderBy(r => r.Item2, StringComparer.Ordinal).ToArray());

        // Limited to some agreements: the people whose last agreement is one of them.
        Assert.Equal(new[] { jo.PersonId }, Review("2027-01-31", "DS1").Select(r => r.Person));
    }

    [Fact]
    public void A_value_out_of_range_is_refused()
    {
        var error = Assert.Throws<DataShareException>(() => test.Engine.Policy.Set(PolicyCatalogue.PersonReviewAfterDays, "-1", host));

        Assert.Equal(("PolicyValueInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
    }
}
