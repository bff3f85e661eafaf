using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Azure;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Retention;

/// <summary>A container as listed, with its metadata.</summary>
public sealed class ListedContainer
{
    public string Name { get; set; } = string.Empty;

    public IDictionary<string, string> Metadata { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public DateTimeOffset? LastModified { get; set; }
}

/// <summary>One entry directly under a prefix: a blob, or a sub-prefix ending in '/'.</summary>
public sealed class ListedEntry
{
    public string Name { get; set; } = string.Empty;

    public bool IsPrefix { get; set; }

    public long Size { get; set; }

    public DateTimeOffset? LastModified { get; set; }
}

/// <summary>What looking for orphans needs from a storage account: listings only, never a change.</summary>
public interface IOrphanStorage
{
    string AccountName { get; }

    /// <summary>The blob endpoint, without a query string.</summary>
    Uri BlobEndpoint { get; }

    /// <summary>Every container with its metadata, streamed.</summary>
    IEnumerable<ListedContainer> ListContainers(CancellationToken cancellationToken);

    /// <summary>The blobs and sub-prefixes directly under <paramref name="prefix"/> ("" for the top); nothing when the container is gone.</summary>
    IEnumerable<ListedEntry> ListChildren(string container, string prefix, CancellationToken cancellationToken);

    /// <summary>Every blob under <paramref name="prefix"/> (the whole container when null), streamed.</summary>
    IEnumerable<ListedEntry> ListAll(string container, string? prefix, CancellationToken cancellationToken);
}

/// <summary>
/// Finds what a sweep would never delete: places in the connected storage that look like an agreement's data but belong
/// to no holding still held. Two kinds of place are looked at, nothing else in the account:
/// containers DataShareAdmin made (named <c>dsa-</c>, or marked <c>createdby=DataShareAdmin</c>), and what lies
/// beside registered blob prefixes (each prefix holding's parent, in its container). Holdings count only when they are
/// on the connected endpoint (scheme, host, port and account); reads only, so it changes nothing.
/// </summary>
public sealed class OrphanFinder
{
    private const string Activity = "Looking for orphans";
    private const string ModulePrefix = "dsa-";

    private readonly IDataShareRegister register;

    public OrphanFinder(IDataShareRegister register) => this.register = register;

