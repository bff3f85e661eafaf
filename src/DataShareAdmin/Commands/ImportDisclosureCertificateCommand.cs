using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using DataShareAdmin.Core.SafePeople;

namespace DataShareAdmin.Commands;

/// <summary>
/// Loads certificates from a CSV file or from objects piped in (e.g. Import-Csv or Import-Excel rows). Each bad row
/// is a non-terminating error naming the row; good rows are imported; a row already recorded is reported Unchanged.
/// </summary>
[Cmdlet(VerbsData.Import, "DisclosureCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PathSet)]
[OutputType(typeof(CertificateImportResult))]
public sealed class ImportDisclosureCertificateCommand : DataShareCmdlet
{
    private const string PathSet = "Path";
    private const string InputObjectSet = "InputObject";

    private int pipedRow;

    /// <summary>
    /// CSV files. Not taken from the pipeline: everything piped in is a row (a Path bound by property name in the
    /// default set would stop PowerShell binding piped rows to -InputObject).
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Rows as objects with properties named like the CSV columns.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    public PSObject? InputObject { get; set; }

    protected override int ProgressActivityId => 0x5A10;

    protected override void ProcessRecord()
    {
        if (InputObject is not null)
        {
            pipedRow++;
            var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var property in InputObject.Properties)
            {
                fields[property.Name] = property.Value is DateTime date ? date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : property.Value?.ToString();
            }

            Run(pipedRow, () =>
            {
                if (pipedRow == 1)
                {
                    CertificateImporter.RequireColumns(fields.Keys);
                }

                ImportRow(new ImportRow(pipedRow, fields));
            });
            return;
        }

        foreach (var path in Path)
        {
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            if (!File.Exists(resolved))
            {
                WriteError(ErrorRecords.From(new DataShareException("CertificateImportFileNotFound", DataShareErrorCategory.ObjectNotFound,
                    $"There is no file '{resolved}' to import.", resolved), resolved));
                continue;
            }

            ImportFile(resolved);
        }
    }

    private void ImportFile(string path)
    {
        var activity = "Importing certificates from " + System.IO.Path.GetFileName(path);
        var count = 0;
        Run(path, () =>
        {
            try
            {
                foreach (var row in CertificateImporter.ReadCsv(path))
                {
                    count++;
                    if (count % 100 == 0)
                    {
                        WriteProgress(activity, $"{count} rows", -1, completed: false);
                    }

                    Run(row.Row, () => ImportRow(row));
                }
            }
            finally
            {
                WriteProgress(activity, $"{count} rows", 100, completed: true);
            }
        });
    }

    private void ImportRow(ImportRow row)
    {
        CancellationToken.ThrowIfCancellationRequested();
        var result = Engine.CertificateImport.Import(row, this);
        if (result is not null)
        {
            WriteObject(result);
        }
    }
}
