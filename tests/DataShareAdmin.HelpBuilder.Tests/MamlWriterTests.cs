using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace DataShareAdmin.HelpBuilder.Tests;

/// <summary>Checks the elements and attributes Get-Help reads, by namespace and name, as PowerShell looks them up.</summary>
public class MamlWriterTests
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static XElement SampleCommand()
    {
        var problems = new List<HelpDiagnostic>();
        var help = CommandPageParser.Parse(SamplePages.FileName, SamplePages.NewAgreement, problems);
        Assert.Empty(problems);
        var document = MamlWriter.Build([help!]);
        return Assert.Single(document.Root!.Elements(Command + "command"));
    }

    private static string[] Paras(XElement? parent) =>
        parent!.Elements(Maml + "para").Select(p => p.Value).ToArray();

    private static XElement ParameterNamed(XElement container, string name) =>
        container.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == name);

    [Fact]
    public void Root_is_helpItems_in_the_msh_namespace_with_the_maml_schema()
    {
        var document = MamlWriter.Build([]);

        Assert.Equal(XName.Get("helpItems", "http://msh"), document.Root!.Name);
        Assert.Equal("maml", document.Root.Attribute("schema")!.Value);
    }

    [Fact]
    public void Details_hold_name_verb_noun_and_the_synopsis()
    {
        var details = SampleCommand().Element(Command + "details")!;

        Assert.Equal("New-DataShareAgreement", details.Element(Command + "name")!.Value);
        Assert.Equal("New", details.Element(Command + "verb")!.Value);
        Assert.Equal("DataShareAgreement", details.Element(Command + "noun")!.Value);
        Assert.Equal(["Creates a data sharing agreement."], Paras(details.Element(Maml + "description")));
    }

    [Fact]
    public void Children_come_in_the_order_platyPS_writes_them()
    {
        var names = SampleCommand().Elements().Select(e => e.Name.LocalName).ToArray();

        Assert.Equal(
            ["details", "description", "syntax", "parameters", "inputTypes", "returnValues", "alertSet", "examples", "relatedLinks"],
            names);
        Assert.Equal(Maml + "description", SampleCommand().Elements().ElementAt(1).Name);
    }

    [Fact]
    public void Syntax_has_one_item_per_set_with_that_sets_parameters_in_PowerShell_order()
    {
        var items = SampleCommand().Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToArray();

        Assert.Equal(2, items.Length);
        Assert.All(items, item => Assert.Equal("New-DataShareAgreement", item.Element(Maml + "name")!.Value));
        string[] ParameterNames(XElement item) =>
            item.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToArray();
        Assert.Equal(["Id", "Recipient", "Status", "WhatIf", "Confirm"], ParameterNames(items[0]));
        Assert.Equal(["InputObject", "Recipient", "WhatIf", "Confirm"], ParameterNames(items[1]));
    }

    [Fact]
    public void Syntax_parameters_use_the_metadata_of_their_set()
    {
        var items = SampleCommand().Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToArray();

        var recipientById = ParameterNamed(items[0], "Recipient");
        Assert.Equal("true", recipientById.Attribute("required")!.Value);
        Assert.Equal("1", recipientById.Attribute("position")!.Value);
        Assert.Equal("true", recipientById.Attribute("globbing")!.Value);
        Assert.Equal("true", recipientById.Attribute("variableLength")!.Value);

        var recipientByObject = ParameterNamed(items[1], "Recipient");
        Assert.Equal("false", recipientByObject.Attribute("required")!.Value);
        Assert.Equal("named", recipientByObject.Attribute("position")!.Value);
    }

    [Fact]
    public void Switches_have_no_value_in_syntax_so_Get_Help_prints_them_bare()
    {
        var byId = SampleCommand().Element(Command + "syntax")!.Elements(Command + "syntaxItem").First();

        Assert.Null(ParameterNamed(byId, "WhatIf").Element(Command + "parameterValue"));
        var id = ParameterNamed(byId, "Id").Element(Command + "parameterValue")!;
        Assert.Equal("String", id.Value);
        Assert.Equal("true", id.Attribute("required")!.Value);
    }

    [Fact]
    public void Accepted_values_become_a_value_group_in_syntax()
    {
        var byId = SampleCommand().Element(Command + "syntax")!.Elements(Command + "syntaxItem").First();

        var group = ParameterNamed(byId, "Status").Element(Command + "parameterValueGroup")!;
        Assert.Equal(["Draft", "Active"], group.Elements(Command + "parameterValue").Select(v => v.Value));
    }

    [Fact]
    public void Parameters_section_has_every_documented_parameter_with_its_metadata()
    {
        var parameters = SampleCommand().Element(Command + "parameters")!;

        Assert.Equal(
            ["Confirm", "Id", "InputObject", "Recipient", "Status", "WhatIf"],
            parameters.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));

        var id = ParameterNamed(parameters, "Id");
        Assert.Equal("true", id.Attribute("required")!.Value);
        Assert.Equal("0", id.Attribute("position")!.Value);
        Assert.Equal("True (ByPropertyName)", id.Attribute("pipelineInput")!.Value);
        Assert.Equal("false", id.Attribute("globbing")!.Value);
        Assert.Equal("AgreementId", id.Attribute("aliases")!.Value);
        Assert.Equal(["The agreement's id."], Paras(id.Element(Maml + "description")));
        Assert.Equal("String", id.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("None", id.Element(Dev + "defaultValue")!.Value);

        var confirm = ParameterNamed(parameters, "Confirm");
        Assert.Equal("named", confirm.Attribute("position")!.Value);
        Assert.Equal("cf", confirm.Attribute("aliases")!.Value);
        Assert.Equal("false", confirm.Element(Command + "parameterValue")!.Attribute("required")!.Value);

        Assert.Equal("none", ParameterNamed(parameters, "InputObject").Attribute("aliases")!.Value);
    }

    [Fact]
    public void Examples_have_a_framed_title_the_code_in_dev_code_and_remarks_as_paragraphs()
    {
        var examples = SampleCommand().Element(Command + "examples")!.Elements(Command + "example").ToArray();

        Assert.Equal(2, examples.Length);
        Assert.Equal(
            "-------------------------- Example 1: Create an agreement --------------------------",
            examples[0].Element(Maml + "title")!.Value);
        Assert.Equal("New-DataShareAgreement -Id DS00752 -Recipient 'Finance'", examples[0].Element(Dev + "code")!.Value);
        Assert.Equal(
            ["This command creates agreement DS00752 for the Finance recipient.", "The agreement starts as a draft.", ""],
            Paras(examples[0].Element(Dev + "remarks")));
        Assert.Empty(Paras(examples[1].Element(Dev + "remarks")));
        Assert.StartsWith("# Copies every field", examples[1].Element(Dev + "code")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Inputs_outputs_and_notes_are_written()
    {
        var command = SampleCommand();

        var inputs = command.Element(Command + "inputTypes")!.Elements(Command + "inputType").ToArray();
        Assert.Equal(
            ["System.String", "DataShareAdmin.DataShareAgreement"],
            inputs.Select(i => i.Element(Dev + "type")!.Element(Maml + "name")!.Value));
        Assert.Equal(["The id, by property name."], Paras(inputs[0].Element(Maml + "description")));

        var output = Assert.Single(command.Element(Command + "returnValues")!.Elements(Command + "returnValue"));
        Assert.Equal("DataShareAdmin.DataShareAgreement", output.Element(Dev + "type")!.Element(Maml + "name")!.Value);

        Assert.Equal(["Agreements are audited."], Paras(command.Element(Maml + "alertSet")!.Element(Maml + "alert")));
    }

    [Fact]
    public void Related_links_keep_web_addresses_and_drop_sibling_page_paths()
    {
        var links = SampleCommand().Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
            .Select(l => (Text: l.Element(Maml + "linkText")!.Value, Uri: l.Element(Maml + "uri")!.Value))
            .ToArray();

        Assert.Equal(
            [
                ("Online Version:", "https://example.org/docs/New-DataShareAgreement"),
                ("about_DataShareAdmin", ""),
                ("Get-DataShareAgreement", ""),
                ("Data sharing policy", "https://example.org/policy"),
            ],
            links);
    }

    [Fact]
    public void Saved_file_reads_back_with_the_same_example_code()
    {
        using var temp = new TempDirectory();
        var problems = new List<HelpDiagnostic>();
        var help = CommandPageParser.Parse(SamplePages.FileName, SamplePages.NewAgreement, problems)!;
        var path = temp.Combine("DataShareAdmin.dll-Help.xml");

        MamlWriter.Save(MamlWriter.Build([help]), path);

        var reloaded = XDocument.Load(path);
        var code = reloaded.Descendants(Dev + "code").Select(c => c.Value).ToArray();
        Assert.Equal(help.Examples.Select(e => e.Code), code);
    }
}