    /// <summary>
    /// The orphans, streamed as they are found (each measured: its blobs and bytes). A listing that fails is reported
    /// through <paramref name="reportError"/> and the search goes on with the rest.
    /// </summary>
    public IEnumerable<DataShareOrphan> Find(IOrphanStorage storage, IOperationHost host, Action<DataShareException> reportError)
    {
        var token = host.CancellationToken;
        var endpoint = storage.BlobEndpoint.ToString().TrimEnd('/');
        var all = register.ListHoldings(null).Where(h => h.Kind != HoldingKind.LocalFolder && OnEndpoint(h, endpoint, storage.AccountName)).ToList();
        var live = all.Where(h => h.State != HoldingState.Destroyed).ToList();
        var reported = new List<(string Container, string? Prefix)>();

        host.WriteProgress(Activity, $"Listing the containers of {storage.AccountName}", -1, completed: false);
        foreach (var container in Attempt(() => storage.ListContainers(token), storage, "the account's containers", reportError))
        {
            token.ThrowIfCancellationRequested();
            var byModule = container.Name.StartsWith(ModulePrefix, StringComparison.Ordinal)
                || (container.Metadata.TryGetValue("createdby", out var by) && string.Equals(by, "DataShareAdmin", StringComparison.OrdinalIgnoreCase));
            if (!byModule || live.Any(h => h.Container == container.Name))
            {
                // Not the module's, or held (whole, or in part: what lies beside a held prefix is looked at below).
                continue;
            }

            var orphan = Orphan(storage, endpoint, OrphanKind.Container, container.Name, null, ContainerReason(container, all), host, reportError);
            if (orphan is not null)
            {
                orphan.AgreementId = Value(container.Metadata, "agreementid");
                orphan.TransferId = Value(container.Metadata, "transferid");
                orphan.HoldingId = Value(container.Metadata, "holdingid");
                orphan.LastModified ??= container.LastModified;
                reported.Add((container.Name, null));
                yield return orphan;
            }
        }

        // Beside registered prefixes: the parent of each, shortest first, so an orphan found high up is not listed again
        // from below.
        var roots = all.Where(h => h.Kind == HoldingKind.BlobPrefix && h.Prefix is not null)
            .Select(h => (Container: h.Container!, Prefix: Parent(h.Prefix!)))
            .Distinct()
            .OrderBy(r => r.Container, StringComparer.Ordinal).ThenBy(r => r.Prefix.Length).ThenBy(r => r.Prefix, StringComparer.Ordinal)
            .ToList();
        foreach (var (name, root) in roots)
        {
            token.ThrowIfCancellationRequested();
            if (live.Any(h => h.Container == name && h.Prefix is null) || reported.Any(r => r.Container == name && (r.Prefix is null || root.StartsWith(r.Prefix, StringComparison.Ordinal))))
            {
                continue;
            }

            host.WriteProgress(Activity, $"Looking beside the holdings in {name}/{root}", -1, completed: false);
            var around = live.Where(h => h.Container == name && h.Prefix is not null).Select(h => h.Prefix!).ToList();
            foreach (var entry in Attempt(() => storage.ListChildren(name, root, token), storage, $"'{name}/{root}'", reportError))
            {
                // Held if a held prefix contains it; looked at from below if it contains one.
                if (around.Any(p => entry.Name.StartsWith(p, StringComparison.Ordinal) || (entry.IsPrefix && p.StartsWith(entry.Name, StringComparison.Ordinal))))
                {
                    continue;
                }

                var why = $"It lies beside registered holdings, in '{name}/{root}', but no holding covers it.";
                var orphan = entry.IsPrefix
                    ? Orphan(storage, endpoint, OrphanKind.Prefix, name, entry.Name, why, host, reportError)
                    : new DataShareOrphan
                    {
                        Kind = OrphanKind.Blob,
                        Objects = 1,
                        Bytes = entry.Size,
                        LastModified = entry.LastModified,
                        Reason = why + " A single blob cannot be a holding: move it into its agreement's folder (prefix) and register that, or delete it.",
                    };
                if (orphan is not null)
                {
                    if (!entry.IsPrefix)
                    {
                        Place(orphan, storage, endpoint, name, entry.Name, registrable: false);
                    }

                    reported.Add((name, entry.Name));
                    yield return orphan;
                }
            }
        }

        host.WriteProgress(Activity, "Done", 100, completed: true);
    }

