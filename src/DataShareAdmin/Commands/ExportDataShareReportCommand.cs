using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Commands;

/// <summary>
/// Writes a compliance report — the register of data shares, safe people, transfers, retention or the audit log — as
/// one self-contained HTML page for people, or CSV, JSON or Markdown for scripts. Agreements piped in limit the report
/// to them. The file is written whole or not at all.
/// </summary>
[Cmdlet(VerbsData.Export, "DataShareReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class ExportDataShareReportCommand : DataShareCmdlet
{
    protected override bool UsesDirectoryChecks => Kind == ReportKind.SafePeople;

    private readonly List<string> agreements = new();

    [Parameter(Mandatory = true, Position = 0)]
    public ReportKind Kind { get; set; }

    [Parameter(Mandatory = true, Position = 1)]
    public ReportFormat Format { get; set; }

    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 2)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The day the report is as of; today by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? AsOf { get; set; }

    /// <summary>Limit the report to these agreements (agreements and recipients piped in bind by AgreementId).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? AgreementId { get; set; }

    /// <summary>Replace the file if it exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Output the written file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>With -Kind Retention: search the connected storage for orphans (Find-DataShareOrphan) and list them too.</summary>
    [Parameter]
    public SwitchParameter IncludeOrphans { get; set; }

    protected override int ProgressActivityId => 0x5A30;

    protected override void ProcessRecord()
    {
        if (AgreementId is not null)
        {
            agreements.AddRange(AgreementId);
        }
    }

    protected override void EndProcessing()
    {
        Run(Path, () =>
        {
            if (MyInvocation.ExpectingInput && agreements.Count == 0)
            {
                // Agreements were to come down the pipeline and none did: an empty selection is not "everything".
                WriteWarning($"No agreements came down the pipeline, so no {Kind} report was written.");
                return;
            }

            var file = FileTarget.Resolve(SessionState, Path, Force, "Report", "a report");
            var target = file.Path;

            var storage = SessionSettings.Current().Storage as Core.Storage.StorageConnection;
            if (IncludeOrphans && Kind != ReportKind.Retention)
            {
                throw new DataShareException("ReportIncludeOrphansInvalid", DataShareErrorCategory.InvalidArgument,
                    $"-IncludeOrphans goes with -Kind Retention, whose rows orphans are; a {Kind} report has no place for them.", Kind);
            }

            if (IncludeOrphans && storage is null)
            {
                throw new DataShareException("StorageNotConnected", DataShareErrorCategory.InvalidOperation,
                    "-IncludeOrphans searches the connected storage account, and none is connected: run Connect-DataShareStorage first, or leave -IncludeOrphans out.", null);
            }

            // Each id checked and taken in its stored form (trimmed, upper case), so the filter matches the register.
            var selected = new List<string>();
            foreach (var id in agreements)
            {
                selected.Add(Engine.Agreements.Get(id).Id);
            }

            if (!ShouldProcess(target, $"Write the {Kind} report as {Format}"))
            {
                return;
            }

            WriteProgress($"Writing the {Kind} report", System.IO.Path.GetFileName(target), -1, completed: false);
            var integrity = Kind == ReportKind.Audit ? Engine.Audit.Test(null, this) : null;
            if (IncludeOrphans && storage is not null)
            {
                // The untracked copies, found first (reads only) so that the report can say at its top how many there are,
                // and in how many places the search failed.
                var failures = 0;
                var found = Engine.Orphans.Find(new Core.Retention.BlobOrphanStorage(storage), this, error =>
                {
                    failures++;
                    WriteError(ErrorRecords.From(error, error.Target));
                }).ToList();
                Engine.Reports.Orphans = new Core.Reports.OrphanScan(storage.Info.ToString(), found, failures);
            }


            // Written beside the target and moved into place: a failure or Ctrl+C never leaves half a report.
            var rows = file.Write(stream => Engine.Reports.Export(Kind, Format, stream, AsOf is null ? null : ShareCalendar.DateOf(AsOf.Value), selected.Count == 0 ? null : selected, integrity, CancellationToken));

            WriteProgress($"Writing the {Kind} report", "Done", 100, completed: true);
            WriteVerbose($"Wrote the {Kind} report ({rows} row(s)) as {Format} to {target}.");
            if (PassThru)
            {
                WriteObject(new FileInfo(target));
            }
        });
        base.EndProcessing();
    }
}
