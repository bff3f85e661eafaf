using System;
using System.Linq;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Organisations;

namespace DataShareAdmin.Core.Tests;

/// <summary>The public-register fields of an agreement and an organisation's sector: stored, audited, and every bad value refused with nothing written.</summary>
public sealed class AgreementPublicationTests : IDisposable
{
    private readonly TestRegister test = new();
    private readonly FakeHost host = new();

    private DataShareEngine Engine => test.Engine;

    private static DataShareAgreement Full(string id = "DS1")
    {
        var agreement = Samples.Agreement(id);
        agreement.AccessRoute = AccessRoute.SecureResearchService;
        agreement.Category = AgreementCategory.RegularSharingAgreement;
        agreement.FunderOrCommissioner = " Economic and Social Research Council ";
        agreement.LaySummary = "How attainment gaps change.";
        agreement.PublicBenefit = "Better targeted support.";
        agreement.Frequency = ShareFrequency.Regular;
        agreement.FrequencyPeriod = "termly";
        agreement.Datasets = new[] { "National Pupil Database", " national pupil database ", "School Census" };
        agreement.YearsCovered = "2015/16 to 2022/23";
        agreement.RecordsShared = 250000;
        agreement.OnwardSharing = false;
        agreement.OnwardSharingNote = "No onward sharing.";
        agreement.Approvals = new[] { "UCL-REC-2026-01" };
        agreement.SrsProjectId = "SRS-0042";
        agreement.OutputLinks = new[] { "https://doi.org/10.1000/xyz123" };
        return agreement;
    }

    [Fact]
    public void A_new_agreement_keeps_its_public_fields_cleaned_and_audits_them()
    {
        Engine.Agreements.Create(Full(), host);

        var read = Engine.Agreements.Get("DS1");
        Assert.Equal((AgreementCategory.RegularSharingAgreement, "Economic and Social Research Council", ShareFrequency.Regular, "termly", 250000L, false, "SRS-0042"),
            (read.Category, read.FunderOrCommissioner, read.Frequency, read.FrequencyPeriod, read.RecordsShared, read.OnwardSharing, read.SrsProjectId));
        Assert.Equal(new[] { "National Pupil Database", "School Census" }, read.Datasets);
        Assert.Equal(new[] { "https://doi.org/10.1000/xyz123" }, read.OutputLinks);
        var entry = Engine.Register.ReadAuditLog(1).Last();
        Assert.Equal(("Agreement.Create", "RegularSharingAgreement", "National Pupil Database; School Census"), (entry.Action, entry.Details["Category"], entry.Details["Datasets"]));
    }

    [Fact]
    public void Set_changes_and_clears_public_fields_with_each_change_audited()
    {
        Engine.Agreements.Create(Full(), host);

        Engine.Agreements.Update("DS1", new AgreementChanges { Category = AgreementCategory.Police, LaySummary = string.Empty, OutputLinks = Array.Empty<string>(), Frequency = ShareFrequency.OneOff, FrequencyPeriod = string.Empty }, host);

        var read = Engine.Agreements.Get("DS1");
        Assert.Equal((AgreementCategory.Police, (string?)null, ShareFrequency.OneOff, (string?)null, 0), (read.Category, read.LaySummary, read.Frequency, read.FrequencyPeriod, read.OutputLinks.Count));
        var entry = Engine.Register.ReadAuditLog(1).Last();
        Assert.Equal(("Agreement.Update", "RegularSharingAgreement -> Police", "https://doi.org/10.1000/xyz123 -> (none)"), (entry.Action, entry.Details["Category"], entry.Details["OutputLinks"]));
    }

