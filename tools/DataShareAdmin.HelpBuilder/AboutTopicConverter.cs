using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.HelpBuilder;

/// <summary>
/// Turns an about_ topic's markdown into the plain text Get-Help prints for <c>Get-Help about_X</c>: it prints the
/// file as it is, so markdown syntax that means nothing in a console (front matter, '#' marks, fences) goes, and
/// the text itself, including code, stays line for line.
/// </summary>
public static class AboutTopicConverter
{
    public static string Convert(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var (_, body) = MarkdownReader.SplitFrontMatter(MarkdownReader.ToLines(markdown));
        var output = new List<string>();

        for (var i = 0; i < body.Count; i++)
        {
            var text = body[i].Text;
            if (MarkdownReader.TryOpenFence(text, out var marker, out _))
            {
                // Code keeps its lines, set off by the four-space indent PowerShell's own about topics use for examples.
                var code = new List<SourceLine>();
                while (++i < body.Count && !MarkdownReader.IsClosingFence(body[i].Text, marker))
                {
                    code.Add(body[i]);
                }

                output.AddRange(MarkdownReader.Indent(string.Join('\n', code.Select(l => l.Text))).Split('\n'));
            }
            else if (MarkdownReader.TryReadHeading(text, out _, out var heading))
            {
                output.Add(heading);
            }
            else
            {
                output.Add(text);
            }
        }

        // Front matter usually leaves blank lines at the top, and editors leave them at the end.
        var start = output.FindIndex(line => line.Length > 0);
        var end = output.FindLastIndex(line => line.Length > 0);
        return start < 0 ? string.Empty : string.Join('\n', output.Skip(start).Take(end - start + 1)) + "\n";
    }
}
