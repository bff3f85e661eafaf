using System;
using DataShareAdmin.Core.Agreements;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DataShareAdmin.Core.Tests;

public sealed class AgreementRulesTests
{
    private static DataShareAgreement Approved(string starts = "2026-01-01", string ends = "2026-12-31") => new()
    {
        Id = "DS1",
        StartsOn = DateTime.Parse(starts, System.Globalization.CultureInfo.InvariantCulture),
        EndsOn = DateTime.Parse(ends, System.Globalization.CultureInfo.InvariantCulture),
        ApprovedOn = new DateTime(2025, 12, 1),
    };

    [Theory]
    [InlineData("2025-12-31", AgreementStatus.Approved)]
    [InlineData("2026-01-01", AgreementStatus.Active)]
    [InlineData("2026-12-31", AgreementStatus.Active)]
    [InlineData("2027-01-01", AgreementStatus.Ended)]
    public void Status_follows_the_calendar_dates_inclusively(string asOf, AgreementStatus expected) =>
        Assert.Equal(expected, AgreementRules.StatusOn(Approved(), DateTime.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void An_unapproved_agreement_is_pending_until_it_ends()
    {
        var agreement = Approved();
        agreement.ApprovedOn = null;
        Assert.Equal(AgreementStatus.Pending, AgreementRules.StatusOn(agreement, new DateTime(2025, 6, 1)));
        Assert.Equal(AgreementStatus.Pending, AgreementRules.StatusOn(agreement, new DateTime(2026, 12, 31)));
        Assert.Equal(AgreementStatus.Ended, AgreementRules.StatusOn(agreement, new DateTime(2027, 1, 1)));
    }

    [Fact]
    public void Before_its_approval_date_an_agreement_was_pending()
    {
        var agreement = Approved();
        agreement.ApprovedOn = new DateTime(2026, 3, 1);
        Assert.Equal(AgreementStatus.Pending, AgreementRules.StatusOn(agreement, new DateTime(2026, 2, 28)));
        Assert.Equal(AgreementStatus.Active, AgreementRules.StatusOn(agreement, new DateTime(2026, 3, 1)));
    }

    [Fact]
    public void Suspension_applies_until_the_end_and_destruction_wins_from_its_day()
    {
        var agreement = Approved();
        agreement.IsSuspended = true;
        Assert.Equal(AgreementStatus.Suspended, AgreementRules.StatusOn(agreement, new DateTime(2026, 6, 1)));
        Assert.Equal(AgreementStatus.Ended, AgreementRules.StatusOn(agreement, new DateTime(2027, 1, 1)));

        agreement.DestroyedOn = new DateTime(2027, 2, 1);
        Assert.Equal(AgreementStatus.Ended, AgreementRules.StatusOn(agreement, new DateTime(2027, 1, 31)));
        Assert.Equal(AgreementStatus.Destroyed, AgreementRules.StatusOn(agreement, new DateTime(2027, 2, 1)));
    }

    [Property]
    public Property Status_is_active_exactly_between_start_and_end(int startOffset, byte length, int probe)
    {
        var start = new DateTime(2026, 1, 1).AddDays(startOffset % 3000);
        var agreement = new DataShareAgreement { StartsOn = start, EndsOn = start.AddDays(length), ApprovedOn = start.AddDays(-10) };
        var day = start.AddDays(probe % 400);
        var active = AgreementRules.StatusOn(agreement, day) == AgreementStatus.Active;
        return (active == (day >= agreement.StartsOn && day <= agreement.EndsOn)).ToProperty();
    }

    [Theory]
    [InlineData("DS00752", "DS00752")]
    [InlineData(" ds00752 ", "DS00752")]
    [InlineData("DSAP-2026.014", "DSAP-2026.014")]
    public void Ids_are_normalised_to_upper_case(string given, string expected) =>
        Assert.Equal(expected, AgreementRules.NormaliseId(given));

    [Theory]
    [InlineData("")]
    [InlineData("D")]
    [InlineData("DS 00752")]
    [InlineData("DS/00752")]
    [InlineData("-DS1")]
    [InlineData("DS--1")]
    [InlineData("DS1-")]
    [InlineData("../etc")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDE")]
    public void Unsafe_ids_are_refused(string id)
    {
        var error = Assert.Throws<DataShareException>(() => AgreementRules.NormaliseId(id));
        Assert.Equal("AgreementIdInvalid", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidArgument, error.Category);
    }

    [Fact]
    public void End_before_start_is_refused()
    {
        var agreement = Valid();
        agreement.EndsOn = agreement.StartsOn.AddDays(-1);
        Assert.Equal("AgreementDatesInvalid", Assert.Throws<DataShareException>(() => AgreementRules.Validate(agreement)).ErrorId);
    }

    [Fact]
    public void A_one_day_share_is_valid()
    {
        var agreement = Valid();
        agreement.EndsOn = agreement.StartsOn;
        AgreementRules.Validate(agreement);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3651)]
    public void Retention_out_of_range_is_refused(int days)
    {
        var agreement = Valid();
        agreement.RetentionDays = days;
        Assert.Equal("AgreementRetentionInvalid", Assert.Throws<DataShareException>(() => AgreementRules.Validate(agreement)).ErrorId);
    }

    [Theory]
    [InlineData("F", 3)]
    [InlineData("", 3)]
    [InlineData("AB", 3)]
    [InlineData("B", 0)]
    [InlineData("B", 7)]
    public void Unknown_classifications_are_refused(string sensitivity, int risk)
    {
        var agreement = Valid();
        agreement.DataItems = new[] { new DataItem("Item", sensitivity, risk) };
        var error = Assert.Throws<DataShareException>(() => AgreementRules.Validate(agreement));
        Assert.Equal("DataItemClassificationInvalid", error.ErrorId);
        Assert.Equal(DataShareErrorCategory.InvalidArgument, error.Category);
    }

    [Fact]
    public void Sensitivity_is_accepted_in_lower_case_and_stored_upper()
    {
        var agreement = Valid();
        agreement.DataItems = new[] { new DataItem("Item", "e", 6) };
        AgreementRules.Validate(agreement);
        Assert.Equal("E", agreement.DataItems[0].Sensitivity);
    }

    [Fact]
    public void Duplicate_and_nameless_data_items_are_refused()
    {
        var agreement = Valid();
        agreement.DataItems = new[] { new DataItem("Item", "A", 1), new DataItem("item", "B", 2) };
        Assert.Equal("DataItemDuplicate", Assert.Throws<DataShareException>(() => AgreementRules.Validate(agreement)).ErrorId);

        agreement.DataItems = new[] { new DataItem(" ", "A", 1) };
        Assert.Equal("DataItemNameMissing", Assert.Throws<DataShareException>(() => AgreementRules.Validate(agreement)).ErrorId);
    }

    [Theory]
    [InlineData("Title")]
    [InlineData("Purpose")]
    [InlineData("LegalGateway")]
    [InlineData("LawfulBasis")]
    [InlineData("Organisation")]
    public void Required_text_is_required(string field)
    {
        var agreement = Valid();
        typeof(DataShareAgreement).GetProperty(field)!.SetValue(agreement, "  ");
        var error = Assert.Throws<DataShareException>(() => AgreementRules.Validate(agreement));
        Assert.Equal("AgreementFieldMissing", error.ErrorId);
        Assert.Equal(field, error.Target);
    }

    [Theory]
    [InlineData("KS2 attainment:B3", "KS2 attainment", "B", 3)]
    [InlineData("Time: of day:A1", "Time: of day", "A", 1)]
    [InlineData("NoRating", "NoRating", "", 0)]
    public void Data_items_parse_from_the_short_form(string text, string name, string sensitivity, int risk)
    {
        var item = new DataItem(text);
        Assert.Equal((name, sensitivity, risk), (item.Name, item.Sensitivity, item.IdentificationRisk));
    }

    private static DataShareAgreement Valid() => new()
    {
        Id = "DS1",
        Organisation = "Org",
        Title = "T",
        Purpose = "P",
        LegalGateway = "G",
        LawfulBasis = "B",
        StartsOn = new DateTime(2026, 1, 1),
        EndsOn = new DateTime(2026, 12, 31),
        DataItems = new[] { new DataItem("Item", "B", 3) },
    };
}
