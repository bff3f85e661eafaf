using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// Output releases (<c>rel!</c>, by agreement and by time, each row the whole release with its files and exceptions) and
/// the cells of their files (<c>relcell!</c>, in blocks of many cells a row). A release's cells are written before the
/// release itself, which is written with its audit entry: cells without a release are never read.
/// </summary>
public sealed partial class TableRegister
{
    // A block stays well under a row's 450,000 characters (Put spreads text over 15 properties of 30,000).
    private const int CellBlockChars = 200_000;

    public OutputRelease? FindOutputRelease(string id) => Read<OutputRelease>(Get(Key("rel", Upper(id))));

    public IEnumerable<OutputRelease> ListOutputReleases(string? agreementId) =>
        Range(agreementId is null ? Prefix("reltime") : Prefix("relag", Upper(agreementId))).Select(e => Read<OutputRelease>(e)!);

    public void InsertOutputRelease(OutputRelease release, IEnumerable<OutputReleaseCell> cells, AuditEvent audit)
    {
        if (Info.IsReadOnly)
        {
            throw new DataShareException("RegisterReadOnly", DataShareErrorCategory.PermissionDenied,
                $"The register {Info.Location} is open read-only; nothing was changed. Connect without -ReadOnly to make changes.", Info.Location) { IsTerminating = true };
        }

        if (Get(Key("rel", Upper(release.Id))) is not null)
        {
            throw ReleaseExists(release.Id);
        }

        var blocks = CellChunks(cells).Select(RestoreOutputReleaseCells).ToList();
        try
        {
            PutRows(blocks.SelectMany(b => b));
            Write(audit, _ =>
            {
                var stored = Copy(release);
                stored.Version = 1;
                var ops = new Ops();
                foreach (var key in ReleaseKeys(stored))
                {
                    ops.Add(Row(key, "OutputRelease", stored), () => ReleaseExists(release.Id));
                }

                return ops.Then(() => release.Version = 1);
            });
        }
        catch
        {
            // The release was not written: take its cells away again, as far as the service lets us.
            try
            {
                foreach (var row in blocks.SelectMany(b => b))
                {
                    table.DeleteEntity(row.PartitionKey, row.RowKey, ETag.All);
                }
            }
            catch (RequestFailedException)
            {
            }

            throw;
        }
    }

    public void UpdateOutputRelease(OutputRelease release, AuditEvent audit) => Write(audit, _ =>
    {
        var conflict = $"Output release '{release.Id}' was changed by another writer.";
        var current = Current(Key("rel", Upper(release.Id)), release.Version, conflict);
        var stored = Copy(release);
        stored.Version = release.Version + 1;
        var ops = new Ops();
        ops.Replace(Row(Key("rel", Upper(stored.Id)), "OutputRelease", stored), current.ETag, () => Conflict(conflict));
        foreach (var key in ReleaseKeys(stored).Skip(1))
        {
            ops.Upsert(Row(key, "OutputRelease", stored));
        }

        return ops.Then(() => release.Version++);
    });

    public IEnumerable<OutputReleaseCell> ListOutputReleaseCells(string? releaseId)
    {
        // Only the cells of releases that exist: a request that failed part-way may have left blocks behind.
        IEnumerable<string> releases = releaseId is null
            ? ListOutputReleases(null).Select(r => r.Id).OrderBy(id => id, StringComparer.Ordinal).ToList()
            : FindOutputRelease(releaseId) is { } found ? new[] { found.Id } : Array.Empty<string>();
        foreach (var id in releases)
        {
            foreach (var row in Range(Prefix("relcell", Upper(id))))
            {
                foreach (var cell in Read<List<OutputReleaseCell>>(row)!)
                {
                    yield return cell;
                }
            }
        }
    }

    private static DataShareException ReleaseExists(string id) =>
        new("OutputReleaseExists", DataShareErrorCategory.ResourceExists, $"An output release with id '{id}' already exists.", id);

    private static string[] ReleaseKeys(OutputRelease r) => new[]
    {
        Key("rel", Upper(r.Id)), Key("relag", Upper(r.AgreementId), Instant(r.RequestedAt), Upper(r.Id)), Key("reltime", Instant(r.RequestedAt), Upper(r.Id)),
    };

    /// <summary>Cells in blocks of one release's file each, cut when a block's text would grow too long for a row.</summary>
    private static IEnumerable<List<OutputReleaseCell>> CellChunks(IEnumerable<OutputReleaseCell> cells)
    {
        var block = new List<OutputReleaseCell>();
        long chars = 0;
        foreach (var cell in cells)
        {
            var size = 64 + cell.Categories.Sum(c => c.Length + 8);
            if (block.Count > 0 && (chars + size > CellBlockChars || block[0].ReleaseId != cell.ReleaseId || block[0].File != cell.File))
            {
                yield return block;
                block = new List<OutputReleaseCell>();
                chars = 0;
            }

            block.Add(cell);
            chars += size;
        }

        if (block.Count > 0)
        {
            yield return block;
        }
    }

    private IEnumerable<TableEntity> RestoreOutputRelease(OutputRelease r) => ReleaseKeys(r).Select(key => Row(key, "OutputRelease", r)).ToList();

    private IEnumerable<TableEntity> RestoreOutputReleaseCells(List<OutputReleaseCell> block)
    {
        var first = block[0];
        var key = Key("relcell", Upper(first.ReleaseId), first.File.ToString("D6", CultureInfo.InvariantCulture), first.Position.ToString("D10", CultureInfo.InvariantCulture));
        var row = new TableEntity(partition, key) { ["Kind"] = "OutputReleaseCells" };
        Put(row, "Data", JsonSerializer.Serialize(block, Json));
        return new[] { row };
    }

    /// <summary>Rows written (upserted) in transactions of up to 100 rows and under the service's 4 MiB.</summary>
    private void PutRows(IEnumerable<TableEntity> rows)
    {
        var batch = new List<TableTransactionAction>(MaxActions);
        long bytes = 0;
        void Flush()
        {
            if (batch.Count > 0)
            {
                try
                {
                    table.SubmitTransaction(batch);
                }
                catch (RequestFailedException ex)
                {
                    throw Translate(ex, Info.Location);
                }

                batch.Clear();
                bytes = 0;
            }
        }

        foreach (var row in rows)
        {
            var size = Size(row);
            if (batch.Count + 1 > MaxActions || bytes + size > MaxTransactionBytes)
            {
                Flush();
            }

            batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, row));
            bytes += size;
        }

        Flush();
    }
}
