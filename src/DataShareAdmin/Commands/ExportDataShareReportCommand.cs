using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using DataShareAdmin.Core.Reports;
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

    /// <summary>With -Kind PublicRegister: also list what changed after this day (new, varied, ended, destroyed, refused, withdrawn).</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? Since { get; set; }

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

            var target = FileTarget.ResolvePath(SessionState, Path, "Report", "a report");

            var request = new ReportFileRequest
            {
                Kind = Kind,
                Format = Format,
                Target = target,
                AsOf = AsOf is null ? null : ShareCalendar.DateOf(AsOf.Value),
                Force = Force,
                IncludeOrphans = IncludeOrphans,
                Since = Since is null ? null : ShareCalendar.DateOf(Since.Value),
            };
            ReportFileService.Check(request, SessionSettings.Current().Storage is not null);
            request.AgreementIds = Engine.ReportFiles.Select(agreements);
            if (!ShouldProcess(target, $"Write the {Kind} report as {Format}"))
            {
                return;
            }

            WriteProgress($"Writing the {Kind} report", System.IO.Path.GetFileName(target), -1, completed: false);
            var rows = Engine.ReportFiles.Write(request, this, error => WriteError(ErrorRecords.From(error, error.Target)));
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
