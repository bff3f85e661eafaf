using System;
using System.Linq;
using DataShareAdmin.Core.Agreements;

namespace DataShareAdmin.Core.Tests;

public sealed class AgreementServiceTests : IDisposable
{
    private readonly TestRegister test = new();
    private readonly FakeHost host = new();

    private AgreementService Agreements => test.Engine.Agreements;

    [Fact]
    public void Create_stores_the_agreement_audits_it_and_derives_status()
    {
        var created = Agreements.Create(Samples.Agreement(" ds00752 "), host)!;

        Assert.Equal("DS00752", created.Id);
        Assert.Equal(AgreementStatus.Pending, created.Status);
        Assert.Equal(new DateTime(2026, 6, 15), created.StatusAsOf);
        Assert.Equal("tester", created.CreatedBy);
        var entry = test.Engine.Audit.Read(test.SetUpEntries + 1, null).Single();
        Assert.Equal(("Agreement.Create", "DS00752", "tester", "test-machine"), (entry.Action, entry.TargetId, entry.Actor, entry.Machine));
        Assert.Equal("KS2 attainment:B3; FSM eligibility:C4", entry.Details["DataItems"]);
        Assert.Single(host.Asked);
    }

    [Fact]
    public void Declining_writes_nothing()
    {
        host.Approve = false;
        Assert.Null(Agreements.Create(Samples.Agreement(), host));
        Assert.Empty(Agreements.Find(null, null));
        Assert.Equal(0, test.AuditCount());
    }

    [Fact]
    public void Bad_input_is_refused_before_anything_is_asked_or_written()
    {
        var request = Samples.Agreement();
        request.EndsOn = request.StartsOn.AddDays(-1);

        var error = Assert.Throws<DataShareException>(() => Agreements.Create(request, host));

        Assert.Equal("AgreementDatesInvalid", error.ErrorId);
        Assert.Empty(host.Asked);
        Assert.Equal(0, test.AuditCount());
    }

    [Fact]
    public void A_duplicate_id_is_refused_whatever_its_case()
    {
        Agreements.Create(Samples.Agreement("DS1"), host);
        var error = Assert.Throws<DataShareException>(() => Agreements.Create(Samples.Agreement("ds1"), host));
        Assert.Equal("AgreementExists", error.ErrorId);
        Assert.Equal(1, test.AuditCount());
    }

    [Fact]
    public void Approval_makes_it_active_within_its_dates()
    {
        Agreements.Create(Samples.Agreement("DS1"), host);
        var approved = Agreements.Approve("DS1", " DSAP-2026-01 ", new DateTime(2026, 6, 1), Samples.Decision(), host)!;

        Assert.Equal(AgreementStatus.Active, approved.Status);
        Assert.Equal(("DSAP-2026-01", new DateTime(2026, 6, 1), "tester"), (approved.ApprovalReference, approved.ApprovedOn!.Value, approved.ApprovedBy));
        Assert.Equal(AgreementStatus.Ended, Agreements.Get("DS1", new DateTime(2027, 1, 1)).Status);
        Assert.Equal("Agreement.Approve", test.Engine.Audit.Read(test.SetUpEntries + 2, null).Single().Action);
    }

    [Fact]
    public void Approving_twice_or_in_the_future_is_refused()
    {
        Agreements.Create(Samples.Agreement("DS1"), host);
        Assert.Equal("AgreementApprovalDateInvalid", Assert.Throws<DataShareException>(() => Agreements.Approve("DS1", "R", new DateTime(2026, 6, 16), Samples.Decision(), host)).ErrorId);
        Agreements.Approve("DS1", "R", new DateTime(2026, 6, 15), Samples.Decision(), host);
        var error = Assert.Throws<DataShareException>(() => Agreements.Approve("DS1", "R2", new DateTime(2026, 6, 15), Samples.Decision(), host));
        Assert.Equal("AgreementAlreadyApproved", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidOperation, error.Category);
        Assert.Equal(2, test.AuditCount());
    }

    [Fact]
    public void Update_changes_only_what_is_given_and_records_before_and_after()
    {
        Agreements.Create(Samples.Agreement("DS1"), host);
        var changed = Agreements.Update("DS1", new AgreementChanges { Title = "New title", EndsOn = new DateTime(2027, 3, 31) }, host)!;

        Assert.Equal(("New title", new DateTime(2027, 3, 31), "University of Example"), (changed.Title, changed.EndsOn, changed.Organisation));
        var entry = test.Engine.Audit.Read(test.SetUpEntries + 2, null).Single();
        Assert.Equal("Attainment gaps -> New title", entry.Details["Title"]);
        Assert.Equal("2026-12-31 -> 2027-03-31", entry.Details["EndsOn"]);
        Assert.False(entry.Details.ContainsKey("Purpose"));
    }

    [Fact]
    public void An_update_that_changes_nothing_writes_nothing()
    {
        Agreements.Create(Samples.Agreement("DS1"), host);
        Agreements.Update("DS1", new AgreementChanges { Title = "Attainment gaps" }, host);
        Assert.Equal(1, test.AuditCount());
    }

    [Fact]
    public void An_update_that_breaks_a_rule_writes_nothing()
    {
        Agreements.Create(Samples.Agreement("DS1"), host);
        var error = Assert.Throws<DataShareException>(() => Agreements.Update("DS1", new AgreementChanges { StartsOn = new DateTime(2028, 1, 1) }, host));
        Assert.Equal("AgreementDatesInvalid", error.ErrorId);
        Assert.Equal(new DateTime(2026, 1, 1), Agreements.Get("DS1").StartsOn);
        Assert.Equal(1, test.AuditCount());
    }

