using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Reports;

/// <summary>One section of the public register: a stable name for scripts, a heading and a note for people, and its rows.</summary>
public sealed class PublicSection
{
    public PublicSection(string name, string heading, string note, IReadOnlyList<ReportColumn> columns)
    {
        Name = name;
        Heading = heading;
        Note = note;
        Columns = columns;
    }

    public string Name { get; }

    public string Heading { get; }

    public string Note { get; }

    public IReadOnlyList<ReportColumn> Columns { get; }

    public List<object?[]> Rows { get; } = new();
}

/// <summary>The public register as a document: when it was made, the day it is as of, the day changes are counted from, and its sections.</summary>
public sealed class PublicRegisterDocument
{
    public string Title { get; set; } = "Public register of external data shares";

    public DateTimeOffset GeneratedAt { get; set; }

    public DateTime AsOf { get; set; }

    /// <summary>With -Since: changes dated after this day (and on or before <see cref="AsOf"/>) are listed.</summary>
    public DateTime? Since { get; set; }

    public List<PublicSection> Sections { get; } = new();

    /// <summary>How many text cells named a person (or held an email address) and had it removed.</summary>
    public int Redacted { get; set; }

    public long RowCount => Sections.Sum(s => (long)s.Rows.Count);
}

/// <summary>
/// Builds the public register from the register's records. It holds no personal data: never a person's name or email
/// (recipients, officers, data protection officers, certificate holders), no certificate numbers, not who ran it or
/// approved anything, not the register's location, and not where data is held (a path can name a person); transfers
/// give their files, never a link. Agreements are few, so the document is built whole.
/// </summary>
public sealed class PublicRegisterBuilder
{
    // Fields whose change varies the public terms of a share; officers, access groups and suspension are internal.
    private static readonly HashSet<string> PublicTerms = new(StringComparer.Ordinal)
    {
        "Organisation", "Title", "Purpose", "LegalGateway", "LawfulBasis", "AccessRoute", "DirectTransferJustification", "StartsOn", "EndsOn",
        "RetentionDays", "DataItems", "Category", "FunderOrCommissioner", "LaySummary", "PublicBenefit", "Frequency", "FrequencyPeriod",
        "Datasets", "YearsCovered", "RecordsShared", "OnwardSharing", "OnwardSharingNote", "Approvals", "SrsProjectId", "OutputLinks",
    };

    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;

