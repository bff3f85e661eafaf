using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace DataShareAdmin.HelpBuilder;

/// <summary>
/// Reads one cmdlet page in platyPS's layout (## SYNOPSIS, ## SYNTAX, ## DESCRIPTION, ## EXAMPLES, ## PARAMETERS,
/// ## INPUTS, ## OUTPUTS, ## NOTES, ## RELATED LINKS) into a <see cref="CommandHelp"/>.
/// </summary>
/// <remarks>
/// Every problem is reported, not just the first, so an author fixes a page in one pass. A page with any problem
/// yields no model: half-built help would let Get-Help show a cmdlet without its examples and nobody would notice.
/// </remarks>
public sealed partial class CommandPageParser
{
    private readonly string path;
    private readonly ICollection<HelpDiagnostic> diagnostics;
    private readonly BuilderOptions? options;
    private int problems;

    private CommandPageParser(string path, ICollection<HelpDiagnostic> diagnostics, BuilderOptions? options)
    {
        this.path = path;
        this.diagnostics = diagnostics;
        this.options = options;
    }

    /// <summary>Parses the page at <paramref name="path"/> (named <c>Verb-Noun.md</c>); null when it has problems, which are added to <paramref name="diagnostics"/>.</summary>
    /// <param name="options">When given, the page's front matter must not name another module or help file: a page
    /// copied from another module would otherwise document cmdlets this module does not have.</param>
    public static CommandHelp? Parse(string path, string markdown, ICollection<HelpDiagnostic> diagnostics, BuilderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(markdown);
        ArgumentNullException.ThrowIfNull(diagnostics);
        return new CommandPageParser(path, diagnostics, options).Parse(markdown);
    }

    private CommandHelp? Parse(string markdown)
    {
        // The file name is the contract with the build (one Verb-Noun.md per cmdlet), so it names the command.
        var name = Path.GetFileNameWithoutExtension(path);
        var (frontMatter, body) = MarkdownReader.SplitFrontMatter(MarkdownReader.ToLines(markdown));
        var (preamble, sectionList) = MarkdownReader.SplitSections(body, 2);
        CheckTitle(name, preamble);
        CheckFrontMatter(frontMatter);

        var sections = new Dictionary<string, HeadedSection>(StringComparer.OrdinalIgnoreCase);
        foreach (var section in sectionList)
        {
            if (!sections.TryAdd(section.Heading, section))
            {
                Report(section.Line, $"'## {section.Heading}' appears twice; only one is allowed.");
            }
        }

        var synopsis = RequiredText(sections, "SYNOPSIS");
        var description = RequiredText(sections, "DESCRIPTION");
        var sets = ReadParameterSets(sections.GetValueOrDefault("SYNTAX"));
        var parameters = ReadParameters(sections.GetValueOrDefault("PARAMETERS"), sets);
        var examples = ReadExamples(sections.GetValueOrDefault("EXAMPLES"));
        var inputs = ReadTypes(sections.GetValueOrDefault("INPUTS"));
        var outputs = ReadTypes(sections.GetValueOrDefault("OUTPUTS"));
        var notes = sections.TryGetValue("NOTES", out var notesSection) ? MarkdownReader.ReadParagraphs(notesSection.Body) : [];
        var links = ReadRelatedLinks(sections.GetValueOrDefault("RELATED LINKS"));
        var online = frontMatter.GetValueOrDefault("online version");

        return problems > 0
            ? null
            : new CommandHelp(name, synopsis, description, sets, parameters, inputs, outputs, examples, notes, links,
                string.IsNullOrWhiteSpace(online) ? null : online);
    }

    private void CheckTitle(string name, IReadOnlyList<SourceLine> preamble)
    {
        foreach (var line in preamble)
        {
            if (MarkdownReader.TryReadHeading(line.Text, out var level, out var title) && level == 1)
            {
                if (!title.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    Report(line.Number, $"the title '# {title}' does not match the file name; the page must be named {title}.md or titled '# {name}'.");
                }

                return;
            }
        }
    }

    private void CheckFrontMatter(IReadOnlyDictionary<string, string> frontMatter)
    {
        if (options is null)
        {
            return;
        }

        var helpFile = Path.GetFileName(options.HelpFilePath);
        if (frontMatter.TryGetValue("Module Name", out var module) && module.Length > 0 &&
            !module.Equals(options.ModuleName, StringComparison.OrdinalIgnoreCase))
        {
            Report(0, $"front matter says 'Module Name: {module}' but the module is {options.ModuleName}.");
        }

        if (frontMatter.TryGetValue("external help file", out var file) && file.Length > 0 &&
            !file.Equals(helpFile, StringComparison.OrdinalIgnoreCase))
        {
            Report(0, $"front matter says 'external help file: {file}' but this build writes {helpFile}.");
        }
    }

