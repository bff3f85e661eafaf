using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using DataShareAdmin.Core.Policy;

namespace DataShareAdmin.Core.Transfers;

/// <summary>Pure rules about transfers: container names, link windows, IP ranges, due days and status.</summary>
public static class TransferRules
{
    /// <summary>The service's limit on a user-delegation key: at most 7 days from when it is asked for.</summary>
    public static readonly TimeSpan UserDelegationLimit = TimeSpan.FromDays(7);

    /// <summary>Kept back from the 7 days: clock skew makes exactly 7 days fail.</summary>
    public static readonly TimeSpan UserDelegationMargin = TimeSpan.FromMinutes(5);

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
        if (validFor < TimeSpan.FromSeconds(1))
        {
            throw new DataShareException("TransferLifetimeInvalid", DataShareErrorCategory.InvalidArgument,
                $"-ValidFor must be a positive time span of at least a second, such as (New-TimeSpan -Days 3) or '3.00:00:00' (it was {validFor}).", validFor);
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

    public static TransferStatus StatusAt(DataShareTransfer transfer, DateTimeOffset now) =>
        transfer.State == TransferState.Incomplete ? TransferStatus.Incomplete
        : transfer.RevokedAt is not null ? TransferStatus.Revoked
        : transfer.ExpiresOn <= now ? TransferStatus.Expired
        : TransferStatus.Active;

    /// <summary>The first day an agreement's holdings must be gone: the day after it ends plus its retention days.</summary>
    public static DateTime AgreementDueOn(DataShareAgreement agreement) => agreement.EndsOn.Date.AddDays(1 + agreement.RetentionDays);

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

        return span.TotalHours >= 1
            ? string.Format(CultureInfo.InvariantCulture, "{0}d {1:00}:{2:00}", (int)span.TotalDays, span.Hours, span.Minutes)
            : string.Format(CultureInfo.InvariantCulture, "{0} minutes", (int)span.TotalMinutes);
    }
}
