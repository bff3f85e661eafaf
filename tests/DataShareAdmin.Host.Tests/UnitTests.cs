using System.Management.Automation;
using Xunit;

namespace DataShareAdmin.Host.Tests;

/// <summary>The host's pieces that need no process: command-line parsing and the progress throttle.</summary>
public sealed class UnitTests
{
    [Fact]
    public void Everything_after_File_belongs_to_the_script()
    {
        var options = HostOptions.Parse(new[] { "-Module", "m.psd1", "-File", "job.ps1", "-Module", "x", "-Verbose" }, out var error);

        Assert.Null(error);
        Assert.NotNull(options);
        Assert.Equal("m.psd1", options.ModulePath);
        Assert.Equal("job.ps1", options.File);
        Assert.Equal(new[] { "-Module", "x", "-Verbose" }, options.ScriptArguments);
    }

    [Fact]
    public void Unknown_parameters_are_reported_without_their_value()
    {
        var options = HostOptions.Parse(new[] { "-Password:hunter2", "-Command", "1" }, out var error);

        Assert.Null(options);
        Assert.NotNull(error);
        Assert.Contains("-Password", error, System.StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_prints_a_line_for_a_new_activity_a_changed_activity_and_completion_only()
    {
        var progress = new ProgressLine();

        Assert.Equal("PROGRESS: Copy: file 1 (10%)", progress.Next(1, new ProgressRecord(1, "Copy", "file 1") { PercentComplete = 10 }));
        Assert.Null(progress.Next(1, new ProgressRecord(1, "Copy", "file 2") { PercentComplete = 20 }));
        Assert.Equal("PROGRESS: Verify: file 1", progress.Next(1, new ProgressRecord(1, "Verify", "file 1")));
        Assert.Equal("PROGRESS: Hash: start", progress.Next(1, new ProgressRecord(2, "Hash", "start")));
        Assert.Equal("PROGRESS: Verify: completed", progress.Next(1, new ProgressRecord(1, "Verify", "done") { RecordType = ProgressRecordType.Completed }));
        Assert.Null(progress.Next(1, new ProgressRecord(2, "Hash", "more")));
    }
}
