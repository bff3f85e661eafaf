using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using DataShareAdmin.Core.Reports;

namespace DataShareAdmin.Core.Tests;

/// <summary>
/// Reports and untracked copies: a transfer that never finished is in the Transfers report without a link, its pending
/// container in the Retention report, and the orphans a storage search found are rows of that report, which says at its
/// top whether storage was searched.
/// </summary>
public sealed class ReportCopiesTests : TransferTestsBase
{
    private List<string[]> Csv(ReportKind kind, DateTime? asOf = null, ICollection<string>? only = null)
    {
        using var stream = new MemoryStream();
        CsvReportWriter.Write(Engine.Reports.Build(kind, asOf, only), stream);
        return ReportTests.ParseCsv(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string Cell(List<string[]> rows, string[] row, string name) => row[Array.IndexOf(rows[0], name)];

    [Fact]
    public void A_transfer_that_never_finished_is_reported_without_a_link_and_not_counted_as_issued()
    {
        var issued = Engine.Transfers.Issue(Request(), storage, host)!;
        storage.FailAt = "Sign";
        Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(Request(), storage, host));
        var incomplete = Engine.Transfers.Find("DS1", new[] { TransferStatus.Incomplete }).Single();

        var rows = Csv(ReportKind.Transfers);

        var byId = rows.Skip(1).ToDictionary(r => Cell(rows, r, "transferId"));
        var done = byId[issued.Id];
        Assert.Equal(("true", "StoredAccessPolicy", "pupils.csv=" + issued.Files[0].Sha256), (Cell(rows, done, "linkIssued"), Cell(rows, done, "linkKind"), Cell(rows, done, "sha256")));
        var never = byId[incomplete.Id];
        Assert.Equal(("false", string.Empty, string.Empty, string.Empty, "pupils.csv (17 bytes)"),
            (Cell(rows, never, "linkIssued"), Cell(rows, never, "linkKind"), Cell(rows, never, "expiresOn"), Cell(rows, never, "sha256"), Cell(rows, never, "files")));
        Assert.Equal(1, Engine.Reports.Summarise(new DateTime(2026, 6, 15), null).TransfersByMonth.Last().Item2);
    }

    [Fact]
    public void A_pending_container_is_Pending_in_the_retention_report_until_its_day_and_Due_on_it()
    {
        List<string[]>? during = null;
        List<string[]>? onItsDay = null;
        storage.DuringUpload = () =>
        {
            during ??= Csv(ReportKind.Retention);
            onItsDay ??= Csv(ReportKind.Retention, new DateTime(2026, 6, 17));
        };

        var transfer = Engine.Transfers.Issue(Request(), storage, host)!;

        string State(List<string[]> rows) => Cell(rows, rows.Skip(1).Single(r => Cell(rows, r, "holdingId") == transfer.HoldingId), "state");
        Assert.Equal(("Pending", "Due"), (State(during!), State(onItsDay!)));
        Assert.Equal("Held", State(Csv(ReportKind.Retention)));
    }

    [Fact]
    public void Orphans_found_in_storage_are_rows_of_the_retention_report_which_says_whether_storage_was_searched()
    {
        using (var stream = new MemoryStream())
        {
            JsonReportWriter.Write(Engine.Reports.Build(ReportKind.Retention, null, null), stream);
            using var json = System.Text.Json.JsonDocument.Parse(stream.ToArray());
            Assert.StartsWith("Untracked copies: storage was not searched", json.RootElement.GetProperty("integrity").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, json.RootElement.GetProperty("rows").GetArrayLength());
        }

        Engine.Reports.Orphans = new OrphanScan("devstoreaccount1 (http://127.0.0.1:10000/devstoreaccount1)", new[]
        {
            new DataShareOrphan { Kind = OrphanKind.Container, Uri = "http://127.0.0.1:10000/devstoreaccount1/dsa-ds1-tr-lost", AgreementId = "DS1", Objects = 2, Bytes = 20, Reason = "Made for DS1." },
            new DataShareOrphan { Kind = OrphanKind.Prefix, Uri = "http://127.0.0.1:10000/devstoreaccount1/analysis/old/", Objects = 1, Bytes = 5, Reason = "Beside holdings." },
        });

        var rows = Csv(ReportKind.Retention);

        var orphans = rows.Skip(1).Where(r => Cell(rows, r, "state") == "Orphan").ToList();
        Assert.Equal(2, orphans.Count);
        Assert.Equal(("DS1", string.Empty, string.Empty, "Made for DS1. 2 blob(s), 20 bytes."),
            (Cell(rows, orphans[0], "agreement"), Cell(rows, orphans[0], "holdingId"), Cell(rows, orphans[0], "dueOn"), Cell(rows, orphans[0], "reason")));
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1/analysis/old/", Cell(rows, orphans[1], "location"));
        Assert.Equal("Untracked copies: 2 orphan(s) found in devstoreaccount1 (http://127.0.0.1:10000/devstoreaccount1) (Find-DataShareOrphan), listed as rows in the state Orphan.",
            Cell(rows, rows[1], "reportIntegrity"));

        Engine.Reports.Orphans = new OrphanScan("devstoreaccount1 (http://127.0.0.1:10000/devstoreaccount1)", Engine.Reports.Orphans.Found, failures: 1);
        var partial = Csv(ReportKind.Retention);
        Assert.EndsWith("listed as rows in the state Orphan; 1 place(s) could NOT be listed, so there may be more.", Cell(partial, partial[1], "reportIntegrity"), StringComparison.Ordinal);

        var limited = Csv(ReportKind.Retention, null, new[] { "DS1" });
        Assert.Equal(new[] { "http://127.0.0.1:10000/devstoreaccount1/dsa-ds1-tr-lost" },
            limited.Skip(1).Where(r => Cell(limited, r, "state") == "Orphan").Select(r => Cell(limited, r, "location")));
    }
}
