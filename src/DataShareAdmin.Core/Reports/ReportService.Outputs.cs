using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DataShareAdmin.Core.Reports;

/// <summary>The Outputs report: one row per output release, per agreement, with what was checked and who let it out.</summary>
public sealed partial class ReportService
{
    public static readonly IReadOnlyList<ReportColumn> OutputColumns = new[]
    {
        Text("agreement", "Agreement"), Text("releaseId", "Release"), Text("state", "State"), Text("verdict", "Verdict"),
        Text("files", "Files"), Text("sha256", "SHA-256 (per file)"), Number("cells", "Cells"), Number("failed", "Failed"), Number("review", "Review"),
        Text("exceptions", "Exceptions (justification)"), Text("rules", "Rules"), Text("purpose", "Purpose"),
        Text("requestedBy", "Requested by"), Instant("requestedAt", "Requested"), Text("approvedBy", "Approved by"), Instant("approvedAt", "Approved"),
        Text("revokedBy", "Rejected or revoked by"), Instant("revokedAt", "Rejected or revoked"), Text("revokedReason", "Reason"),
    };

    private IEnumerable<object?[]> OutputRows(HashSet<string>? only)
    {
        // Per agreement, each agreement's releases in the order they were requested.
        foreach (var release in register.ListOutputReleases(null).OrderBy(r => r.AgreementId, System.StringComparer.OrdinalIgnoreCase).ToList())
        {
            if (only is not null && !only.Contains(release.AgreementId))
            {
                continue;
            }

            yield return new object?[]
            {
                release.AgreementId, release.Id, release.State.ToString(), release.Verdict.ToString(),
                string.Join("; ", release.Files.Select(f => f.Name + " (" + f.Size.ToString(CultureInfo.InvariantCulture) + " bytes, " + f.Verdict + ")")),
                string.Join("; ", release.Files.Select(f => f.Name + "=" + f.Sha256)),
                release.Files.Sum(f => f.Cells), release.Files.Sum(f => f.Failed), release.Files.Sum(f => f.Review),
                release.Exceptions.Count == 0 ? null : string.Join("; ", release.Exceptions.Select(e => $"{e.File} {e.Cell} ({e.Rules}): {e.Justification}")),
                release.Rules, release.Purpose, release.RequestedBy, release.RequestedAt, release.ApprovedBy, release.ApprovedAt,
                release.RevokedBy, release.RevokedAt, release.RevokedReason,
            };
        }
    }
}
