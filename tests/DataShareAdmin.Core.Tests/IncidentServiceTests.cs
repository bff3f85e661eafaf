using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Incidents;

namespace DataShareAdmin.Core.Tests;

/// <summary>Incidents through the engine: recording, -Suspend stopping transfers at once, the 72 hours, closing, and every refusal.</summary>
public sealed class IncidentServiceTests : TransferTestsBase
{
    private static IncidentRequest Breach(bool reportable = true, bool suspend = false, DateTimeOffset? discovered = null) => new()
    {
        AgreementId = "ds1",
        Kind = IncidentKind.Breach,
        DiscoveredAt = discovered,
        Summary = "  Extract emailed to the wrong address  ",
        Severity = IncidentSeverity.High,
        IsReportable = reportable,
        Suspend = suspend,
    };

    private DataShareException Refused(Func<object?> act, string errorId, DataShareErrorCategory category)
    {
        var before = test.AuditCount();
        var incidents = Engine.Register.ListIncidents(null).Count();
        var error = Assert.Throws<DataShareException>(() => act());
        Assert.Equal((errorId, category), (error.ErrorId, error.Category));
        Assert.Equal(before, test.AuditCount());
        Assert.Equal(incidents, Engine.Register.ListIncidents(null).Count());
        return error;
    }

