using System.Globalization;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Evidence;

namespace DataShareAdmin.Core.People;

/// <summary>The readable page of a person's data: the JSON file's content, for the person to read.</summary>
internal static class PersonDataPage
{
    public static void Write(PersonDataDocument d, TextWriter writer)
    {
        var p = d.Person;
        var page = new HtmlPage(writer, $"Personal data held about {p.Name}",
            $"Everything the DataShareAdmin register holds about {p.Name} <{p.Email}> ({p.Id}), as of {d.AsOf} ({d.TimeZone}). Generated {d.GeneratedAt} by {d.GeneratedBy}.",
            "This file is personal data of the person it is about, with their disclosure certificate numbers in full. Give it only to them (or as your data protection policy allows), and keep it no longer than needed.");

        page.Section("The person");
        page.Facts(new (string, string?)[]
        {
            ("Id", p.Id), ("Name", p.Name), ("Email", p.Email), ("First recorded", p.CreatedAt),
            ("Training completed", d.Training.CompletedOn ?? "None recorded"),
            ("Directory account", d.DirectoryAccount?.ObjectId ?? "None recorded"),
        });

        page.Section("Places on agreements", "One row per agreement the person was added to, removed places included. Readiness is the safe-people test on the day of this export, from the records as they stand.");
        page.Table("Places on agreements", new[] { "Place", "Agreement", "Organisation", "Runs", "Role", "Declaration signed", "Added", "Removed", "Ready today" },
            d.Recipients.Select(r => new[]
            {
                r.Id, r.AgreementId + (r.AgreementTitle is null ? string.Empty : " — " + r.AgreementTitle), r.Organisation,
                r.AgreementStartsOn is null ? null : r.AgreementStartsOn + " to " + r.AgreementEndsOn + " (" + r.AgreementStatus + ")",
                r.Role, r.DeclarationSignedOn, r.AddedAt + " by " + r.AddedBy,
                r.RemovedAt is null ? null : r.RemovedAt + (r.RemovedReason is null ? string.Empty : " (" + r.RemovedReason + ")"),
                r.Readiness is null ? "—" : r.Readiness.IsReady ? "yes" : "no: " + string.Join(", ", r.Readiness.FailedChecks),
            }));

        page.Section("Disclosure certificates", "Numbers in full: this page is for the person it is about.");
        page.Table("Disclosure certificates", new[] { "Id", "Issuer", "Level", "Number", "Issued on", "Holder name", "Date of birth", "Original seen", "Online check" },
            d.Certificates.Select(c => new[]
            {
                c.Id, c.Issuer, c.Level, c.Number, c.IssuedOn, c.HolderName, c.DateOfBirth, c.SeenOriginalOn + " by " + c.SeenOriginalBy,
                c.OnlineStatus is null ? null : c.OnlineStatus + " at " + c.OnlineCheckedAt,
            }));

        page.Section("Declarations");
        page.Table("Declarations", new[] { "Place", "Agreement", "Signed on" }, d.Declarations.Select(x => new[] { x.RecipientId, x.AgreementId, x.SignedOn }));

        page.Section("Notices sent", "Notices mailed to the person or about them, as the audit log records them.");
        page.Table("Notices", new[] { "Entry", "Sent", "Kind", "Agreement", "About", "To", "Title", "Due" },
            d.Notices.Select(n => new[] { n.Sequence.ToString(CultureInfo.InvariantCulture), n.SentAt + " by " + n.SentBy, n.Kind, n.AgreementId, n.Subject, n.To + (n.Cc is null ? string.Empty : " (copy " + n.Cc + ")"), n.Title, n.Due }));

        page.Section("Audit entries about the person", $"{d.Audit.Count} entr(ies): about the person, their places and certificates, or naming them.");
        page.Table("Audit entries", new[] { "Entry", "When", "By", "Action", "Target", "Values" },
            d.Audit.Select(e => new[]
            {
                e.Sequence.ToString(CultureInfo.InvariantCulture), e.Timestamp, e.Actor, e.Action, e.TargetType + " " + e.TargetId,
                e.Problem is null ? string.Join("; ", e.Details.Select(x => x.Key + "=" + x.Value)) : "Not as written: " + e.Problem,
            }));
        page.End($"Person data schema {PersonDataDocument.SchemaName} version {d.SchemaVersion}, produced by DataShareAdmin.");
    }
}