    public static TheoryData<string, Action<DataShareAgreement>, string, DataShareErrorCategory> BadValues => new()
    {
        { "http link", a => a.OutputLinks = new[] { "http://example.org/paper" }, "AgreementOutputLinkInvalid", DataShareErrorCategory.InvalidArgument },
        { "relative link", a => a.OutputLinks = new[] { "doi.org/10.1/x" }, "AgreementOutputLinkInvalid", DataShareErrorCategory.InvalidArgument },
        { "link with a password", a => a.OutputLinks = new[] { "https://u:p@example.org/" }, "AgreementOutputLinkInvalid", DataShareErrorCategory.InvalidArgument },
        { "link with a SAS signature", a => a.OutputLinks = new[] { "https://acct.blob.core.windows.net/c/report.pdf?sv=2020-01-01&sig=SECRETSIG" }, "AgreementOutputLinkInvalid", DataShareErrorCategory.InvalidArgument },
        { "link with a token", a => a.OutputLinks = new[] { "https://example.org/paper?access_token=abc" }, "AgreementOutputLinkInvalid", DataShareErrorCategory.InvalidArgument },
        { "storage link with any query", a => a.OutputLinks = new[] { "https://acct.blob.core.windows.net/c/report.pdf?x=1" }, "AgreementOutputLinkInvalid", DataShareErrorCategory.InvalidArgument },
        { "SRS id on a direct transfer", a => a.AccessRoute = AccessRoute.DirectTransfer, "AgreementSrsProjectInvalid", DataShareErrorCategory.InvalidArgument },
        { "regular without a period", a => a.FrequencyPeriod = null, "AgreementFrequencyInvalid", DataShareErrorCategory.InvalidArgument },
        { "period on a one-off", a => a.Frequency = ShareFrequency.OneOff, "AgreementFrequencyInvalid", DataShareErrorCategory.InvalidArgument },
        { "unknown category", a => a.Category = (AgreementCategory)42, "AgreementCategoryInvalid", DataShareErrorCategory.InvalidArgument },
        { "negative records", a => a.RecordsShared = -1, "AgreementRecordsSharedInvalid", DataShareErrorCategory.InvalidArgument },
        { "long lay summary", a => a.LaySummary = new string('x', TextLimits.Statement + 1), "AgreementFieldTooLong", DataShareErrorCategory.LimitsExceeded },
        { "long funder", a => a.FunderOrCommissioner = new string('x', TextLimits.ShortText + 1), "AgreementFieldTooLong", DataShareErrorCategory.LimitsExceeded },
        { "too many datasets", a => a.Datasets = Enumerable.Range(0, TextLimits.PublicList + 1).Select(i => "D" + i).ToArray(), "AgreementFieldTooLong", DataShareErrorCategory.LimitsExceeded },
        { "long approval", a => a.Approvals = new[] { new string('x', TextLimits.Reference + 1) }, "AgreementFieldTooLong", DataShareErrorCategory.LimitsExceeded },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_public_field_is_refused_with_nothing_written(string what, Action<DataShareAgreement> spoil, string errorId, DataShareErrorCategory category)
    {
        var agreement = Full();
        spoil(agreement);
        var before = test.AuditCount();

        var error = Assert.Throws<DataShareException>(() => Engine.Agreements.Create(agreement, host));

        Assert.True((errorId, category) == (error.ErrorId, error.Category), what + ": " + error.ErrorId);
        Assert.Null(Engine.Register.FindAgreement("DS1"));
        Assert.Equal(before, test.AuditCount());
    }

    [Fact]
    public void Moving_an_agreement_with_an_srs_project_to_direct_transfer_is_refused_on_set()
    {
        Engine.Agreements.Create(Full(), host);
        var before = test.AuditCount();

        var error = Assert.Throws<DataShareException>(() => Engine.Agreements.Update("DS1", new AgreementChanges { AccessRoute = AccessRoute.DirectTransfer }, host));

        Assert.Equal(("AgreementSrsProjectInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Equal(AccessRoute.SecureResearchService, Engine.Agreements.Get("DS1").AccessRoute);
        Assert.Equal(before, test.AuditCount());
    }

    [Fact]
    public void A_refused_request_is_final_never_approved_and_says_so()
    {
        Engine.Agreements.Create(Samples.Agreement("DS1"), host);

        var refused = Engine.Agreements.Refuse("DS1", " Not proportionate. ", new DateTime(2026, 6, 1), Samples.Refusal(), host)!;

        Assert.Equal((AgreementStatus.Refused, new DateTime(2026, 6, 1), "Not proportionate."), (refused.Status, refused.RefusedOn, refused.ClosureReason));
        Assert.Equal(AgreementStatus.Pending, Engine.Agreements.Get("DS1", new DateTime(2026, 5, 31)).Status);
        var entry = Engine.Register.ReadAuditLog(1).Last();
        Assert.Equal(("Agreement.Refuse", "2026-06-01", "Not proportionate."), (entry.Action, entry.Details["RefusedOn"], entry.Details["Reason"]));
        var before = test.AuditCount();
        Assert.Equal("AgreementClosed", Assert.Throws<DataShareException>(() => Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 2), Samples.Decision(), host)).ErrorId);
        Assert.Equal("AgreementClosed", Assert.Throws<DataShareException>(() => Engine.Agreements.Withdraw("DS1", "late", new DateTime(2026, 6, 2), host)).ErrorId);
        Assert.Equal("AgreementClosed", Assert.Throws<DataShareException>(() => Engine.Agreements.Refuse("DS1", "again", new DateTime(2026, 6, 2), Samples.Refusal(), host)).ErrorId);
        Assert.Equal(before, test.AuditCount());
        Assert.Null(Engine.Agreements.Get("DS1").ApprovedOn);
    }

    [Fact]
    public void A_withdrawn_request_cannot_be_approved()
    {
        Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        Engine.Agreements.Withdraw("DS1", "Funding ended.", new DateTime(2026, 6, 1), host);

        var error = Assert.Throws<DataShareException>(() => Engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 6, 2), Samples.Decision(), host));

