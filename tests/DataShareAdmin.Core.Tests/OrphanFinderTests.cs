using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Storage;
using DataShareAdmin.Core.Transfers;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// The orphan search on Azurite: containers DataShareAdmin made and places beside registered prefixes that no held
/// holding covers are found and measured; everything else in the account is left out, and registering an orphan ends it.
/// </summary>
public sealed class OrphanFinderTests : IClassFixture<AzuriteTablesFixture>, IDisposable
{
    private readonly TestRegister test = new(new DateTimeOffset(2026, 6, 15, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeHost host = new();
    private readonly AzuriteServer azurite;
    private readonly BlobRest blobs;
    private readonly BlobTransferStorage transfers;
    private readonly BlobOrphanStorage storage;
    private readonly string endpoint;
    private readonly string tag = Guid.NewGuid().ToString("N").Substring(0, 8);
    private readonly List<DataShareException> errors = new();

    public OrphanFinderTests(AzuriteTablesFixture fixture)
    {
        azurite = fixture.Server;
        blobs = new BlobRest(azurite);
        var connection = StorageConnection.Create(new StorageConnectionOptions { ConnectionString = azurite.ConnectionString, AllowHttpLoopback = true });
        transfers = new BlobTransferStorage(connection);
        storage = new BlobOrphanStorage(connection);
        endpoint = azurite.BlobEndpoint.ToString().TrimEnd('/');
        test.Engine.Agreements.Create(Samples.Agreement("DS1"), host);
        test.Engine.Agreements.Create(Samples.Agreement("DS2"), host);
    }

    private string Name(string stem) => stem + "-" + tag;

    private void Put(string container, params string[] names)
    {
        foreach (var name in names)
        {
            blobs.PutBlob(container, name, new byte[10]);
        }
    }

    private void ModuleContainer(string name, string? holdingId, params string[] files)
    {
        var metadata = new Dictionary<string, string> { ["createdby"] = "DataShareAdmin" };
        if (holdingId is not null)
        {
            metadata["agreementid"] = "DS1";
            metadata["transferid"] = "TR-" + holdingId.Substring(3);
            metadata["holdingid"] = holdingId;
        }

        transfers.CreateContainer(name, metadata, CancellationToken.None);
        Put(name, files);
    }

    /// <summary>The orphans in this test's own containers (the Azurite is shared with other tests).</summary>
    private List<DataShareOrphan> Find() =>
        test.Engine.Orphans.Find(storage, host, errors.Add).Where(o => o.Container.EndsWith(tag, StringComparison.Ordinal)).ToList();

    [Fact]
    public void Containers_the_module_made_with_no_holding_are_orphans_and_the_rest_of_the_account_is_not()
    {
        var held = Name("dsa-ds1-tr-held");
        ModuleContainer(held, "HD-0000000001", "a.csv");
        test.Engine.Retention.Register("DS1", endpoint + "/" + held, host);
        var lost = Name("dsa-ds1-tr-lost");
        ModuleContainer(lost, "HD-0000000002", "pupils.csv", "sub/schools.csv");
        var empty = Name("dsa-ds1-tr-empty");
        ModuleContainer(empty, "HD-0000000003");
        var marked = Name("extract");
        ModuleContainer(marked, null, "x.csv");
        var named = Name("dsa-by-hand");
        blobs.CreateContainer(named);
        var unrelated = Name("payroll");
        blobs.CreateContainer(unrelated);
        Put(unrelated, "march.csv");

        var found = Find().ToDictionary(o => o.Container);

        Assert.Equal(new[] { named, empty, lost, marked }.OrderBy(n => n, StringComparer.Ordinal), found.Keys.OrderBy(n => n, StringComparer.Ordinal));
        var orphan = found[lost];
        Assert.Equal((OrphanKind.Container, endpoint + "/" + lost, endpoint + "/" + lost, "devstoreaccount1", (string?)null), (orphan.Kind, orphan.Location, orphan.Uri, orphan.StorageAccount, orphan.Prefix));
        Assert.Equal(("DS1", "TR-0000000002", "HD-0000000002", 2L, 20L), (orphan.AgreementId, orphan.TransferId, orphan.HoldingId, orphan.Objects, orphan.Bytes));
        Assert.Contains("holding HD-0000000002 is not in this register", orphan.Reason, StringComparison.Ordinal);
        Assert.NotNull(orphan.LastModified);
        Assert.Equal((0L, 0L), (found[empty].Objects, found[empty].Bytes));
        Assert.NotNull(found[empty].LastModified);
        Assert.Null(found[named].AgreementId);
        Assert.Contains("no holding in this register covers it", found[named].Reason, StringComparison.Ordinal);
        Assert.Empty(errors);
        Assert.Contains(host.Progress, p => p.Completed);
    }

    [Fact]
    public void Beside_a_registered_prefix_every_uncovered_prefix_and_blob_is_an_orphan_look_alikes_included()
    {
        var analysis = Name("analysis");
        blobs.CreateContainer(analysis);
        Put(analysis, "ds1/a.csv", "ds1-extra/b.csv", "ds2/c.csv", "ds2/deeper/d.csv", "notes.txt");
        test.Engine.Retention.Register("DS1", $"{endpoint}/{analysis}/ds1/", host);
        var deep = Name("deep");
        blobs.CreateContainer(deep);
        Put(deep, "2026/ds1/a.csv", "2026/ds9/x.csv", "2025/y.csv");
        test.Engine.Retention.Register("DS1", $"{endpoint}/{deep}/2026/ds1/", host);

        var found = Find().ToDictionary(o => o.Uri);

        Assert.Equal(
            new[] { $"{endpoint}/{analysis}/ds1-extra/", $"{endpoint}/{analysis}/ds2/", $"{endpoint}/{analysis}/notes.txt", $"{endpoint}/{deep}/2026/ds9/" }.OrderBy(a => a, StringComparer.Ordinal),
            found.Keys.OrderBy(a => a, StringComparer.Ordinal));
        var prefix = found[$"{endpoint}/{analysis}/ds2/"];
        Assert.Equal((OrphanKind.Prefix, $"{endpoint}/{analysis}/ds2/", "ds2/", 2L, 20L), (prefix.Kind, prefix.Location, prefix.Prefix, prefix.Objects, prefix.Bytes));
        Assert.Null(prefix.AgreementId);
        var blob = found[$"{endpoint}/{analysis}/notes.txt"];
        Assert.Equal((OrphanKind.Blob, (string?)null, "notes.txt", 1L, 10L), (blob.Kind, blob.Location, blob.Prefix, blob.Objects, blob.Bytes));
        Assert.Contains("cannot be a holding", blob.Reason, StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    [Fact]
    public void Registering_an_orphan_ends_it_and_destroying_a_holding_whose_data_remains_makes_one()
    {
        var lost = Name("dsa-ds1-tr-again");
        ModuleContainer(lost, "HD-0000000009", "pupils.csv");
        var analysis = Name("shared");
        blobs.CreateContainer(analysis);
        Put(analysis, "ds1/a.csv", "ds2/b.csv");
        test.Engine.Retention.Register("DS1", $"{endpoint}/{analysis}/ds1/", host);
        Assert.Equal(2, Find().Count);

        foreach (var orphan in Find())
        {
            test.Engine.Retention.Register(orphan.AgreementId ?? "DS2", orphan.Location!, host);
        }

        Assert.Empty(Find());

        // A holding recorded destroyed while its container is still there (data written after the sweep) is untracked again.
        var holding = test.Engine.Retention.Find("DS1", includeDestroyed: false).Single(h => h.Container == lost);
        holding.State = HoldingState.Destroyed;
        holding.DestroyedAt = test.Clock.UtcNow;
        test.Engine.Register.InsertDestruction(
            new DestructionRecord { Id = Ids.NewDestructionId(), HoldingId = holding.Id, AgreementId = "DS1", Location = holding.Location, Verified = true, SoftDelete = "Off", Operator = "o", Machine = "m" },
            holding, new AuditEvent("Holding.Destroy", "Holding", holding.Id));
        var again = Assert.Single(Find());
        Assert.Equal(lost, again.Container);
        Assert.Contains($"its holding {holding.Id} was recorded destroyed on 2026-06-15", again.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_holding_counts_only_on_its_own_endpoint_not_by_its_account_name()
    {
        var lost = Name("dsa-ds1-tr-elsewhere");
        ModuleContainer(lost, "HD-0000000007", "pupils.csv");
        test.Engine.Retention.Register("DS1", $"https://devstoreaccount1.blob.core.windows.net/{lost}", host);

        Assert.Equal(lost, Assert.Single(Find()).Container);
    }

    [Fact]
    public void Stopping_ends_the_search()
    {
        ModuleContainer(Name("dsa-ds1-tr-stop"), "HD-0000000008", "a.csv");
        host.Cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => test.Engine.Orphans.Find(storage, host, errors.Add).ToList());
    }

    public void Dispose()
    {
        blobs.Dispose();
        test.Dispose();
    }
}
