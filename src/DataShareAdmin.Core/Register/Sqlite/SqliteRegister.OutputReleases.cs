using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>Output releases: the release, its files as checked, its justified exceptions and every cell of its files.</summary>
public sealed partial class SqliteRegister
{
    private const string InsertReleaseSql = """
        INSERT INTO output_releases (id, agreement_id, state, purpose, rules, verdict, requested_by, requested_at, approved_by, approved_at,
            revoked_by, revoked_at, revoked_reason, version)
        VALUES ($id, $agreement, $state, $purpose, $rules, $verdict, $requestedBy, $requestedAt, $approvedBy, $approvedAt,
            $revokedBy, $revokedAt, $reason, $version)
        """;

    private const string InsertReleaseFileSql = """
        INSERT INTO output_release_files (release_id, position, name, sha256, size, kind, dimensions, cells, failed, review, suppressed, verdict)
        VALUES ($release, $position, $name, $sha, $size, $kind, $dimensions, $cells, $failed, $review, $suppressed, $verdict)
        """;

    private const string InsertReleaseExceptionSql = """
        INSERT INTO output_release_exceptions (release_id, position, file, cell, rules, justification, written_by, written_at)
        VALUES ($release, $position, $file, $cell, $rules, $justification, $by, $at)
        """;

    private const string InsertReleaseCellSql = """
        INSERT INTO output_release_cells (release_id, file, position, categories, count) VALUES ($release, $file, $position, $categories, $count)
        """;

    public OutputRelease? FindOutputRelease(string id) =>
        First(Query("SELECT * FROM output_releases WHERE id = $id", ReadRelease, ("$id", id))) is { } release ? WithParts(release) : null;

    public IEnumerable<OutputRelease> ListOutputReleases(string? agreementId)
    {
        var releases = agreementId is null
            ? Query("SELECT * FROM output_releases ORDER BY requested_at, id", ReadRelease)
            : Query("SELECT * FROM output_releases WHERE agreement_id = $agreement ORDER BY requested_at, id", ReadRelease, ("$agreement", agreementId));

        // The releases are read whole first: their files are a second query on the same connection.
        foreach (var release in releases.ToList())
        {
            yield return WithParts(release);
        }
    }

    public void InsertOutputRelease(OutputRelease release, IEnumerable<OutputReleaseCell> cells, AuditEvent audit) => Write(audit, transaction =>
    {
        if (!TryExecute(transaction, InsertReleaseSql, ReleaseParameters(release, 1)))
        {
            throw new DataShareException("OutputReleaseExists", DataShareErrorCategory.ResourceExists, $"An output release with id '{release.Id}' already exists.", release.Id);
        }

        WriteReleaseParts(transaction, release, cells);
        release.Version = 1;
    });

    public void UpdateOutputRelease(OutputRelease release, AuditEvent audit) => Write(audit, transaction =>
    {
        var changed = Execute(transaction, """
            UPDATE output_releases SET state = $state, approved_by = $approvedBy, approved_at = $approvedAt, revoked_by = $revokedBy,
                revoked_at = $revokedAt, revoked_reason = $reason, version = version + 1
            WHERE id = $id AND version = $expected
            """, Concat(ReleaseParameters(release, release.Version), ("$expected", release.Version)));
        if (changed == 0)
        {
            throw new RegisterConflictException($"Output release '{release.Id}' was changed by another writer.");
        }

        release.Version++;
    });

    public IEnumerable<OutputReleaseCell> ListOutputReleaseCells(string? releaseId) => releaseId is null
        ? Query("SELECT * FROM output_release_cells ORDER BY release_id, file, position", ReadReleaseCell)
        : Query("SELECT * FROM output_release_cells WHERE release_id = $id ORDER BY file, position", ReadReleaseCell, ("$id", releaseId));

