using System;
using System.IO;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Checks an evidence pack offline, from the file alone: every SHA-512 digest, the Payload-Oxum, that the manifest and
/// the payload list the same files, the zip's entry names, and the audit entries' hashes and chain up to the head the
/// pack records. A bad pack is a result with its problems, never an error; only a path that is not a file is an error.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DataShareEvidence")]
[OutputType(typeof(EvidenceTestResult))]
public sealed class TestDataShareEvidenceCommand : DataShareCmdlet
{
    /// <summary>The pack (files piped in bind by FullName).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        // Offline: the register is never opened (Engine is not touched), so an auditor needs none.
        Run(Path, () =>
        {
            if (Path.IndexOf('\0') >= 0)
            {
                throw new DataShareException("EvidencePathInvalid", DataShareErrorCategory.InvalidArgument, "The path contains a NUL character, which no file name can hold.", Path);
            }

            string file;
            try
            {
                file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path, out var provider, out _);
                if (provider.Name != "FileSystem")
                {
                    throw new DataShareException("EvidencePathInvalid", DataShareErrorCategory.InvalidArgument, $"'{Path}' is not a file-system path.", Path);
                }
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or ProviderNotFoundException or ItemNotFoundException or System.Management.Automation.DriveNotFoundException)
            {
                throw new DataShareException("EvidencePathInvalid", DataShareErrorCategory.InvalidArgument, $"'{Path}' is not a path to a file: {ex.Message}", Path, ex);
            }

            var kind = Core.Files.FileKinds.Of(file);
            if (kind == Core.Files.FileKind.Missing)
            {
                throw new DataShareException("EvidenceFileNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no file '{file}'.", file);
            }

            if (kind != Core.Files.FileKind.RegularFile)
            {
                throw new DataShareException("EvidencePathInvalid", DataShareErrorCategory.InvalidArgument,
                    $"'{file}' is {Core.Files.FileKinds.Describe(kind)}, not a regular file: give the path of an evidence pack (.zip).", file);
            }

            EvidenceTestResult result;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read);
                result = Core.Evidence.EvidenceVerifier.Verify(stream, file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DataShareException("EvidenceReadFailed", DataShareErrorCategory.ReadError, $"'{file}' could not be read: {ex.Message}", file, ex);
            }

            WriteObject(result);
        });
    }
}
