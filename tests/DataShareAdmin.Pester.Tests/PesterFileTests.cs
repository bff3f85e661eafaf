using Xunit;
using Xunit.Abstractions;

namespace DataShareAdmin.Pester.Tests;

/// <summary>
/// Every Pester file of tests/Pester, one xunit case each: the case fails naming every Pester test that failed, with its
/// message, and is reported skipped, with the reasons, when a Pester test in the file was skipped.
/// </summary>
[Collection(PesterRuns.Name)]
public sealed class PesterFileTests
{
    private readonly PesterEnvironment environment;
    private readonly ITestOutputHelper output;

    public PesterFileTests(PesterEnvironment environment, ITestOutputHelper output)
    {
        this.environment = environment;
        this.output = output;
    }

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in PesterEnvironment.TestFiles())
        {
            data.Add(file);
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Every_test_in_the_file_passes_on_the_pinned_pwsh(string file)
    {
        var run = PesterRun.Start(environment, System.IO.Path.Combine(PesterEnvironment.PesterFolder, file));
        output.WriteLine(run.Process.Output);

        Assert.True(run.Passed, run.Report());
        Skip.If(run.Results.Skipped.Count > 0, run.SkipReport());
    }
}
