using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace DataShareAdmin.HelpBuilder.Tests;

public class CommandPageParserTests
{
    private static CommandHelp ParseSample()
    {
        var problems = new List<HelpDiagnostic>();
        var help = CommandPageParser.Parse(SamplePages.FileName, SamplePages.NewAgreement, problems);
        Assert.Empty(problems);
        return Assert.IsType<CommandHelp>(help);
    }

    private static List<HelpDiagnostic> ProblemsIn(string markdown)
    {
        var problems = new List<HelpDiagnostic>();
        Assert.Null(CommandPageParser.Parse(SamplePages.FileName, markdown, problems));
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Equal(SamplePages.FileName, p.File));
        return problems;
    }

    [Fact]
    public void Name_comes_from_the_file_and_splits_into_verb_and_noun()
    {
        var help = ParseSample();

        Assert.Equal("New-DataShareAgreement", help.Name);
        Assert.Equal("New", help.Verb);
        Assert.Equal("DataShareAgreement", help.Noun);
        Assert.Equal("https://example.org/docs/New-DataShareAgreement", help.OnlineVersion);
    }

    [Fact]
    public void Synopsis_and_description_are_paragraphs_with_wrapped_lines_joined()
    {
        var help = ParseSample();

        Assert.Equal(["Creates a data sharing agreement."], help.Synopsis);
        Assert.Equal(
            ["The New-DataShareAgreement cmdlet creates an agreement in the register.", "It writes the new agreement to the pipeline."],
            help.Description);
    }

    [Fact]
    public void Parameter_sets_come_from_the_syntax_headings_with_the_default_marked()
    {
        var help = ParseSample();

        Assert.Equal(
            [new ParameterSetHelp("ById", IsDefault: true), new ParameterSetHelp("ByInputObject", IsDefault: false)],
            help.ParameterSets);
    }

    [Fact]
    public void Parameters_carry_their_yaml_metadata_and_common_parameters_are_skipped()
    {
        var help = ParseSample();

        Assert.Equal(["Confirm", "Id", "InputObject", "Recipient", "Status", "WhatIf"], help.Parameters.Select(p => p.Name));

        var id = help.Parameters.Single(p => p.Name == "Id");
        Assert.Equal(["The agreement's id."], id.Description);
        Assert.Equal("String", id.TypeName);
        Assert.Equal(["AgreementId"], id.Aliases);
        Assert.False(id.IsSwitch);
        var binding = Assert.Single(id.Bindings);
        Assert.Equal(["ById"], binding.ParameterSets);
        Assert.True(binding.Required);
        Assert.Equal(0, binding.Position);
        Assert.Equal("True (ByPropertyName)", binding.PipelineInput);

        var status = help.Parameters.Single(p => p.Name == "Status");
        Assert.Equal(["Draft", "Active"], status.AcceptedValues);
        Assert.Equal("Draft", status.DefaultValue);
        Assert.Empty(status.Aliases);
    }

    [Fact]
    public void All_means_every_set_and_Named_means_no_position()
    {
        var whatIf = ParseSample().Parameters.Single(p => p.Name == "WhatIf");

        Assert.True(whatIf.IsSwitch);
        var binding = Assert.Single(whatIf.Bindings);
        Assert.True(binding.AppliesToAllSets);
        Assert.True(binding.AppliesTo("ById"));
        Assert.True(binding.AppliesTo("ByInputObject"));
        Assert.Null(binding.Position);
        Assert.False(binding.Required);
    }

    [Fact]
    public void A_parameter_with_a_yaml_block_per_set_binds_differently_in_each_set()
    {
        var recipient = ParseSample().Parameters.Single(p => p.Name == "Recipient");

        Assert.True(recipient.AcceptsWildcards);
        var byId = Assert.IsType<ParameterBinding>(recipient.BindingFor("ById"));
        Assert.True(byId.Required);
        Assert.Equal(1, byId.Position);
        var byInputObject = Assert.IsType<ParameterBinding>(recipient.BindingFor("ByInputObject"));
        Assert.False(byInputObject.Required);
        Assert.Null(byInputObject.Position);
    }

    [Fact]
    public void Examples_keep_their_code_verbatim_and_the_text_as_remarks()
    {
        var examples = ParseSample().Examples;

        Assert.Equal(2, examples.Count);
        Assert.Equal("Example 1: Create an agreement", examples[0].Title);
        Assert.Equal("New-DataShareAgreement -Id DS00752 -Recipient 'Finance'", examples[0].Code);
        Assert.Equal(
            ["This command creates agreement DS00752 for the Finance recipient.", "The agreement starts as a draft."],
            examples[0].Remarks);

        // The '#' comment inside the fence is code, not a heading that would end the example.
        Assert.Equal("Example 2: Copy an agreement", examples[1].Title);
        Assert.Equal("# Copies every field but the id.\nGet-DataShareAgreement -Id DS00752 | New-DataShareAgreement", examples[1].Code);
        Assert.Empty(examples[1].Remarks);
    }

    [Fact]
    public void Inputs_outputs_notes_and_links_are_read()
    {
        var help = ParseSample();

        // Records compare lists by reference, so the type entries are compared field by field.
        Assert.Equal(["System.String", "DataShareAdmin.DataShareAgreement"], help.Inputs.Select(t => t.TypeName));
        Assert.Equal(["The id, by property name."], help.Inputs[0].Description);
        Assert.Empty(help.Inputs[1].Description);
        var output = Assert.Single(help.Outputs);
        Assert.Equal("DataShareAdmin.DataShareAgreement", output.TypeName);
        Assert.Equal(["The new agreement."], output.Description);
        Assert.Equal(["Agreements are audited."], help.Notes);
        Assert.Equal(
            [
                new RelatedLink("about_DataShareAdmin", "about_DataShareAdmin.md"),
                new RelatedLink("Get-DataShareAgreement", "Get-DataShareAgreement.md"),
                new RelatedLink("Data sharing policy", "https://example.org/policy"),
            ],
            help.RelatedLinks);
    }

    [Theory]
    [InlineData("## SYNOPSIS\nCreates a data sharing agreement.\n", "missing '## SYNOPSIS' section")]
    [InlineData("## DESCRIPTION\n", "missing '## DESCRIPTION' section")]
    [InlineData("## EXAMPLES\n", "missing '## EXAMPLES' section")]
    public void A_missing_required_section_is_reported(string removed, string expected)
    {
        var problems = ProblemsIn(SamplePages.NewAgreement.Replace(removed, string.Empty, System.StringComparison.Ordinal));

        Assert.Contains(problems, p => p.Message.Contains(expected, System.StringComparison.Ordinal));
    }

    [Fact]
    public void Examples_without_an_example_heading_are_reported_with_the_line()
    {
        var page = SamplePages.NewAgreement
            .Replace("### Example 1: Create an agreement\n", string.Empty, System.StringComparison.Ordinal)
            .Replace("### Example 2: Copy an agreement\n", string.Empty, System.StringComparison.Ordinal);

        var problem = Assert.Single(ProblemsIn(page));

        Assert.Contains("no '### Example", problem.Message, System.StringComparison.Ordinal);
        Assert.Equal(SamplePages.NewAgreement.Split('\n').ToList().IndexOf("## EXAMPLES") + 1, problem.Line);
    }

    [Fact]
    public void A_parameter_without_a_yaml_block_is_reported_by_name()
    {
        var start = SamplePages.NewAgreement.IndexOf("The agreement's id.", System.StringComparison.Ordinal);
        var end = SamplePages.NewAgreement.IndexOf("### -InputObject", System.StringComparison.Ordinal);
        var page = SamplePages.NewAgreement[..start] + "The agreement's id.\n\n" + SamplePages.NewAgreement[end..];

        var problem = Assert.Single(ProblemsIn(page));

        Assert.Contains("parameter -Id has no ```yaml metadata block", problem.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_set_missing_from_the_syntax_is_reported()
    {
        var page = SamplePages.NewAgreement.Replace("Parameter Sets: ById\nAliases: AgreementId", "Parameter Sets: ByName\nAliases: AgreementId", System.StringComparison.Ordinal);

        var problem = Assert.Single(ProblemsIn(page));

        Assert.Contains("parameter set 'ByName' has no '### ByName' heading", problem.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_metadata_values_are_reported()
    {
        var page = SamplePages.NewAgreement.Replace("Position: 0\nDefault value: None\nAccept pipeline input: True (ByPropertyName)", "Position: first\nDefault value: None\nAccept pipeline input: True (ByPropertyName)", System.StringComparison.Ordinal);

        var problem = Assert.Single(ProblemsIn(page));

        Assert.Contains("'Position: first' is neither a number nor Named", problem.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_title_that_does_not_match_the_file_name_is_reported()
    {
        var page = SamplePages.NewAgreement.Replace("# New-DataShareAgreement\n", "# New-DataShareAgrement\n", System.StringComparison.Ordinal);

        var problem = Assert.Single(ProblemsIn(page));

        Assert.Contains("does not match the file name", problem.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_line_endings_parse_the_same()
    {
        var problems = new List<HelpDiagnostic>();
        var help = CommandPageParser.Parse(SamplePages.FileName, SamplePages.NewAgreement.Replace("\n", "\r\n", System.StringComparison.Ordinal), problems);

        Assert.Empty(problems);
        Assert.Equal(ParseSample().Examples, help!.Examples, new ExampleComparer());
    }

    private sealed class ExampleComparer : IEqualityComparer<ExampleHelp>
    {
        public bool Equals(ExampleHelp? x, ExampleHelp? y) =>
            x is not null && y is not null && x.Title == y.Title && x.Code == y.Code && x.Remarks.SequenceEqual(y.Remarks);

        public int GetHashCode(ExampleHelp obj) => obj.Title.GetHashCode(System.StringComparison.Ordinal);
    }
}
