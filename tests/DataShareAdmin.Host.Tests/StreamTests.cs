using System;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace DataShareAdmin.Host.Tests;

/// <summary>
/// Errors, warnings, verbose, information and progress. The hosted engine has no Write-* cmdlets (they live in
/// Microsoft.PowerShell.Utility), so the scripts write through $PSCmdlet in an advanced script.
/// </summary>
public sealed class StreamTests : IDisposable
{
    private readonly HostRunner host = new();

    public void Dispose() => host.Dispose();

    [Fact]
    public void A_non_terminating_error_goes_to_stderr_like_pwsh_and_the_exit_code_is_one()
    {
        var result = host.Run("-Command", "Get-Command Get-NoSuchThing; 'still running'");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("still running", result.Output, StringComparison.Ordinal);
        Assert.Contains("'Get-NoSuchThing' is not recognized", result.Error, StringComparison.Ordinal);
        Assert.Contains("    + CategoryInfo          : ObjectNotFound", result.Error, StringComparison.Ordinal);
        Assert.Contains("    + FullyQualifiedErrorId : CommandNotFoundException", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Get-NoSuchThing", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_record_written_by_a_script_is_printed_with_its_id()
    {
        var script = host.WriteScript("fail.ps1", """
            [CmdletBinding()]
            param()
            $exception = [System.InvalidOperationException]::new('The transfer was refused.')
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new($exception, 'TransferRefused', 'PermissionDenied', 'DS00001'))
            'done'
            """);

        var result = host.Run("-File", script);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("fail.ps1 : The transfer was refused.", result.Error, StringComparison.Ordinal);
        Assert.Contains("+ CategoryInfo          : PermissionDenied: (DS00001:String)", result.Error, StringComparison.Ordinal);
        Assert.Contains("+ FullyQualifiedErrorId : TransferRefused", result.Error, StringComparison.Ordinal);
        Assert.Contains("done", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_terminating_error_stops_the_script_with_exit_code_one()
    {
        var script = host.WriteScript("throw.ps1", "'first'\nthrow 'The register is locked.'\n'never'\n");

        var result = host.Run("-File", script);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("first", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("never", result.Output, StringComparison.Ordinal);
        Assert.Contains("The register is locked.", result.Error, StringComparison.Ordinal);
        Assert.Contains("+ FullyQualifiedErrorId : The register is locked.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_source_line_of_an_error_is_not_echoed()
    {
        var result = host.Run("-Command", "$token = 'not-for-logs'; throw 'failed'");

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("not-for-logs", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-for-logs", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_and_verbose_messages_are_printed_with_their_prefixes()
    {
        var script = host.WriteScript("chatty.ps1", """
            [CmdletBinding()]
            param()
            $PSCmdlet.WriteWarning('The agreement ends in 5 days.')
            $PSCmdlet.WriteVerbose('Opened the register.')
            'result'
            """);

        var quiet = host.Run("-File", script);
        var verbose = host.Run("-File", script, "-Verbose");

        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.Contains("WARNING: The agreement ends in 5 days.", quiet.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("VERBOSE:", quiet.Output, StringComparison.Ordinal);
        Assert.True(verbose.ExitCode == 0, verbose.ToString());
        Assert.Contains("WARNING: The agreement ends in 5 days.", verbose.Output, StringComparison.Ordinal);
        Assert.Contains("VERBOSE: Opened the register.", verbose.Output, StringComparison.Ordinal);
        Assert.Contains("result", verbose.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Information_is_printed_only_when_its_preference_says_so_and_host_text_always()
    {
        var script = host.WriteScript("info.ps1", """
            [CmdletBinding()]
            param()
            $PSCmdlet.WriteInformation('information record', [string[]]@())
            $PSCmdlet.WriteInformation([System.Management.Automation.HostInformationMessage]@{ Message = 'host message' }, [string[]]@('PSHOST'))
            $Host.UI.WriteLine('written by the host UI')
            """);

        var quiet = host.Run("-File", script);
        var shown = host.Run("-File", script, "-InformationAction", "Continue");

        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.DoesNotContain("information record", quiet.Output, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(quiet.Output, "host message"));
        Assert.Contains("written by the host UI", quiet.Output, StringComparison.Ordinal);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Single(Regex.Matches(shown.Output, "information record"));
        Assert.Single(Regex.Matches(shown.Output, "host message"));
    }

    [Fact]
    public void Progress_is_one_line_per_activity_and_completion_on_stderr()
    {
        var script = host.WriteScript("progress.ps1", """
            [CmdletBinding()]
            param()
            foreach ($i in 1..50) {
                $record = [System.Management.Automation.ProgressRecord]::new(1, 'Sweeping retention', "Transfer $i")
                $record.PercentComplete = $i * 2
                $PSCmdlet.WriteProgress($record)
            }
            $done = [System.Management.Automation.ProgressRecord]::new(1, 'Sweeping retention', 'Done')
            $done.RecordType = 'Completed'
            $PSCmdlet.WriteProgress($done)
            'swept'
            """);

        var result = host.Run("-File", script);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("swept", result.Output, StringComparison.Ordinal);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
            new[] { "PROGRESS: Sweeping retention: Transfer 1 (2%)", "PROGRESS: Sweeping retention: completed" },
            lines.Where(line => line.StartsWith("PROGRESS:", StringComparison.Ordinal)).ToArray());
    }
}
