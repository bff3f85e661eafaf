using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Agreements;
using DataShareAdmin.Core.Policy;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Outputs;

/// <summary>What a release request carries besides the files.</summary>
public sealed class OutputReleaseRequest
{
    public string AgreementId { get; set; } = string.Empty;

    public IReadOnlyList<string> Paths { get; set; } = Array.Empty<string>();

    public OutputTableLayout? Layout { get; set; }

    public string? Purpose { get; set; }

    /// <summary>Why the failing cells may go out as they are; required when any cell fails.</summary>
    public string? Justification { get; set; }
}

/// <summary>
/// Safe outputs through the register: checks under an agreement's rules (differencing against its approved releases),
/// protected copies, and releases requested by one person and approved by another, every step audited.
/// </summary>
public sealed class OutputReleaseService
{
    private readonly IDataShareRegister register;
    private readonly ShareCalendar calendar;
    private readonly IClock clock;
    private readonly string actor;
    private readonly AgreementService agreements;
    private readonly PolicyService policy;

    public OutputReleaseService(IDataShareRegister register, ShareCalendar calendar, IClock clock, string actor, AgreementService agreements, PolicyService policy)
    {
        this.register = register;
        this.calendar = calendar;
        this.clock = clock;
        this.actor = actor;
        this.agreements = agreements;
        this.policy = policy;
    }

    /// <summary>The rules in force for an agreement (the register's, tightened by the agreement's overrides).</summary>
    public OutputRules RulesFor(string agreementId) => policy.OutputRules(ActiveAgreement(agreementId).Id);

    /// <summary>Checks a table under an active agreement's rules, against what it has released.</summary>
    public OutputCheck Check(string agreementId, string path, OutputTableLayout? layout, System.Threading.CancellationToken cancellation)
    {
        var agreement = ActiveAgreement(agreementId);
        RefuseLink(path);
        return Checker().Check(path, layout, policy.OutputRules(agreement.Id), agreement.Id, cancellation);
    }

    /// <summary>Writes a protected copy (never changing the original) and returns the check of the copy as written.</summary>
    public OutputCheck Protect(string agreementId, string path, string destination, OutputTableLayout? layout, bool overwrite, System.Threading.CancellationToken cancellation)
    {
        var agreement = ActiveAgreement(agreementId);
        RefuseLink(path);
        return Checker().Protect(path, destination, layout, policy.OutputRules(agreement.Id), agreement.Id, overwrite, cancellation);
    }

