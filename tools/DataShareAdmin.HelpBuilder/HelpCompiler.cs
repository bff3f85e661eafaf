using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace DataShareAdmin.HelpBuilder;

/// <summary>What a run did: the problems found, or what was written.</summary>
public sealed record HelpBuildResult(IReadOnlyList<HelpDiagnostic> Problems, int CommandCount, int AboutTopicCount, string HelpFilePath)
{
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>Compiles a docs folder: every Verb-Noun.md into one MAML file, every about_*.md into an about_*.help.txt.</summary>
/// <remarks>
/// All pages are checked before anything is written, so a failed build leaves the previous help in place rather
/// than help for half the cmdlets. Other markdown (a module page, a README) is not cmdlet help and is skipped.
/// </remarks>
public static partial class HelpCompiler
{
    // Windows PowerShell 5.1 reads a help text file without a byte order mark in the ANSI code page.
    private static readonly Encoding AboutEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    public static HelpBuildResult Build(BuilderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<HelpDiagnostic>();
        var commands = new List<CommandHelp>();
        var abouts = new List<(string Name, string Text)>();

        foreach (var file in Directory.EnumerateFiles(options.DocsDirectory, "*.md").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            {
                abouts.Add((name, AboutTopicConverter.Convert(File.ReadAllText(file))));
            }
            else if (CommandNamePattern().IsMatch(name))
            {
                var command = CommandPageParser.Parse(file, File.ReadAllText(file), problems, options);
                if (command is not null)
                {
                    commands.Add(command);
                }
            }
        }

        if (problems.Count > 0)
        {
            return new HelpBuildResult(problems, 0, 0, options.HelpFilePath);
        }

        Directory.CreateDirectory(options.OutputDirectory);
        MamlWriter.Save(MamlWriter.Build(commands), options.HelpFilePath);
        foreach (var (name, text) in abouts)
        {
            File.WriteAllText(Path.Combine(options.OutputDirectory, name + ".help.txt"), text, AboutEncoding);
        }

        return new HelpBuildResult(problems, commands.Count, abouts.Count, options.HelpFilePath);
    }

    [GeneratedRegex(@"^[A-Za-z]+-[A-Za-z][A-Za-z0-9]*$")]
    private static partial Regex CommandNamePattern();
}
