using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace DataShareAdmin.HelpBuilder;

/// <summary>
/// Writes <see cref="CommandHelp"/> as MAML in the layout platyPS's New-ExternalHelp emits, which is the layout
/// PowerShell's own help files use and the one Get-Help reads for binary cmdlets (<c>&lt;assembly&gt;-Help.xml</c>).
/// </summary>
/// <remarks>
/// Get-Help finds elements by namespace and local name and silently shows nothing for what it cannot find, so element
/// names, namespaces and the order of children follow platyPS exactly rather than what merely validates.
/// </remarks>
public static class MamlWriter
{
    public static readonly XNamespace Msh = "http://msh";
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    /// <summary>Get-Help shows example titles as given; PowerShell's own help frames them with these dashes.</summary>
    private const string TitleRule = "--------------------------";

    public static XDocument Build(IEnumerable<CommandHelp> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        return new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems",
                new XAttribute("schema", "maml"),
                commands.Select(CommandElement)));
    }

    public static void Save(XDocument document, string path)
    {
        ArgumentNullException.ThrowIfNull(document);
        var settings = new XmlWriterSettings
        {
            Indent = true,
            IndentChars = "  ",
            // LF everywhere, including inside example code, so the file is byte-identical on every build machine.
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        using var writer = XmlWriter.Create(path, settings);
        document.Save(writer);
    }

    private static XElement CommandElement(CommandHelp help) =>
        new(Command + "command",
            // Declared on each command, as platyPS does, so a command element copied out of the file still reads.
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", help.Verb),
                new XElement(Command + "noun", help.Noun),
                Description(help.Synopsis)),
            Description(help.Description),
            new XElement(Command + "syntax", help.ParameterSets.Select(set => SyntaxItem(help, set))),
            new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, p.Bindings[0], inSyntax: false))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeEntry("inputType", t))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => TypeEntry("returnValue", t))),
            help.Notes.Count == 0 ? null : new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(Example)),
            new XElement(Command + "relatedLinks", RelatedLinks(help)));

    private static XElement SyntaxItem(CommandHelp help, ParameterSetHelp set)
    {
        // Get-Help prints syntax parameters in document order, and the page lists them alphabetically; use the order
        // PowerShell gives its own syntax: positional by position, then mandatory, then optional, -WhatIf/-Confirm last.
        var parameters = help.ParametersIn(set)
            .Select((entry, index) => (entry.Parameter, entry.Binding, Index: index))
            .OrderBy(e => ShouldProcessRank(e.Parameter))
            .ThenBy(e => e.Binding.Position ?? int.MaxValue)
            .ThenBy(e => e.Binding.Required ? 0 : 1)
            .ThenBy(e => e.Index);
        return new XElement(Command + "syntaxItem",
            new XElement(Maml + "name", help.Name),
            parameters.Select(e => Parameter(e.Parameter, e.Binding, inSyntax: true)));
    }

    private static XElement Parameter(ParameterHelp parameter, ParameterBinding binding, bool inSyntax)
    {
        // In SYNTAX a switch has no value element, which is how Get-Help knows to print [-WhatIf] and not
        // [-WhatIf <SwitchParameter>]; under PARAMETERS platyPS still records its type as a non-required value.
        XElement? value = !parameter.IsSwitch ? ParameterValue("true", parameter.TypeName)
            : inSyntax ? null
            : ParameterValue("false", parameter.TypeName);
        XElement? valueGroup = inSyntax && parameter.AcceptedValues.Count > 0
            ? new XElement(Command + "parameterValueGroup",
                parameter.AcceptedValues.Select(v => ParameterValue("false", v)))
            : null;

        return new XElement(Command + "parameter",
            new XAttribute("required", Lower(binding.Required)),
            new XAttribute("variableLength", Lower(parameter.TypeName.EndsWith("[]", StringComparison.Ordinal))),
            new XAttribute("globbing", Lower(parameter.AcceptsWildcards)),
            new XAttribute("pipelineInput", binding.PipelineInput),
            new XAttribute("position", binding.Position?.ToString(CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description),
            valueGroup,
            value,
            new XElement(Dev + "type",
                new XElement(Maml + "name", parameter.TypeName),
                new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", parameter.DefaultValue));
    }

    private static XElement ParameterValue(string required, string text) =>
        new(Command + "parameterValue",
            new XAttribute("required", required),
            new XAttribute("variableLength", "false"),
            text);

    private static XElement TypeEntry(string elementName, TypeHelp type) =>
        new(Command + elementName,
            new XElement(Dev + "type",
                new XElement(Maml + "name", type.TypeName)),
            Description(type.Description));

    private static XElement Example(ExampleHelp example)
    {
        var title = example.Title.StartsWith('-') ? example.Title : $"{TitleRule} {example.Title} {TitleRule}";
        // Get-Help prints the next example's title right under the last remark; an empty closing paragraph gives
        // the blank line between examples that PowerShell's own help has. Without remarks the code already ends in one.
        var remarks = example.Remarks.Count == 0 ? example.Remarks : [.. example.Remarks, string.Empty];
        return new XElement(Command + "example",
            new XElement(Maml + "title", title),
            new XElement(Dev + "code", example.Code),
            new XElement(Dev + "remarks", Paragraphs(remarks)));
    }

    private static IEnumerable<XElement> RelatedLinks(CommandHelp help)
    {
        // platyPS turns the front matter's online version into the first link; Get-Help -Online opens the first URI.
        if (help.OnlineVersion is not null)
        {
            yield return NavigationLink("Online Version:", help.OnlineVersion);
        }

        foreach (var link in help.RelatedLinks)
        {
            // A link to a sibling page (Get-X.md) means nothing once installed; Get-Help shows the link text alone.
            yield return NavigationLink(link.Text, IsWebAddress(link.Uri) ? link.Uri : string.Empty);
        }
    }

    private static XElement NavigationLink(string text, string uri) =>
        new(Maml + "navigationLink",
            new XElement(Maml + "linkText", text),
            new XElement(Maml + "uri", uri));

    private static bool IsWebAddress(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) &&
        (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps);

    private static XElement Description(IEnumerable<string> paragraphs) =>
        new(Maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) =>
        paragraphs.Select(p => new XElement(Maml + "para", p));

    private static int ShouldProcessRank(ParameterHelp parameter) =>
        parameter.Name.Equals("WhatIf", StringComparison.OrdinalIgnoreCase) ? 1
        : parameter.Name.Equals("Confirm", StringComparison.OrdinalIgnoreCase) ? 2
        : 0;

    private static string Lower(bool value) => value ? "true" : "false";
}
