using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Retention;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The identity index both backends keep for overlap checks: the held holdings near a location are exactly the ones
/// that overlap it (ancestors, itself, descendants), found without reading the rest; and a person's active place on an
/// agreement is one lookup.
/// </summary>
public abstract partial class RegisterContract
{
    private static DataShareHolding At(string id, string agreementId, string location, HoldingState state = HoldingState.Held)
    {
        var parsed = HoldingLocation.Parse(location);
        return new DataShareHolding
        {
            Id = id,
            AgreementId = agreementId,
            Kind = parsed.Kind,
            Location = parsed.Location,
            StorageAccount = parsed.Account,
            Container = parsed.Container,
            Prefix = parsed.Prefix,
            DueOn = new DateTime(2027, 1, 14),
            RegisteredAt = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero),
            RegisteredBy = "alice",
            State = state,
        };
    }

    /// <summary>Ids of the near holdings that overlap <paramref name="location"/>, decided as Register-DataShareHolding decides.</summary>
    private static string[] Overlapping(IDataShareRegister register, string location)
    {
        var probe = At("HD-9999999999", "DS9", location);
        var parsed = HoldingLocation.Parse(location);
        return register.ListHeldHoldingsNear(probe).Where(h => parsed.Overlaps(HoldingLocation.Of(h))).Select(h => h.Id).OrderBy(i => i, StringComparer.Ordinal).ToArray();
    }

    private static string[] Near(IDataShareRegister register, string location) =>
        register.ListHeldHoldingsNear(At("HD-9999999999", "DS9", location)).Select(h => h.Id).OrderBy(i => i, StringComparer.Ordinal).ToArray();

    /// <summary>What reading every held holding (the check before the index) finds.</summary>
    private static string[] OverlappingByScan(IDataShareRegister register, string location)
    {
        var parsed = HoldingLocation.Parse(location);
        return register.ListHeldHoldings().Where(h => parsed.Overlaps(HoldingLocation.Of(h))).Select(h => h.Id).OrderBy(i => i, StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void Held_holdings_near_a_location_are_its_ancestors_itself_and_its_descendants_only()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        register.InsertAgreement(Agreement("DS2"), Event("Agreement.Create", "DS2"));
        const string Acct = "https://acct.blob.core.windows.net/";
        var holdings = new List<DataShareHolding>
        {
            At("HD-0000000001", "DS1", Acct + "data/share-12/"),
            At("HD-0000000002", "DS1", Acct + "data/share-12/inner/deep/"),
            At("HD-0000000003", "DS2", Acct + "data2"),
            At("HD-0000000004", "DS2", "https://other.blob.core.windows.net/data/share-12/"),
            At("HD-0000000005", "DS2", Acct + "data/share-123/"),
            At("HD-0000000006", "DS1", Acct + "data/share-12/x/"),
            At("HD-0000000007", "DS2", Acct + "data/share-12/pend/", HoldingState.Pending),
            At("HD-0000000008", "DS1", "/srv/extracts/ds1"),
            At("HD-0000000009", "DS2", "/srv/extracts/ds10"),
            At("HD-0000000010", "DS2", Acct + "data/Share-12/"),
        };
        foreach (var holding in holdings)
        {
            register.InsertHolding(holding, new AuditEvent("Holding.Register", "Holding", holding.Id));
        }

        // A destroyed holding no longer counts: its index row goes in the same write as its state.
        var destroyed = register.FindHolding("HD-0000000006")!;
        destroyed.State = HoldingState.Destroyed;
        destroyed.DestroyedAt = Clock.UtcNow;
        register.InsertDestruction(new DestructionRecord { Id = "DR-0000000001", HoldingId = destroyed.Id, AgreementId = "DS1", Location = destroyed.Location, Verified = true, SoftDelete = "Off", Operator = "bob", Machine = "m", AsOf = new DateTime(2026, 3, 1), StartedAt = Clock.UtcNow, FinishedAt = Clock.UtcNow },
            destroyed, new AuditEvent("Holding.Destroy", "Holding", destroyed.Id));

        var expected = new Dictionary<string, string[]>
        {
            [Acct + "data/share-12/"] = new[] { "HD-0000000001", "HD-0000000002", "HD-0000000007" },
            [Acct + "data/share-12/inner/"] = new[] { "HD-0000000001", "HD-0000000002" },
            [Acct + "data/share-12/x/"] = new[] { "HD-0000000001" },
            [Acct + "data"] = new[] { "HD-0000000001", "HD-0000000002", "HD-0000000005", "HD-0000000007", "HD-0000000010" },
            [Acct + "data/share-1/"] = Array.Empty<string>(),
            [Acct + "dat"] = Array.Empty<string>(),
            ["https://ACCT.blob.core.windows.net/data/share-12/inner/deep/more/"] = new[] { "HD-0000000001", "HD-0000000002" },
            ["https://third.blob.core.windows.net/data/share-12/"] = Array.Empty<string>(),
            ["/srv/extracts"] = new[] { "HD-0000000008", "HD-0000000009" },
            ["/srv/extracts/ds1/sub"] = new[] { "HD-0000000008" },
            ["/srv/extracts/ds1"] = new[] { "HD-0000000008" },
            ["/srv/extracts/ds"] = Array.Empty<string>(),
        };
        foreach (var (location, ids) in expected)
        {
            Assert.True(ids.SequenceEqual(Overlapping(register, location)), $"{location}: expected {string.Join(", ", ids)}, found {string.Join(", ", Overlapping(register, location))}");
            Assert.Equal(OverlappingByScan(register, location), Overlapping(register, location));

            // For blobs the index reads nothing else: no sibling, no other account, no destroyed holding.
            if (location.StartsWith("http", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Equal(ids, Near(register, location));
            }
        }

        // A folder differing only in case is found by the index on every platform, and overlaps where paths ignore
        // case (as HoldingLocation decides on this machine), exactly as the full scan decides.
        Assert.Contains("HD-0000000008", Near(register, "/SRV/Extracts/DS1"));
        Assert.Equal(OverlappingByScan(register, "/SRV/Extracts/DS1"), Overlapping(register, "/SRV/Extracts/DS1"));
    }

    [Fact]
    public void Holdings_near_a_location_at_its_length_limit_are_found_by_bounded_reads()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        const string Root = "https://acct.blob.core.windows.net/data/";
        string Deep(int segments, string last = "") => Root + string.Concat(Enumerable.Repeat("a/", segments)) + last;
        var longest = Deep((TextLimits.Location - Root.Length) / 2);
        Assert.Equal(TextLimits.Location, longest.Length);
        var holdings = new[]
        {
            At("HD-0000000001", "DS1", Deep(10)),
            At("HD-0000000002", "DS1", Deep(400)),
            At("HD-0000000003", "DS1", Deep(300, "b/")),
            At("HD-0000000004", "DS1", longest),
            At("HD-0000000005", "DS1", Deep(9, "b/")),
        };
        foreach (var holding in holdings)
        {
            register.InsertHolding(holding, new AuditEvent("Holding.Register", "Holding", holding.Id));
        }

        Assert.Equal(new[] { "HD-0000000001", "HD-0000000002", "HD-0000000004" }, Overlapping(register, longest));
        Assert.Equal(new[] { "HD-0000000001", "HD-0000000002", "HD-0000000003", "HD-0000000004" }, Overlapping(register, Deep(10)));
        Assert.Equal(new[] { "HD-0000000001", "HD-0000000002", "HD-0000000004" }, Overlapping(register, Deep(350)));
        Assert.Equal(new[] { "HD-0000000001", "HD-0000000002", "HD-0000000003", "HD-0000000004", "HD-0000000005" }, Overlapping(register, Root));
        Assert.Equal(OverlappingByScan(register, Deep(301, "c/")), Overlapping(register, Deep(301, "c/")));
    }

    [Fact]
    public void A_persons_active_place_on_an_agreement_is_found_by_one_lookup_and_not_once_removed()
    {
        var register = New();
        register.InsertAgreement(Agreement("DS1"), Event("Agreement.Create", "DS1"));
        register.InsertAgreement(Agreement("DS2"), Event("Agreement.Create", "DS2"));
        var person = new DataSharePerson { Id = "PE-0000000001", Name = "Jo", Email = "jo@example.org", NormalisedEmail = "jo@example.org", CreatedAt = Clock.UtcNow };
        var other = new DataSharePerson { Id = "PE-0000000002", Name = "Al", Email = "al@example.org", NormalisedEmail = "al@example.org", CreatedAt = Clock.UtcNow };
        register.InsertRecipient(Recipient("RC-0000000001", "DS1", person.Id), person, Event("Recipient.Add", "RC-0000000001"));
        register.InsertRecipient(Recipient("RC-0000000002", "DS2", other.Id), other, Event("Recipient.Add", "RC-0000000002"));

        Assert.Equal("RC-0000000001", register.FindActiveRecipient("ds1", person.Id)?.Id);
        Assert.Equal("jo@example.org", register.FindActiveRecipient("DS1", person.Id)?.Email);
        Assert.Null(register.FindActiveRecipient("DS2", person.Id));
        Assert.Null(register.FindActiveRecipient("DS1", other.Id));

        var placed = register.FindRecipient("RC-0000000001")!;
        placed.RemovedAt = Clock.UtcNow;
        placed.RemovedReason = "left";
        register.UpdateRecipient(placed, null, Event("Recipient.Remove", placed.Id));
        Assert.Null(register.FindActiveRecipient("DS1", person.Id));

        register.InsertRecipient(Recipient("RC-0000000003", "DS1", person.Id), null, Event("Recipient.Add", "RC-0000000003"));
        Assert.Equal("RC-0000000003", register.FindActiveRecipient("DS1", person.Id)?.Id);
    }
}