    private void WriteReleaseParts(SqliteTransaction transaction, OutputRelease release, IEnumerable<OutputReleaseCell> cells)
    {
        foreach (var f in release.Files)
        {
            Execute(transaction, InsertReleaseFileSql,
                ("$release", release.Id), ("$position", f.Position), ("$name", f.Name), ("$sha", f.Sha256), ("$size", f.Size), ("$kind", f.Kind),
                ("$dimensions", JsonSerializer.Serialize(f.Dimensions)), ("$cells", f.Cells), ("$failed", f.Failed), ("$review", f.Review),
                ("$suppressed", f.Suppressed), ("$verdict", f.Verdict.ToString()));
        }

        var position = 0;
        foreach (var e in release.Exceptions)
        {
            Execute(transaction, InsertReleaseExceptionSql,
                ("$release", release.Id), ("$position", position++), ("$file", e.File), ("$cell", e.Cell), ("$rules", e.Rules),
                ("$justification", e.Justification), ("$by", e.WrittenBy), ("$at", DateText.FormatInstant(e.WrittenAt)));
        }

        // One prepared statement for what may be a million cells.
        using var command = Command(transaction, InsertReleaseCellSql, ("$release", release.Id), ("$file", 0), ("$position", 0), ("$categories", string.Empty), ("$count", null));
        command.Prepare();
        foreach (var cell in cells)
        {
            command.Parameters["$file"].Value = cell.File;
            command.Parameters["$position"].Value = cell.Position;
            command.Parameters["$categories"].Value = JsonSerializer.Serialize(cell.Categories);
            command.Parameters["$count"].Value = cell.Count is { } count ? count : DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    private static (string, object?)[] ReleaseParameters(OutputRelease r, long version) => new (string, object?)[]
    {
        ("$id", r.Id), ("$agreement", r.AgreementId), ("$state", r.State.ToString()), ("$purpose", r.Purpose), ("$rules", r.Rules),
        ("$verdict", r.Verdict.ToString()), ("$requestedBy", r.RequestedBy), ("$requestedAt", DateText.FormatInstant(r.RequestedAt)),
        ("$approvedBy", r.ApprovedBy), ("$approvedAt", r.ApprovedAt is { } approved ? DateText.FormatInstant(approved) : null),
        ("$revokedBy", r.RevokedBy), ("$revokedAt", r.RevokedAt is { } revoked ? DateText.FormatInstant(revoked) : null),
        ("$reason", r.RevokedReason), ("$version", version),
    };

    private static OutputRelease ReadRelease(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        AgreementId = Text(r, "agreement_id")!,
        State = (OutputReleaseState)Enum.Parse(typeof(OutputReleaseState), Text(r, "state")!),
        Purpose = Text(r, "purpose"),
        Rules = Text(r, "rules")!,
        Verdict = (OutputVerdict)Enum.Parse(typeof(OutputVerdict), Text(r, "verdict")!),
        RequestedBy = Text(r, "requested_by")!,
        RequestedAt = DateText.ParseInstant(Text(r, "requested_at")!),
        ApprovedBy = Text(r, "approved_by"),
        ApprovedAt = DateText.ParseOptionalInstant(Text(r, "approved_at")),
        RevokedBy = Text(r, "revoked_by"),
        RevokedAt = DateText.ParseOptionalInstant(Text(r, "revoked_at")),
        RevokedReason = Text(r, "revoked_reason"),
        Version = r.GetInt64(r.GetOrdinal("version")),
    };

    private OutputRelease WithParts(OutputRelease release)
    {
        release.Files = ReadableList<OutputReleaseFile>.Of(Query("SELECT * FROM output_release_files WHERE release_id = $id ORDER BY position", r => new OutputReleaseFile
        {
            ReleaseId = Text(r, "release_id")!,
            Position = r.GetInt32(r.GetOrdinal("position")),
            Name = Text(r, "name")!,
            Sha256 = Text(r, "sha256")!,
            Size = r.GetInt64(r.GetOrdinal("size")),
            Kind = Text(r, "kind")!,
            Dimensions = JsonSerializer.Deserialize<ReadableList<string>>(Text(r, "dimensions")!)!,
            Cells = r.GetInt32(r.GetOrdinal("cells")),
            Failed = r.GetInt32(r.GetOrdinal("failed")),
            Review = r.GetInt32(r.GetOrdinal("review")),
            Suppressed = r.GetInt32(r.GetOrdinal("suppressed")),
            Verdict = (OutputVerdict)Enum.Parse(typeof(OutputVerdict), Text(r, "verdict")!),
        }, ("$id", release.Id)));
        release.Exceptions = ReadableList<OutputReleaseException>.Of(Query("SELECT * FROM output_release_exceptions WHERE release_id = $id ORDER BY position", r => new OutputReleaseException
        {
            ReleaseId = Text(r, "release_id")!,
            File = Text(r, "file")!,
            Cell = Text(r, "cell")!,
            Rules = Text(r, "rules")!,
            Justification = Text(r, "justification")!,
            WrittenBy = Text(r, "written_by")!,
            WrittenAt = DateText.ParseInstant(Text(r, "written_at")!),
        }, ("$id", release.Id)));
        return release;
    }

    private static OutputReleaseCell ReadReleaseCell(SqliteDataReader r) => new()
    {
        ReleaseId = Text(r, "release_id")!,
        File = r.GetInt32(r.GetOrdinal("file")),
        Position = r.GetInt32(r.GetOrdinal("position")),
        Categories = JsonSerializer.Deserialize<List<string>>(Text(r, "categories")!)!,
        Count = r.IsDBNull(r.GetOrdinal("count")) ? null : r.GetInt64(r.GetOrdinal("count")),
    };

    private void RestoreOutputRelease(SqliteTransaction transaction, OutputRelease release)
    {
        Execute(transaction, InsertReleaseSql, ReleaseParameters(release, release.Version));
        WriteReleaseParts(transaction, release, Array.Empty<OutputReleaseCell>());
    }

    private void RestoreOutputReleaseCell(SqliteTransaction transaction, OutputReleaseCell c) =>
        Execute(transaction, InsertReleaseCellSql, ("$release", c.ReleaseId), ("$file", c.File), ("$position", c.Position),
            ("$categories", JsonSerializer.Serialize(c.Categories)), ("$count", c.Count));
}
