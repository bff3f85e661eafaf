using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.SafePeople;
using DataShareAdmin.Core.Time;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Evidence;

/// <summary>Evidence packs: one verifiable file per agreement for an auditor (Export-/Test-DataShareEvidence).</summary>
public sealed class EvidenceService
{
    public const string IndexFile = "evidence.json";

    public const string SummaryFile = "summary.html";

    public const string AuditHeadLabel = "DataShareAdmin-Audit-Head";

    public const string PersonalDataLabel = "Contains-Personal-Data";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,

        // Text as it is (escaped where JSON needs it); the HTML page does its own encoding.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly AuditIdentity identity;
    private readonly EvidenceCollector collector;

    public EvidenceService(IDataShareRegister register, ShareCalendar calendar, IClock clock, AuditIdentity identity, AgreementService agreements, TransferService transfers, ReadinessService readiness)
    {
        this.calendar = calendar;
        this.clock = clock;
        this.identity = identity;
        collector = new EvidenceCollector(register, calendar, agreements, transfers, readiness);
    }

    /// <summary>Writes the pack for one agreement into <paramref name="output"/>; returns its index.</summary>
    public EvidenceDocument Export(string agreementId, Stream output, IOperationHost host)
    {
        var now = DateText.Truncate(clock.UtcNow);
        var document = collector.Collect(agreementId, now, identity.User, host);
        host.WriteProgress("Gathering the evidence", "Writing the pack", 97, completed: false);
        var index = JsonSerializer.SerializeToUtf8Bytes(document, Json);
        var page = new StringWriter(CultureInfo()) { NewLine = "\n" };
        EvidenceSummary.Write(document, page);
        var id = document.Agreement.Id;
        var info = new List<(string, string)>
        {
            ("Bagging-Date", DateText.FormatDate(calendar.Today)),
            ("Bag-Software-Agent", "DataShareAdmin " + typeof(EvidenceService).Assembly.GetName().Version),
            ("External-Identifier", id),
            ("External-Description", $"Evidence pack for data sharing agreement {id} ({document.Agreement.Title}, {document.Agreement.Organisation}): terms, approval, organisation, recipients' readiness, transfers, holdings, destruction and the audit entries about it. Index: data/{IndexFile}; summary: data/{SummaryFile}."),
            (PersonalDataLabel, "yes - names and email addresses of the recipients, the agreement's officer and the organisation's protection officer, with training and declaration dates and masked certificate numbers. Handle under your data protection policy."),
            ("DataShareAdmin-Evidence-Schema", EvidenceDocument.SchemaName + " " + EvidenceDocument.CurrentSchemaVersion),
            (AuditHeadLabel, document.Audit.Head.ToString()),
        };
        EvidenceBag.Write(output, RootName(id), new[] { (IndexFile, index), (SummaryFile, new UTF8Encoding(false).GetBytes(page.ToString())) }, info, now);
        host.WriteProgress("Gathering the evidence", "Done", 100, completed: true);
        return document;
    }

    /// <summary>The bag's folder in the zip: the agreement id, with anything but letters, digits, '-' and '_' as '_'.</summary>
    public static string RootName(string agreementId)
    {
        var name = new StringBuilder(agreementId.Length + 9);
        foreach (var c in agreementId)
        {
            name.Append(c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' ? c : '_');
        }

        return name.Append("-evidence").ToString();
    }

    private static IFormatProvider CultureInfo() => System.Globalization.CultureInfo.InvariantCulture;
}
