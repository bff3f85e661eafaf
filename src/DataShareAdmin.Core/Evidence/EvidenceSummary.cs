using System.Globalization;
using System.IO;
using System.Linq;

namespace DataShareAdmin.Core.Evidence;

/// <summary>The pack's human-readable page (data/summary.html): the index, for a person to read.</summary>
internal static class EvidenceSummary
{
    public static void Write(EvidenceDocument d, TextWriter writer)
    {
        var a = d.Agreement;
        var page = new HtmlPage(writer, $"Evidence pack: {a.Id} — {a.Title}",
            $"As of {d.AsOf} ({d.TimeZone}). Generated {d.GeneratedAt} by {d.GeneratedBy}. Audit head {d.Audit.Head}.",
            "This evidence pack contains personal data: the names and email addresses of the people who received data, their roles, training and declaration dates and masked certificate numbers, and those of the agreement's officer and the organisation's protection officer. Keep it and share it only as your data protection policy allows.");

        page.Section("Agreement");
        page.Facts(new (string, string?)[]
        {
            ("Id", a.Id), ("Title", a.Title), ("Organisation", a.Organisation), ("Purpose", a.Purpose),
            ("Legal gateway", a.LegalGateway), ("Lawful basis", a.LawfulBasis), ("Access route", a.AccessRoute),
            ("Why not the secure research service", a.DirectTransferJustification), ("Starts on", a.StartsOn), ("Ends on", a.EndsOn),
            ("Retention after the end", a.RetentionDays.ToString(CultureInfo.InvariantCulture) + " day(s)"),
            ("Data items", string.Join("; ", a.DataItems.Select(i => $"{i.Name} ({i.Sensitivity}{i.IdentificationRisk})"))),
            ("Officer", a.OfficerName is null ? null : $"{a.OfficerName} <{a.OfficerEmail}>"), ("Status", a.Status + (a.IsSuspended ? " (suspended)" : string.Empty)),
            ("Destroyed on", a.DestroyedOn),
            ("Approval", a.Approval is null ? "Not approved" : $"{a.Approval.Reference} on {a.Approval.ApprovedOn} by {a.Approval.ApprovedBy}" + (a.Approval.SeparationOfDuties is { } self ? $" ({self})" : string.Empty)),
            ("Panel's decision", a.Approval?.Decision),
        });
        page.Heading("History of its terms");
        page.Table("History", new[] { "Entry", "When", "By", "What", "Values" },
            a.History.Select(h => new[] { h.Sequence.ToString(CultureInfo.InvariantCulture), h.At, h.By, h.Action, string.Join("; ", h.Details.Select(p => p.Key + "=" + p.Value)) }));

        page.Section("Organisation");
        if (d.Organisation is { } o)
        {
            page.Facts(new (string, string?)[] { ("Name", o.Name), ("Address", o.Address), ("Protection officer", o.ProtectionOfficerName is null ? null : $"{o.ProtectionOfficerName} <{o.ProtectionOfficerEmail}>") });
            page.Table("Security assessments", new[] { "Reference", "Outcome", "Assessed on", "Valid until", "Recorded" },
                o.Assessments.Select(s => new[] { s.Reference, s.Outcome, s.AssessedOn, s.ValidUntil, s.RecordedAt + " by " + s.RecordedBy }));
        }
        else
        {
            page.Paragraph("The register holds no organisation record for this agreement.");
        }

        page.Section("Recipients");
        page.Table("Recipients", new[] { "Id", "Name", "Email", "Role", "Declaration", "Training", "Certificates (numbers masked)", "Added", "Removed" },
            d.Recipients.Select(r => new[]
            {
                r.Id, r.Name, r.Email, r.Role, r.DeclarationSignedOn, r.TrainingCompletedOn,
                string.Join("; ", r.Certificates.Select(c => $"{c.Issuer} {c.Level} {c.NumberMasked} issued {c.IssuedOn}")),
                r.AddedAt, r.RemovedAt is null ? null : r.RemovedAt + " (" + r.RemovedReason + ")",
            }));

        page.Section("Transfers", "Readiness is judged with the safe-people rules as of each transfer's day, on the records as they stand at export. No link is ever part of a pack.");
        page.Table("Transfers", new[] { "Id", "Status", "Issued", "Window", "Revoked", "Files", "Bytes" },
            d.Transfers.Select(t => new[] { t.Id, t.Status, t.IssuedAt + " by " + t.IssuedBy, t.WindowStartsAt + " – " + t.WindowEndsAt, t.RevokedAt is null ? null : t.RevokedAt + " by " + t.RevokedBy, t.Files.Count.ToString(CultureInfo.InvariantCulture), t.TotalBytes.ToString(CultureInfo.InvariantCulture) }));
        foreach (var t in d.Transfers)
        {
            page.Heading($"Transfer {t.Id}: files");
            page.Table("Files of " + t.Id, new[] { "Name", "Bytes", "SHA-256" },
                t.Files.Select(f => new[] { f.Name, f.Size.ToString(CultureInfo.InvariantCulture), f.Sha256 }));
            page.Heading($"Transfer {t.Id}: readiness on {t.IssuedOn}");
            page.Table("Readiness for " + t.Id, new[] { "Recipient", "Ready", "Certificate", "Declaration", "Training", "Checks" },
                t.Readiness.Select(r => new[]
                {
                    r.RecipientId, r.IsReady ? "yes" : "no: " + string.Join(", ", r.FailedChecks),
                    r.Certificate is null ? null : $"{r.Certificate.Issuer} {r.Certificate.Level} {r.Certificate.NumberMasked}, issued {r.Certificate.IssuedOn}, acceptable through {r.Certificate.ValidUntil}",
                    r.DeclarationSignedOn, r.TrainingCompletedOn, string.Join(" ", r.Checks.Select(c => c.Name + ": " + c.Reason)),
                }));
        }

        page.Section("Holdings and destruction");
        page.Table("Holdings", new[] { "Id", "Location", "Due on", "State", "Location check", "Destroyed" },
            d.Holdings.Select(h => new[] { h.Id, h.Location, h.DueOn, h.State, h.LocationCheck, h.DestroyedAt }));
        page.Table("Destruction records", new[] { "Record", "Holding", "Outcome", "Verified", "Objects deleted", "Bytes deleted", "Remaining", "Soft delete", "Finished", "Operator" },
            d.Holdings.SelectMany(h => h.Destructions.Select(x => new[]
            {
                x.Id, h.Id, x.Outcome + (x.Reason is null ? string.Empty : ": " + x.Reason), x.Verified ? "yes" : "no",
                x.ObjectsDeleted.ToString(CultureInfo.InvariantCulture), x.BytesDeleted.ToString(CultureInfo.InvariantCulture), x.ObjectsRemaining.ToString(CultureInfo.InvariantCulture),
                x.SoftDelete + (x.RecoverableUntil is null ? string.Empty : " until " + x.RecoverableUntil), x.FinishedAt, x.Operator + " on " + x.Machine,
            })));
        page.Heading("The recipient's destruction confirmation");
        if (d.DestructionConfirmation is { } c)
        {
            page.Facts(new (string, string?)[] { ("Confirmed by", c.ConfirmedBy), ("Confirmed on", c.ConfirmedOn), ("Evidence", c.Evidence), ("Recorded", c.RecordedAt + " by " + c.RecordedBy) });
        }
        else
        {
            page.Paragraph("None recorded.");
        }

        page.Section("Incidents", "Breaches, complaints and near misses under the agreement; the ICO's 72 hours run from discovery and are judged as of the pack's making.");
        page.Table("Incidents", new[] { "Id", "Kind", "Severity", "Discovered", "ICO", "ICO notified", "What happened", "Actions", "Closed on" },
            d.Incidents.Select(i => new[] { i.Id, i.Kind, i.Severity, i.DiscoveredAt, i.IcoState, i.IcoNotifiedAt, i.Summary, i.Actions, i.ClosedOn }));

        page.Section("Audit entries", $"Every entry about the agreement, its recipients, transfers and holdings, each with its hash; with the {d.Audit.Gaps.Count} run(s) of entries about other things between them they cover the log from entry 1 to the head {d.Audit.Head}. Test-DataShareEvidence checks them.");
        page.Table("Audit entries", new[] { "Entry", "When", "Actor", "Action", "Target", "Values" },
            d.Audit.Entries.Select(e => new[] { e.Sequence.ToString(CultureInfo.InvariantCulture), e.Timestamp, e.Actor + " on " + e.Machine, e.Action, e.TargetType + " " + e.TargetId, string.Join("; ", e.Details.Select(p => p.Key + "=" + p.Value)) }));
        page.End($"Evidence pack schema {EvidenceDocument.SchemaName} version {d.SchemaVersion}, produced by DataShareAdmin.");
    }
}