    [Fact]
    public void An_incident_with_suspend_stops_transfers_at_once()
    {
        Assert.NotNull(Engine.Transfers.Issue(Request(), storage, host));
        storage.Containers.Clear();
        var issued = Engine.Register.ListTransfers(null).Count();

        var incident = Engine.Incidents.Record(Breach(suspend: true), host)!;

        Assert.True(incident.SuspendedAgreement);
        Assert.Equal(AgreementStatus.Suspended, Engine.Agreements.Get("DS1").Status);
        var before = test.AuditCount();
        var error = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(), storage, host));
        Assert.Equal("TransferAgreementNotActive", error.ErrorId);
        Assert.Contains("Suspended", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, test.AuditCount());
        Assert.Equal(issued, Engine.Register.ListTransfers(null).Count());

        // One confirmation for the whole command; the suspension and the incident each audited.
        Assert.Single(host.Asked, a => a.Contains("suspend the agreement", StringComparison.Ordinal));
        var actions = Engine.Audit.Read(1, null).Select(e => e.Action).ToList();
        Assert.Equal(new[] { "Agreement.Suspend", "Incident.Record", "Agreement.ReviewDue" }, actions.Skip(actions.Count - 3));
    }

    [Fact]
    public void An_incident_without_suspend_leaves_the_agreement_active()
    {
        var incident = Engine.Incidents.Record(Breach(reportable: false), host)!;

        Assert.False(incident.SuspendedAgreement);
        Assert.Equal(AgreementStatus.Active, Engine.Agreements.Get("DS1").Status);
        Assert.NotNull(Engine.Transfers.Issue(Request(), storage, host));
    }

    [Fact]
    public void Suspend_on_an_agreement_already_suspended_records_the_incident_and_changes_nothing_else()
    {
        Engine.Agreements.Update("DS1", new Agreements.AgreementChanges { IsSuspended = true }, host);
        var before = test.AuditCount();

        Engine.Incidents.Record(Breach(suspend: true), host);

        // The incident and the review it makes due; no second suspension.
        Assert.Equal(before + 2, test.AuditCount());
        Assert.Equal(new[] { "Incident.Record", "Agreement.ReviewDue" }, Engine.Register.ReadAuditLog(1).Select(e => e.Action).TakeLast(2));
        Assert.Equal(AgreementStatus.Suspended, Engine.Agreements.Get("DS1").Status);
    }

    [Fact]
    public void An_incident_is_stored_in_utc_with_who_recorded_it_and_audited()
    {
        var discovered = new DateTimeOffset(2026, 6, 14, 18, 30, 0, TimeSpan.FromHours(1));
        var request = Breach(discovered: discovered);
        request.OccurredAt = new DateTimeOffset(2026, 6, 14, 8, 0, 0, TimeSpan.FromHours(-4));
        request.Actions = "Asked the recipient to delete it";

        var incident = Engine.Incidents.Record(request, host)!;

        var read = Engine.Register.FindIncident(incident.Id)!;
        Assert.StartsWith(Ids.IncidentPrefix, read.Id, StringComparison.Ordinal);
        Assert.Equal((TimeSpan.Zero, new DateTimeOffset(2026, 6, 14, 17, 30, 0, TimeSpan.Zero)), (read.DiscoveredAt.Offset, read.DiscoveredAt));
        Assert.Equal(new DateTimeOffset(2026, 6, 14, 12, 0, 0, TimeSpan.Zero), read.OccurredAt);
        Assert.Equal(("DS1", "Extract emailed to the wrong address", "tester", Now, true), (read.AgreementId, read.Summary, read.RecordedBy, read.RecordedAt, read.IsOpen));
        var entry = Engine.Audit.Read(1, null).Last(e => e.Action == "Incident.Record");
        Assert.Equal(("Incident.Record", "Incident", incident.Id), (entry.Action, entry.TargetType, entry.TargetId));
        var due = Engine.Audit.Read(1, null).Last();
        Assert.Equal(("Agreement.ReviewDue", "DS1", "Incident", incident.Id), (due.Action, due.TargetId, due.Details["SourceKind"], due.Details["SourceId"]));
        Assert.DoesNotContain("Extract emailed", due.Details["Reason"], StringComparison.Ordinal);
        Assert.Equal(("DS1", "Breach", "High", "2026-06-14T17:30:00.000Z", "true"),
            (entry.Details["AgreementId"], entry.Details["Kind"], entry.Details["Severity"], entry.Details["DiscoveredAt"], entry.Details["Reportable"]));
    }

    [Fact]
    public void Discovery_defaults_to_now()
    {
        var incident = Engine.Incidents.Record(Breach(), host)!;

        Assert.Equal(Now, incident.DiscoveredAt);
        Assert.Equal((IcoNotificationState.Due, Now.AddHours(72)), (incident.IcoState, incident.IcoDueBy));
    }

    [Fact]
    public void WhatIf_records_nothing_suspends_nothing_and_calls_no_hook()
    {
        var called = 0;
        var service = new IncidentService(Engine.Register, Engine.Calendar, test.Clock, "tester", Engine.Agreements, (_, _) => called++);
        var before = test.AuditCount();

        Assert.Null(service.Record(Breach(suspend: true), new FakeHost(approve: false)));

        Assert.Equal((before, 0, 0), (test.AuditCount(), Engine.Register.ListIncidents(null).Count(), called));
        Assert.Equal(AgreementStatus.Active, Engine.Agreements.Get("DS1").Status);
    }

    [Fact]
    public void Every_incident_recorded_calls_the_review_hook_once_after_it_is_written()
    {
        var seen = new List<(string Id, bool Stored)>();
        var service = new IncidentService(Engine.Register, Engine.Calendar, test.Clock, "tester", Engine.Agreements,
            (incident, _) => seen.Add((incident.Id, Engine.Register.FindIncident(incident.Id) is not null)));

        var first = service.Record(Breach(), host)!;
        var second = service.Record(Breach(reportable: false), host)!;
        service.Update(first.Id, new IncidentChanges { Actions = "Contained" }, host);

        Assert.Equal(new[] { (first.Id, true), (second.Id, true) }, seen);
    }

    [Fact]
    public void At_exactly_72_hours_a_reportable_incident_is_due_and_a_moment_later_overdue_with_a_warning()
    {
        var incident = Engine.Incidents.Record(Breach(discovered: Now.AddHours(-72)), host)!;
        Assert.Equal(IcoNotificationState.Due, incident.IcoState);
        Assert.False(incident.IcoOverdue);
        Assert.Empty(host.Warnings);

        test.Clock.UtcNow = Now.AddMilliseconds(1);
        var warned = new FakeHost();
        var listed = Assert.Single(Engine.Incidents.List("DS1", openOnly: false, warned));

        Assert.Equal(IcoNotificationState.Overdue, listed.IcoState);
        Assert.True(listed.IcoOverdue);
        var warning = Assert.Single(warned.Warnings);
        Assert.Contains(incident.Id, warning, StringComparison.Ordinal);
        Assert.Contains("72 hours", warning, StringComparison.Ordinal);
        Assert.Equal(IcoNotificationState.Overdue, Engine.Incidents.Get(incident.Id).IcoState);
    }

    [Fact]
    public void An_incident_recorded_late_warns_at_once()
    {
        var incident = Engine.Incidents.Record(Breach(discovered: Now.AddDays(-4)), host)!;

        Assert.Equal(IcoNotificationState.Overdue, incident.IcoState);
        Assert.Contains(host.Warnings, w => w.Contains(incident.Id, StringComparison.Ordinal) && w.Contains("96 hours", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false, null, "NotReportable")]
    [InlineData(true, 72.0, "Notified")]
    [InlineData(true, 72.001, "NotifiedLate")]
    [InlineData(true, 1.0, "Notified")]
    public void The_ico_state_follows_the_notification(bool reportable, double? notifiedAfterHours, string expected)
    {
        var discovered = Now.AddDays(-10);
        var request = Breach(reportable, discovered: discovered);
        request.IcoNotifiedAt = notifiedAfterHours is { } hours ? discovered.AddHours(hours) : null;

        var incident = Engine.Incidents.Record(request, host)!;

        Assert.Equal(expected, incident.IcoState.ToString());
        Assert.Equal(expected, Engine.Incidents.Get(incident.Id).IcoState.ToString());
        Assert.Empty(host.Warnings);
    }

    [Fact]
    public void Recording_the_notification_clears_the_warning()
    {
        var incident = Engine.Incidents.Record(Breach(discovered: Now.AddDays(-5)), host)!;

        var changed = Engine.Incidents.Update(incident.Id, new IncidentChanges { IcoNotifiedAt = Now.AddHours(-1), IcoReference = " ICO/0042 " }, new FakeHost())!;

        Assert.Equal((IcoNotificationState.NotifiedLate, "ICO/0042", 2L), (changed.IcoState, changed.IcoReference, changed.Version));
        var warned = new FakeHost();
        Assert.Single(Engine.Incidents.List(null, openOnly: true, warned));
        Assert.Empty(warned.Warnings);
        var entry = Engine.Audit.Read(1, null).Last();
        Assert.Equal(("Incident.Update", "(none) -> ICO/0042"), (entry.Action, entry.Details["IcoReference"]));
    }

    [Fact]
    public void Discovery_in_the_future_is_refused()
    {
        var error = Refused(() => Engine.Incidents.Record(Breach(suspend: true, discovered: Now.AddMinutes(1)), host), "IncidentDateInFuture", DataShareErrorCategory.InvalidArgument);

        Assert.Contains("DiscoveredAt", error.Message, StringComparison.Ordinal);
        Assert.Equal(AgreementStatus.Active, Engine.Agreements.Get("DS1").Status);
    }

    [Fact]
    public void Discovery_now_in_another_zone_is_not_the_future()
    {
        var incident = Engine.Incidents.Record(Breach(discovered: Now.ToOffset(TimeSpan.FromHours(10))), host)!;

        Assert.Equal(Now, incident.DiscoveredAt);
    }

    [Fact]
    public void A_notification_before_discovery_is_refused()
    {
        var request = Breach(discovered: Now.AddHours(-2));
        request.IcoNotifiedAt = Now.AddHours(-3);

        Refused(() => Engine.Incidents.Record(request, host), "IncidentNotifiedBeforeDiscovery", DataShareErrorCategory.InvalidArgument);
    }

    [Fact]
    public void A_notification_in_the_future_is_refused()
    {
        var request = Breach(discovered: Now.AddHours(-2));
        request.IcoNotifiedAt = Now.AddHours(1);

        Refused(() => Engine.Incidents.Record(request, host), "IncidentDateInFuture", DataShareErrorCategory.InvalidArgument);
    }

    [Fact]
    public void Happening_after_discovery_is_refused()
    {
        var request = Breach(discovered: Now.AddHours(-2));
        request.OccurredAt = Now.AddHours(-1);

        Refused(() => Engine.Incidents.Record(request, host), "IncidentOccurredAfterDiscovery", DataShareErrorCategory.InvalidArgument);
    }

    [Fact]
    public void A_notification_on_an_incident_not_reportable_is_refused()
    {
        var request = Breach(reportable: false, discovered: Now.AddHours(-2));
        request.IcoNotifiedAt = Now.AddHours(-1);

        Refused(() => Engine.Incidents.Record(request, host), "IncidentNotReportable", DataShareErrorCategory.InvalidOperation);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public void An_incident_without_a_summary_is_refused(string? summary)
    {
        var request = Breach(suspend: true);
        request.Summary = summary;

        Refused(() => Engine.Incidents.Record(request, host), "IncidentSummaryMissing", DataShareErrorCategory.InvalidArgument);
        Assert.Equal(AgreementStatus.Active, Engine.Agreements.Get("DS1").Status);
    }

    [Fact]
    public void A_summary_too_long_is_refused()
    {
        var request = Breach();
        request.Summary = new string('x', TextLimits.Statement + 1);

        Refused(() => Engine.Incidents.Record(request, host), "IncidentFieldTooLong", DataShareErrorCategory.LimitsExceeded);
    }

    [Fact]
    public void An_unknown_agreement_or_kind_is_refused()
    {
        var request = Breach();
        request.AgreementId = "DS404";
        Refused(() => Engine.Incidents.Record(request, host), "AgreementNotFound", DataShareErrorCategory.ObjectNotFound);

        var kind = Breach();
        kind.Kind = (IncidentKind)42;
        Refused(() => Engine.Incidents.Record(kind, host), "IncidentKindInvalid", DataShareErrorCategory.InvalidArgument);
    }

    [Fact]
    public void Closing_needs_actions_and_for_a_reportable_incident_the_notification()
    {
        var incident = Engine.Incidents.Record(Breach(discovered: Now.AddHours(-30)), host)!;
        var today = Engine.Calendar.Today;

        Refused(() => Engine.Incidents.Update(incident.Id, new IncidentChanges { ClosedOn = today }, host), "IncidentActionsMissing", DataShareErrorCategory.InvalidOperation);
        Refused(() => Engine.Incidents.Update(incident.Id, new IncidentChanges { ClosedOn = today, Actions = "Deleted" }, host), "IncidentIcoNotificationMissing", DataShareErrorCategory.InvalidOperation);

        var closed = Engine.Incidents.Update(incident.Id, new IncidentChanges { ClosedOn = today, Actions = "Deleted", IcoNotifiedAt = Now.AddHours(-2) }, host)!;

        Assert.Equal((today, false, IcoNotificationState.Notified), (closed.ClosedOn, closed.IsOpen, closed.IcoState));
        Assert.Equal("Incident.Close", Engine.Audit.Read(1, null).Last().Action);
        Assert.Empty(Engine.Incidents.List("DS1", openOnly: true, null));
        Assert.Single(Engine.Incidents.List("DS1", openOnly: false, null));
    }

    [Fact]
    public void A_closed_incident_is_not_changed()
    {
        var incident = Engine.Incidents.Record(Breach(reportable: false), host)!;
        Engine.Incidents.Update(incident.Id, new IncidentChanges { ClosedOn = Engine.Calendar.Today, Actions = "Reviewed" }, host);

        Refused(() => Engine.Incidents.Update(incident.Id, new IncidentChanges { Severity = IncidentSeverity.Low }, host), "IncidentClosed", DataShareErrorCategory.InvalidOperation);
    }

    [Fact]
    public void Closing_before_the_day_of_discovery_or_in_the_future_is_refused()
    {
        var incident = Engine.Incidents.Record(Breach(reportable: false, discovered: Now.AddDays(-3)), host)!;
        var today = Engine.Calendar.Today;

        Refused(() => Engine.Incidents.Update(incident.Id, new IncidentChanges { ClosedOn = today.AddDays(-4), Actions = "a" }, host), "IncidentClosedBeforeDiscovery", DataShareErrorCategory.InvalidArgument);
        Refused(() => Engine.Incidents.Update(incident.Id, new IncidentChanges { ClosedOn = today.AddDays(1), Actions = "a" }, host), "IncidentDateInFuture", DataShareErrorCategory.InvalidArgument);
        Assert.NotNull(Engine.Incidents.Update(incident.Id, new IncidentChanges { ClosedOn = today.AddDays(-3), Actions = "a" }, host)!.ClosedOn);
    }

    [Fact]
    public void A_later_notification_before_discovery_is_refused()
    {
        var incident = Engine.Incidents.Record(Breach(discovered: Now.AddHours(-5)), host)!;

        Refused(() => Engine.Incidents.Update(incident.Id, new IncidentChanges { IcoNotifiedAt = Now.AddHours(-6) }, host), "IncidentNotifiedBeforeDiscovery", DataShareErrorCategory.InvalidArgument);
        Refused(() => Engine.Incidents.Update(incident.Id, new IncidentChanges { IsReportable = false, IcoNotifiedAt = Now }, host), "IncidentNotReportable", DataShareErrorCategory.InvalidOperation);
    }

    [Fact]
    public void A_change_to_the_same_values_writes_nothing_and_an_unknown_id_is_not_found()
    {
        var incident = Engine.Incidents.Record(Breach(), host)!;
        var before = test.AuditCount();

        Assert.Equal(1L, Engine.Incidents.Update(incident.Id.ToLowerInvariant(), new IncidentChanges { Severity = IncidentSeverity.High, IsReportable = true }, host)!.Version);

        Assert.Equal(before, test.AuditCount());
        Refused(() => Engine.Incidents.Update("IN-0000000000", new IncidentChanges { Actions = "a" }, host), "IncidentNotFound", DataShareErrorCategory.ObjectNotFound);
        Refused(() => Engine.Incidents.Get("DS1"), "IncidentNotFound", DataShareErrorCategory.ObjectNotFound);
    }

    [Fact]
    public void Incidents_list_per_agreement_and_open_only()
    {
        Engine.Agreements.Create(Samples.Agreement("DS2", "2026-01-01", "2026-12-31"), host);
        var first = Engine.Incidents.Record(Breach(reportable: false, discovered: Now.AddDays(-2)), host)!;
        var other = Breach(reportable: false);
        other.AgreementId = "DS2";
        var second = Engine.Incidents.Record(other, host)!;
        Engine.Incidents.Update(first.Id, new IncidentChanges { ClosedOn = Engine.Calendar.Today, Actions = "a" }, host);

        Assert.Equal(new[] { first.Id, second.Id }, Engine.Incidents.List(null, openOnly: false, null).Select(i => i.Id));
        Assert.Equal(new[] { second.Id }, Engine.Incidents.List(null, openOnly: true, null).Select(i => i.Id));
        Assert.Equal(new[] { first.Id }, Engine.Incidents.List("ds1", openOnly: false, null).Select(i => i.Id));
        Assert.Equal("AgreementNotFound", Assert.Throws<DataShareException>(() => Engine.Incidents.List("DS9", false, null).ToList()).ErrorId);
    }

    [Fact]
    public void Open_counts_are_per_agreement_and_leave_out_closed_incidents()
    {
        Engine.Agreements.Create(Samples.Agreement("DS2", "2026-01-01", "2026-12-31"), host);
        Engine.Incidents.Record(Breach(reportable: false), host);
        var closed = Engine.Incidents.Record(Breach(reportable: false), host)!;
        Engine.Incidents.Update(closed.Id, new IncidentChanges { ClosedOn = Engine.Calendar.Today, Actions = "a" }, host);

        var counts = Engine.Incidents.OpenCounts();

        Assert.Equal(1, counts["ds1"]);
        Assert.False(counts.ContainsKey("DS2"));
    }
}
