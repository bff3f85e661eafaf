using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Transfers;

/// <summary>Pure rules about transfers: container names, link windows, IP ranges, due days and status.</summary>
public static class TransferRules
{
    /// <summary>The service's limit on a user-delegation key: at most 7 days from when it is asked for.</summary>
    public static readonly TimeSpan UserDelegationLimit = TimeSpan.FromDays(7);

    /// <summary>Kept back from the 7 days: clock skew makes exactly 7 days fail.</summary>
    public static readonly TimeSpan UserDelegationMargin = TimeSpan.FromMinutes(5);

    /// <summary>The shortest link issued: anything shorter would expire before a recipient could use it.</summary>
    public static readonly TimeSpan MinimumLifetime = TimeSpan.FromMinutes(1);

    private const int MaxContainerName = 63;

    /// <summary>
    /// A container name of the transfer's own: "dsa-", the agreement id made safe (lower case, letters and digits,
    /// single hyphens, shortened if need be), then the whole transfer id. The transfer id is unique and always kept
    /// entire, so two transfers never collide, whatever their agreements' ids look like.
    /// </summary>
    public static string ContainerName(string agreementId, string transferId)
    {
        var tail = Safe(transferId);
        var room = MaxContainerName - "dsa-".Length - 1 - tail.Length;
        var agreement = Safe(agreementId);
        if (agreement.Length > room)
        {
            agreement = agreement.Substring(0, room).TrimEnd('-');
        }

        return agreement.Length == 0 ? "dsa-" + tail : "dsa-" + agreement + "-" + tail;
    }

    /// <summary>True for a name Azure accepts as a container: 3–63 of a–z, 0–9 and single inner hyphens.</summary>
    public static bool IsValidContainerName(string name)
    {
        if (name.Length is < 3 or > MaxContainerName || name[0] == '-' || name[name.Length - 1] == '-' || name.Contains("--"))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Safe(string text)
    {
        var safe = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                safe.Append(c);
            }
            else if (safe.Length > 0 && safe[safe.Length - 1] != '-')
            {
                safe.Append('-');
            }
        }

