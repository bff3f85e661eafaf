using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Organisations;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.SafePeople;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Reports;

/// <summary>
/// Builds each report as a stream of rows from the register. Nothing but sort keys is held across rows: the
/// safe-people report, sorted by the soonest to lapse, keeps one (date, id) pair per recipient and reads each
/// recipient again while it is written.
/// </summary>
public sealed partial class ReportService
{
    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly AuditIdentity identity;
    private readonly ReadinessService readiness;
    private readonly Func<SafePeoplePolicy> policy;
    private readonly PolicyService settings;

    public ReportService(IDataShareRegister register, ShareCalendar calendar, IClock clock, AuditIdentity identity, ReadinessService readiness, Func<SafePeoplePolicy> policy, PolicyService settings)
    {
        this.settings = settings;
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.identity = identity;
        this.readiness = readiness;
        this.policy = policy;
    }

    /// <summary>
    /// For the Retention report: the orphans the session's storage holds (Find-DataShareOrphan's search, made by the
    /// caller when asked, which can report its errors), and where they were looked for; null when storage was not searched.
    /// </summary>
    public OrphanScan? Orphans { get; set; }

    /// <summary>For the PublicRegister report: list the changes dated after this day (-Since); null for none.</summary>
    public DateTime? Since { get; set; }

    /// <summary>Writes a report to <paramref name="output"/>; returns the number of rows written.</summary>
    public long Export(ReportKind kind, ReportFormat format, Stream output, DateTime? asOf, ICollection<string>? agreementIds, AuditLogTestResult? integrity = null,
        System.Threading.CancellationToken cancellationToken = default)
    {
        if (kind == ReportKind.PublicRegister)
        {
            var document = new PublicRegisterBuilder(register, calendar, clock).Build(asOf, Since, agreementIds);
            return PublicRegisterWriter.Write(document, format, output);
        }

        var built = Build(kind, asOf, agreementIds);
        var table = new ReportTable(built.Context, built.Columns, Cancellable(built.Rows, cancellationToken));
        if (integrity is not null)
        {
            table.Context.Integrity = integrity.IsIntact
                ? $"Audit log intact: {integrity.EntryCount} entries; head {integrity.Head} (record it elsewhere to detect a rewritten tail)."
                : $"Audit log NOT intact: {integrity.Problem} (first bad entry {integrity.FirstBadSequence}).";
        }

        return format switch
        {
            ReportFormat.Csv => CsvReportWriter.Write(table, output),
            ReportFormat.Json => JsonReportWriter.Write(table, output),
            ReportFormat.Markdown => MarkdownReportWriter.Write(table, output),
            _ => HtmlReportWriter.Write(table, Summarise(table.Context.AsOf, agreementIds), output),
        };
    }

    private static IEnumerable<object?[]> Cancellable(IEnumerable<object?[]> rows, System.Threading.CancellationToken token)
    {
        foreach (var row in rows)
        {
            token.ThrowIfCancellationRequested();
            yield return row;
        }
    }

