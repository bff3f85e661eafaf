using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Versions of an agreement's terms and variations: a version written with the agreement (and the variation that made
/// it) in one change, read back in number order; variations listed by agreement in the order requested; conflicts on
/// a stale version; a suspension's day and reason kept on the agreement.
/// </summary>
public abstract partial class RegisterContract
{
    private static AgreementTerms Terms(string ends) => new()
    {
        Organisation = "Org", OrganisationId = "OR-0000000001", Purpose = "P", LegalGateway = "G", LawfulBasis = "B", AccessRoute = AccessRoute.DirectTransfer,
        DirectTransferJustification = "Linkage", StartsOn = new DateTime(2026, 1, 1), EndsOn = DateTime.Parse(ends, System.Globalization.CultureInfo.InvariantCulture),
        RetentionDays = 14, DataItems = new[] { new DataItem("KS2", "B", 3) },
    };

    private static AgreementTermsVersion TermsVersion(string agreementId, int number, string ends, string? variationId = null) => new()
    {
        AgreementId = agreementId, Number = number, Terms = Terms(ends), ApprovalReference = "DSAP-" + number, ApprovedOn = new DateTime(2026, number, 1),
        ApprovedBy = "alice", EffectiveFrom = new DateTime(2026, number, 1), VariationId = variationId, RecordedAt = new DateTimeOffset(2026, number, 1, 9, 0, 0, TimeSpan.Zero), RecordedBy = "alice",
    };

    private static DataShareVariation Variation(string id, string agreementId, int minute) => new()
    {
        Id = id, AgreementId = agreementId, Kind = VariationKind.Extension, State = VariationState.Requested, Reason = "More time", Changes = "EndsOn: 2026-12-31 -> 2027-06-30",
        Terms = Terms("2027-06-30"), BasedOnVersion = 1, RequestedAt = new DateTimeOffset(2026, 6, 1, 9, minute, 0, TimeSpan.Zero), RequestedBy = "bob",
    };

    [Fact]
    public void Terms_versions_are_written_with_their_agreement_and_variation_and_read_in_order()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        register.InsertAgreement(Agreement("DS10"), Event("Agreement.Create", "DS10"));
        var agreement = register.FindAgreement("DS1")!;
        agreement.ApprovalReference = "DSAP-1";
        agreement.ApprovedOn = new DateTime(2026, 1, 1);
        register.InsertTermsVersion(agreement, TermsVersion("DS1", 1, "2026-12-31"), null, Event("Agreement.Approve", "DS1"));
        Assert.Equal(2L, agreement.Version);
        Assert.Equal(("DSAP-1", 2L), (register.FindAgreement("DS1")!.ApprovalReference, register.FindAgreement("DS1")!.Version));

        var variation = Variation("VA-0000000001", "DS1", 0);
        register.InsertVariation(variation, Event("Variation.Request", "DS1"));
        register.InsertVariation(Variation("VA-0000000002", "DS10", 1), Event("Variation.Request", "DS10"));
        Assert.Equal(1L, variation.Version);
        var read = register.FindVariation("va-0000000001")!;
        Assert.Equal((VariationKind.Extension, VariationState.Requested, "bob", 1, new DateTime(2027, 6, 30), "KS2:B3", 1L),
            (read.Kind, read.State, read.RequestedBy, read.BasedOnVersion, read.Terms.EndsOn, read.Terms.DataItems.Single().ToString(), read.Version));

        agreement.EndsOn = new DateTime(2027, 6, 30);
        variation.State = VariationState.Approved;
        variation.DecidedOn = new DateTime(2026, 2, 1);
        variation.DecidedBy = "carol";
        variation.DecidedAt = new DateTimeOffset(2026, 2, 1, 10, 0, 0, TimeSpan.Zero);
        variation.Reference = "DSAP-2";
        variation.TermsVersion = 2;
        register.InsertTermsVersion(agreement, TermsVersion("DS1", 2, "2027-06-30", variation.Id), variation, Event("Variation.Approve", "DS1"));
        Assert.Equal((3L, 2L), (agreement.Version, variation.Version));