        return safe.ToString().Trim('-');
    }

    /// <summary>
    /// The link's window: it starts <see cref="TransferPolicy.ClockSkewMinutes"/> before now and ends
    /// <paramref name="validFor"/> after now. Refuses a lifetime that is not positive or longer than policy allows;
    /// for a user-delegation link the whole window, back-dated start included, must also fit the service's 7 days.
    /// </summary>
    public static (DateTimeOffset StartsOn, DateTimeOffset ExpiresOn) Window(TimeSpan validFor, DateTimeOffset now, TransferPolicy policy, TransferLinkKind kind)
    {
        if (validFor < MinimumLifetime)
        {
            throw new DataShareException("TransferLifetimeInvalid", DataShareErrorCategory.InvalidArgument,
                $"-ValidFor must be at least one minute, such as (New-TimeSpan -Days 3) or '3.00:00:00' (it was {validFor}). A bare number is read as ticks, not days.", validFor);
        }

        var cap = TimeSpan.FromDays(policy.MaxLifetimeDays);
        if (validFor > cap)
        {
            throw new DataShareException("TransferLifetimeTooLong", DataShareErrorCategory.InvalidArgument,
                $"-ValidFor {Describe(validFor)} is longer than policy allows ({policy.MaxLifetimeDays} days, TransferMaxLifetimeDays). Issue a shorter link; a fresh one can be issued later with -FromTransfer.",
                validFor);
        }

        var startsOn = now - TimeSpan.FromMinutes(policy.ClockSkewMinutes);
        var expiresOn = now + validFor;
        if (kind == TransferLinkKind.UserDelegation && expiresOn - startsOn > UserDelegationLimit - UserDelegationMargin)
        {
            var longest = UserDelegationLimit - UserDelegationMargin - TimeSpan.FromMinutes(policy.ClockSkewMinutes);
            throw new DataShareException("TransferLifetimeTooLong", DataShareErrorCategory.InvalidArgument,
                $"-ValidFor {Describe(validFor)} is too long for a user-delegation link: its key's whole window, including the start back-dated {policy.ClockSkewMinutes} minutes for clock skew, must fit in the service's 7 days, so the longest is {Describe(longest)}.",
                validFor);
        }

        return (startsOn, expiresOn);
    }

    /// <summary>An IPv4 address or "first-last" range, in the form a SAS carries; null when none is given.</summary>
    public static string? NormaliseIpRange(string? range)
    {
        if (range is null)
        {
            return null;
        }

        var parts = range.Trim().Split('-');
        if (parts.Length is < 1 or > 2 || !TryIPv4(parts[0], out var first) || (parts.Length == 2 && !TryIPv4(parts[1], out _)))
        {
            throw IpRangeInvalid(range, "an IPv4 address such as 203.0.113.7, or a range such as 203.0.113.0-203.0.113.255");
        }

        if (parts.Length == 1)
        {
            return first.ToString();
        }

        TryIPv4(parts[1], out var last);
        if (Number(first) > Number(last))
        {
            throw IpRangeInvalid(range, "a range whose first address is not after its last");
        }

        return first + "-" + last;
    }

    private static DataShareException IpRangeInvalid(string range, string expected) =>
        new("TransferIpRangeInvalid", DataShareErrorCategory.InvalidArgument,
            $"-AllowedIpRange '{range}' is not {expected}. Azure links accept IPv4 only.", range);

    private static bool TryIPv4(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var trimmed = text.Trim();
        if (trimmed.Split('.').Length != 4 || !IPAddress.TryParse(trimmed, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        address = parsed;
        return true;
    }

    private static uint Number(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]);
    }

    /// <summary>
    /// Incomplete while the upload never finished (no link was ever issued); then Destroyed once a sweep verified its
    /// container gone (the files are what the link serves, so that outranks the rest), then Revoked, then Expired at
    /// <see cref="DataShareTransfer.ExpiresOn"/>; Active otherwise.
    /// </summary>
    public static TransferStatus StatusAt(DataShareTransfer transfer, DateTimeOffset now, bool containerDestroyed = false) =>
        transfer.State == TransferState.Incomplete ? TransferStatus.Incomplete
        : containerDestroyed ? TransferStatus.Destroyed
        : transfer.RevokedAt is not null ? TransferStatus.Revoked
        : transfer.ExpiresOn <= now ? TransferStatus.Expired
        : TransferStatus.Active;

    /// <summary>
    /// The links of <paramref name="transfers"/> that still work at <paramref name="now"/> (not revoked, not expired,
    /// their container not destroyed) and would work past <paramref name="lastDay"/>, the agreement's last day.
    /// </summary>
    public static IEnumerable<DataShareTransfer> LinksOutlasting(IEnumerable<DataShareTransfer> transfers, ISet<string> destroyedHoldings,
        DateTime lastDay, DateTimeOffset now, Func<DateTimeOffset, DateTime> dayOf)
    {
        foreach (var transfer in transfers)
        {
            if (StatusAt(transfer, now, destroyedHoldings.Contains(transfer.HoldingId)) == TransferStatus.Active && dayOf(transfer.ExpiresOn) > lastDay.Date)
            {
                yield return transfer;
            }
        }
    }

    /// <summary>
    /// What to tell someone who moved an agreement's end (or suspended it) while one of its links still works: which
    /// link, until when, and the exact way to withdraw it (a user-delegation link cannot be withdrawn on its own).
    /// </summary>
    public static string OutlastingLinkWarning(DataShareTransfer transfer, DataShareAgreement agreement, DateTime today, DateTime holdingDueOn)
    {
        var ended = agreement.IsSuspended
            ? $"Agreement {agreement.Id} is suspended"
            : agreement.EndsOn.Date < today
                ? $"Agreement {agreement.Id} now ended on {DateText.FormatDate(agreement.EndsOn)}"
                : $"Agreement {agreement.Id} now ends on {DateText.FormatDate(agreement.EndsOn)}";
        var link = $"{ended}, but transfer {transfer.Id}'s link still works until {transfer.ExpiresOn.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC, and its files stay in container '{transfer.Container}' until the retention sweep deletes them {(holdingDueOn.Date <= today ? $"at its next run (due since {DateText.FormatDate(holdingDueOn)})" : $"on {DateText.FormatDate(holdingDueOn)}")}.";
        string how;
        if (transfer.LinkKind == TransferLinkKind.UserDelegation)
        {
            how = $" It is a user-delegation link, which cannot be withdrawn on its own: revoke all user delegation keys of storage account {transfer.StorageAccount} (this ends every such link of the account), or delete container '{transfer.Container}', then record it with Revoke-DataShareTransfer {transfer.Id}.";
        }
        else
        {
            how = $" Withdraw it with Revoke-DataShareTransfer {transfer.Id} (with storage connected: Connect-DataShareStorage).";
            if (!agreement.IsSuspended && agreement.EndsOn.Date >= today)
            {
                how += $" If the recipients still need the files until the agreement ends, issue a link that stops by then: New-DataShareTransfer -FromTransfer {transfer.Id} -ValidFor <time left until the end of {DateText.FormatDate(agreement.EndsOn)}>.";
            }
        }

        return link + how;
    }

    /// <summary>
    /// The first day an agreement's holdings must be gone: the day after it ends plus its retention days; the calendar's
    /// last day for an agreement that ends too near it (an open-ended 9999-12-31).
    /// </summary>
    public static DateTime AgreementDueOn(DataShareAgreement agreement) => ShareCalendar.AddDays(agreement.EndsOn, 1L + agreement.RetentionDays);

    /// <summary>
    /// The first day a transfer's container must be gone: the day after the last of its links stops working (expires
    /// or is revoked) plus the grace days — never later than its agreement's holdings.
    /// </summary>
    public static DateTime TransferDueOn(IEnumerable<DataShareTransfer> linksOnHolding, Func<DateTimeOffset, DateTime> dayOf, int graceDays, DataShareAgreement agreement)
    {
        DateTime? last = null;
        foreach (var transfer in linksOnHolding)
        {
            var stopped = transfer.RevokedAt is { } revoked && revoked < transfer.ExpiresOn ? revoked : transfer.ExpiresOn;
            var day = dayOf(stopped);
            if (last is null || day > last)
            {
                last = day;
            }
        }

        var due = (last ?? DateTime.MinValue.AddDays(1)).AddDays(1 + graceDays);
        var agreementDue = AgreementDueOn(agreement);
        return due < agreementDue ? due : agreementDue;
    }

    /// <summary>
    /// The first day the container of a transfer that has not finished must be gone: as if its link had stopped working
    /// the moment the upload began (no link was ever issued), so the day after it started plus the grace days, which
    /// leave an upload that is still running at least the rest of its first day and those days to finish — never later
    /// than its agreement's holdings. A transfer that completes moves it to follow its link.
    /// </summary>
    public static DateTime PendingDueOn(DateTimeOffset startedAt, Func<DateTimeOffset, DateTime> dayOf, int graceDays, DataShareAdmin.DataShareAgreement agreement)
    {
        var due = dayOf(startedAt).AddDays(1 + graceDays);
        var agreementDue = AgreementDueOn(agreement);
        return due < agreementDue ? due : agreementDue;
    }

    public static string Describe(TimeSpan span)
    {
        if (span.Ticks % TimeSpan.TicksPerDay == 0)
        {
            return span.TotalDays.ToString(CultureInfo.InvariantCulture) + " days";
        }

        if (span.Ticks % TimeSpan.TicksPerMinute != 0)
        {
            // Seconds shown, so a lifetime a second over the limit never reads as the limit itself.
            return string.Format(CultureInfo.InvariantCulture, "{0}d {1:00}:{2:00}:{3:00}", (int)span.TotalDays, span.Hours, span.Minutes, span.Seconds);
        }

        return span.TotalHours >= 1
            ? string.Format(CultureInfo.InvariantCulture, "{0}d {1:00}:{2:00}", (int)span.TotalDays, span.Hours, span.Minutes)
            : string.Format(CultureInfo.InvariantCulture, "{0} minutes", (int)span.TotalMinutes);
    }
}
