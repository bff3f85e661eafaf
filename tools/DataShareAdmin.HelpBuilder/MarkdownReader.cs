using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace DataShareAdmin.HelpBuilder;

/// <summary>A source line with its 1-based number, kept so a problem can point at the line the author has to fix.</summary>
public readonly record struct SourceLine(int Number, string Text);

/// <summary>A heading and the lines under it up to the next heading of the same level.</summary>
public sealed record HeadedSection(string Heading, int Line, IReadOnlyList<SourceLine> Body);

/// <summary>A paragraph or a fenced code block.</summary>
public abstract record MarkdownBlock(int Line);

public sealed record ParagraphBlock(int Line, string Text) : MarkdownBlock(Line);

/// <param name="Info">The fence's info string (<c>powershell</c>, <c>yaml</c>), lower-cased; empty for a bare fence.</param>
public sealed record CodeBlock(int Line, string Info, string Code) : MarkdownBlock(Line);

/// <summary>
/// The little markdown the help pages use, read line by line. The pages follow platyPS's fixed layout (headings,
/// paragraphs, fenced blocks), so a full CommonMark parser would add a dependency without making the result better;
/// the one thing that must be right is that '#' lines inside code fences (PowerShell comments) are not headings.
/// </summary>
public static partial class MarkdownReader
{
    public static IReadOnlyList<SourceLine> ToLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Pages may come from Windows editors; line numbers and comparisons should not care.
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        return lines.Select((line, index) => new SourceLine(index + 1, line.TrimEnd())).ToList();
    }

    /// <summary>Splits off a leading <c>---</c> block of <c>key: value</c> lines; without a closing <c>---</c> there is none.</summary>
    public static (IReadOnlyDictionary<string, string> FrontMatter, IReadOnlyList<SourceLine> Body) SplitFrontMatter(IReadOnlyList<SourceLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var frontMatter = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var first = 0;
        while (first < lines.Count && lines[first].Text.Length == 0)
        {
            first++;
        }

        if (first == lines.Count || lines[first].Text != "---")
        {
            return (frontMatter, lines);
        }

        for (var i = first + 1; i < lines.Count; i++)
        {
            var text = lines[i].Text;
            if (text == "---")
            {
                return (frontMatter, lines.Skip(i + 1).ToList());
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                frontMatter[text[..colon].Trim()] = text[(colon + 1)..].Trim();
            }
        }

        return (new Dictionary<string, string>(), lines);
    }

    /// <summary>
    /// Cuts <paramref name="lines"/> at every heading of exactly <paramref name="level"/> outside code fences.
    /// Deeper headings stay in the section bodies; lines before the first heading are the preamble.
    /// </summary>
    public static (IReadOnlyList<SourceLine> Preamble, IReadOnlyList<HeadedSection> Sections) SplitSections(IReadOnlyList<SourceLine> lines, int level)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var preamble = new List<SourceLine>();
        var sections = new List<HeadedSection>();
        var fence = new FenceTracker();
        string? heading = null;
        var headingLine = 0;
        var body = new List<SourceLine>();

        foreach (var line in lines)
        {
            if (!fence.Consume(line.Text) && TryReadHeading(line.Text, out var headingLevel, out var headingText) && headingLevel == level)
            {
                if (heading is null)
                {
                    preamble.AddRange(body);
                }
                else
                {
                    sections.Add(new HeadedSection(heading, headingLine, body));
                }

                heading = headingText;
                headingLine = line.Number;
                body = [];
                continue;
            }

            body.Add(line);
        }

        if (heading is null)
        {
            preamble.AddRange(body);
        }
        else
        {
            sections.Add(new HeadedSection(heading, headingLine, body));
        }

        return (preamble, sections);
    }

    /// <summary>Groups lines into paragraphs (blank-line separated) and fenced code blocks.</summary>
    public static IReadOnlyList<MarkdownBlock> ReadBlocks(IReadOnlyList<SourceLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var blocks = new List<MarkdownBlock>();
        var paragraph = new List<SourceLine>();

        void FlushParagraph()
        {
            if (paragraph.Count > 0)
            {
                blocks.Add(new ParagraphBlock(paragraph[0].Number, JoinParagraph(paragraph)));
                paragraph.Clear();
            }
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (TryOpenFence(line.Text, out var marker, out var info))
            {
                FlushParagraph();
                var code = new List<string>();
                // An unclosed fence runs to the end of the section, as in CommonMark.
                while (++i < lines.Count && !IsClosingFence(lines[i].Text, marker))
                {
                    code.Add(lines[i].Text);
                }

                blocks.Add(new CodeBlock(line.Number, info, string.Join('\n', code)));
            }
            else if (line.Text.Trim().Length == 0)
            {
                FlushParagraph();
            }
            else if (TryReadHeading(line.Text, out _, out var headingText))
            {
                // A sub-heading inside text (#### Notes) reads best in plain help as a paragraph of its own.
                FlushParagraph();
                blocks.Add(new ParagraphBlock(line.Number, headingText));
            }
            else
            {
                paragraph.Add(line);
            }
        }

        FlushParagraph();
        return blocks;
    }

    /// <summary>Paragraph text for help: code blocks become paragraphs indented by four spaces so they still read as code.</summary>
    public static IReadOnlyList<string> ReadParagraphs(IReadOnlyList<SourceLine> lines) =>
        ReadBlocks(lines)
            .Select(block => block switch
            {
                CodeBlock code => Indent(code.Code),
                ParagraphBlock paragraph => paragraph.Text,
                _ => throw new InvalidOperationException($"Unknown block {block.GetType().Name}."),
            })
            .Where(text => text.Trim().Length > 0)
            .ToList();

    public static string Indent(string code) =>
        string.Join('\n', code.Split('\n').Select(line => line.Length == 0 ? line : "    " + line));

    public static bool TryReadHeading(string line, out int level, out string text)
    {
        ArgumentNullException.ThrowIfNull(line);
        var match = HeadingPattern().Match(line);
        level = match.Success ? match.Groups["hashes"].Length : 0;
        text = match.Success ? match.Groups["text"].Value.Trim() : string.Empty;
        return match.Success;
    }

    /// <summary>A fence opens with three or more backticks or tildes, indented at most three spaces.</summary>
    public static bool TryOpenFence(string line, out string marker, out string info)
    {
        ArgumentNullException.ThrowIfNull(line);
        var match = FencePattern().Match(line);
        marker = match.Success ? match.Groups["marker"].Value : string.Empty;
        var rest = match.Success ? match.Groups["info"].Value.Trim() : string.Empty;
        info = rest.Split(' ', 2)[0].ToLowerInvariant();
        // A backtick fence's info string may not contain backticks: such a line is inline code, not a fence.
        return match.Success && !(marker[0] == '`' && rest.Contains('`', StringComparison.Ordinal));
    }

    /// <summary>A fence closes with a run of the opening character at least as long as the opening run, and nothing else.</summary>
    public static bool IsClosingFence(string line, string marker)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentException.ThrowIfNullOrEmpty(marker);
        var trimmed = line.TrimStart(' ');
        if (line.Length - trimmed.Length > 3)
        {
            return false;
        }

        var run = trimmed.Length - trimmed.TrimStart(marker[0]).Length;
        return run >= marker.Length && trimmed[run..].Trim().Length == 0;
    }

    private static string JoinParagraph(List<SourceLine> lines)
    {
        // Soft-wrapped source lines are one paragraph to Get-Help, which re-wraps text to the console width;
        // list items and markdown hard breaks keep their own lines so lists stay lists.
        var text = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            var raw = lines[i].Text;
            var current = raw.Trim();
            if (i > 0)
            {
                var previous = lines[i - 1].Text;
                var hardBreak = previous.EndsWith('\\') || ListItemPattern().IsMatch(current);
                text.Append(hardBreak ? '\n' : ' ');
            }

            text.Append(current.EndsWith('\\') && i < lines.Count - 1 ? current[..^1].TrimEnd() : current);
        }

        return text.ToString();
    }

    [GeneratedRegex(@"^ {0,3}(?<hashes>#{1,6})(?:[ \t]+(?<text>.*?))?(?:[ \t]+#+)?[ \t]*$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^ {0,3}(?<marker>`{3,}|~{3,})(?<info>.*)$")]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"^(?:[-*+]|\d+[.)])\s")]
    private static partial Regex ListItemPattern();

    /// <summary>Tells, line by line, whether a line opens, is inside or closes a code fence.</summary>
    private sealed class FenceTracker
    {
        private string? openMarker;

        public bool Consume(string line)
        {
            if (openMarker is null)
            {
                if (TryOpenFence(line, out var marker, out _))
                {
                    openMarker = marker;
                    return true;
                }

                return false;
            }

            if (IsClosingFence(line, openMarker))
            {
                openMarker = null;
            }

            return true;
        }
    }
}
