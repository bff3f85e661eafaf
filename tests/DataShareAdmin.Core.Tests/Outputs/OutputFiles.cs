using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using DataShareAdmin.Core.Outputs;

namespace DataShareAdmin.Core.Tests.Outputs;

/// <summary>A temporary folder of table files for one test, removed afterwards.</summary>
public sealed class OutputFiles : IDisposable
{
    public OutputFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "dsa-outputs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// <summary>Writes the lines (a header first) as a file and returns its path.</summary>
    public string Table(string name, params string[] lines)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    public static OutputCheck Check(string path, OutputRules? rules = null, OutputTableLayout? layout = null, IReleasedOutputs? released = null, string? agreementId = null) =>
        new OutputChecker(released).Check(path, layout, rules, agreementId);

    /// <summary>The cells' results by their label ("Region=North, Sex=F").</summary>
    public static Dictionary<string, OutputCellResult> Cells(OutputCheck check) => check.Cells.ToDictionary(c => c.Cell);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