    /// <summary>The counts behind the HTML summary's charts, each from one streamed pass.</summary>
    public ReportSummary Summarise(DateTime asOf, ICollection<string>? agreementIds)
    {
        var day = asOf.Date;
        var only = agreementIds is null || agreementIds.Count == 0 ? null : new HashSet<string>(agreementIds, StringComparer.OrdinalIgnoreCase);
        bool Included(string agreementId) => only is null || only.Contains(agreementId);

        var statuses = new Dictionary<AgreementStatus, int>();
        foreach (var agreement in register.ListAgreements())
        {
            if (Included(agreement.Id))
            {
                var status = Agreements.AgreementRules.StatusOn(agreement, day);
                statuses[status] = statuses.TryGetValue(status, out var n) ? n + 1 : 1;
            }
        }

        var firstMonth = new DateTime(day.Year, day.Month, 1);
        var lapsing = new int[12];
        var rules = policy();
        var people = only is null ? null : new HashSet<string>(register.ListRecipients(null, includeRemoved: false).Where(r => only.Contains(r.AgreementId)).Select(r => r.PersonId), StringComparer.Ordinal);
        foreach (var certificate in register.ListCertificates(null))
        {
            if (people is not null && !people.Contains(certificate.PersonId))
            {
                continue;
            }

            var until = CertificateRules.Evaluate(certificate, rules, day).ValidUntil.Date;
            var month = ((until.Year - firstMonth.Year) * 12) + until.Month - firstMonth.Month;
            if (until >= day && month is >= 0 and < 12)
            {
                lapsing[month]++;
            }
        }

        var holdings = new Dictionary<string, int> { ["Held"] = 0, ["Due"] = 0, ["Blocked"] = 0, ["NotFound"] = 0, ["Destroyed"] = 0, ["Withdrawn"] = 0 };
        var agreements = new Dictionary<string, DataShareAgreement>(StringComparer.OrdinalIgnoreCase);
        var lastOutcomes = register.ListDestructions(null).GroupBy(r => r.HoldingId).ToDictionary(g => g.Key, g => g.Last().Outcome, StringComparer.Ordinal);
        foreach (var holding in register.ListHoldings(null))
        {
            if (!Included(holding.AgreementId))
            {
                continue;
            }

            if (!agreements.TryGetValue(holding.AgreementId, out var agreement))
            {
                agreement = register.FindAgreement(holding.AgreementId)!;
                agreements[holding.AgreementId] = agreement;
            }

            var state = HoldingReportState(holding, lastOutcomes.TryGetValue(holding.Id, out var outcome) ? outcome : null, RetentionRules.DueOn(holding, agreement), day);
            holdings[state is "Pending" or "HeldPastEnd" ? "Held" : state]++;
        }

        var transfers = new int[12];
        var lastMonth = firstMonth;
        foreach (var transfer in register.ListTransfers(null))
        {
            var issued = calendar.DayOf(transfer.IssuedAt);
            var back = ((lastMonth.Year - issued.Year) * 12) + lastMonth.Month - issued.Month;
            if (Included(transfer.AgreementId) && transfer.State == TransferState.Issued && back is >= 0 and < 12)
            {
                transfers[11 - back]++;
            }
        }

        string MonthLabel(DateTime month) => month.ToString("MMM yyyy", CultureInfo.InvariantCulture);
        return new ReportSummary
        {
            AgreementsByStatus = ((AgreementStatus[])Enum.GetValues(typeof(AgreementStatus))).Select(s => (s.ToString(), statuses.TryGetValue(s, out var n) ? n : 0)).ToList(),
            CertificatesLapsingByMonth = Enumerable.Range(0, 12).Select(i => (MonthLabel(firstMonth.AddMonths(i)), lapsing[i])).ToList(),
            HoldingsByState = holdings.Select(h => (h.Key, h.Value)).ToList(),
            TransfersByMonth = Enumerable.Range(0, 12).Select(i => (MonthLabel(lastMonth.AddMonths(i - 11)), transfers[i])).ToList(),
        };
    }

    /// <summary>The report of <paramref name="kind"/> as of a day (today when null), limited to some agreements when given.</summary>
    public ReportTable Build(ReportKind kind, DateTime? asOf, ICollection<string>? agreementIds)
    {
        var day = (asOf ?? calendar.Today).Date;
        var only = agreementIds is null || agreementIds.Count == 0 ? null : new HashSet<string>(agreementIds, StringComparer.OrdinalIgnoreCase);
        var context = new ReportContext
        {
            Title = Titles[kind],
            GeneratedAt = clock.UtcNow,
            GeneratedBy = identity.User,
            Register = register.Info.ToString(),
            AsOf = day,
        };
        return kind switch
        {
            ReportKind.Register => new ReportTable(context, RegisterColumns, RegisterRows(day, only)),
            ReportKind.SafePeople => new ReportTable(context, SafePeopleColumns, SafePeopleRows(day, only)),
            ReportKind.Transfers => new ReportTable(context, TransferColumns, TransferRows(only)),
            ReportKind.Retention => new ReportTable(WithOrphans(context), RetentionColumns, RetentionRows(day, only)),
            ReportKind.Organisations => new ReportTable(context, OrganisationColumns, OrganisationRows(day, only)),
            ReportKind.Outputs => new ReportTable(context, OutputColumns, OutputRows(only)),
            ReportKind.Incidents => new ReportTable(context, IncidentColumns, IncidentRows(asOf is null ? null : day, only)),
            ReportKind.PublicRegister => throw new DataShareException("ReportKindInvalid", DataShareErrorCategory.InvalidArgument,
                "The public register has several sections, not one table: write it with Export (Export-DataShareReport -Kind PublicRegister).", kind),
            _ => new ReportTable(context, AuditColumns, AuditRows(only)),
        };
    }