        Assert.Equal(("AgreementClosed", DataShareErrorCategory.InvalidOperation), (error.ErrorId, error.Category));
        Assert.Equal(AgreementStatus.Withdrawn, Engine.Agreements.Get("DS1").Status);
    }

    [Fact]
    public void Refusals_that_cannot_be_recorded_are_refused_with_nothing_written()
    {
        Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        Engine.Agreements.Create(Samples.Agreement("DS2"), host);
        Engine.Agreements.Approve("DS2", "DSAP-2", new DateTime(2026, 1, 1), Samples.Decision(), host);
        var before = test.AuditCount();

        void Refused(Action act, string id, DataShareErrorCategory category)
        {
            var error = Assert.Throws<DataShareException>(act);
            Assert.Equal((id, category), (error.ErrorId, error.Category));
        }

        Refused(() => Engine.Agreements.Refuse("DS1", "  ", new DateTime(2026, 6, 1), Samples.Refusal(), host), "AgreementClosureReasonMissing", DataShareErrorCategory.InvalidArgument);
        Refused(() => Engine.Agreements.Refuse("DS1", "why", new DateTime(2026, 6, 16), Samples.Refusal(), host), "AgreementClosureDateInvalid", DataShareErrorCategory.InvalidArgument);
        Refused(() => Engine.Agreements.Refuse("DS1", new string('x', TextLimits.Reason + 1), new DateTime(2026, 6, 1), Samples.Refusal(), host), "AgreementFieldTooLong", DataShareErrorCategory.LimitsExceeded);
        Refused(() => Engine.Agreements.Withdraw("DS2", "why", new DateTime(2026, 6, 1), host), "AgreementAlreadyApproved", DataShareErrorCategory.InvalidOperation);
        Refused(() => Engine.Agreements.Refuse("DS9", "why", new DateTime(2026, 6, 1), Samples.Refusal(), host), "AgreementNotFound", DataShareErrorCategory.ObjectNotFound);
        Assert.Equal(before, test.AuditCount());
        Assert.Equal(AgreementStatus.Pending, Engine.Agreements.Get("DS1").Status);
    }

    [Fact]
    public void WhatIf_records_no_refusal()
    {
        Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        var before = test.AuditCount();

        Assert.Null(Engine.Agreements.Refuse("DS1", "why", new DateTime(2026, 6, 1), Samples.Refusal(), new FakeHost(approve: false)));

        Assert.Equal(before, test.AuditCount());
        Assert.Null(Engine.Agreements.Get("DS1").RefusedOn);
    }

    [Fact]
    public void An_organisation_keeps_its_sector_and_an_unknown_one_is_refused()
    {
        var org = Engine.Organisations.Create("Northshire County Council", null, null, null, host, OrganisationSector.LocalAuthority)!;
        Assert.Equal(OrganisationSector.LocalAuthority, Engine.Organisations.Resolve(org.Id).Sector);
        Engine.Organisations.Update(org.Id, new OrganisationChanges { Sector = OrganisationSector.Government }, host);
        Assert.Equal("LocalAuthority -> Government", Engine.Register.ReadAuditLog(1).Last().Details["Sector"]);

        var error = Assert.Throws<DataShareException>(() => Engine.Organisations.Update(org.Id, new OrganisationChanges { Sector = (OrganisationSector)42 }, host));

        Assert.Equal(("OrganisationSectorInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Equal(OrganisationSector.Government, Engine.Organisations.Resolve(org.Id).Sector);
    }

    public void Dispose() => test.Dispose();
}

/// <summary>A refused or withdrawn request never gets data.</summary>
public sealed class ClosedAgreementTransferTests : TransferTestsBase
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_refused_or_withdrawn_request_gets_no_transfer(bool refuse)
    {
        Engine.Agreements.Create(Samples.Agreement("DS9"), host);
        Engine.Recipients.Add("DS9", jo.Name, jo.Email, null, host);
        _ = refuse ? Engine.Agreements.Refuse("DS9", "No.", new DateTime(2026, 6, 1), Samples.Refusal(), host) : Engine.Agreements.Withdraw("DS9", "Gone.", new DateTime(2026, 6, 1), host);

        var request = Request();
        request.AgreementId = "DS9";
        var error = Refused(request, "TransferAgreementNotActive");

        Assert.Equal(DataShareErrorCategory.InvalidOperation, error.Category);
    }
}