    [Fact]
    public void Suspension_is_audited_and_shows_in_status()
    {
        Agreements.Create(Samples.Agreement("DS1"), host);
        Agreements.Approve("DS1", "R", new DateTime(2026, 1, 1), Samples.Decision(), host);
        var suspended = Agreements.Update("DS1", new AgreementChanges { IsSuspended = true }, host)!;
        Assert.Equal(AgreementStatus.Suspended, suspended.Status);
        Assert.Equal("Agreement.Suspension", test.Engine.Audit.Read(test.SetUpEntries + 3, null).Single().Action);
    }

    [Fact]
    public void Unknown_agreements_are_not_found()
    {
        var error = Assert.Throws<DataShareException>(() => Agreements.Get("DS404"));
        Assert.Equal(("AgreementNotFound", DataShareErrorCategory.ObjectNotFound), (error.ErrorId, error.Category));
        Assert.Equal("AgreementNotFound", Assert.Throws<DataShareException>(() => Agreements.Update("DS404", new AgreementChanges { Title = "x" }, host)).ErrorId);
    }

    [Fact]
    public void Find_filters_by_status_on_the_given_day()
    {
        Agreements.Create(Samples.Agreement("DS1", "2026-01-01", "2026-12-31"), host);
        Agreements.Create(Samples.Agreement("DS2", "2026-01-01", "2026-03-31"), host);
        Agreements.Create(Samples.Agreement("DS3"), host);
        Agreements.Approve("DS1", "R", new DateTime(2026, 1, 1), Samples.Decision(), host);
        Agreements.Approve("DS2", "R", new DateTime(2026, 1, 1), Samples.Decision(), host);

        Assert.Equal(new[] { "DS1" }, Agreements.Find(null, new[] { AgreementStatus.Active }).Select(a => a.Id));
        Assert.Equal(new[] { "DS2" }, Agreements.Find(null, new[] { AgreementStatus.Ended }).Select(a => a.Id));
        Assert.Equal(new[] { "DS1", "DS2" }, Agreements.Find(null, new[] { AgreementStatus.Active }, new DateTime(2026, 2, 1)).Select(a => a.Id));
        Assert.Equal(new[] { "DS3" }, Agreements.Find(id => id.EndsWith('3'), null).Select(a => a.Id));
    }

    [Fact]
    public void Access_groups_and_the_responsible_officer_are_normalised_changed_and_audited()
    {
        var request = Samples.Agreement("DS1");
        request.AccessGroupIds = new[] { "8C1F3A52-0B7E-4D2A-9A64-2F0E5C1D7B90", "{8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90}" };
        request.OfficerName = " Ada Officer ";
        request.OfficerEmail = " ada.officer@example.gov.uk ";
        var created = Agreements.Create(request, host)!;

        Assert.Equal(new[] { "8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90" }, created.AccessGroupIds);
        Assert.Equal(("Ada Officer", "ada.officer@example.gov.uk"), (created.OfficerName, created.OfficerEmail));

        Agreements.Update("DS1", new AgreementChanges { AccessGroupIds = new[] { "0b9e1d55-6a0a-4f58-9d0e-7c4f0f2b1a11" }, OfficerEmail = string.Empty }, host);
        var changed = test.Engine.Register.FindAgreement("DS1")!;
        Assert.Equal(new[] { "0b9e1d55-6a0a-4f58-9d0e-7c4f0f2b1a11" }, changed.AccessGroupIds);
        Assert.Null(changed.OfficerEmail);
        var entry = test.Engine.Audit.Read(test.SetUpEntries + 2, null).Single();
        Assert.Equal("8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90 -> 0b9e1d55-6a0a-4f58-9d0e-7c4f0f2b1a11", entry.Details["AccessGroupIds"]);
        Assert.Equal("ada.officer@example.gov.uk -> (none)", entry.Details["OfficerEmail"]);
    }

    [Theory]
    [InlineData("not-a-group", null, "AgreementAccessGroupInvalid")]
    [InlineData(null, "officer at example", "AgreementOfficerEmailInvalid")]
    public void Bad_access_groups_and_officer_emails_are_refused_and_write_nothing(string? group, string? email, string errorId)
    {
        var request = Samples.Agreement("DS1");
        request.AccessGroupIds = group is null ? Array.Empty<string>() : new[] { group };
        request.OfficerEmail = email;

        var error = Assert.Throws<DataShareException>(() => Agreements.Create(request, host));

        Assert.Equal((errorId, DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Equal(0, test.AuditCount());
        Assert.Null(test.Engine.Register.FindAgreement("DS1"));
    }

    [Fact]
    public void Today_is_judged_in_london_not_in_utc()
    {
        // 23:30 UTC on 31 May is 00:30 on 1 June in London (BST).
        test.Clock.UtcNow = new DateTimeOffset(2026, 5, 31, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateTime(2026, 6, 1), test.Engine.Calendar.Today);
    }

    [Fact]
    public void Times_without_a_zone_are_read_in_the_calendars_zone()
    {
        var calendar = test.Engine.Calendar;
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero), calendar.ToInstant(new DateTime(2026, 6, 1, 9, 0, 0)));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero), calendar.ToInstant(new DateTime(2026, 1, 1, 9, 0, 0)));
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero), calendar.ToInstant(new DateTime(2026, 6, 1, 9, 0, 0, DateTimeKind.Utc)));
    }

    public void Dispose() => test.Dispose();
}
