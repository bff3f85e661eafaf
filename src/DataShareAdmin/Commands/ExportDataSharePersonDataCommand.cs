using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Writes everything the register holds about one person (a data subject's access request) as a JSON file and a
/// readable HTML page: their places on agreements, certificates with numbers in full, declarations, training,
/// readiness, directory account, notices and the audit entries about them. The export is audited (Person.Export).
/// The files are personal data of that person; each is written whole or not at all, and both are removed again if
/// the export could not be audited, so no unrecorded copy is left.
/// </summary>
[Cmdlet(VerbsData.Export, "DataSharePersonData", DefaultParameterSetName = ByPersonIdSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportDataSharePersonDataCommand : DataShareCmdlet
{
    private const string ByPersonIdSet = "ByPersonId";
    private const string ByEmailSet = "ByEmail";
    private const string Noun = "PersonData";
    private const string What = "a person's data";

    private readonly HashSet<string> written = new(StringComparer.Ordinal);

    /// <summary>The person's id (PE-…); recipients and certificates piped in bind by their PersonId.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByPersonIdSet)]
    [ArgumentCompleter(typeof(PersonIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string PersonId { get; set; } = string.Empty;

    /// <summary>The person's email address (compared without regard to case).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByEmailSet)]
    [ArgumentCompleter(typeof(PersonEmailCompleter))]
    [ValidateNotNullOrEmpty]
    public string Email { get; set; } = string.Empty;

    /// <summary>An existing folder (the files are named after the person's id), or a file name without its extension: &lt;Path&gt;.json and &lt;Path&gt;.html.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Replace the files if they exist (only ever regular files).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Output the two written files.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override int ProgressActivityId => 0x5A61;

    protected override void ProcessRecord()
    {
        var key = ParameterSetName == ByEmailSet ? Email : PersonId;
        Run(key, () =>
        {
            var person = ParameterSetName == ByEmailSet ? Engine.People.FindByEmail(Email) : Engine.People.FindById(PersonId);

            // A person piped once per place they hold is one export.
            if (!FirstTime(person.Id))
            {
                return;
            }

            var stem = Stem(person.Id);
            if (!written.Add(stem))
            {
                throw new DataShareException(Noun + "PathInvalid", DataShareErrorCategory.InvalidArgument,
                    $"'{stem}' already holds the data of another person in this command: to export several people, give -Path an existing folder.", stem);
            }

            var json = FileTarget.Resolve(SessionState, stem + ".json", Force, Noun, What, ownerOnly: true);
            var html = FileTarget.Resolve(SessionState, stem + ".html", Force, Noun, What, ownerOnly: true);
            if (!ShouldProcess($"{json.Path} and {html.Path}", $"Write everything the register holds about {person.Email} ({person.Id}): personal data, certificate numbers in full"))
            {
                return;
            }

            var document = Engine.People.Collect(person, this);
            try
            {
                json.Write(stream =>
                {
                    Core.People.PersonDataService.WriteJson(document, stream);
                    return true;
                });
                html.Write(stream =>
                {
                    Core.People.PersonDataService.WriteHtml(document, stream);
                    return true;
                });
                Engine.People.RecordExport(document, new[] { System.IO.Path.GetFileName(json.Path), System.IO.Path.GetFileName(html.Path) });
            }
            catch
            {
                // Never a copy of a person's data that the audit log does not know about.
                TryDelete(json.Path);
                TryDelete(html.Path);
                throw;
            }

            WriteVerbose($"Wrote the data held about {person.Email} to {json.Path} and {html.Path}. They are personal data of {person.Email}.");
            if (PassThru)
            {
                WriteObject(new FileInfo(json.Path));
                WriteObject(new FileInfo(html.Path));
            }
        });
    }

    /// <summary>The files' path without extension: &lt;folder&gt;/&lt;id&gt;-personal-data for an existing folder, else -Path without a .json or .html it was given with.</summary>
    private string Stem(string personId)
    {
        var resolved = FileTarget.ResolvePath(SessionState, Path, Noun, What);
        if (Directory.Exists(resolved) && Core.Files.FileKinds.Of(resolved) == Core.Files.FileKind.Directory)
        {
            return System.IO.Path.Combine(resolved, personId + "-personal-data");
        }

        if (Path.EndsWith("/", StringComparison.Ordinal) || Path.EndsWith(System.IO.Path.DirectorySeparatorChar.ToString(), StringComparison.Ordinal))
        {
            // Meant as a folder: never turned into '<folder>/.json' in a message or on disk.
            throw new DataShareException(Noun + "PathInvalid", DataShareErrorCategory.ObjectNotFound,
                $"The folder '{resolved.TrimEnd('/', System.IO.Path.DirectorySeparatorChar)}' does not exist. Create it first, or give an existing folder or a file name without its extension.", Path);
        }

        var extension = System.IO.Path.GetExtension(resolved);
        return extension.Equals(".json", StringComparison.OrdinalIgnoreCase) || extension.Equals(".html", StringComparison.OrdinalIgnoreCase)
            ? resolved.Substring(0, resolved.Length - extension.Length)
            : resolved;
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Core.Files.FileKinds.Of(path) == Core.Files.FileKind.RegularFile)
            {
                File.Delete(path);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