    public PublicRegisterBuilder(IDataShareRegister register, ShareCalendar calendar, IClock clock)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
    }

    public static readonly IReadOnlyList<ReportColumn> CountColumns = new[]
    {
        Text("category", "Category"), Number("approvedShares", "Approved shares"), Number("activeShares", "Active on the day"),
        Number("refused", "Requests refused"), Number("withdrawn", "Requests withdrawn"), Number("filesReleased", "Files released"),
        Number("bytesReleased", "Bytes released"), Number("recordsShared", "Records shared (where known)"),
    };

    public static readonly IReadOnlyList<ReportColumn> ShareColumns = new[]
    {
        Text("reference", "Reference"), Text("organisation", "Organisation"), Text("sector", "Sector"), Text("project", "Project"),
        Text("laySummary", "Lay summary"), Text("publicBenefit", "Public benefit"), Text("funderOrCommissioner", "Funder or commissioner"),
        Text("legalGateway", "Legal gateway"), Text("lawfulBasis", "Lawful basis"), Text("datasets", "Datasets"), Text("yearsCovered", "Years covered"),
        Text("dataItems", "Data items: sensitivity (A-E) and identification risk (1-6)"), Number("recordsShared", "Records shared"),
        Text("frequency", "Frequency"), Text("accessRoute", "Access route"), Text("whyNotSecureResearchService", "Why not the secure research service"),
        Text("srsProjectId", "Secure research service project"), Text("onwardSharing", "Onward sharing or sublicensing"), Text("approvals", "Ethics and other approvals"),
        Text("approvalReference", "Panel reference"), Date("approvedOn", "Approved on"), Date("startsOn", "Starts"), Date("endsOn", "Ends"),
        Text("status", "Status on the day"), Text("outputs", "Published outputs"),
        Text("dpiaSummary", "DPIA summary (not kept in the register yet)"), Date("lastReview", "Last review (not kept yet)"), Date("nextReview", "Next review (not kept yet)"),
    };

    public static readonly IReadOnlyList<ReportColumn> FileColumns = new[]
    {
        Text("reference", "Agreement"), Text("category", "Category"), Text("transferId", "Transfer"), Date("releasedOn", "Released on"),
        Text("fileName", "File"), Number("sizeBytes", "Size (bytes)"), Number("records", "Records (where known)"), Text("reissueOf", "Re-issue of"),
    };

    public static readonly IReadOnlyList<ReportColumn> HeldColumns = new[]
    {
        Text("reference", "Agreement"), Text("category", "Category"), Text("holdingId", "Holding"), Text("kind", "Kind"), Date("endsOn", "Share ended"),
        Date("heldUntil", "Held until"), Text("why", "Why it is still held"),
    };

    public static readonly IReadOnlyList<ReportColumn> ClosedColumns = new[]
    {
        Text("reference", "Reference"), Text("category", "Category"), Text("organisation", "Organisation"), Text("sector", "Sector"), Text("project", "Project"),
        Text("outcome", "Outcome"), Date("decidedOn", "On"), Text("reason", "Reason"), Text("failedTests", "Tests not met"),
    };

    public static readonly IReadOnlyList<ReportColumn> ChangeColumns = new[]
    {
        Text("change", "Change"), Date("on", "On"), Text("reference", "Agreement"), Text("category", "Category"), Text("organisation", "Organisation"),
        Text("what", "What changed"),
    };

    /// <summary>The sensitivity rating in plain words.</summary>
    public static string Sensitivity(string rating) => rating switch
    {
        "A" => "A (highest sensitivity)",
        "B" => "B (high sensitivity)",
        "C" => "C (medium sensitivity)",
        "D" => "D (low sensitivity)",
        "E" => "E (lowest sensitivity)",
        _ => rating,
    };

    /// <summary>The identification risk rating in plain words.</summary>
    public static string Identification(int rating) => rating switch
    {
        1 => "1 (identifies a person directly, e.g. a name)",
        2 => "2 (identifies with little effort, e.g. a date of birth or postcode)",
        3 => "3 (identifies with some effort, e.g. a pupil reference)",
        4 => "4 (identifiable only with other data)",
        5 => "5 (unlikely to identify anyone)",
        6 => "6 (does not identify anyone)",
        _ => rating.ToString(CultureInfo.InvariantCulture),
    };

    public PublicRegisterDocument Build(DateTime? asOf, DateTime? since, ICollection<string>? agreementIds)
    {
        var day = (asOf ?? calendar.Today).Date;
        if (since is { } from && from.Date >= day)
        {
            throw new DataShareException("ReportSinceInvalid", DataShareErrorCategory.InvalidArgument,
                $"-Since {DateText.FormatDate(from.Date)} is not before the report's day ({DateText.FormatDate(day)}): give an earlier day, such as the day of the last publication.", from);
        }

        var only = agreementIds is null || agreementIds.Count == 0 ? null : new HashSet<string>(agreementIds, StringComparer.OrdinalIgnoreCase);
        var document = new PublicRegisterDocument { GeneratedAt = clock.UtcNow, AsOf = day, Since = since?.Date };
        var everyAgreement = register.ListAgreements().ToList();
        var agreements = everyAgreement.Where(a => only is null || only.Contains(a.Id)).ToList();
        var organisations = register.ListOrganisations().ToList();
        var sectors = organisations.ToDictionary(o => o.Id, o => o.Sector, StringComparer.Ordinal);
        string? SectorOf(DataShareAgreement a) => a.OrganisationId is { } id && sectors.TryGetValue(id, out var s) ? s?.ToString() : null;

        // A share is on the register from the day it was approved; a request from the day it was refused or withdrawn.
        var approved = agreements.Where(a => a.ApprovedOn is { } on && on.Date <= day).ToList();
        var closed = agreements.Where(a => AgreementRules.StatusOn(a, day) is AgreementStatus.Refused or AgreementStatus.Withdrawn).ToList();
        var transfers = register.ListTransfers(null).Where(t => t.State == TransferState.Issued && calendar.DayOf(t.IssuedAt) <= day)
            .Where(t => approved.Any(a => string.Equals(a.Id, t.AgreementId, StringComparison.OrdinalIgnoreCase))).ToList();
        var categories = (AgreementCategory[])Enum.GetValues(typeof(AgreementCategory));

        var counts = new PublicSection("counts", "Counts per category",
            "Approved shares (ever, up to the day), those active on the day, requests refused and withdrawn, and what was released by direct transfer.", CountColumns);
        foreach (var category in categories)
        {
            var inCategory = approved.Where(a => a.Category == category).ToList();
            var files = transfers.Where(t => inCategory.Any(a => string.Equals(a.Id, t.AgreementId, StringComparison.OrdinalIgnoreCase))).ToList();
            counts.Rows.Add(new object?[]
            {
                category.ToString(), inCategory.Count, inCategory.Count(a => AgreementRules.StatusOn(a, day) == AgreementStatus.Active),
                closed.Count(a => a.Category == category && a.RefusedOn is not null), closed.Count(a => a.Category == category && a.WithdrawnOn is not null),
                files.Sum(t => t.Files.Count), files.Sum(t => t.TotalBytes), inCategory.Sum(a => a.RecordsShared ?? 0),
            });
        }

        document.Sections.Add(counts);
        foreach (var category in categories)
        {
            var section = new PublicSection("shares-" + category, "Approved shares: " + CategoryWords(category),
                "Every approved share in this category, with the classification of each data item in plain words. The register keeps no DPIA or review records yet: those three columns are empty.", ShareColumns);
            foreach (var a in approved.Where(a => a.Category == category))
            {
                section.Rows.Add(ShareRow(a, SectorOf(a), day));
            }

            document.Sections.Add(section);
        }

        var released = new PublicSection("files", "Files released",
            "One line per file released by direct transfer: the day its link was issued, its name and size. Never the link. Records per file are not recorded, so that column is empty.", FileColumns);
        foreach (var transfer in transfers.OrderBy(t => t.IssuedAt).ThenBy(t => t.Id, StringComparer.Ordinal))
        {
            var category = approved.First(a => string.Equals(a.Id, transfer.AgreementId, StringComparison.OrdinalIgnoreCase)).Category.ToString();
            foreach (var file in transfer.Files)
            {
                released.Rows.Add(new object?[] { transfer.AgreementId, category, transfer.Id, calendar.DayOf(transfer.IssuedAt), file.Name, file.Size, null, transfer.FromTransferId });
            }
        }

        document.Sections.Add(released);
        document.Sections.Add(HeldPastEnd(approved, day));
        var refused = new PublicSection("refusedOrWithdrawn", "Requests refused or withdrawn", "Requests the panel refused, or their applicants withdrew, with the public reason and, for a refusal, the panel's tests it did not meet (legal, ethical, proportionate, secure).", ClosedColumns);
        foreach (var a in closed.OrderBy(a => a.RefusedOn ?? a.WithdrawnOn).ThenBy(a => a.Id, StringComparer.Ordinal))
        {
            refused.Rows.Add(new object?[]
            {
                a.Id, a.Category.ToString(), a.Organisation, SectorOf(a), a.Title, a.RefusedOn is not null ? "Refused" : "Withdrawn", a.RefusedOn ?? a.WithdrawnOn, a.ClosureReason,
                Decisions.DecisionPhrases.FailedTests(a),
            });
        }

        document.Sections.Add(refused);
        if (document.Since is { } changesFrom)
        {
            document.Sections.Add(Changes(agreements, changesFrom, day));
        }

        document.Redacted = PublicRegisterRedaction.Apply(document, register.ListPeople(), everyAgreement, organisations);
        return document;
    }

    private static object?[] ShareRow(DataShareAgreement a, string? sector, DateTime day) => new object?[]
    {
        a.Id, a.Organisation, sector, a.Title, a.LaySummary, a.PublicBenefit, a.FunderOrCommissioner, a.LegalGateway, a.LawfulBasis,
        a.Datasets.Count == 0 ? null : string.Join("; ", a.Datasets), a.YearsCovered,
        string.Join("; ", a.DataItems.Select(i => $"{i.Name}: sensitivity {Sensitivity(i.Sensitivity)}, identification risk {Identification(i.IdentificationRisk)}")),
        a.RecordsShared, a.Frequency switch { ShareFrequency.OneOff => "One-off", ShareFrequency.Regular => "Regular: " + a.FrequencyPeriod, _ => null },
        a.AccessRoute == AccessRoute.DirectTransfer ? "Direct transfer" : "Secure research service",
        a.AccessRoute == AccessRoute.DirectTransfer ? a.DirectTransferJustification : null, a.SrsProjectId,
        a.OnwardSharing switch { true => "Yes", false => "No", _ => null } + (a.OnwardSharingNote is { } note ? (a.OnwardSharing is null ? string.Empty : ": ") + note : string.Empty) is { Length: > 0 } onward ? onward : null,
        a.Approvals.Count == 0 ? null : string.Join("; ", a.Approvals), a.ApprovalReference, a.ApprovedOn, a.StartsOn, a.EndsOn,
        AgreementRules.StatusOn(a, day).ToString(), a.OutputLinks.Count == 0 ? null : string.Join(" ", a.OutputLinks), null, null, null,
    };

    /// <summary>Holdings not destroyed under shares that have ended: why each is kept, and until when.</summary>
    private PublicSection HeldPastEnd(IEnumerable<DataShareAgreement> approved, DateTime day)
    {
        var section = new PublicSection("heldPastEnd", "Data still held past the end of its share",
            "Holdings not yet destroyed under shares whose last day has passed: why each is still held, and until when.", HeldColumns);
        foreach (var a in approved.Where(a => a.EndsOn.Date < day).OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            var last = new Dictionary<string, DestructionRecord>(StringComparer.Ordinal);
            foreach (var record in register.ListDestructions(a.Id))
            {
                last[record.HoldingId] = record;
            }

            foreach (var holding in register.ListHoldings(a.Id).Where(h => h.State != HoldingState.Destroyed))
            {
                var due = RetentionRules.DueOn(holding, a);
                last.TryGetValue(holding.Id, out var record);
                string why;
                DateTime? until = due;
                if (due <= day && RetentionRules.IsHeld(holding, day))
                {
                    // The hold's reason is published as given (its help says so); who approved it is not.
                    why = $"Kept past its due day ({DateText.FormatDate(due)}) by a {(holding.HoldLegal ? "legal " : string.Empty)}hold: {holding.HoldReason}";
                    until = holding.HoldUntil!.Value.AddDays(-1);
                }
                else if (record?.Outcome == DestructionOutcome.Blocked)
                {
                    why = "Kept by a legal hold or immutability policy on the storage, until it is lifted" + (record.Reason is { Length: > 0 } reason ? ": " + reason : ".");
                    until = null;
                }
                else if (due > day)
                {
                    why = $"Within the agreed retention period of {a.RetentionDays.ToString(CultureInfo.InvariantCulture)} day(s) after the share's end.";
                    until = due.AddDays(-1);
                }
                else
                {
                    why = $"Due for deletion since {DateText.FormatDate(due)} and not yet destroyed" + (record is null ? "." : $" (last attempt: {record.Outcome}).");
                    until = null;
                }

                section.Rows.Add(new object?[] { a.Id, a.Category.ToString(), holding.Id, holding.Kind.ToString(), a.EndsOn, until, why });
            }
        }

        return section;
    }

    /// <summary>What changed after <paramref name="since"/> up to <paramref name="day"/>: new, varied, ended, destroyed, refused, withdrawn.</summary>
    private PublicSection Changes(List<DataShareAgreement> agreements, DateTime since, DateTime day)
    {
        var section = new PublicSection("changes", "Changes since " + DateText.FormatDate(since),
            $"Changes dated after {DateText.FormatDate(since)} and on or before {DateText.FormatDate(day)}. Variations come from the audit log (changes to a share's public terms after its approval).", ChangeColumns);
        bool InRange(DateTime d) => d.Date > since && d.Date <= day;
        var rows = new List<(DateTime On, int Order, string Id, object?[] Row)>();
        var byId = agreements.ToDictionary(a => a.Id, StringComparer.OrdinalIgnoreCase);
        void Add(string change, int order, DateTime on, DataShareAgreement a, string? what) =>
            rows.Add((on, order, a.Id, new object?[] { change, on, a.Id, a.Category.ToString(), a.Organisation, what }));

        // One pass over the audit log. When each decision was recorded: one dated on or before -Since but entered
        // after it was in no earlier publication, so it is listed too (on its own date, saying when it was recorded),
        // never silently missed. Variations: one line per agreement and day, naming the public terms changed that day
        // (never their values, which may name people), only once the share was approved.
        var recorded = new Dictionary<(string Action, string Id), DateTime>();
        var varied = new SortedDictionary<(DateTime On, string Id), SortedSet<string>>();
        foreach (var entry in register.ReadAuditLog(1))
        {
            if (entry.Action is "Agreement.Approve" or "Agreement.Refuse" or "Agreement.Withdraw")
            {
                recorded[(entry.Action, entry.TargetId.ToUpperInvariant())] = calendar.DayOf(entry.Timestamp);
                continue;
            }

            if (entry.Action != "Agreement.Update" || !byId.TryGetValue(entry.TargetId, out var updated))
            {
                continue;
            }

            var on = calendar.DayOf(entry.Timestamp);
            var fields = entry.Details.Keys.Where(PublicTerms.Contains).ToList();
            if (InRange(on) && fields.Count > 0 && updated.ApprovedOn is { } approvedOn && approvedOn.Date <= on)
            {
                if (!varied.TryGetValue((on, updated.Id), out var set))
                {
                    set = new SortedSet<string>(StringComparer.Ordinal);
                    varied[(on, updated.Id)] = set;
                }

                set.UnionWith(fields);
            }
        }

        bool Changed(string action, DataShareAgreement a, DateTime on, out string? late)
        {
            late = null;
            if (InRange(on))
            {
                return true;
            }

            if (on.Date <= since && recorded.TryGetValue((action, a.Id.ToUpperInvariant()), out var entered) && InRange(entered))
            {
                late = $" (recorded {DateText.FormatDate(entered)}, after {DateText.FormatDate(since)})";
                return true;
            }

            return false;
        }

        foreach (var a in agreements)
        {
            if (a.ApprovedOn is { } approved && Changed("Agreement.Approve", a, approved, out var lateApproval))
            {
                Add("New", 0, approved, a, "Approved (" + a.ApprovalReference + ")" + lateApproval);
            }

            // A share ends the day after its last day; an agreement refused or withdrawn never started, so never ends.
            if (a.ApprovedOn is not null && InRange(a.EndsOn.AddDays(1)))
            {
                Add("Ended", 2, a.EndsOn.AddDays(1), a, "Last day " + DateText.FormatDate(a.EndsOn));
            }

            if (a.DestroyedOn is { } destroyed && InRange(destroyed))
            {
                Add("Destroyed", 3, destroyed, a, "Every holding destroyed");
            }

            if (a.RefusedOn is { } refused && Changed("Agreement.Refuse", a, refused, out var lateRefusal))
            {
                Add("Refused", 4, refused, a, a.ClosureReason + lateRefusal);
            }

            if (a.WithdrawnOn is { } withdrawn && Changed("Agreement.Withdraw", a, withdrawn, out var lateWithdrawal))
            {
                Add("Withdrawn", 5, withdrawn, a, a.ClosureReason + lateWithdrawal);
            }
        }

        foreach (var pair in varied)
        {
            Add("Varied", 1, pair.Key.On, byId[pair.Key.Id], "Changed: " + string.Join(", ", pair.Value));
        }

        section.Rows.AddRange(rows.OrderBy(r => r.On).ThenBy(r => r.Order).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => r.Row));
        return section;
    }

    /// <summary>A category in words, for headings.</summary>
    public static string CategoryWords(AgreementCategory category) => category switch
    {
        AgreementCategory.DsapResearch => "research approved by the data sharing approval panel",
        AgreementCategory.RegularSharingAgreement => "regular data sharing agreements",
        AgreementCategory.HomeOffice => "Home Office",
        AgreementCategory.Police => "police",
        AgreementCategory.CourtOrder => "court orders",
        _ => "other government",
    };

    private static ReportColumn Text(string name, string heading) => new(name, heading);

    private static ReportColumn Date(string name, string heading) => new(name, heading, ReportColumnKind.Date);

    private static ReportColumn Number(string name, string heading) => new(name, heading, ReportColumnKind.Number);
}