    /// <summary>A holding belongs to the connected storage only on its very endpoint, never by its account name alone.</summary>
    private static bool OnEndpoint(DataShareHolding holding, string endpoint, string account) =>
        string.Equals(holding.StorageAccount, account, StringComparison.OrdinalIgnoreCase)
        && holding.Location.StartsWith(endpoint + "/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The prefix a prefix sits in: "a/b/" for "a/b/c/", "" for "a/".</summary>
    private static string Parent(string prefix)
    {
        var cut = prefix.TrimEnd('/').LastIndexOf('/');
        return cut < 0 ? string.Empty : prefix.Substring(0, cut + 1);
    }

    private static string? Value(IDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Why a container of the module's is listed, from its metadata and what the register says of it.</summary>
    private static string ContainerReason(ListedContainer container, List<DataShareHolding> holdings)
    {
        var holdingId = Value(container.Metadata, "holdingid");
        var made = Value(container.Metadata, "transferid") is { } transfer
            ? $"DataShareAdmin made it for transfer {transfer}{(Value(container.Metadata, "agreementid") is { } agreement ? " of agreement " + agreement : string.Empty)}"
            : "It is named or marked as a DataShareAdmin container";
        var destroyed = holdings.FirstOrDefault(h => h.Container == container.Name && h.State == HoldingState.Destroyed);
        var known = destroyed is not null
            ? $"its holding {destroyed.Id} was recorded destroyed on {destroyed.DestroyedAt:yyyy-MM-dd}, yet the container is there"
            : holdingId is null ? "no holding in this register covers it"
            : $"its holding {holdingId} is not in this register (another register's, or from a transfer made before transfers recorded their holding first)";
        return $"{made}, but {known}.";
    }

    /// <summary>A container or prefix, measured; null when it could not be listed (reported) or proved empty of blobs and gone.</summary>
    private static DataShareOrphan? Orphan(IOrphanStorage storage, string endpoint, OrphanKind kind, string container, string? prefix, string reason, IOperationHost host,
        Action<DataShareException> reportError)
    {
        var orphan = new DataShareOrphan { Kind = kind, Reason = reason };
        Place(orphan, storage, endpoint, container, prefix, registrable: true);
        try
        {
            foreach (var blob in storage.ListAll(container, prefix, host.CancellationToken))
            {
                orphan.Objects++;
                orphan.Bytes += blob.Size;
                if (blob.LastModified > orphan.LastModified || orphan.LastModified is null)
                {
                    orphan.LastModified = blob.LastModified;
                }

                if (orphan.Objects % 1000 == 0)
                {
                    host.WriteProgress(Activity, $"Measuring {orphan.Uri}: {orphan.Objects} blob(s), {TransferService.Bytes(orphan.Bytes)}", -1, completed: false);
                }
            }
        }
        catch (Exception ex) when (RetentionSweep.IsStorageFailure(ex))
        {
            reportError(Failed(storage, orphan.Uri, ex));
            return null;
        }

        return orphan;
    }

    private static void Place(DataShareOrphan orphan, IOrphanStorage storage, string endpoint, string container, string? prefix, bool registrable)
    {
        orphan.StorageAccount = storage.AccountName;
        orphan.Container = container;
        orphan.Prefix = prefix;
        orphan.Uri = endpoint + "/" + container + (prefix is null ? string.Empty : "/" + prefix);
        orphan.Location = registrable ? orphan.Uri : null;
    }

    /// <summary>A listing as a stream that reports its own failure and ends, so one unreadable place never stops the search.</summary>
    private static IEnumerable<T> Attempt<T>(Func<IEnumerable<T>> listing, IOrphanStorage storage, string what, Action<DataShareException> reportError)
    {
        IEnumerator<T> items;
        try
        {
            items = listing().GetEnumerator();
        }
        catch (Exception ex) when (RetentionSweep.IsStorageFailure(ex))
        {
            reportError(Failed(storage, what, ex));
            yield break;
        }

        using (items)
        {
            while (true)
            {
                try
                {
                    if (!items.MoveNext())
                    {
                        yield break;
                    }
                }
                catch (Exception ex) when (RetentionSweep.IsStorageFailure(ex))
                {
                    reportError(Failed(storage, what, ex));
                    yield break;
                }

                yield return items.Current;
            }
        }
    }

    private static DataShareException Failed(IOrphanStorage storage, string what, Exception ex)
    {
        var refused = ex is RequestFailedException { Status: 401 or 403 };
        var answer = ex is RequestFailedException { Status: > 0 } rf ? $"it answered {rf.Status} {rf.ErrorCode}" : $"it could not be reached at {storage.BlobEndpoint}";
        return new DataShareException(refused ? "StorageAuthorizationFailed" : "OrphanListingFailed",
            refused ? DataShareErrorCategory.PermissionDenied : DataShareErrorCategory.ResourceUnavailable,
            $"Storage account {storage.AccountName} could not list {what} ({answer}), so orphans there are not known; the search went on with the rest."
            + (refused ? " Listing needs a role such as Storage Blob Data Reader on the account." : string.Empty),
            what, ex);
    }
}
