using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace DataShareAdmin.Commands;

/// <summary>What the cmdlets that read aggregate tables share: the agreement, the table's columns, and path resolution.</summary>
public abstract class OutputTableCmdlet : DataShareCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string AgreementId { get; set; } = string.Empty;

    /// <summary>The dimension columns; by default every column that is not a measure.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(OutputColumnCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? DimensionColumn { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(OutputColumnCompleter))]
    [ValidateNotNullOrEmpty]
    public string? CountColumn { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(OutputColumnCompleter))]
    [ValidateNotNullOrEmpty]
    public string? ValueColumn { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(OutputColumnCompleter))]
    [ValidateNotNullOrEmpty]
    public string? LargestColumn { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(OutputColumnCompleter))]
    [ValidateNotNullOrEmpty]
    public string? SecondLargestColumn { get; set; }

    /// <summary>Rates as 'Rate=Numerator/Denominator', or 'Numerator/Denominator'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RateColumn { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? TotalLabel { get; set; }

    /// <summary>The columns as given; null when none is named (every column found by its usual names).</summary>
    protected OutputTableLayout Layout()
    {
        var layout = new OutputTableLayout
        {
            Dimensions = DimensionColumn?.ToList() ?? new List<string>(),
            Count = CountColumn,
            Value = ValueColumn,
            Largest = LargestColumn,
            SecondLargest = SecondLargestColumn,
            TotalLabels = TotalLabel?.ToList() ?? new List<string>(),
        };
        foreach (var rate in RateColumn ?? Array.Empty<string>())
        {
            var equals = rate.IndexOf('=');
            var parts = rate.Substring(equals + 1).Split('/');
            if (parts.Length != 2 || parts.Any(p => p.Trim().Length == 0) || (equals >= 0 && rate.Substring(0, equals).Trim().Length == 0))
            {
                throw new DataShareException("OutputRateColumnInvalid", DataShareErrorCategory.InvalidArgument,
                    $"-RateColumn '{rate}' is not 'Rate=Numerator/Denominator' or 'Numerator/Denominator'. Nothing was checked.", rate);
            }

            layout.Rates.Add(new OutputRateColumns { Rate = equals < 0 ? null : rate.Substring(0, equals).Trim(), Numerator = parts[0].Trim(), Denominator = parts[1].Trim() });
        }

        return layout;
    }

    /// <summary>A PowerShell path (relative, a PSDrive) as a file-system path; the engine checks what is there.</summary>
    protected string FileSystemPath(string path)
    {
        try
        {
            var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
            if (provider.Name == "FileSystem")
            {
                return resolved;
            }
        }
        catch (Exception ex) when (ex is System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException or ArgumentException)
        {
        }

        throw new DataShareException("OutputFileNotFound", DataShareErrorCategory.ObjectNotFound, $"'{path}' is not a file-system path.", path);
    }
}

/// <summary>Tab completion of a table's column names, from the header of the file given with -Path.</summary>
public sealed class OutputColumnCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var results = new List<CompletionResult>();
        try
        {
            var given = fakeBoundParameters?["Path"];
            var path = given is IList list && list.Count > 0 ? list[0]?.ToString() : given?.ToString();
            if (string.IsNullOrWhiteSpace(path))
            {
                return results;
            }

            var text = path!.Trim('\'', '"');
            var full = System.IO.Path.IsPathRooted(text)
                ? text
                : System.IO.Path.Combine(System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath ?? Environment.CurrentDirectory, text);
            var info = new FileInfo(full);
            if (!info.Exists)
            {
                return results;
            }

            // The header only: at most 64 KB of the file's first line, whatever the file is.
            using var reader = new StreamReader(info.OpenRead(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var buffer = new char[65536];
            var read = reader.Read(buffer, 0, buffer.Length);
            var line = new string(buffer, 0, read).Split('\n')[0].TrimEnd('\r');
            var separator = line.Count(c => c == ';') > line.Count(c => c == ',') ? ';' : line.Contains('\t') && !line.Contains(',') ? '\t' : ',';
            var pattern = WildcardPattern.Get((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            foreach (var name in line.Split(separator).Select(n => n.Trim().Trim('"')).Where(n => n.Length > 0).Distinct())
            {
                if (pattern.IsMatch(name))
                {
                    results.Add(new CompletionResult("'" + name.Replace("'", "''") + "'", name, CompletionResultType.ParameterValue, "column of " + info.Name));
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A file that cannot be read offers nothing; completion never fails.
        }

        return results;
    }
}
