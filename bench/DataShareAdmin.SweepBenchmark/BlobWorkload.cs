using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.SweepBenchmark;

/// <summary>One due holding: a prefix in a container, and the blobs seeded under it.</summary>
internal sealed record HoldingSpec(string Container, string Prefix, IReadOnlyList<string> Names);

/// <summary>
/// The blobs every measurement starts from: <c>blobs</c> small blobs spread evenly over <c>holdings</c> prefixes
/// p000/, p001/, ... in <c>containers</c> containers (10 × 10 by default, 20 blobs a prefix), as extracts of several
/// agreements sit side by side in a few shared containers.
/// </summary>
internal sealed class BlobLayout
{
    private BlobLayout(IReadOnlyList<string> containers, IReadOnlyList<HoldingSpec> holdings)
    {
        Containers = containers;
        Holdings = holdings;
        TotalBlobs = holdings.Sum(h => h.Names.Count);
    }

    public IReadOnlyList<string> Containers { get; }

    public IReadOnlyList<HoldingSpec> Holdings { get; }

    public int TotalBlobs { get; }

    public static BlobLayout Create(int blobs, int holdings, int containers)
    {
        var containerNames = Enumerable.Range(0, containers).Select(c => string.Create(CultureInfo.InvariantCulture, $"sweep-c{c:00}")).ToArray();
        var perContainer = holdings / containers;
        var specs = new List<HoldingSpec>();
        for (var h = 0; h < holdings; h++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"p{h:000}/");
            var count = blobs / holdings + (h < blobs % holdings ? 1 : 0);
            var names = Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix}part-{i:0000}.csv")).ToArray();
            specs.Add(new HoldingSpec(containerNames[h / perContainer], prefix, names));
        }

        return new BlobLayout(containerNames, specs);
    }
}

/// <summary>What the emulation of the sweep's storage steps spent, phase by phase (no PowerShell, no register).</summary>
internal sealed class EmulationResult
{
    public EmulationMode Mode { get; set; }

    public double MeasureMs { get; set; }

    public double DeleteMs { get; set; }

    public double VerifyMs { get; set; }

    public double TotalMs { get; set; }

    public long Deleted { get; set; }

    public int ListRequests { get; set; }

    public bool VersionsRefused { get; set; }
}

/// <summary>Seeding, cleaning and the plain-SDK deletes, with the Azure SDK in the harness's own (default) load context.</summary>
internal sealed class BlobWorkload
{
    private const int SeedConcurrency = 32;

    private readonly BlobServiceClient service;
    private readonly BlobLayout layout;
    private readonly BinaryData payload;

    public BlobWorkload(string connectionString, BlobLayout layout, int blobBytes)
    {
        service = new BlobServiceClient(connectionString);
        this.layout = layout;
        var bytes = new byte[blobBytes];
        new Random(64).NextBytes(bytes);
        payload = BinaryData.FromBytes(bytes);
    }

