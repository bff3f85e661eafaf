using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;
using Xunit;

namespace DataShareAdmin.HelpBuilder.Tests;

/// <summary>The tool as the build runs it: arguments, files in and out, exit codes and messages.</summary>
public sealed class ProgramTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    private string Docs => temp.Combine("docs", "en-US");

    private string Out => temp.Combine("module", "en-US");

    public void Dispose()
    {
        temp.Dispose();
        output.Dispose();
        error.Dispose();
    }

    private int Run(params string[] args) => Program.Run(args, output, error);

    private int RunBuild() =>
        Run("--docs", Docs, "--out", Out, "--module", "DataShareAdmin", "--assembly", "DataShareAdmin.dll");

    [Fact]
    public void Builds_the_help_file_and_about_topics_and_reports_the_counts()
    {
        temp.Write(Path.Combine("docs", "en-US", SamplePages.FileName), SamplePages.NewAgreement);
        temp.Write(Path.Combine("docs", "en-US", SamplePages.AboutFileName), SamplePages.About);
        temp.Write(Path.Combine("docs", "en-US", "README.md"), "# Not a cmdlet page\n");

        var exitCode = RunBuild();

        Assert.Equal(0, exitCode);
        Assert.Equal(string.Empty, error.ToString());
        var helpFile = Path.Combine(Out, "DataShareAdmin.dll-Help.xml");
        Assert.Equal($"HelpBuilder: 1 commands, 1 about topics -> {helpFile}{Environment.NewLine}", output.ToString());

        var command = Assert.Single(XDocument.Load(helpFile).Root!.Elements());
        Assert.Equal("command", command.Name.LocalName);

        var about = Path.Combine(Out, "about_DataShareAdmin.help.txt");
        Assert.Equal(AboutTopicConverter.Convert(SamplePages.About), File.ReadAllText(about));
        // The byte order mark lets Windows PowerShell 5.1 read the text as UTF-8.
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), File.ReadAllBytes(about).Take(3));
    }

    [Fact]
    public void A_page_without_a_synopsis_fails_with_exit_code_1_naming_the_file_and_writes_nothing()
    {
        var page = temp.Write(Path.Combine("docs", "en-US", SamplePages.FileName), SamplePages.NewAgreement.Replace("## SYNOPSIS", "## SUMMARY", StringComparison.Ordinal));
        temp.Write(Path.Combine("docs", "en-US", SamplePages.AboutFileName), SamplePages.About);

        var exitCode = RunBuild();

        Assert.Equal(1, exitCode);
        Assert.Contains($"{page}: error HELP: missing '## SYNOPSIS' section.", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, output.ToString());
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public void Problems_in_several_pages_are_all_reported_with_line_numbers()
    {
        var noExamples = SamplePages.NewAgreement[..SamplePages.NewAgreement.IndexOf("### Example 1", StringComparison.Ordinal)] +
            SamplePages.NewAgreement[SamplePages.NewAgreement.IndexOf("## PARAMETERS", StringComparison.Ordinal)..];
        var first = temp.Write(Path.Combine("docs", "en-US", SamplePages.FileName), noExamples);
        var second = temp.Write(
            Path.Combine("docs", "en-US", "Get-DataShareAgreement.md"),
            SamplePages.NewAgreement.Replace("New-DataShareAgreement\n\n## SYNOPSIS", "Get-DataShareAgreement\n\n## SYNOPSIS", StringComparison.Ordinal)
                .Replace("```yaml\nType: String\nParameter Sets: ById\nAliases: AgreementId", "```\nType: String\nParameter Sets: ById\nAliases: AgreementId", StringComparison.Ordinal));

        var exitCode = RunBuild();

        Assert.Equal(1, exitCode);
        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var examplesLine = noExamples.Split('\n').ToList().IndexOf("## EXAMPLES") + 1;
        Assert.Contains($"{first}({examplesLine}): error HELP: '## EXAMPLES' has no '### Example 1: ...' heading; every cmdlet needs at least one example.", lines);
        Assert.Contains(lines, l => l.StartsWith(second + "(", StringComparison.Ordinal) && l.Contains("parameter -Id has no ```yaml metadata block", StringComparison.Ordinal));
        Assert.Equal("HelpBuilder: 2 problem(s) in the help pages; nothing was written.", lines[^1]);
    }

    [Fact]
    public void A_page_for_another_module_is_rejected()
    {
        temp.Write(Path.Combine("docs", "en-US", SamplePages.FileName), SamplePages.NewAgreement.Replace("Module Name: DataShareAdmin", "Module Name: OtherModule", StringComparison.Ordinal));

        Assert.Equal(1, RunBuild());
        Assert.Contains("'Module Name: OtherModule' but the module is DataShareAdmin", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_output_path_that_is_a_file_fails_with_exit_code_1_and_a_message()
    {
        temp.Write(Path.Combine("docs", "en-US", SamplePages.FileName), SamplePages.NewAgreement);
        temp.Write(Path.Combine("module", "en-US"), "a file where the folder should be");

        Assert.Equal(1, RunBuild());
        Assert.StartsWith("HelpBuilder: ", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "--docs is required.")]
    [InlineData(new[] { "--docs" }, "--docs needs a value.")]
    [InlineData(new[] { "--docs", "DOCS", "--out", "OUT", "--module", "DataShareAdmin" }, "--assembly is required.")]
    [InlineData(new[] { "--docs", "DOCS", "--out", "OUT", "--module", "M", "--assembly", "A.dll", "--verbose", "x" }, "unknown argument '--verbose'.")]
    [InlineData(new[] { "--docs", "DOCS", "--docs", "DOCS", "--out", "OUT", "--module", "M", "--assembly", "A.dll" }, "--docs is given twice.")]
    [InlineData(new[] { "--docs", "DOCS/missing", "--out", "OUT", "--module", "M", "--assembly", "A.dll" }, "--docs folder 'DOCS/missing' does not exist.")]
    public void Bad_arguments_exit_with_code_2_and_usage(string[] args, string expected)
    {
        Directory.CreateDirectory(Docs);
        var resolved = args.Select(a => a.Replace("DOCS", Docs, StringComparison.Ordinal).Replace("OUT", Out, StringComparison.Ordinal)).ToArray();

        var exitCode = Run(resolved);

        Assert.Equal(2, exitCode);
        var message = error.ToString();
        Assert.Contains("HelpBuilder: " + expected.Replace("DOCS", Docs, StringComparison.Ordinal), message, StringComparison.Ordinal);
        Assert.Contains(BuilderOptions.Usage, message, StringComparison.Ordinal);
    }
}