    private static readonly IReadOnlyDictionary<ReportKind, string> Titles = new Dictionary<ReportKind, string>
    {
        [ReportKind.Register] = "Register of external data shares",
        [ReportKind.SafePeople] = "Safe people: recipients and their clearance",
        [ReportKind.Transfers] = "Transfers",
        [ReportKind.Retention] = "Retention: holdings and their destruction",
        [ReportKind.Audit] = "Audit log",
        [ReportKind.Organisations] = "Recipient organisations and their security assessments",
        [ReportKind.Outputs] = "Safe outputs: releases and their checks",
        [ReportKind.Incidents] = "Incidents: breaches, complaints and near misses",
    };

    private static ReportColumn Text(string name, string heading) => new(name, heading);

    private static ReportColumn Date(string name, string heading) => new(name, heading, ReportColumnKind.Date);

    private static ReportColumn Instant(string name, string heading) => new(name, heading, ReportColumnKind.Instant);

    private static ReportColumn Number(string name, string heading) => new(name, heading, ReportColumnKind.Number);

    private static ReportColumn Flag(string name, string heading) => new(name, heading, ReportColumnKind.Boolean);

    public static readonly IReadOnlyList<ReportColumn> RegisterColumns = new[]
    {
        Text("reference", "Reference"), Text("organisation", "Organisation"), Text("project", "Project"), Text("purpose", "Purpose"),
        Text("legalGateway", "Legal gateway"), Text("lawfulBasis", "Lawful basis"), Text("dataItems", "Data items (sensitivity, identification risk)"),
        Text("approvalReference", "Approval reference"), Date("approvedOn", "Approved on"), Text("accessRoute", "Access route"),
        Text("directTransferJustification", "Why not the secure research service"), Text("securityAssessment", "Organisation's security assessment"),
        Date("assessmentValidUntil", "Assessment current until"),
        Date("startsOn", "Starts"), Date("endsOn", "Ends"), Text("status", "Status"), Text("heldAt", "Where the data is held"),
        Text("destructionStatus", "Destruction"), Text("flags", "Needs attention"),
        Date("nextReviewDue", "Next review due"), Text("dpia", "DPIA"),
        Text("decision", "Panel's decision"), Text("separationOfDuties", "Separation of duties"), Text("gatewayCheck", "Legal gateway check"),
    };

    /// <summary>The organisation's standing as a phrase for a report cell, e.g. "Current (ISQ-2026-014, passed 2026-03-01)".</summary>
    private static string AssessmentPhrase(AssessmentVerdict verdict) => verdict.Deciding is not { } deciding
        ? "None recorded"
        : $"{verdict.State} ({deciding.Reference}, {deciding.Outcome.ToString().ToLowerInvariant()} {DateText.FormatDate(deciding.AssessedOn)})";

    private AssessmentVerdict OrganisationVerdict(string? organisationId, DateTime day, Dictionary<string, AssessmentVerdict> cache)
    {
        if (organisationId is null)
        {
            return OrganisationRules.NoOrganisation;
        }

        if (!cache.TryGetValue(organisationId, out var verdict))
        {
            verdict = OrganisationRules.Evaluate(register.ListAssessments(organisationId), day);
            cache[organisationId] = verdict;
        }

        return verdict;
    }

