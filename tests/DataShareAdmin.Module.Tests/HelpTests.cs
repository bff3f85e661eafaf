using System;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace DataShareAdmin.Module.Tests;

/// <summary>The help compiled from docs/ reaches Get-Help, and the docs describe the cmdlets as they are.</summary>
public sealed class HelpTests : IDisposable
{
    private static readonly string[] CommonParameters =
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    private readonly PowerShellSession session = new(registerPath: null);

    public static TheoryData<string> Cmdlets()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadAllLines(Path.Combine(TestEnvironment.RepositoryRoot, "module", "DataShareAdmin.psd1")))
        {
            var trimmed = line.Trim();
            if (System.Text.RegularExpressions.Regex.IsMatch(trimmed, "^'[A-Z][a-z]+-[A-Za-z]+'$"))
            {
                data.Add(trimmed.Trim('\''));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Get_help_shows_synopsis_and_examples_from_the_compiled_help(string cmdlet)
    {
        var help = session.Run("Get-Help $args[0] -Examples", cmdlet).AssertNoErrors().Output.Single();

        var synopsis = help.Properties["Synopsis"].Value?.ToString()?.Trim();
        Assert.False(string.IsNullOrEmpty(synopsis));
        Assert.DoesNotContain(cmdlet + " ", synopsis, StringComparison.Ordinal); // a generated stub repeats the syntax
        var examples = ((PSObject)help.Properties["examples"].Value).Properties["example"].Value;
        var first = examples is object[] many ? (PSObject)many[0] : (PSObject)examples;
        Assert.Contains(cmdlet, first.Properties["code"].Value.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Every_parameter_is_documented_on_the_cmdlets_page(string cmdlet)
    {
        var page = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "en-US", cmdlet + ".md"));
        var command = session.Run("Get-Command $args[0]", cmdlet).AssertNoErrors().Single<CmdletInfo>();

        foreach (var parameter in command.Parameters.Keys.Where(p => !CommonParameters.Contains(p)))
        {
            Assert.Contains("### -" + parameter + "\n", page.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        foreach (var set in command.ParameterSets.Where(s => s.Name != "__AllParameterSets"))
        {
            Assert.Contains("### " + set.Name, page, StringComparison.Ordinal);
        }

        // And the page documents no parameter the cmdlet does not have.
        foreach (var documented in page.Split('\n').Where(l => l.StartsWith("### -", StringComparison.Ordinal)).Select(l => l.Substring(5).Trim()))
        {
            Assert.True(command.Parameters.ContainsKey(documented), $"{cmdlet}.md documents -{documented}, which the cmdlet does not have.");
        }
    }

    [Fact]
    public void The_about_topic_is_shipped()
    {
        var about = session.Run("Get-Help about_DataShareAdmin").AssertNoErrors().Output.Single().ToString();
        Assert.Contains("hash chain", about, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => session.Dispose();
}
