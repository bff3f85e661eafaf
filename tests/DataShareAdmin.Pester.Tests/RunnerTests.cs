using System;
using System.IO;
using System.Linq;
using Xunit;

namespace DataShareAdmin.Pester.Tests;

/// <summary>The gate itself: a failing, skipped or missing Pester test can never pass unnoticed.</summary>
public sealed class RunnerTests
{
    private static PesterEnvironment Shared => PesterEnvironment.Shared;

    private static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "Samples", name);

    [Fact]
    public void A_failed_test_fails_the_run_and_is_named_with_its_message_and_a_skip_is_named_with_its_reason()
    {
        var run = PesterRun.Start(Shared, Sample("Gate.Tests.ps1"));

        Assert.False(run.Passed);
        Assert.NotEqual(0, run.Process.ExitCode);
        Assert.Equal(
            new[] { "The runner.fails with its message", "The runner.with a set-up that fails.does not run" },
            run.Results.Failed.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "The runner.finds the decoy first on PATH after pwsh's own folder, never another pwsh", "The runner.passes" },
            run.Results.Cases.Where(c => c.Passed).Select(c => c.Name).Order(StringComparer.Ordinal));

        var report = run.Report();
        Assert.Contains("2 of 5 Pester tests failed", report, StringComparison.Ordinal);
        Assert.Contains("[-] The runner.fails with its message", report, StringComparison.Ordinal);
        Assert.Contains("what was expected", report, StringComparison.Ordinal);
        Assert.Contains("the set-up of this context failed", report, StringComparison.Ordinal);
        Assert.Equal(new[] { "Skipped: The runner.skips with its reason: is skipped, because this sample says so" }, run.SkipReasons);
    }

    [Fact]
    public void A_file_that_does_not_parse_fails_the_run()
    {
        var run = PesterRun.Start(Shared, Sample("Unparsable.Tests.ps1"));

        Assert.False(run.Passed);
        Assert.Empty(run.Results.Cases);
        Assert.Contains("Missing closing '}'", run.Report(), StringComparison.Ordinal);
    }
}
