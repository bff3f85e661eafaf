using System;

namespace DataShareAdmin.Core.Tests;

/// <summary>The public-register fields, a refusal and an organisation's sector, on every backend.</summary>
public abstract partial class RegisterContract
{
    [Fact]
    public void An_agreement_s_public_fields_and_refusal_round_trip()
    {
        var register = New();
        var written = Agreement("DS1");
        written.AccessRoute = AccessRoute.SecureResearchService;
        written.Category = AgreementCategory.CourtOrder;
        written.FunderOrCommissioner = "Funder \"x\" & <y>";
        written.LaySummary = "Lay ☃ summary\nwith a line";
        written.PublicBenefit = "Benefit";
        written.Frequency = ShareFrequency.Regular;
        written.FrequencyPeriod = "termly";
        written.Datasets = new[] { "NPD", "School Census" };
        written.YearsCovered = "2015/16 to 2022/23";
        written.RecordsShared = 9_000_000_000;
        written.OnwardSharing = true;
        written.OnwardSharingNote = "With the named sub-processor only.";
        written.Approvals = new[] { "REC-1", "REC-2" };
        written.SrsProjectId = "SRS-1";
        written.OutputLinks = new[] { "https://doi.org/10.1/x" };
        written.RefusedOn = new DateTime(2026, 2, 1);
        written.ClosureReason = "Not proportionate.";
        register.InsertAgreement(written, Event("Agreement.Create", "DS1"));

        var read = register.FindAgreement("DS1")!;

        Assert.Equal(
            (written.Category, written.FunderOrCommissioner, written.LaySummary, written.PublicBenefit, written.Frequency, written.FrequencyPeriod, written.YearsCovered, written.RecordsShared),
            (read.Category, read.FunderOrCommissioner, read.LaySummary, read.PublicBenefit, read.Frequency, read.FrequencyPeriod, read.YearsCovered, read.RecordsShared));
        Assert.Equal((written.OnwardSharing, written.OnwardSharingNote, written.SrsProjectId, written.RefusedOn, written.WithdrawnOn, written.ClosureReason),
            (read.OnwardSharing, read.OnwardSharingNote, read.SrsProjectId, read.RefusedOn, read.WithdrawnOn, read.ClosureReason));
        Assert.Equal(new[] { "NPD", "School Census" }, read.Datasets);
        Assert.Equal(new[] { "REC-1", "REC-2" }, read.Approvals);
        Assert.Equal(new[] { "https://doi.org/10.1/x" }, read.OutputLinks);

        read.RefusedOn = null;
        read.WithdrawnOn = new DateTime(2026, 2, 2);
        read.Datasets = Array.Empty<string>();
        read.Frequency = null;
        read.FrequencyPeriod = null;
        register.UpdateAgreement(read, Event("Agreement.Withdraw", "DS1"));
        var again = register.FindAgreement("DS1")!;
        Assert.Equal(((DateTime?)null, (DateTime?)new DateTime(2026, 2, 2), 0, (ShareFrequency?)null), (again.RefusedOn, again.WithdrawnOn, again.Datasets.Count, again.Frequency));
    }

    [Fact]
    public void An_agreement_without_public_fields_reads_as_a_panel_approved_share_with_them_empty()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));

        var read = register.FindAgreement("DS1")!;

        Assert.Equal((AgreementCategory.DsapResearch, (string?)null, (ShareFrequency?)null, (long?)null, (bool?)null, 0, 0, 0, (DateTime?)null),
            (read.Category, read.LaySummary, read.Frequency, read.RecordsShared, read.OnwardSharing, read.Datasets.Count, read.Approvals.Count, read.OutputLinks.Count, read.RefusedOn));
    }

    [Fact]
    public void An_organisation_s_sector_round_trips()
    {
        var register = New();
        var organisation = Organisation("OR-CCCCCCCCCC", "Org");
        organisation.Sector = OrganisationSector.Charity;
        register.InsertOrganisation(organisation, new AuditEvent("Organisation.Create", "Organisation", organisation.Id));

        Assert.Equal(OrganisationSector.Charity, register.FindOrganisation(organisation.Id)!.Sector);
        organisation.Sector = null;
        register.UpdateOrganisation(organisation, new AuditEvent("Organisation.Update", "Organisation", organisation.Id));
        Assert.Null(register.FindOrganisation(organisation.Id)!.Sector);
    }
}