    private IReadOnlyList<string> RequiredText(Dictionary<string, HeadedSection> sections, string heading)
    {
        if (!sections.TryGetValue(heading, out var section))
        {
            Report(0, $"missing '## {heading}' section.");
            return [];
        }

        var paragraphs = MarkdownReader.ReadParagraphs(section.Body);
        if (paragraphs.Count == 0)
        {
            Report(section.Line, $"'## {heading}' is empty.");
        }

        return paragraphs;
    }

    private List<ParameterSetHelp> ReadParameterSets(HeadedSection? syntax)
    {
        var sets = new List<ParameterSetHelp>();
        if (syntax is not null)
        {
            foreach (var heading in MarkdownReader.SplitSections(syntax.Body, 3).Sections)
            {
                var match = DefaultSetPattern().Match(heading.Heading);
                sets.Add(match.Success
                    ? new ParameterSetHelp(match.Groups["name"].Value, IsDefault: true)
                    : new ParameterSetHelp(heading.Heading, IsDefault: false));
            }
        }

        // A cmdlet without parameter sets may document its one syntax block without a heading.
        if (sets.Count == 0)
        {
            sets.Add(new ParameterSetHelp(ParameterSetHelp.AllParameterSets, IsDefault: true));
        }

        return sets;
    }

    private List<ParameterHelp> ReadParameters(HeadedSection? section, IReadOnlyList<ParameterSetHelp> sets)
    {
        var parameters = new List<ParameterHelp>();
        if (section is null)
        {
            return parameters;
        }

        foreach (var heading in MarkdownReader.SplitSections(section.Body, 3).Sections)
        {
            if (heading.Heading.StartsWith('-'))
            {
                var parameter = ReadParameter(heading, sets);
                if (parameter is not null)
                {
                    parameters.Add(parameter);
                }
            }
            else if (!heading.Heading.Equals("CommonParameters", StringComparison.OrdinalIgnoreCase) &&
                     !heading.Heading.Equals("WorkflowCommonParameters", StringComparison.OrdinalIgnoreCase))
            {
                // CommonParameters is PowerShell's to describe (Get-Help adds it); anything else is a typo'd parameter.
                Report(heading.Line, $"'### {heading.Heading}' under PARAMETERS is neither '### -ParameterName' nor '### CommonParameters'.");
            }
        }

        return parameters;
    }

    private ParameterHelp? ReadParameter(HeadedSection heading, IReadOnlyList<ParameterSetHelp> sets)
    {
        var name = heading.Heading[1..].Trim();
        var description = new List<string>();
        var metadata = new List<(int Line, ParameterMetadata Values)>();
        foreach (var block in MarkdownReader.ReadBlocks(heading.Body))
        {
            switch (block)
            {
                case CodeBlock { Info: "yaml" or "yml" } yaml:
                    metadata.Add((yaml.Line, ParameterMetadata.Read(yaml.Code)));
                    break;
                case CodeBlock code:
                    description.Add(MarkdownReader.Indent(code.Code));
                    break;
                case ParagraphBlock paragraph:
                    description.Add(paragraph.Text);
                    break;
            }
        }

        if (metadata.Count == 0)
        {
            Report(heading.Line, $"parameter -{name} has no ```yaml metadata block (Type, Parameter Sets, Required, Position, ...).");
            return null;
        }

        var problemsBefore = problems;
        var bindings = new List<ParameterBinding>();
        foreach (var (line, values) in metadata)
        {
            var binding = ReadBinding(name, line, values, sets);
            if (binding is not null)
            {
                bindings.Add(binding);
            }
        }

        var first = metadata[0].Values;
        var typeName = first.Get("Type");
        if (string.IsNullOrWhiteSpace(typeName))
        {
            Report(metadata[0].Line, $"parameter -{name}: the yaml block has no 'Type'.");
        }

        return problems > problemsBefore
            ? null
            : new ParameterHelp(
                name,
                description,
                typeName!,
                first.GetList("Aliases"),
                first.GetList("Accepted values"),
                first.Get("Default value") is { Length: > 0 } defaultValue ? defaultValue : "None",
                first.GetBool("Accept wildcard characters") ?? false,
                bindings);
    }

