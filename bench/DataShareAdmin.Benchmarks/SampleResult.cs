using System.Collections.Generic;

namespace DataShareAdmin.Benchmarks;

/// <summary>One fresh-process sample, as the child prints it (one JSON line) and the parent reads it back.</summary>
internal sealed class SampleResult
{
    public string Module { get; set; } = string.Empty;

    /// <summary>Creating and opening the runspace: common to every module, reported but not compared.</summary>
    public double RunspaceOpenMs { get; set; }

    /// <summary>The measured figure: the Import-Module call alone, in an open runspace.</summary>
    public double ImportMs { get; set; }

    public int ExportedCmdlets { get; set; }

    public int AssembliesLoadedByImport { get; set; }

    /// <summary>Cmdlet calls after the import, in order; the first one pays for loading the engine.</summary>
    public List<double> CallMs { get; set; } = new();

    public int AssembliesLoadedByFirstCall { get; set; }

    /// <summary>Only with --trace: the assemblies loaded, prefixed with the phase that loaded them.</summary>
    public List<string>? Loads { get; set; }
}
