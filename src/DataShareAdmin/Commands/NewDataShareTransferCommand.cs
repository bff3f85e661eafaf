using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Management.Automation;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Commands;

/// <summary>
/// Uploads an extract for an agreement's recipients into a container of its own and returns a read-only link that
/// expires (in the output's Uri property, once: it is stored nowhere). Every check runs before anything is created.
/// </summary>
[Cmdlet(VerbsCommon.New, "DataShareTransfer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = UploadSet)]
[OutputType(typeof(DataShareTransfer))]
public sealed class NewDataShareTransferCommand : DataShareCmdlet
{
    private const string UploadSet = "Upload";
    private const string UploadLiteralSet = "UploadLiteral";
    private const string FromTransferSet = "FromTransfer";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = UploadSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = UploadLiteralSet)]
    [Parameter(ParameterSetName = FromTransferSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? AgreementId { get; set; }

    /// <summary>Files to send; a folder sends every file in it. Wildcards are expanded.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = UploadSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Files and folders to send, taken exactly as written: no wildcards ('[' and ']' are ordinary characters).</summary>
    [Parameter(Mandatory = true, ParameterSetName = UploadLiteralSet)]
    [Alias("LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>Issue a fresh link for the files an earlier transfer uploaded, after the same checks.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FromTransferSet)]
    [ArgumentCompleter(typeof(TransferIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? FromTransfer { get; set; }

    /// <summary>How long the link works, at most the policy's TransferMaxLifetimeDays (7 days by default).</summary>
    [Parameter(Mandatory = true)]
    public TimeSpan ValidFor { get; set; }

    /// <summary>The recipients to issue the link to; all the agreement's current recipients when omitted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RecipientIdCompleter))]
    public string[] RecipientId { get; set; } = Array.Empty<string>();

    /// <summary>An IPv4 address or range (first-last) the link is limited to.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? AllowedIpRange { get; set; }

    protected override int ProgressActivityId => 0x5A10;

    protected override bool UsesDirectoryChecks => true;

    protected override void ProcessRecord() => Run(AgreementId ?? FromTransfer, () =>
    {
        var transfer = Engine.Transfers.Issue(new TransferRequest
        {
            AgreementId = AgreementId,
            FromTransferId = FromTransfer,
            Paths = ParameterSetName switch
            {
                UploadSet => ResolvePaths(),
                UploadLiteralSet => ResolveLiteralPaths(),
                _ => Array.Empty<string>(),
            },
            ValidFor = ValidFor,
            RecipientIds = RecipientId,
            AllowedIpRange = AllowedIpRange,
        }, Engine.Storage.ForTransfers(), this);
        if (transfer is not null)
        {
            WriteObject(transfer);
        }
    });

    /// <summary>PowerShell paths (relative, wildcards, PSDrives) as full file-system paths.</summary>
    private List<string> ResolvePaths()
    {
        var resolved = new List<string>();
        foreach (var path in Path)
        {
            Collection<string> matches;
            try
            {
                matches = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                if (provider.Name != "FileSystem")
                {
                    throw new DataShareException("TransferFileNotFound", DataShareErrorCategory.ObjectNotFound, $"'{path}' is not a file-system path.", path);
                }
            }
            catch (ItemNotFoundException)
            {
                throw NotFound(path);
            }
            catch (DriveNotFoundException)
            {
                throw NotFound(path);
            }

            if (matches.Count == 0)
            {
                throw NotFound(path);
            }

            resolved.AddRange(matches);
        }

        return resolved;
    }

    /// <summary>Literal PowerShell paths (relative, PSDrives) as full file-system paths; existence is checked by the engine.</summary>
    private List<string> ResolveLiteralPaths()
    {
        var resolved = new List<string>();
        foreach (var path in LiteralPath)
        {
            try
            {
                resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _));
                if (provider.Name != "FileSystem")
                {
                    throw new DataShareException("TransferFileNotFound", DataShareErrorCategory.ObjectNotFound, $"'{path}' is not a file-system path.", path);
                }
            }
            catch (DriveNotFoundException)
            {
                throw NotFound(path);
            }
        }

        return resolved;
    }

    private static DataShareException NotFound(string path) =>
        new("TransferFileNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no file or folder '{path}'.", path);
}