    public async Task CreateContainersAsync()
    {
        foreach (var container in layout.Containers)
        {
            await service.GetBlobContainerClient(container).CreateIfNotExistsAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Deletes whatever a previous measurement left (there should be nothing), seeds every blob of the layout, and
    /// checks the count, so every measurement starts from the same blobs. Returns (leftovers, seed ms).
    /// </summary>
    public async Task<(long Leftovers, double SeedMs)> ResetAsync()
    {
        long leftovers = 0;
        foreach (var container in layout.Containers)
        {
            var client = service.GetBlobContainerClient(container);
            var names = new List<string>();
            await foreach (var item in client.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix: null, cancellationToken: default).ConfigureAwait(false))
            {
                names.Add(item.Name);
            }

            leftovers += names.Count;
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = SeedConcurrency }, async (name, token) =>
            {
                await client.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        var start = Stopwatch.GetTimestamp();
        var all = layout.Holdings.SelectMany(h => h.Names.Select(n => (h.Container, Name: n)));
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = SeedConcurrency }, async (blob, token) =>
        {
            await service.GetBlobContainerClient(blob.Container).GetBlobClient(blob.Name).UploadAsync(payload, overwrite: true, cancellationToken: token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var seedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        var count = await CountAsync().ConfigureAwait(false);
        if (count != layout.TotalBlobs)
        {
            throw new BenchmarkException($"After seeding, the containers hold {count} blobs (snapshots included), not {layout.TotalBlobs}.");
        }

        return (leftovers, seedMs);
    }

    /// <summary>Every blob (and snapshot) in the layout's containers.</summary>
    public async Task<long> CountAsync()
    {
        long count = 0;
        foreach (var container in layout.Containers)
        {
            await foreach (var _ in service.GetBlobContainerClient(container).GetBlobsAsync(BlobTraits.None, BlobStates.Snapshots, prefix: null, cancellationToken: default).ConfigureAwait(false))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>
    /// The ceiling: every seeded blob deleted by name (no listing), BlobClient.DeleteAsync with its snapshots, at most
    /// <paramref name="concurrency"/> in flight. Returns the milliseconds.
    /// </summary>
    public async Task<double> DeleteKnownAsync(int concurrency)
    {
        var all = layout.Holdings.SelectMany(h => h.Names.Select(n => service.GetBlobContainerClient(h.Container).GetBlobClient(n))).ToArray();
        var start = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (blob, token) =>
        {
            await blob.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>
    /// The sweep's storage steps re-enacted with the same SDK calls, without PowerShell or the register: measure every
    /// holding (a one-item probe page with versions, then a full listing), then delete, then list each holding again to
    /// verify. <paramref name="mode"/> chooses how the deletes run:
    /// <list type="bullet">
    /// <item><see cref="EmulationMode.ModuleThreading"/>: as the module does: per holding, list and delete with synchronous calls,
    /// one Task.Run per delete, a SemaphoreSlim of <paramref name="throttle"/>, a wait for the holding's last delete.</item>
    /// <item><see cref="EmulationMode.PerHoldingAsync"/>: the same per-holding structure with asynchronous calls (no thread per delete).</item>
    /// <item><see cref="EmulationMode.OnePool"/>: the names the measuring pass listed are deleted by one asynchronous pool of
    /// <paramref name="throttle"/> across all holdings; both safety listings are kept.</item>
    /// </list>
    /// </summary>
    public EmulationResult EmulateSweep(int throttle, EmulationMode mode)
    {
        var result = new EmulationResult { Mode = mode };
        var states = new Dictionary<HoldingSpec, BlobStates>();
        var listed = new Dictionary<HoldingSpec, List<string>>();
        var total = Stopwatch.GetTimestamp();

        var start = Stopwatch.GetTimestamp();
        foreach (var holding in layout.Holdings)
        {
            var container = service.GetBlobContainerClient(holding.Container);
            try
            {
                foreach (var _ in container.GetBlobs(BlobTraits.None, BlobStates.Snapshots | BlobStates.Version, holding.Prefix, cancellationToken: default).AsPages(pageSizeHint: 1))
                {
                    break;
                }

                states[holding] = BlobStates.Snapshots | BlobStates.Version;
            }
            catch (RequestFailedException ex) when (ex.Status is 400 or 501)
            {
                states[holding] = BlobStates.Snapshots;
                result.VersionsRefused = true;
            }

            result.ListRequests++;
            var names = new List<string>();
            foreach (var item in container.GetBlobs(BlobTraits.None, states[holding], holding.Prefix, cancellationToken: default))
            {
                names.Add(item.Name);
            }

            listed[holding] = names;
            result.ListRequests++;
        }

        result.MeasureMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;

        long deleted = 0;
        if (mode == EmulationMode.OnePool)
        {
            var all = layout.Holdings.SelectMany(h => listed[h].Select(n => service.GetBlobContainerClient(h.Container).GetBlobClient(n))).ToArray();
            start = Stopwatch.GetTimestamp();
            Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = throttle }, async (blob, token) =>
            {
                await blob.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: token).ConfigureAwait(false);
                Interlocked.Increment(ref deleted);
            }).GetAwaiter().GetResult();
            result.DeleteMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        foreach (var holding in layout.Holdings)
        {
            var container = service.GetBlobContainerClient(holding.Container);
            if (mode != EmulationMode.OnePool)
            {
                start = Stopwatch.GetTimestamp();
                if (mode == EmulationMode.ModuleThreading)
                {
                    DeleteHoldingSync(container, holding, states[holding], throttle, ref deleted);
                }
                else
                {
                    deleted += DeleteHoldingAsync(container, holding, states[holding], throttle).GetAwaiter().GetResult();
                }

                result.ListRequests++;
                result.DeleteMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            start = Stopwatch.GetTimestamp();
            var remaining = container.GetBlobs(BlobTraits.None, states[holding], holding.Prefix, cancellationToken: default).LongCount();
            result.ListRequests++;
            result.VerifyMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (remaining != 0)
            {
                throw new BenchmarkException($"The emulated sweep left {remaining} blobs under {holding.Container}/{holding.Prefix}.");
            }
        }

        result.TotalMs = Stopwatch.GetElapsedTime(total).TotalMilliseconds;
        result.Deleted = deleted;
        return result;
    }

    /// <summary>The module's SweepOne loop: synchronous listing and deletes, a Task.Run per delete, a semaphore, a wait at the end.</summary>
    private static void DeleteHoldingSync(BlobContainerClient container, HoldingSpec holding, BlobStates states, int throttle, ref long deleted)
    {
        long count = 0;
        using (var slots = new SemaphoreSlim(throttle, throttle))
        {
            var inFlight = new List<Task>();
            foreach (var item in container.GetBlobs(BlobTraits.None, states, holding.Prefix, cancellationToken: default))
            {
                slots.Wait();
                var name = item.Name;
                inFlight.Add(Task.Run(() =>
                {
                    try
                    {
                        container.GetBlobClient(name).Delete(DeleteSnapshotsOption.IncludeSnapshots);
                        Interlocked.Increment(ref count);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }));
            }

            Task.WaitAll(inFlight.ToArray());
        }

        deleted += count;
    }

    /// <summary>The same per-holding structure, asynchronous: no thread is held while a delete is in flight.</summary>
    private static async Task<long> DeleteHoldingAsync(BlobContainerClient container, HoldingSpec holding, BlobStates states, int throttle)
    {
        long count = 0;
        var items = container.GetBlobsAsync(BlobTraits.None, states, holding.Prefix, cancellationToken: default).Select(i => container.GetBlobClient(i.Name));
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = throttle }, async (blob, token) =>
        {
            await blob.DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: token).ConfigureAwait(false);
            Interlocked.Increment(ref count);
        }).ConfigureAwait(false);
        return count;
    }
}

/// <summary>How the emulation of the sweep's storage steps runs its deletes.</summary>
internal enum EmulationMode
{
    ModuleThreading,
    PerHoldingAsync,
    OnePool,
}
