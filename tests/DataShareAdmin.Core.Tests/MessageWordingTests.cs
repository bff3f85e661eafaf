using System;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Tests;

/// <summary>What a person reads in a message says exactly what happened, in words (found by a new-user review).</summary>
public sealed class MessageWordingTests
{
    [Fact]
    public void A_lifetime_a_second_over_the_limit_never_reads_as_the_limit()
    {
        Assert.Equal("7d 00:00:01", TransferRules.Describe(new TimeSpan(7, 0, 0, 1)));
        Assert.Equal("7 days", TransferRules.Describe(TimeSpan.FromDays(7)));
        Assert.Equal("6d 23:30", TransferRules.Describe(new TimeSpan(6, 23, 30, 0)));
        Assert.Equal("5 minutes", TransferRules.Describe(TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void A_field_too_long_names_the_record_in_words_not_its_type()
    {
        var error = Assert.Throws<DataShareException>(() => TextLimits.Check("DestructionConfirmation", "ConfirmedBy", new string('x', 5000), TextLimits.Name, "DS00752"));

        Assert.Equal("DestructionConfirmationFieldTooLong", error.ErrorId);
        Assert.Contains("ConfirmedBy of destruction confirmation DS00752", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_early_end_warning_never_promises_a_sweep_on_a_day_already_past()
    {
        var today = new DateTime(2026, 12, 7);
        var agreement = new DataShareAgreement { Id = "DS00752", StartsOn = today.AddDays(-60), EndsOn = today.AddDays(-1) };
        var transfer = new DataShareTransfer { Id = "TR-1", Container = "dsa-ds00752-tr-1", ExpiresOn = new DateTimeOffset(today.AddDays(2), TimeSpan.Zero) };

        var past = TransferRules.OutlastingLinkWarning(transfer, agreement, today, today.AddDays(-5));
        var future = TransferRules.OutlastingLinkWarning(transfer, agreement, today, today.AddDays(3));

        Assert.Contains("deletes them at its next run (due since 2026-12-02)", past, StringComparison.Ordinal);
        Assert.Contains("deletes them on 2026-12-10", future, StringComparison.Ordinal);
    }
}
