using System;
using System.Threading;
using Azure;
using Azure.Data.Tables;

namespace DataShareAdmin.Core.Register;

/// <summary>The sweep lock: a lease row that one retention sweep at a time holds, in any process on any machine.</summary>
public sealed partial class TableRegister
{
    /// <summary>
    /// A lease row: taken when absent or expired, renewed every 20 seconds while held, deleted on dispose. A process
    /// that dies stops renewing, and its lease runs out after a minute, so a killed sweep never blocks the next one.
    /// </summary>
    public IDisposable? TryLockSweep()
    {
        var owner = Guid.NewGuid().ToString("N");
        try
        {
            var now = DateTimeOffset.UtcNow;
            var lease = new TableEntity(partition, "lock!sweep") { ["Owner"] = owner, ["Expires"] = now.AddSeconds(SweepLease.LeaseSeconds), ["Machine"] = identity.Machine };
            var existing = table.GetEntityIfExists<TableEntity>(partition, "lock!sweep");
            Response response;
            if (!existing.HasValue || existing.Value is null)
            {
                response = table.AddEntity(lease);
            }
            else if (existing.Value.GetDateTimeOffset("Expires") is { } expires && expires > now)
            {
                return null;
            }
            else
            {
                response = table.UpdateEntity(lease, existing.Value.ETag, TableUpdateMode.Replace);
            }

            return new SweepLease(table, partition, owner, response.Headers.ETag ?? ETag.All);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
        catch (RequestFailedException ex)
        {
            throw Translate(ex, Info.Location);
        }
    }

    private sealed class SweepLease : IDisposable
    {
        public const int LeaseSeconds = 60;

        private readonly TableClient table;
        private readonly string partition;
        private readonly string owner;
        private readonly Timer timer;
        private readonly object gate = new();
        private ETag etag;
        private bool disposed;

        public SweepLease(TableClient table, string partition, string owner, ETag etag)
        {
            this.table = table;
            this.partition = partition;
            this.owner = owner;
            this.etag = etag;
            timer = new Timer(_ => Renew(), null, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(20));
        }

        private void Renew()
        {
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                try
                {
                    var lease = new TableEntity(partition, "lock!sweep") { ["Owner"] = owner, ["Expires"] = DateTimeOffset.UtcNow.AddSeconds(LeaseSeconds) };
                    etag = table.UpdateEntity(lease, etag, TableUpdateMode.Replace).Headers.ETag ?? etag;
                }
                catch (RequestFailedException)
                {
                    // Lost (another sweep took an expired lease) or unreachable: the next renewal tries again.
                }
            }
        }

        public void Dispose()
        {
            lock (gate)
            {
                if (disposed)
                {
                    return;
                }

                disposed = true;
                timer.Dispose();
                try
                {
                    table.DeleteEntity(partition, "lock!sweep", etag);
                }
                catch (RequestFailedException)
                {
                    // Already taken over or gone; it expires by itself.
                }
            }
        }
    }
}
