using System;
using System.Linq;

namespace DataShareAdmin.Core.Tests;

/// <summary>Incidents: every field round trips, per-agreement listing by discovery, duplicates and stale writes refused.</summary>
public abstract partial class RegisterContract
{
    private static DataShareIncident Incident(string id, string agreementId, DateTimeOffset discovered) => new()
    {
        Id = id,
        AgreementId = agreementId,
        Kind = IncidentKind.Breach,
        OccurredAt = discovered.AddHours(-5),
        DiscoveredAt = discovered,
        Summary = "Extract \"FSM\" & <KS2> emailed to the wrong person",
        Severity = IncidentSeverity.High,
        IsReportable = true,
        SuspendedAgreement = true,
        RecordedBy = "alice",
        RecordedAt = discovered.AddMinutes(30),
        ModifiedAt = discovered.AddMinutes(30),
    };

    [Fact]
    public void An_incident_round_trips_every_field()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var at = new DateTimeOffset(2026, 3, 1, 9, 15, 0, 250, TimeSpan.Zero);
        var written = Incident("IN-0000000001", "DS1", at);
        written.IcoNotifiedAt = at.AddHours(20);
        written.IcoReference = "ICO/123";
        written.Actions = "Recalled; recipient deleted it";
        written.ClosedOn = new DateTime(2026, 3, 5);
        written.IcoState = IcoNotificationState.Overdue;
        register.InsertIncident(written, new AuditEvent("Incident.Record", "Incident", written.Id));

        var read = register.FindIncident("in-0000000001")!;
        Assert.Equal(1, written.Version);
        Assert.Equal((written.Id, "DS1", IncidentKind.Breach, at.AddHours(-5), at, written.Summary, IncidentSeverity.High, true),
            (read.Id, read.AgreementId, read.Kind, read.OccurredAt, read.DiscoveredAt, read.Summary, read.Severity, read.IsReportable));
        Assert.Equal((at.AddHours(20), "ICO/123", "Recalled; recipient deleted it", new DateTime(2026, 3, 5), true, "alice", at.AddMinutes(30), at.AddMinutes(30), 1L),
            (read.IcoNotifiedAt, read.IcoReference, read.Actions, read.ClosedOn, read.SuspendedAgreement, read.RecordedBy, read.RecordedAt, read.ModifiedAt, read.Version));

        // The 72-hour state is judged when read, never stored.
        Assert.Equal(IcoNotificationState.NotReportable, read.IcoState);
        Assert.Equal("Incident.Record", register.ReadAuditLog(1).Last().Action);
    }

    [Fact]
    public void An_incident_with_no_optional_fields_reads_them_as_null()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var written = Incident("IN-0000000001", "DS1", new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        written.OccurredAt = null;
        written.IsReportable = false;
        written.SuspendedAgreement = false;
        written.Kind = IncidentKind.NearMiss;
        written.Severity = IncidentSeverity.Low;
        register.InsertIncident(written, new AuditEvent("Incident.Record", "Incident", written.Id));

        var read = register.FindIncident(written.Id)!;
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)null, (string?)null, (string?)null, (DateTime?)null, false, false, IncidentKind.NearMiss, IncidentSeverity.Low),
            (read.OccurredAt, read.IcoNotifiedAt, read.IcoReference, read.Actions, read.ClosedOn, read.IsReportable, read.SuspendedAgreement, read.Kind, read.Severity));
        Assert.Null(register.FindIncident("IN-0000000009"));
    }

    [Fact]
    public void Incidents_list_by_discovery_then_id_and_per_agreement()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        register.InsertAgreement(Agreement("DS2"), Event("Agreement.Create", "DS2"));
        var at = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        register.InsertIncident(Incident("IN-0000000003", "DS1", at.AddHours(2)), new AuditEvent("Incident.Record", "Incident", "IN-0000000003"));
        register.InsertIncident(Incident("IN-0000000002", "DS2", at.AddHours(1)), new AuditEvent("Incident.Record", "Incident", "IN-0000000002"));
        register.InsertIncident(Incident("IN-0000000004", "DS1", at.AddHours(1)), new AuditEvent("Incident.Record", "Incident", "IN-0000000004"));
        register.InsertIncident(Incident("IN-0000000001", "DS1", at.AddDays(-3)), new AuditEvent("Incident.Record", "Incident", "IN-0000000001"));

        Assert.Equal(new[] { "IN-0000000001", "IN-0000000002", "IN-0000000004", "IN-0000000003" }, register.ListIncidents(null).Select(i => i.Id));
        Assert.Equal(new[] { "IN-0000000001", "IN-0000000004", "IN-0000000003" }, register.ListIncidents("ds1").Select(i => i.Id));
        Assert.Empty(register.ListIncidents("DS3"));
    }

    [Fact]
    public void A_duplicate_incident_is_refused_and_writes_no_audit_entry()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var at = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        register.InsertIncident(Incident("IN-0000000001", "DS1", at), new AuditEvent("Incident.Record", "Incident", "IN-0000000001"));

        var error = Assert.Throws<DataShareException>(() => register.InsertIncident(Incident("IN-0000000001", "DS1", at.AddHours(1)), new AuditEvent("Incident.Record", "Incident", "IN-0000000001")));

        Assert.Equal(("IncidentExists", DataShareErrorCategory.ResourceExists), (error.ErrorId, error.Category));
        Assert.Equal(2, register.ReadAuditHead()!.Sequence);
        Assert.Equal(at, Assert.Single(register.ListIncidents("DS1")).DiscoveredAt);
    }

    [Fact]
    public void An_incident_changes_at_the_version_read_and_a_stale_change_is_refused()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var at = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
        register.InsertIncident(Incident("IN-0000000001", "DS1", at), new AuditEvent("Incident.Record", "Incident", "IN-0000000001"));
        var first = register.FindIncident("IN-0000000001")!;
        var stale = register.FindIncident("IN-0000000001")!;

        first.IcoNotifiedAt = at.AddHours(10);
        first.IcoReference = "ICO/9";
        first.Actions = "Contained";
        first.ClosedOn = new DateTime(2026, 3, 2);
        first.Severity = IncidentSeverity.Medium;
        first.ModifiedAt = at.AddDays(1);
        register.UpdateIncident(first, new AuditEvent("Incident.Close", "Incident", first.Id));
        stale.Actions = "Other";

        Assert.Throws<RegisterConflictException>(() => register.UpdateIncident(stale, new AuditEvent("Incident.Update", "Incident", stale.Id)));
        var read = register.FindIncident("IN-0000000001")!;
        Assert.Equal((at.AddHours(10), "ICO/9", "Contained", new DateTime(2026, 3, 2), IncidentSeverity.Medium, at.AddDays(1), 2L),
            (read.IcoNotifiedAt, read.IcoReference, read.Actions, read.ClosedOn, read.Severity, read.ModifiedAt, read.Version));
        Assert.Equal("Contained", Assert.Single(register.ListIncidents("DS1")).Actions);
        Assert.Equal("Contained", Assert.Single(register.ListIncidents(null)).Actions);
        Assert.Equal(3, register.ReadAuditHead()!.Sequence);
    }
}
