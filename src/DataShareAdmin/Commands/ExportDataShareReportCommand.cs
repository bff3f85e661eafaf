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

            if (Path.IndexOf('\0') >= 0)
            {
                throw new DataShareException("ReportPathInvalid", DataShareErrorCategory.InvalidArgument,
                    $"The path '{Path.Replace('\0', '?')}' contains a NUL character (shown as ?), which no file name can hold.", Path);
            }

            string target;
            ProviderInfo provider;
            try
            {
                target = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out provider, out _);
            }
            catch (System.Management.Automation.DriveNotFoundException ex)
            {
                throw new DataShareException("ReportPathInvalid", DataShareErrorCategory.ObjectNotFound, $"'{Path}' is on a drive that does not exist.", Path, ex);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or ProviderNotFoundException or ItemNotFoundException)
            {
                throw new DataShareException("ReportPathInvalid", DataShareErrorCategory.InvalidArgument, $"'{Path}' is not a path a report can be written to: {ex.Message}", Path, ex);
            }

            if (provider.Name != "FileSystem")
            {
                throw new DataShareException("ReportPathInvalid", DataShareErrorCategory.InvalidArgument, $"'{Path}' is not a file-system path.", Path);
            }

            var folder = System.IO.Path.GetDirectoryName(target);
            if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
            {
                throw new DataShareException("ReportPathInvalid", DataShareErrorCategory.ObjectNotFound, $"The folder for '{target}' does not exist.", target);
            }

            var existing = Core.Files.FileKinds.Of(target);
            RequireReplaceable(target, existing);
            if (existing == Core.Files.FileKind.RegularFile && !Force)
            {
                throw new DataShareException("ReportFileExists", DataShareErrorCategory.ResourceExists, $"'{target}' already exists. Use -Force to replace it.", target);
            }

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
            var partial = target + ".partial-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            long rows;
            try
            {
                using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
                {
                    rows = Engine.Reports.Export(Kind, Format, stream, AsOf is null ? null : ShareCalendar.DateOf(AsOf.Value), selected.Count == 0 ? null : selected, integrity, CancellationToken);
                }

                // Looked at again just before: only ever a regular file is replaced, never a device, pipe or link.
                var now = Core.Files.FileKinds.Of(target);
                RequireReplaceable(target, now);
                if (now == Core.Files.FileKind.RegularFile)
                {
                    // One step: the old report stays until the new one takes its place.
                    File.Replace(partial, target, null);
                }
                else
                {
                    File.Move(partial, target);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                TryDelete(partial);
                throw new DataShareException("ReportWriteFailed", DataShareErrorCategory.WriteError, $"The report could not be written to '{target}': {ex.Message}", target, ex);
            }
            catch
            {
                TryDelete(partial);
                throw;
            }

            WriteProgress($"Writing the {Kind} report", "Done", 100, completed: true);
            WriteVerbose($"Wrote the {Kind} report ({rows} row(s)) as {Format} to {target}.");
            if (PassThru)
            {
                WriteObject(new FileInfo(target));
            }
        });
        base.EndProcessing();
    }

    /// <summary>Nothing there, or a regular file: anything else (a device such as /dev/null, a pipe, a socket, a link) is refused.</summary>
    private static void RequireReplaceable(string target, Core.Files.FileKind kind)
    {
        if (kind is Core.Files.FileKind.Missing or Core.Files.FileKind.RegularFile)
        {
            return;
        }

        throw new DataShareException("ReportPathInvalid", DataShareErrorCategory.InvalidArgument,
            kind == Core.Files.FileKind.Directory
                ? $"'{target}' is a folder: give the report file's name."
                : $"'{target}' is {Core.Files.FileKinds.Describe(kind)}, not a regular file: a report only ever replaces a regular file, with -Force or without. Give the path of a file.",
            target);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