    private ParameterBinding? ReadBinding(string name, int line, ParameterMetadata values, IReadOnlyList<ParameterSetHelp> sets)
    {
        var setNames = values.GetList("Parameter Sets");
        var required = values.GetBool("Required");
        var position = values.Get("Position");
        int? positionNumber = null;

        if (setNames.Count == 0)
        {
            Report(line, $"parameter -{name}: 'Parameter Sets' is missing; write '(All)' or the set names.");
        }

        var all = setNames.Any(set => set.Equals("(All)", StringComparison.OrdinalIgnoreCase));
        foreach (var set in setNames.Where(_ => !all))
        {
            if (!sets.Any(known => known.Name.Equals(set, StringComparison.OrdinalIgnoreCase)))
            {
                Report(line, $"parameter -{name}: parameter set '{set}' has no '### {set}' heading under SYNTAX.");
            }
        }

        if (required is null)
        {
            Report(line, $"parameter -{name}: 'Required' must be True or False.");
        }

        if (position is null)
        {
            Report(line, $"parameter -{name}: 'Position' is missing; write a number or Named.");
        }
        else if (!position.Equals("Named", StringComparison.OrdinalIgnoreCase))
        {
            if (int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                positionNumber = number;
            }
            else
            {
                Report(line, $"parameter -{name}: 'Position: {position}' is neither a number nor Named.");
            }
        }

        var pipelineInput = values.Get("Accept pipeline input") is { Length: > 0 } text ? text : "False";
        return required is null || setNames.Count == 0
            ? null
            : new ParameterBinding(all ? [] : setNames, required.Value, positionNumber, pipelineInput);
    }

    private List<ExampleHelp> ReadExamples(HeadedSection? section)
    {
        var examples = new List<ExampleHelp>();
        if (section is null)
        {
            Report(0, "missing '## EXAMPLES' section.");
            return examples;
        }

        var headings = MarkdownReader.SplitSections(section.Body, 3).Sections;
        if (headings.Count == 0)
        {
            Report(section.Line, "'## EXAMPLES' has no '### Example 1: ...' heading; every cmdlet needs at least one example.");
        }

        foreach (var heading in headings)
        {
            var code = new List<string>();
            var remarks = new List<string>();
            foreach (var block in MarkdownReader.ReadBlocks(heading.Body))
            {
                if (block is CodeBlock codeBlock)
                {
                    code.Add(codeBlock.Code);
                }
                else if (block is ParagraphBlock paragraph)
                {
                    remarks.Add(paragraph.Text);
                }
            }

            if (code.Count == 0)
            {
                Report(heading.Line, $"example '{heading.Heading}' has no code block.");
            }

            // MAML has one dev:code per example, so several fences become one listing.
            examples.Add(new ExampleHelp(heading.Heading, string.Join("\n\n", code), remarks));
        }

        return examples;
    }

    private static List<TypeHelp> ReadTypes(HeadedSection? section)
    {
        if (section is null)
        {
            return [];
        }

        var (preamble, headings) = MarkdownReader.SplitSections(section.Body, 3);
        if (headings.Count == 0)
        {
            // Hand-written pages sometimes say just "None" without a heading: take the text as the type.
            var text = MarkdownReader.ReadParagraphs(preamble);
            return text.Count == 0 ? [] : [new TypeHelp(text[0], text.Skip(1).ToList())];
        }

        return headings.Select(h => new TypeHelp(h.Heading, MarkdownReader.ReadParagraphs(h.Body))).ToList();
    }

    private static List<RelatedLink> ReadRelatedLinks(HeadedSection? section)
    {
        var links = new List<RelatedLink>();
        if (section is null)
        {
            return links;
        }

        foreach (var line in section.Body)
        {
            var matches = LinkPattern().Matches(line.Text);
            if (matches.Count > 0)
            {
                links.AddRange(matches.Select(m => new RelatedLink(m.Groups["text"].Value.Trim(), m.Groups["uri"].Value.Trim())));
            }
            else if (line.Text.Trim().Length > 0)
            {
                links.Add(new RelatedLink(line.Text.Trim(), string.Empty));
            }
        }

        return links;
    }

    private void Report(int line, string message)
    {
        problems++;
        diagnostics.Add(new HelpDiagnostic(path, line, message));
    }

    [GeneratedRegex(@"^(?<name>.+?)\s*\(Default\)$", RegexOptions.IgnoreCase)]
    private static partial Regex DefaultSetPattern();

    [GeneratedRegex(@"\[(?<text>[^\]]+)\]\((?<uri>[^)\s]*)[^)]*\)")]
    private static partial Regex LinkPattern();
}
