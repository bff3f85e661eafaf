using System;
using Xunit;

namespace DataShareAdmin.Host.Tests;

/// <summary>-Command and -File: output, argument binding and exit codes.</summary>
public sealed class RunTests : IDisposable
{
    private readonly HostRunner host = new();

    public void Dispose() => host.Dispose();

    [Fact]
    public void Command_output_is_printed_and_the_exit_code_is_zero()
    {
        var result = host.Run("-Command", "'hello ' + (40 + 2)");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("hello 42", result.Output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public void Command_joins_the_remaining_arguments_like_pwsh()
    {
        var result = host.Run("-Command", "'a' +", "'b'");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ab", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Objects_are_formatted_by_the_engine_as_plain_text()
    {
        var result = host.Run("-Command", "[pscustomobject]@{ Name = 'first'; Count = 3 }");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"Name\s+Count", result.Output);
        Assert.Matches(@"first\s+3", result.Output);
        Assert.DoesNotContain('\u001b', result.Output);
    }

    [Fact]
    public void File_binds_a_named_argument_to_param()
    {
        var script = host.WriteScript("greet.ps1", "param($Name)\n\"Hello $Name from $([System.IO.Path]::GetFileName($PSScriptRoot))\"\n");

        var result = host.Run("-File", script, "-Name", "World");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Hello World from " + System.IO.Path.GetFileName(host.Folder), result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void File_binds_positional_colon_and_switch_arguments()
    {
        var script = host.WriteScript(
            "args.ps1",
            "param([string]$Name, [switch]$Loud, [int]$Count = 1, [switch]$Quiet)\n\"$Name|$Loud|$Count|$Quiet\"\n");

        var positional = host.Run("-File", script, "World");
        var named = host.Run("-File", script, "-Loud", "-Count:3", "-Name", "Ann", "-Quiet:$false");

        Assert.True(positional.ExitCode == 0, positional.ToString());
        Assert.Contains("World|False|1|False", positional.Output, StringComparison.Ordinal);
        Assert.True(named.ExitCode == 0, named.ToString());
        Assert.Contains("Ann|True|3|False", named.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Exit_with_a_code_in_a_command_returns_that_code()
    {
        var result = host.Run("-Command", "exit 7");

        Assert.Equal(7, result.ExitCode);
    }

    [Fact]
    public void Exit_with_a_code_in_a_script_returns_that_code()
    {
        var script = host.WriteScript("exit.ps1", "'before'\nexit 7\n'after'\n");

        var result = host.Run("-File", script);

        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.Contains("before", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("after", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_script_is_a_clear_usage_error()
    {
        var result = host.Run("-File", "no-such-script.ps1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no-such-script.ps1 does not exist", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public void Nothing_to_run_is_a_usage_error()
    {
        var result = host.Run();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("-File", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void PowerShell_telemetry_is_off_unless_whoever_runs_the_host_has_chosen()
    {
        var unset = new System.Collections.Generic.Dictionary<string, string?> { ["POWERSHELL_TELEMETRY_OPTOUT"] = null };
        var chosen = new System.Collections.Generic.Dictionary<string, string?> { ["POWERSHELL_TELEMETRY_OPTOUT"] = "0" };

        var off = host.Run(unset, "-Command", "'[' + $env:POWERSHELL_TELEMETRY_OPTOUT + ']'");
        var kept = host.Run(chosen, "-Command", "'[' + $env:POWERSHELL_TELEMETRY_OPTOUT + ']'");

        Assert.True(off.ExitCode == 0, off.ToString());
        Assert.Equal("[1]", off.Output.Trim());
        Assert.Equal("[0]", kept.Output.Trim());
    }

    [Fact]
    public void Help_and_version_need_no_module()
    {
        var missing = new System.Collections.Generic.Dictionary<string, string?> { ["DATASHAREADMIN_MODULE"] = "/no/such/module.psd1" };

        var help = host.Run(missing, "-Help");
        var version = host.Run(missing, "-Version");

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("DataShareAdmin.Host [-Module <path>]", help.Output, StringComparison.Ordinal);
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Matches(@"^DataShareAdmin\.Host \S+ \(PowerShell 7\.6\.\d+\)", version.Output);
    }
}
