using Xunit;
using Xunit.Abstractions;

namespace DataShareAdmin.Pester.Tests;

/// <summary>
/// Every Pester file of tests/Pester, one xunit case each, in two classes that xunit runs side by side: a case fails
/// naming every Pester test that failed, with its message, and is reported skipped, with the reasons, when a Pester
/// test in the file was skipped.
/// </summary>
public sealed class PesterFileTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files() => PesterFileCheck.Files(0);

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Every_test_in_the_file_passes_on_the_pinned_pwsh(string file) => PesterFileCheck.Run(file, output);
}

/// <summary>The other half of the Pester files (see <see cref="PesterFileTests"/>).</summary>
public sealed class MorePesterFileTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files() => PesterFileCheck.Files(1);

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void Every_test_in_the_file_passes_on_the_pinned_pwsh(string file) => PesterFileCheck.Run(file, output);
}

internal static class PesterFileCheck
{
    public static TheoryData<string> Files(int half)
    {
        var data = new TheoryData<string>();
        foreach (var file in PesterEnvironment.TestFiles(half))
        {
            data.Add(file);
        }

        return data;
    }

    public static void Run(string file, ITestOutputHelper output)
    {
        var run = PesterRun.Start(PesterEnvironment.Shared, System.IO.Path.Combine(PesterEnvironment.PesterFolder, file));
        output.WriteLine(run.Process.Output);

        Assert.True(run.Passed, run.Report());
        Skip.If(run.Results.Skipped.Count > 0, run.SkipReport());
    }
}
