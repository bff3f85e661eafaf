using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.Files;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Storage;

namespace DataShareAdmin.Core.Reports;

/// <summary>Export-DataShareReport's request, its path already resolved to a file-system path.</summary>
public sealed class ReportFileRequest
{
    public ReportKind Kind { get; set; }

    public ReportFormat Format { get; set; }

    /// <summary>The full path of the file to write.</summary>
    public string Target { get; set; } = string.Empty;

    public DateTime? AsOf { get; set; }

    /// <summary>Only these agreements, in their stored form (<see cref="ReportFileService.Select"/>); all when empty.</summary>
    public IReadOnlyList<string> AgreementIds { get; set; } = Array.Empty<string>();

    /// <summary>Replace a file that is there.</summary>
    public bool Force { get; set; }

    /// <summary>With the PublicRegister report: list what changed after this day.</summary>
    public DateTime? Since { get; set; }

    /// <summary>Search the connected storage for orphans and list them (retention reports only).</summary>
    public bool IncludeOrphans { get; set; }
}

/// <summary>
/// A report written to a file whole or not at all: written beside the target and moved into place, and only ever
/// replacing a regular file (never a device, a pipe or a link).
/// </summary>
public sealed class ReportFileService
{
    private readonly ReportService reports;
    private readonly AuditService audit;
    private readonly OrphanFinder orphans;
    private readonly SessionStorage storage;
    private readonly Agreements.AgreementService agreements;

    public ReportFileService(ReportService reports, AuditService audit, OrphanFinder orphans, SessionStorage storage, Agreements.AgreementService agreements)
    {
        this.reports = reports;
        this.audit = audit;
        this.orphans = orphans;
        this.storage = storage;
        this.agreements = agreements;
    }

    /// <summary>
    /// What can be refused before the register is opened: the folder, what is at the path, -Force, and
    /// -IncludeOrphans (with the right kind, and a storage connection to search).
    /// </summary>
    public static void Check(ReportFileRequest request, bool storageConnected)
    {
        var target = request.Target;
        var folder = Path.GetDirectoryName(target);
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            throw new DataShareException("ReportPathInvalid", DataShareErrorCategory.ObjectNotFound,
                $"The folder '{folder}' does not exist, so '{Path.GetFileName(target)}' cannot be written there. Create the folder first, or give a path in an existing one.", target);
        }

        var existing = FileKinds.Of(target);
        RequireReplaceable(target, existing);
        if (existing == FileKind.RegularFile && !request.Force)
        {
            throw new DataShareException("ReportFileExists", DataShareErrorCategory.ResourceExists, $"'{target}' already exists. Use -Force to replace it.", target);
        }

        if (request.IncludeOrphans && request.Kind != ReportKind.Retention)
        {
            throw new DataShareException("ReportIncludeOrphansInvalid", DataShareErrorCategory.InvalidArgument,
                $"-IncludeOrphans goes with -Kind Retention, whose rows orphans are; a {request.Kind} report has no place for them.", request.Kind);
        }

        if (request.Since is { } since && request.Kind != ReportKind.PublicRegister)
        {
            throw new DataShareException("ReportSinceInvalid", DataShareErrorCategory.InvalidArgument,
                $"-Since goes with -Kind PublicRegister, which lists what changed since a day; a {request.Kind} report has no place for it.", request.Kind);
        }

        if (request.IncludeOrphans && !storageConnected)
        {
            throw new DataShareException("StorageNotConnected", DataShareErrorCategory.InvalidOperation,
                "-IncludeOrphans searches the connected storage account, and none is connected: run Connect-DataShareStorage first, or leave -IncludeOrphans out.", null);
        }
    }

    /// <summary>Each agreement id checked and taken in its stored form (trimmed, upper case), so the filter matches the register.</summary>
    public IReadOnlyList<string> Select(IEnumerable<string> agreementIds) => agreementIds.Select(id => agreements.Get(id).Id).ToList();

    /// <summary>Writes the report; returns the number of rows. Orphan searches that fail are reported and counted in the report.</summary>
    public long Write(ReportFileRequest request, IOperationHost host, Action<DataShareException> reportError)
    {
        var integrity = request.Kind == ReportKind.Audit ? audit.Test(null, host) : null;
        if (request.IncludeOrphans && storage.ForOrphans() is { } where)
        {
            // The untracked copies, found first (reads only) so that the report can say at its top how many there are,
            // and in how many places the search failed.
            var failures = 0;
            var found = orphans.Find(where, host, error =>
            {
                failures++;
                reportError(error);
            }).ToList();
            reports.Orphans = new OrphanScan(storage.Connection!.Info.ToString(), found, failures);
        }

        reports.Since = request.Since;
        var target = request.Target;
        var partial = target + ".partial-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        long rows;
        try
        {
            using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
            {
                rows = reports.Export(request.Kind, request.Format, stream, request.AsOf, request.AgreementIds.Count == 0 ? null : request.AgreementIds.ToList(), integrity, host.CancellationToken);
            }

            // Looked at again just before: only ever a regular file is replaced, never a device, pipe or link.
            var now = FileKinds.Of(target);
            RequireReplaceable(target, now);
            if (now == FileKind.RegularFile)
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

        return rows;
    }

    /// <summary>Nothing there, or a regular file: anything else (a device such as /dev/null, a pipe, a socket, a link) is refused.</summary>
    private static void RequireReplaceable(string target, FileKind kind)
    {
        if (kind is FileKind.Missing or FileKind.RegularFile)
        {
            return;
        }

        throw new DataShareException("ReportPathInvalid", DataShareErrorCategory.InvalidArgument,
            kind == FileKind.Directory
                ? $"'{target}' is a folder: give the report file's name."
                : $"'{target}' is {FileKinds.Describe(kind)}, not a regular file: a report only ever replaces a regular file, with -Force or without. Give the path of a file.",
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
