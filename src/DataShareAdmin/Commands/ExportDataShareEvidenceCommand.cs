using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Writes one evidence pack per agreement: a zip holding a BagIt bag with a JSON index and an HTML summary of
/// everything the register holds about the agreement, and the audit entries about it with the audit head. It contains
/// personal data. The file is written whole or not at all.
/// </summary>
[Cmdlet(VerbsData.Export, "DataShareEvidence", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportDataShareEvidenceCommand : DataShareCmdlet
{
    private readonly HashSet<string> written = new(StringComparer.Ordinal);

    /// <summary>The agreement (agreements, recipients and transfers piped in bind by AgreementId).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string AgreementId { get; set; } = string.Empty;

    /// <summary>The zip file to write, or an existing folder to write &lt;AgreementId&gt;-evidence.zip into.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Replace the file if it exists (only ever a regular file).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Output the written file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override int ProgressActivityId => 0x5A60;

    protected override void ProcessRecord()
    {
        Run(AgreementId, () =>
        {
            // An agreement piped twice (once per recipient) is one pack.
            var agreement = Engine.Agreements.Get(AgreementId);
            if (!FirstTime(agreement.Id))
            {
                return;
            }

            var path = InFolder(agreement.Id, out var resolved);
            if (!written.Add(resolved))
            {
                throw new DataShareException("EvidencePathInvalid", DataShareErrorCategory.InvalidArgument,
                    $"'{resolved}' already holds the pack of another agreement in this command: to export several agreements, give -Path an existing folder.", resolved);
            }

            var file = FileTarget.Resolve(SessionState, path, Force, "Evidence", "an evidence pack", ownerOnly: true);

            if (!ShouldProcess(file.Path, $"Write the evidence pack (personal data) for agreement {agreement.Id}"))
            {
                return;
            }

            file.Write(stream => Engine.Evidence.Export(agreement.Id, stream, this));
            WriteVerbose($"Wrote the evidence pack for agreement {agreement.Id} to {file.Path}. It contains personal data.");
            if (PassThru)
            {
                WriteObject(new FileInfo(file.Path));
            }
        });
    }

    /// <summary>The file: -Path itself, or &lt;id&gt;-evidence.zip inside it when it names an existing folder.</summary>
    private string InFolder(string agreementId, out string resolved)
    {
        resolved = Path;
        if (Path.IndexOf('\0') < 0)
        {
            try
            {
                resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out var provider, out _);
                if (provider.Name == "FileSystem" && Directory.Exists(resolved) && Core.Files.FileKinds.Of(resolved) == Core.Files.FileKind.Directory)
                {
                    resolved = System.IO.Path.Combine(resolved, Core.Evidence.EvidenceService.RootName(agreementId) + ".zip");
                    return resolved;
                }
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or ProviderNotFoundException or ItemNotFoundException or System.Management.Automation.DriveNotFoundException)
            {
                // FileTarget says what is wrong with it.
            }
        }

        return Path;
    }
}