    /// <summary>What an officer must act on for this agreement, as the register stands on <paramref name="day"/>.</summary>
    private static string? Flags(DataShareAgreement agreement, AgreementStatus status, AssessmentVerdict verdict)
    {
        if (agreement.AccessRoute != AccessRoute.DirectTransfer || status is AgreementStatus.Ended or AgreementStatus.Destroyed)
        {
            return null;
        }

        var flags = new List<string>(2);
        if (OrganisationRules.MissingJustification(agreement) is not null)
        {
            flags.Add(agreement.ApprovedOn is null
                ? "Direct transfer without a justification: cannot be approved"
                : "Direct transfer without a justification: approved, but no transfers until one is recorded");
        }

        if (verdict.State != AssessmentState.Current)
        {
            flags.Add($"Organisation's security assessment {verdict.State.ToString().ToLowerInvariant()}: no transfers");
        }

        return flags.Count == 0 ? null : string.Join("; ", flags);
    }

    /// <summary>
    /// Per agreement, the open reportable incidents past the ICO's 72 hours (from discovery, judged now) without a
    /// notification: named by id only, never by their summaries.
    /// </summary>
    private Dictionary<string, string> IcoOverdueIncidents() =>
        register.ListIncidents(null)
            .Select(i => Incidents.IncidentRules.Judge(i, clock.UtcNow))
            .Where(i => i.IcoOverdue)
            .GroupBy(i => i.AgreementId, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(i => $"Incident {i.Id} is reportable and past the ICO's 72 hours without a notification")), StringComparer.OrdinalIgnoreCase);

    private static string? Joined(string? first, string? second) => first is null ? second : second is null ? first : first + "; " + second;

    private IEnumerable<object?[]> RegisterRows(DateTime day, HashSet<string>? only)
    {
        var verdicts = new Dictionary<string, AssessmentVerdict>(StringComparer.Ordinal);
        var catalogue = Decisions.DecisionPhrases.Catalogue(register);
        var icoOverdue = IcoOverdueIncidents();
        foreach (var stored in register.ListAgreements())
        {
            if (only is not null && !only.Contains(stored.Id))
            {
                continue;
            }

            // A past day is judged by the terms then in force.
            var agreement = Agreements.AgreementTermsOf.OnDay(register, stored, day, calendar.Today);

            var holdings = register.ListHoldings(agreement.Id).ToList();
            var held = holdings.Where(h => h.State is not (HoldingState.Destroyed or HoldingState.Withdrawn)).Select(h => h.Location).ToList();
            var destroyed = holdings.Count(h => h.State == HoldingState.Destroyed);
            var status = Agreements.AgreementRules.StatusOn(agreement, day);
            var destruction = status == AgreementStatus.Destroyed ? $"Destroyed {DateText.FormatDate(agreement.DestroyedOn)}"
                : holdings.Count == 0 ? "No holdings registered"
                : $"{destroyed} of {holdings.Count} holding(s) destroyed" + (register.FindConfirmation(agreement.Id) is { } confirmation ? $"; organisation confirmed {DateText.FormatDate(confirmation.ConfirmedOn)}" : string.Empty);
            var verdict = OrganisationVerdict(agreement.OrganisationId, day, verdicts);
            var review = Reviews.ReviewService.Judge(register, settings, agreement, day);
            yield return new object?[]
            {
                agreement.Id, agreement.Organisation, agreement.Title, agreement.Purpose, agreement.LegalGateway, agreement.LawfulBasis,
                string.Join("; ", agreement.DataItems.Select(i => $"{i.Name} ({i.Sensitivity}, {i.IdentificationRisk})")),
                agreement.ApprovalReference, agreement.ApprovedOn, agreement.AccessRoute.ToString(), agreement.DirectTransferJustification,
                AssessmentPhrase(verdict), verdict.ValidUntil,
                agreement.StartsOn, agreement.EndsOn, status.ToString(), held.Count == 0 ? null : string.Join("; ", held), destruction,
                Joined(Joined(Flags(agreement, status, verdict), Reviews.ReviewFlags.Of(review, status)), icoOverdue.TryGetValue(agreement.Id, out var late) ? late : null),
                review.NextReviewDue, review.DpiaReference,
                Decisions.DecisionPhrases.Decision(agreement), Decisions.DecisionPhrases.SelfApproval(agreement), Decisions.DecisionPhrases.GatewayCheck(agreement, catalogue),
            };
        }
    }

    public static readonly IReadOnlyList<ReportColumn> OrganisationColumns = new[]
    {
        Text("organisation", "Organisation"), Text("organisationId", "Id"), Text("address", "Address"),
        Text("protectionOfficer", "Data protection officer"), Text("protectionOfficerEmail", "Officer's email"),
        Text("assessmentStatus", "Security assessment"), Date("assessmentValidUntil", "Current until"), Text("latestReference", "Latest assessment"),
        Date("latestAssessedOn", "Assessed on"), Text("latestOutcome", "Outcome"), Text("assessments", "All assessments"),
        Text("agreements", "Agreements"), Number("activeAgreements", "Active agreements"), Text("why", "Standing"),
    };

    private IEnumerable<object?[]> OrganisationRows(DateTime day, HashSet<string>? only)
    {
        // Organisations are few: read them with their assessments and agreements, then sort by when they lapse
        // (those with no current assessment first, as they have lapsed already), then by name.
        var assessments = register.ListAssessments(null).ToLookup(a => a.OrganisationId, StringComparer.Ordinal);
        var agreements = register.ListAgreements().Where(a => a.OrganisationId is not null).ToLookup(a => a.OrganisationId!, StringComparer.Ordinal);
        var rows = new List<(DateTime Until, string Name, object?[] Row)>();
        foreach (var organisation in register.ListOrganisations())
        {
            var held = agreements[organisation.Id].ToList();
            if (only is not null && !held.Any(a => only.Contains(a.Id)))
            {
                continue;
            }

            var history = assessments[organisation.Id].ToList();
            var verdict = OrganisationRules.Evaluate(history, day);
            var latest = verdict.Deciding;
            rows.Add((verdict.ValidUntil ?? DateTime.MinValue, organisation.Name, new object?[]
            {
                organisation.Name, organisation.Id, organisation.Address, organisation.ProtectionOfficerName, organisation.ProtectionOfficerEmail,
                verdict.State.ToString(), verdict.ValidUntil, latest?.Reference, latest?.AssessedOn, latest?.Outcome.ToString(),
                history.Count == 0 ? null : string.Join("; ", history.Select(a => $"{a.Reference} {a.Outcome} {DateText.FormatDate(a.AssessedOn)} to {DateText.FormatDate(a.ValidUntil)}")),
                held.Count == 0 ? null : string.Join("; ", held.Select(a => $"{a.Id} ({Agreements.AgreementRules.StatusOn(a, day)}, {a.AccessRoute})")),
                held.Count(a => Agreements.AgreementRules.StatusOn(a, day) == AgreementStatus.Active), verdict.Reason,
            }));
        }

        return rows.OrderBy(r => r.Until).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Select(r => r.Row);
    }

    public static readonly IReadOnlyList<ReportColumn> SafePeopleColumns = new[]
    {
        Text("agreement", "Agreement"), Text("recipientId", "Recipient"), Text("name", "Name"), Text("email", "Email"), Text("role", "Role"),
        Text("certificateIssuer", "Certificate issuer"), Text("certificateLevel", "Level"), Date("certificateIssuedOn", "Issued"),
        Date("certificateValidUntil", "Certificate valid until"), Date("declarationSignedOn", "Declaration signed"),
        Date("trainingCompletedOn", "Training completed"), Flag("ready", "Ready"), Date("readyUntil", "Ready until"), Text("why", "Why not ready, or warning"),
    };

    private IEnumerable<object?[]> SafePeopleRows(DateTime day, HashSet<string>? only)
    {
        // Soonest to lapse first: sort 16-byte keys only (the day as a number, the id packed into 50 bits), then read
        // each recipient again as it is written. Ids that cannot be packed (not written by this module) sort by text.
        var keys = new List<(long Until, long Id)>();
        var others = new List<(long Until, string Id)>();
        if (only is null)
        {
            readiness.ExpectWholeRegister();
        }

        foreach (var recipient in register.ListRecipients(null, includeRemoved: false))
        {
            if (only is null || only.Contains(recipient.AgreementId))
            {
                var result = readiness.Test(recipient, day, null);
                var until = (result.IsReady ? result.ReadyUntil ?? DateTime.MaxValue : DateTime.MinValue).Ticks;
                if (Ids.TryPack(Ids.RecipientPrefix, recipient.Id, out var packed))
                {
                    keys.Add((until, packed));
                }
                else
                {
                    others.Add((until, recipient.Id));
                }
            }
        }

        keys.Sort();
        var ordered = keys.Select(k => (k.Until, Ids.Unpack(Ids.RecipientPrefix, k.Id)));
        if (others.Count > 0)
        {
            ordered = ordered.Concat(others).OrderBy(k => k.Item1).ThenBy(k => k.Item2, StringComparer.Ordinal);
        }

        foreach (var (_, id) in ordered)
        {
            var recipient = register.FindRecipient(id);
            if (recipient is null)
            {
                continue;
            }

            // The certificate the readiness test judged by: its own listing, not a second one.
            var result = readiness.Test(recipient, day, null, out var best);
            var why = result.IsReady ? result.WarningReason : string.Join("; ", result.Checks.Where(c => !c.Passed).Select(c => c.Name + ": " + c.Reason));
            yield return new object?[]
            {
                recipient.AgreementId, recipient.Id, recipient.Name, recipient.Email, recipient.Role, best?.Issuer.ToString(), best?.Level.ToString(),
                best?.IssuedOn, best?.ValidUntil, recipient.DeclarationSignedOn, recipient.TrainingCompletedOn, result.IsReady, result.ReadyUntil, why,
            };
        }
    }

    public static readonly IReadOnlyList<ReportColumn> TransferColumns = new[]
    {
        Text("transferId", "Transfer"), Text("agreement", "Agreement"), Text("files", "Files (size)"), Number("fileCount", "Files (count)"),
        Number("totalBytes", "Bytes"), Text("sha256", "SHA-256 (per file)"), Text("recipients", "Recipients"), Text("issuedBy", "Issued by"),
        Instant("issuedAt", "Issued"), Instant("expiresOn", "Expires"), Text("linkKind", "Link"), Flag("revoked", "Revoked"),
        Instant("revokedAt", "Revoked at"), Text("revokedBy", "Revoked by"), Flag("linkIssued", "Link issued"),
    };

    private IEnumerable<object?[]> TransferRows(HashSet<string>? only)
    {
        foreach (var transfer in register.ListTransfers(null))
        {
            if (only is not null && !only.Contains(transfer.AgreementId))
            {
                continue;
            }

            // Never the link: the register does not have it, and the report would not show it if it did. A transfer whose
            // upload never finished had no link: no expiry, kind or hashes, and linkIssued false.
            var issued = transfer.State == TransferState.Issued;
            yield return new object?[]
            {
                transfer.Id, transfer.AgreementId, string.Join("; ", transfer.Files.Select(f => f.Name + " (" + f.Size.ToString(CultureInfo.InvariantCulture) + " bytes)")), transfer.Files.Count, transfer.TotalBytes,
                issued ? string.Join("; ", transfer.Files.Select(f => f.Name + "=" + f.Sha256)) : null, string.Join("; ", transfer.RecipientIds), transfer.IssuedBy,
                transfer.IssuedAt, issued ? transfer.ExpiresOn : null, issued ? transfer.LinkKind.ToString() : null, transfer.RevokedAt is not null, transfer.RevokedAt, transfer.RevokedBy,
                issued,
            };
        }
    }

    public static readonly IReadOnlyList<ReportColumn> RetentionColumns = new[]
    {
        Text("holdingId", "Holding"), Text("agreement", "Agreement"), Text("location", "Location"), Date("dueOn", "Due"), Text("state", "State"),
        Text("outcome", "Last sweep"), Text("reason", "Why blocked or incomplete"), Number("objectsDeleted", "Objects deleted"),
        Number("bytesDeleted", "Bytes deleted"), Flag("verified", "Verified"), Instant("destroyedAt", "Destroyed at"), Text("operator", "By"),
        Text("softDelete", "Soft delete"), Instant("recoverableUntil", "Recoverable until"), Text("confirmation", "Organisation's confirmation"),
        Date("confirmationDueBy", "Confirmation due by"), Flag("confirmationOverdue", "Confirmation overdue"),
        Text("accessRemoved", "Access removed"), Text("personId", "Person"), Date("heldUntil", "Held until"), Text("holdReason", "Why held past the end"),
    };

    private IEnumerable<object?[]> RetentionRows(DateTime day, HashSet<string>? only)
    {
        var confirmationDays = settings.Number(PolicyCatalogue.DestructionConfirmationDays);

        // Each agreement's destruction records read once (the last one per holding), not once per holding.
        var lastRecords = new Dictionary<string, Dictionary<string, DestructionRecord>>(StringComparer.OrdinalIgnoreCase);
        var withHoldings = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var agreements = new Dictionary<string, DataShareAgreement>(StringComparer.OrdinalIgnoreCase);
        foreach (var holding in register.ListHoldings(null))
        {
            if (only is not null && !only.Contains(holding.AgreementId))
            {
                continue;
            }

            if (!agreements.TryGetValue(holding.AgreementId, out var agreement))
            {
                agreement = Agreements.AgreementTermsOf.OnDay(register, register.FindAgreement(holding.AgreementId)!, day, calendar.Today);
                agreements[holding.AgreementId] = agreement;
            }

            withHoldings.Add(holding.AgreementId);
            if (!lastRecords.TryGetValue(holding.AgreementId, out var records))
            {
                records = new Dictionary<string, DestructionRecord>(StringComparer.Ordinal);
                foreach (var record in register.ListDestructions(holding.AgreementId))
                {
                    records[record.HoldingId] = record;
                }

                lastRecords[holding.AgreementId] = records;
            }

            records.TryGetValue(holding.Id, out var last);
            var due = RetentionRules.DueOn(holding, agreement);
            var state = HoldingReportState(holding, last?.Outcome, due, day);
            var (confirmation, dueBy, overdue) = Confirmation(agreement, day, confirmationDays);
            yield return new object?[]
            {
                holding.Id, holding.AgreementId, holding.Location, due, state, last?.Outcome.ToString(), last?.Reason, last?.ObjectsDeleted, last?.BytesDeleted,
                last?.Verified, holding.DestroyedAt, last?.Operator, last?.SoftDelete, last?.RecoverableUntil, confirmation, dueBy, overdue,
                last?.AccessRemoved, null, holding.HoldUntil, holding.HoldUntil is null ? null : RetentionRules.HoldText(holding),
            };
        }

        // Ended agreements with no holdings still owe the organisation's confirmation: one row each.
        foreach (var agreement in register.ListAgreements())
        {
            if ((only is null || only.Contains(agreement.Id)) && !withHoldings.Contains(agreement.Id) && agreement.EndsOn < day)
            {
                var (confirmation, dueBy, overdue) = Confirmation(agreement, day, confirmationDays);
                yield return new object?[]
                {
                    null, agreement.Id, "(no holdings registered)", Transfers.TransferRules.AgreementDueOn(agreement), agreement.DestroyedOn is null ? "Ended" : "Destroyed",
                    null, null, null, null, null, null, null, null, null, confirmation, dueBy, overdue, null, null, null, null,
                };
            }
        }

        foreach (var row in PersonReviewRows(day, only))
        {
            yield return row;
        }

        foreach (var row in OrphanRows(only))
        {
            yield return row;
        }
    }

    /// <summary>The retention report says at its top whether storage was searched for untracked copies, and what was found.</summary>
    private ReportContext WithOrphans(ReportContext context)
    {
        context.Integrity = Orphans is not { } scan
            ? "Untracked copies: storage was not searched, so orphans are not listed (-IncludeOrphans, in a session connected to storage, lists them; see Find-DataShareOrphan)."
            : scan.Failures == 0
                ? $"Untracked copies: {scan.Found.Count} orphan(s) found in {scan.Where} (Find-DataShareOrphan), listed as rows in the state Orphan."
                : $"Untracked copies: {scan.Found.Count} orphan(s) found in {scan.Where} (Find-DataShareOrphan), listed as rows in the state Orphan; {scan.Failures} place(s) could NOT be listed, so there may be more.";
        return context;
    }

    /// <summary>One row per orphan: no holding, so no due day or sweep; the agreement only when its container's metadata names one.</summary>
    private IEnumerable<object?[]> OrphanRows(HashSet<string>? only)
    {
        foreach (var orphan in Orphans?.Found ?? Array.Empty<DataShareOrphan>())
        {
            if (only is null || (orphan.AgreementId is not null && only.Contains(orphan.AgreementId)))
            {
                yield return new object?[]
                {
                    null, orphan.AgreementId, orphan.Uri, null, "Orphan", null,
                    $"{orphan.Reason} {orphan.Objects.ToString(CultureInfo.InvariantCulture)} blob(s), {orphan.Bytes.ToString(CultureInfo.InvariantCulture)} bytes.",
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                };
            }
        }
    }

    private (string? Text, DateTime DueBy, bool Overdue) Confirmation(DataShareAgreement agreement, DateTime day, long days)
    {
        var confirmation = register.FindConfirmation(agreement.Id);
        var dueBy = RetentionRules.ConfirmationDueBy(agreement, days);
        return (confirmation is null ? null : $"{confirmation.ConfirmedBy}, {DateText.FormatDate(confirmation.ConfirmedOn)}", dueBy, confirmation is null && dueBy < day);
    }

    public static readonly IReadOnlyList<ReportColumn> AuditColumns = new[]
    {
        Number("sequence", "#"), Instant("timestamp", "When"), Text("actor", "Who"), Text("machine", "Machine"), Text("action", "Action"),
        Text("targetType", "Target type"), Text("targetId", "Target"), Text("details", "Details"), Text("hash", "Hash"),
    };

    private IEnumerable<object?[]> AuditRows(HashSet<string>? only)
    {
        foreach (var entry in register.ReadAuditLog(1))
        {
            if (only is not null && !only.Contains(entry.TargetId) && !(entry.Details.TryGetValue("AgreementId", out var agreement) && only.Contains(agreement)))
            {
                continue;
            }

            yield return new object?[]
            {
                entry.Sequence, entry.Timestamp, entry.Actor, entry.Machine, entry.Action, entry.TargetType, entry.TargetId,
                // An entry changed outside the module says so where its details would be, never silently blank.
                entry.Problem is null ? string.Join("; ", entry.Details.Select(d => d.Key + "=" + d.Value)) : "Not as written: " + entry.Problem, entry.Hash,
            };
        }
    }

    /// <summary>
    /// A holding's state as reports show it: Destroyed or Withdrawn for good; Blocked or NotFound after its last sweep
    /// (each needs a person); otherwise Due on and after its due day, else its own state (Held, Pending).
    /// </summary>
    private static string HoldingReportState(DataShareHolding holding, DestructionOutcome? last, DateTime due, DateTime day) =>
        holding.State is HoldingState.Destroyed or HoldingState.Withdrawn ? holding.State.ToString()
        : last is DestructionOutcome.Blocked or DestructionOutcome.NotFound ? last.Value.ToString()
        : due <= day ? (RetentionRules.IsHeld(holding, day) ? "HeldPastEnd" : "Due")
        : holding.State.ToString();
}
