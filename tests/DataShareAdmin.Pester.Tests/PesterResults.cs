using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace DataShareAdmin.Pester.Tests;

/// <summary>One Pester test as the NUnit XML result file records it.</summary>
internal sealed record PesterTestCase(string Name, string Result, string? Message)
{
    public bool Passed => Result == "Success";

    public bool Skipped => Result is "Ignored" or "Skipped" or "NotRunnable";

    public bool Failed => !Passed && !Skipped;
}

/// <summary>The test cases of a Pester run, read from the NUnit 2.5 XML that Invoke-PesterSuite.ps1 writes.</summary>
internal sealed class PesterResults
{
    private PesterResults(IReadOnlyList<PesterTestCase> cases) => Cases = cases;

    public IReadOnlyList<PesterTestCase> Cases { get; }

    public IReadOnlyList<PesterTestCase> Failed => Cases.Where(c => c.Failed).ToList();

    public IReadOnlyList<PesterTestCase> Skipped => Cases.Where(c => c.Skipped).ToList();

    public int PassedCount => Cases.Count(c => c.Passed);

    /// <summary>The cases in the file; none when Pester wrote no file (it stopped before its report).</summary>
    public static PesterResults Read(string path)
    {
        if (!File.Exists(path))
        {
            return new PesterResults(Array.Empty<PesterTestCase>());
        }

        var document = XDocument.Load(path);
        var cases = document.Descendants("test-case")
            .Select(c => new PesterTestCase(
                (string?)c.Attribute("name") ?? "(unnamed)",
                (string?)c.Attribute("result") ?? "(no result)",
                ((string?)c.Element("failure")?.Element("message") ?? (string?)c.Element("reason")?.Element("message"))?.Trim()))
            .ToList();
        return new PesterResults(cases);
    }
}