    /// <summary>Checks every file and records the release as requested; null when the host declined.</summary>
    public OutputRelease? Request(OutputReleaseRequest request, IOperationHost host)
    {
        var agreement = ActiveAgreement(request.AgreementId);
        var purpose = TextLimits.Check("OutputRelease", "Purpose", Trimmed(request.Purpose), TextLimits.Statement, request.Purpose);
        var justification = TextLimits.Check("OutputRelease", "Justification", Trimmed(request.Justification), TextLimits.Statement, request.Justification);
        var rules = policy.OutputRules(agreement.Id);
        var now = clock.UtcNow;
        var release = new OutputRelease
        {
            Id = Ids.NewOutputReleaseId(),
            AgreementId = agreement.Id,
            State = OutputReleaseState.Requested,
            Purpose = purpose,
            Rules = rules.ToString(),
            RequestedBy = actor,
            RequestedAt = now,
        };

        var checks = new List<OutputCheck>();
        foreach (var path in request.Paths)
        {
            var name = Path.GetFileName(path);
            if (release.Files.Any(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new DataShareException("OutputReleaseFileDuplicate", DataShareErrorCategory.InvalidArgument,
                    $"Two files named '{name}' in one release: a release names its files, so each name must be different. Nothing was recorded.", path);
            }

            host.CancellationToken.ThrowIfCancellationRequested();
            RefuseLink(path);
            var check = Checker().Check(path, request.Layout, rules, agreement.Id, host.CancellationToken);
            var summary = check.Summary;
            checks.Add(check);
            release.Files.Add(new OutputReleaseFile
            {
                ReleaseId = release.Id,
                Position = release.Files.Count,
                Name = name,
                Sha256 = summary.Sha256,
                Size = new FileInfo(path).Length,
                Kind = summary.Kind,
                Dimensions = ReadableList<string>.Of(check.DimensionNames),
                Cells = summary.Cells,
                Failed = summary.Failed,
                Review = summary.Review,
                Suppressed = summary.Suppressed,
                Verdict = summary.Verdict,
            });
            foreach (var cell in check.Cells.Where(c => c.Verdict == OutputVerdict.Fail))
            {
                if (justification is null)
                {
                    throw new DataShareException("OutputReleaseJustificationMissing", DataShareErrorCategory.InvalidOperation,
                        $"{name} has failing cells ({summary.Failed}, the first: {cell.Cell}, {cell.Rules}). Release a protected copy (Test-DataShareOutput -Protect), or give -Justification for releasing them as they are. Nothing was recorded.", path);
                }

                release.Exceptions.Add(new OutputReleaseException
                {
                    ReleaseId = release.Id, File = name, Cell = cell.Cell, Rules = cell.Rules, Justification = justification, WrittenBy = actor, WrittenAt = now,
                });
            }
        }

        release.Verdict = release.Files.Count == 0 ? OutputVerdict.Pass : release.Files.Max(f => f.Verdict);
        if (!host.ShouldProcess($"Output release of {string.Join(", ", release.Files.Select(f => f.Name))} under agreement {agreement.Id}", "Request release"))
        {
            return null;
        }

        var cells = checks.SelectMany((check, file) => check.TableCells.Select((cell, position) => new OutputReleaseCell
        {
            ReleaseId = release.Id, File = file, Position = position, Categories = cell.Categories.ToList(), Count = cell.Count,
        }));
        register.InsertOutputRelease(release, cells, Audit("OutputRelease.Requested", release, new Dictionary<string, string?>
        {
            ["AgreementId"] = release.AgreementId,
            ["Files"] = string.Join("; ", release.Files.Select(f => $"{f.Name} sha256 {f.Sha256} ({f.Cells} cells, {f.Failed} failed, {f.Review} review)")),
            ["Verdict"] = release.Verdict.ToString(),
            ["Rules"] = release.Rules,
            ["Exceptions"] = release.Exceptions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Justification"] = justification,
            ["Purpose"] = purpose,
        }));
        host.WriteVerbose($"Recorded output release {release.Id}: {release.Files.Count} file(s), verdict {release.Verdict}, waiting for approval by someone other than {actor}.");
        return release;
    }

    /// <summary>Approves a requested release, as someone other than its requester; null when the host declined.</summary>
    public OutputRelease? Approve(string id, IOperationHost host) => Conflicts.Retry(first =>
    {
        var release = Get(id);
        if (release.State != OutputReleaseState.Requested)
        {
            throw new DataShareException("OutputReleaseNotRequested", DataShareErrorCategory.InvalidOperation,
                $"Output release {release.Id} is {release.State}: only a requested release can be approved.", release.Id);
        }

        if (string.Equals(release.RequestedBy, actor, StringComparison.OrdinalIgnoreCase))
        {
            throw new DataShareException("OutputReleaseApproverIsRequester", DataShareErrorCategory.PermissionDenied,
                $"{actor} requested output release {release.Id}, so cannot approve it: a second person must check it. Nothing was changed.", release.Id);
        }

        ActiveAgreement(release.AgreementId);
        if (first && !host.ShouldProcess($"Output release {release.Id} ({release.Files.Count} file(s), verdict {release.Verdict}, {release.Exceptions.Count} exception(s)) under agreement {release.AgreementId}", "Approve release"))
        {
            return null;
        }

        release.State = OutputReleaseState.Approved;
        release.ApprovedBy = actor;
        release.ApprovedAt = clock.UtcNow;
        register.UpdateOutputRelease(release, Audit("OutputRelease.Approved", release, new Dictionary<string, string?>
        {
            ["AgreementId"] = release.AgreementId,
            ["RequestedBy"] = release.RequestedBy,
            ["Exceptions"] = release.Exceptions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        return release;
    });

    /// <summary>Rejects a requested release or revokes an approved one, with a reason; null when the host declined.</summary>
    public OutputRelease? Revoke(string id, string reason, IOperationHost host)
    {
        var why = TextLimits.Check("OutputRelease", "Reason", Trimmed(reason), TextLimits.Reason, reason);
        if (why is null)
        {
            throw new DataShareException("OutputReleaseReasonMissing", DataShareErrorCategory.InvalidArgument,
                "Give a -Reason: a rejected or revoked release stays in the history with why.", reason);
        }

        return Conflicts.Retry(first =>
        {
            var release = Get(id);
            if (release.State is not (OutputReleaseState.Requested or OutputReleaseState.Approved))
            {
                throw new DataShareException("OutputReleaseNotRevocable", DataShareErrorCategory.InvalidOperation,
                    $"Output release {release.Id} is already {release.State}.", release.Id);
            }

            var state = release.State == OutputReleaseState.Requested ? OutputReleaseState.Rejected : OutputReleaseState.Revoked;
            if (first && !host.ShouldProcess($"Output release {release.Id} under agreement {release.AgreementId}", state == OutputReleaseState.Rejected ? "Reject release" : "Revoke release"))
            {
                return null;
            }

            release.State = state;
            release.RevokedBy = actor;
            release.RevokedAt = clock.UtcNow;
            release.RevokedReason = why;
            register.UpdateOutputRelease(release, Audit("OutputRelease." + state, release, new Dictionary<string, string?>
            {
                ["AgreementId"] = release.AgreementId,
                ["Reason"] = why,
            }));
            return release;
        });
    }

    /// <summary>The release, or an OutputReleaseNotFound error.</summary>
    public OutputRelease Get(string id) =>
        (Ids.Normalise(Ids.OutputReleasePrefix, id) is { } normalised ? register.FindOutputRelease(normalised) : null) ?? throw new DataShareException("OutputReleaseNotFound", DataShareErrorCategory.ObjectNotFound,
            $"There is no output release '{id}'. Get-DataShareOutputRelease lists them.", id);

    public IEnumerable<OutputRelease> List(string? agreementId) => register.ListOutputReleases(agreementId is null ? null : AgreementRules.NormaliseId(agreementId));

    private OutputChecker Checker() => new(new RegisterReleasedOutputs(register));

    private DataShareAgreement ActiveAgreement(string agreementId)
    {
        var agreement = agreements.Get(agreementId, calendar.Today);
        if (agreement.Status != AgreementStatus.Active)
        {
            throw new DataShareException("AgreementNotActive", DataShareErrorCategory.InvalidOperation,
                $"Agreement {agreement.Id} is {agreement.Status} today, not Active: outputs are checked and released only under an active agreement. Nothing was recorded.", agreement.Id);
        }

        return agreement;
    }

    /// <summary>
    /// A table is read as itself, never through a link: what is checked, hashed and named in a release must be the file
    /// the path names, not one a link points at (which can change between the check and the release).
    /// </summary>
    private static void RefuseLink(string path)
    {
        FileAttributes attributes;
        try
        {
            attributes = File.GetAttributes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return; // The reader says what is wrong with a path that cannot be looked at.
        }

        if ((attributes & FileAttributes.ReparsePoint) != 0)
        {
            throw new DataShareException("OutputFileIsLink", DataShareErrorCategory.InvalidArgument,
                $"'{path}' is a link. Give the path of the table itself; nothing was checked or recorded.", path);
        }
    }

    private static AuditEvent Audit(string action, OutputRelease release, Dictionary<string, string?> details) => new(action, "OutputRelease", release.Id, details);

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
}

/// <summary>The register's approved releases, as the differencing rule reads them (a file's cells streamed from the register).</summary>
internal sealed class RegisterReleasedOutputs : IReleasedOutputs
{
    private readonly IDataShareRegister register;
    private readonly Dictionary<ReleasedTable, (string ReleaseId, int File)> files = new();

    public RegisterReleasedOutputs(IDataShareRegister register) => this.register = register;

    public IEnumerable<ReleasedTable> Released(string agreementId)
    {
        foreach (var release in register.ListOutputReleases(agreementId).Where(r => r.State == OutputReleaseState.Approved).ToList())
        {
            foreach (var file in release.Files)
            {
                var table = new ReleasedTable(release.Id, file.Name, file.Dimensions.ToList());
                files[table] = (release.Id, file.Position);
                yield return table;
            }
        }
    }

    public IEnumerable<ReleasedCell> Cells(ReleasedTable table)
    {
        var (releaseId, file) = files[table];
        return register.ListOutputReleaseCells(releaseId).Where(c => c.File == file).Select(c => new ReleasedCell(c.Categories.ToList(), c.Count));
    }
}