        var versions = register.ListTermsVersions("ds1").ToList();
        Assert.Equal(new[] { (1, "DSAP-1", new DateTime(2026, 12, 31), (string?)null), (2, "DSAP-2", new DateTime(2027, 6, 30), "VA-0000000001") },
            versions.Select(v => (v.Number, v.ApprovalReference, v.Terms.EndsOn, v.VariationId)));
        Assert.Equal(("Linkage", AccessRoute.DirectTransfer, 14, new DateTime(2026, 2, 1), "alice"),
            (versions[1].Terms.DirectTransferJustification, versions[1].Terms.AccessRoute, versions[1].Terms.RetentionDays, versions[1].EffectiveFrom, versions[1].RecordedBy));
        Assert.Empty(register.ListTermsVersions("DS10"));
        Assert.Equal(new DateTime(2027, 6, 30), register.FindAgreement("DS1")!.EndsOn);

        var decided = register.FindVariation("VA-0000000001")!;
        Assert.Equal((VariationState.Approved, (DateTime?)new DateTime(2026, 2, 1), "carol", "DSAP-2", (int?)2, 2L),
            (decided.State, decided.DecidedOn, decided.DecidedBy, decided.Reference, decided.TermsVersion, decided.Version));
        Assert.Equal(new[] { "VA-0000000001" }, register.ListVariations("DS1").Select(v => v.Id));
        Assert.Equal(VariationState.Approved, register.ListVariations("DS1").Single().State);
        Assert.Equal(new[] { "VA-0000000001", "VA-0000000002" }, register.ListVariations(null).Select(v => v.Id));
        Assert.Equal("Variation.Approve", register.ReadAuditLog(1).Last().Action);
    }

    [Fact]
    public void A_stale_agreement_a_taken_version_number_or_a_stale_variation_is_a_conflict_and_writes_nothing()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var agreement = register.FindAgreement("DS1")!;
        register.InsertTermsVersion(agreement, TermsVersion("DS1", 1, "2026-12-31"), null, Event("Agreement.Approve", "DS1"));
        var head = register.ReadAuditHead()!.Sequence;

        var stale = register.FindAgreement("DS1")!;
        stale.Version = 1;
        Assert.Throws<RegisterConflictException>(() => register.InsertTermsVersion(stale, TermsVersion("DS1", 2, "2027-01-31"), null, Event("Variation.Approve", "DS1")));
        var current = register.FindAgreement("DS1")!;
        Assert.Throws<RegisterConflictException>(() => register.InsertTermsVersion(current, TermsVersion("DS1", 1, "2027-01-31"), null, Event("Variation.Approve", "DS1")));

        var variation = Variation("VA-0000000001", "DS1", 0);
        register.InsertVariation(variation, Event("Variation.Request", "DS1"));
        Assert.Throws<DataShareException>(() => register.InsertVariation(Variation("VA-0000000001", "DS1", 0), Event("Variation.Request", "DS1")));
        var old = register.FindVariation(variation.Id)!;
        variation.State = VariationState.Denied;
        register.UpdateVariation(variation, Event("Variation.Deny", "DS1"));
        old.State = VariationState.Withdrawn;
        Assert.Throws<RegisterConflictException>(() => register.UpdateVariation(old, Event("Variation.Withdraw", "DS1")));

        Assert.Equal(head + 2, register.ReadAuditHead()!.Sequence);
        Assert.Single(register.ListTermsVersions("DS1"));
        Assert.Equal((VariationState.Denied, 2L), (register.FindVariation(variation.Id)!.State, register.FindVariation(variation.Id)!.Version));
        Assert.Equal(2L, register.FindAgreement("DS1")!.Version);
    }

    [Fact]
    public void A_suspensions_day_and_reason_are_kept_on_the_agreement()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        var agreement = register.FindAgreement("DS1")!;
        agreement.IsSuspended = true;
        agreement.SuspendedOn = new DateTime(2026, 5, 1);
        agreement.SuspensionReason = "Incident under investigation";
        register.UpdateAgreement(agreement, new AuditEvent("Agreement.Suspend", "Agreement", "DS1", new Dictionary<string, string?> { ["Reason"] = "Incident under investigation" }));
        var read = register.FindAgreement("DS1")!;
        Assert.Equal((true, (DateTime?)new DateTime(2026, 5, 1), "Incident under investigation"), (read.IsSuspended, read.SuspendedOn, read.SuspensionReason));
        Assert.Equal("Incident under investigation", register.ListAgreements().Single().SuspensionReason);
    }
}
