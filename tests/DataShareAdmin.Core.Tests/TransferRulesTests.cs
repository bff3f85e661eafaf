using System;
using System.Linq;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Transfers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DataShareAdmin.Core.Tests;

public sealed class TransferRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("DS00752", "TR-0123456789", "dsa-ds00752-tr-0123456789")]
    [InlineData("DS_2026.07-A", "TR-ABCDEFGHJK", "dsa-ds-2026-07-a-tr-abcdefghjk")]
    [InlineData("A.-B", "TR-0000000000", "dsa-a-b-tr-0000000000")]
    public void Container_names_are_lower_case_and_keep_the_whole_transfer_id(string agreement, string transfer, string expected) =>
        Assert.Equal(expected, TransferRules.ContainerName(agreement, transfer));

    [Fact]
    public void A_long_agreement_id_is_shortened_but_the_transfer_id_never_is()
    {
        // Valid agreement ids (at most 40 characters) always fit whole; anything longer is cut, never the transfer id.
        Assert.Equal(58, TransferRules.ContainerName(new string('A', 40), "TR-0123456789").Length);
        var name = TransferRules.ContainerName(new string('A', 60), "TR-0123456789");
        Assert.Equal(63, name.Length);
        Assert.EndsWith("-tr-0123456789", name, StringComparison.Ordinal);
        Assert.True(TransferRules.IsValidContainerName(name));
    }

    [Property(MaxTest = 500)]
    public Property Every_container_name_is_valid_and_distinct_transfers_never_share_one(NonEmptyString agreement, int seedA, int seedB)
    {
        var a = TransferId(seedA);
        var b = TransferId(seedB);
        var nameA = TransferRules.ContainerName(agreement.Get, a);
        var nameB = TransferRules.ContainerName(agreement.Get, b);
        return (TransferRules.IsValidContainerName(nameA) && (a == b) == (nameA == nameB)).ToProperty();
    }

    private static string TransferId(int seed)
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var random = new Random(seed);
        return "TR-" + new string(Enumerable.Range(0, 10).Select(_ => alphabet[random.Next(32)]).ToArray());
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("-abc")]
    [InlineData("abc-")]
    [InlineData("ab--c")]
    [InlineData("Abc")]
    [InlineData("ab_c")]
    public void Names_azure_would_refuse_are_recognised(string name) => Assert.False(TransferRules.IsValidContainerName(name));

    [Fact]
    public void The_window_starts_back_dated_by_the_skew_and_the_cap_is_a_refusal_not_a_trim()
    {
        var policy = new TransferPolicy { ClockSkewMinutes = 10, MaxLifetimeDays = 7 };
        Assert.Equal((Now.AddMinutes(-10), Now.AddDays(7)), TransferRules.Window(TimeSpan.FromDays(7), Now, policy, TransferLinkKind.StoredAccessPolicy));
        var error = Assert.Throws<DataShareException>(() => TransferRules.Window(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1), Now, policy, TransferLinkKind.StoredAccessPolicy));
        Assert.Equal(("TransferLifetimeTooLong", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Equal("TransferLifetimeInvalid", Assert.Throws<DataShareException>(() => TransferRules.Window(TimeSpan.Zero, Now, policy, TransferLinkKind.StoredAccessPolicy)).ErrorId);
        Assert.Equal("TransferLifetimeInvalid", Assert.Throws<DataShareException>(() => TransferRules.Window(TimeSpan.FromDays(-1), Now, policy, TransferLinkKind.StoredAccessPolicy)).ErrorId);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(59)]
    public void A_lifetime_under_a_minute_is_refused_as_documented(int seconds)
    {
        var policy = new TransferPolicy { ClockSkewMinutes = 5, MaxLifetimeDays = 7 };
        var error = Assert.Throws<DataShareException>(() => TransferRules.Window(TimeSpan.FromSeconds(seconds), Now, policy, TransferLinkKind.StoredAccessPolicy));
        Assert.Equal(("TransferLifetimeInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Contains("at least one minute", error.Message, StringComparison.Ordinal);
        Assert.Equal(Now.AddMinutes(1), TransferRules.Window(TimeSpan.FromMinutes(1), Now, policy, TransferLinkKind.StoredAccessPolicy).ExpiresOn);
    }

    [Property]
    public Property A_user_delegation_window_including_its_back_dated_start_always_fits_seven_days(PositiveInt minutes, byte skew)
    {
        var policy = new TransferPolicy { ClockSkewMinutes = skew % 16, MaxLifetimeDays = 365 };
        var validFor = TimeSpan.FromMinutes(minutes.Get % (8 * 24 * 60) + 1);
        try
        {
            var (start, expiry) = TransferRules.Window(validFor, Now, policy, TransferLinkKind.UserDelegation);
            return (expiry - start <= TimeSpan.FromDays(7) - TransferRules.UserDelegationMargin && expiry - Now == validFor).ToProperty();
        }
        catch (DataShareException ex)
        {
            return (ex.ErrorId == "TransferLifetimeTooLong" && validFor + TimeSpan.FromMinutes(policy.ClockSkewMinutes) > TimeSpan.FromDays(7) - TransferRules.UserDelegationMargin).ToProperty();
        }
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData(" 203.0.113.0-203.0.113.255 ", "203.0.113.0-203.0.113.255")]
    [InlineData("10.0.0.1-10.0.0.1", "10.0.0.1-10.0.0.1")]
    public void Ip_ranges_are_ipv4_addresses_or_ordered_ranges(string given, string expected) =>
        Assert.Equal(expected, TransferRules.NormaliseIpRange(given));

    [Theory]
    [InlineData("")]
    [InlineData("2001:db8::1")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.300")]
    [InlineData("10.0.0.9-10.0.0.1")]
    [InlineData("10.0.0.1-10.0.0.2-10.0.0.3")]
    [InlineData("example.org")]
    public void Other_ip_ranges_are_refused(string given)
    {
        var error = Assert.Throws<DataShareException>(() => TransferRules.NormaliseIpRange(given));
        Assert.Equal(("TransferIpRangeInvalid", DataShareErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
    }

    [Fact]
    public void A_holding_is_due_the_day_after_its_last_link_stops_plus_grace_and_never_after_its_agreement()
    {
        var agreement = Samples.Agreement("DS1", "2026-01-01", "2026-06-30");
        agreement.RetentionDays = 5;
        DateTime DayOf(DateTimeOffset instant) => instant.UtcDateTime.Date;
        var expiresSoon = new DataShareTransfer { ExpiresOn = new DateTimeOffset(2026, 6, 18, 9, 0, 0, TimeSpan.Zero) };
        var revokedEarly = new DataShareTransfer { ExpiresOn = new DateTimeOffset(2026, 6, 25, 9, 0, 0, TimeSpan.Zero), RevokedAt = new DateTimeOffset(2026, 6, 16, 9, 0, 0, TimeSpan.Zero) };
        var late = new DataShareTransfer { ExpiresOn = new DateTimeOffset(2026, 7, 4, 9, 0, 0, TimeSpan.Zero) };

        Assert.Equal(new DateTime(2026, 6, 20), TransferRules.TransferDueOn(new[] { expiresSoon }, DayOf, 1, agreement));
        Assert.Equal(new DateTime(2026, 6, 17), TransferRules.TransferDueOn(new[] { revokedEarly }, DayOf, 0, agreement));
        Assert.Equal(new DateTime(2026, 6, 20), TransferRules.TransferDueOn(new[] { revokedEarly, expiresSoon }, DayOf, 1, agreement));
        Assert.Equal(new DateTime(2026, 7, 6), TransferRules.AgreementDueOn(agreement));
        Assert.Equal(new DateTime(2026, 7, 6), TransferRules.TransferDueOn(new[] { late }, DayOf, 3, agreement));
    }

    [Fact]
    public void Status_is_revoked_before_expired()
    {
        var transfer = new DataShareTransfer { ExpiresOn = Now };
        Assert.Equal(TransferStatus.Expired, TransferRules.StatusAt(transfer, Now));
        Assert.Equal(TransferStatus.Active, TransferRules.StatusAt(transfer, Now.AddTicks(-1)));
        transfer.RevokedAt = Now.AddDays(-1);
        Assert.Equal(TransferStatus.Revoked, TransferRules.StatusAt(transfer, Now));
    }

    [Fact]
    public void A_transfer_whose_container_was_destroyed_says_so_whether_its_link_was_live_expired_or_revoked()
    {
        var live = new DataShareTransfer { ExpiresOn = Now.AddDays(1) };
        Assert.Equal(TransferStatus.Active, TransferRules.StatusAt(live, Now, containerDestroyed: false));
        Assert.Equal(TransferStatus.Destroyed, TransferRules.StatusAt(live, Now, containerDestroyed: true));
        Assert.Equal(TransferStatus.Destroyed, TransferRules.StatusAt(new DataShareTransfer { ExpiresOn = Now.AddDays(-1) }, Now, containerDestroyed: true));
        Assert.Equal(TransferStatus.Destroyed, TransferRules.StatusAt(new DataShareTransfer { ExpiresOn = Now.AddDays(1), RevokedAt = Now }, Now, containerDestroyed: true));
    }

    [Theory]
    [InlineData("TransferAllowedSensitivity", "e, a ,C", "A,C,E")]
    [InlineData("TransferAllowedIdentificationRisk", "6;1", "1,6")]
    [InlineData("TransferMaxLifetimeDays", "14", "14")]
    public void Transfer_policy_values_are_normalised(string name, string given, string stored) =>
        Assert.Equal(stored, PolicyCatalogue.Find(name)!.Normalise(given));

    [Theory]
    [InlineData("TransferAllowedSensitivity", "F")]
    [InlineData("TransferAllowedSensitivity", "AB")]
    [InlineData("TransferAllowedIdentificationRisk", "7")]
    [InlineData("TransferAllowedIdentificationRisk", ",")]
    [InlineData("TransferClockSkewMinutes", "16")]
    [InlineData("TransferMaxLifetimeDays", "0")]
    public void Transfer_policy_values_outside_their_scale_are_refused(string name, string given) =>
        Assert.Throws<PolicyValueException>(() => PolicyCatalogue.Find(name)!.Normalise(given));
}
