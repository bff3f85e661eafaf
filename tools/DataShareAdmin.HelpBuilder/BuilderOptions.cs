using System;
using System.Collections.Generic;
using System.IO;

namespace DataShareAdmin.HelpBuilder;

/// <summary>The command line: <c>--docs DIR --out DIR --module NAME --assembly FILE</c>, all required.</summary>
/// <param name="AssemblyFileName">The cmdlets' assembly file name (<c>DataShareAdmin.dll</c>): PowerShell looks for a
/// binary cmdlet's help in <c>&lt;culture&gt;/&lt;assembly file name&gt;-Help.xml</c> beside that assembly.</param>
public sealed record BuilderOptions(string DocsDirectory, string OutputDirectory, string ModuleName, string AssemblyFileName)
{
    public const string Usage =
        "usage: DataShareAdmin.HelpBuilder --docs <docs/en-US folder> --out <module>/en-US --module <ModuleName> --assembly <Cmdlets.dll>";

    public string HelpFilePath => Path.Combine(OutputDirectory, AssemblyFileName + "-Help.xml");

    /// <summary>Reads the arguments; on failure returns null and says why in <paramref name="error"/>.</summary>
    public static BuilderOptions? TryParse(IReadOnlyList<string> args, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string[] known = ["--docs", "--out", "--module", "--assembly"];

        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (Array.IndexOf(known, name.ToLowerInvariant()) < 0)
            {
                error = $"unknown argument '{name}'.";
                return null;
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal) || args[i + 1].Trim().Length == 0)
            {
                error = $"{name} needs a value.";
                return null;
            }

            if (!values.TryAdd(name, args[++i]))
            {
                error = $"{name} is given twice.";
                return null;
            }
        }

        foreach (var name in known)
        {
            if (!values.ContainsKey(name))
            {
                error = $"{name} is required.";
                return null;
            }
        }

        var assembly = values["--assembly"];
        if (assembly.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || assembly.Contains('/', StringComparison.Ordinal))
        {
            error = $"--assembly takes the assembly's file name (DataShareAdmin.dll), not '{assembly}'.";
            return null;
        }

        var docs = values["--docs"];
        if (!Directory.Exists(docs))
        {
            error = $"--docs folder '{docs}' does not exist.";
            return null;
        }

        error = string.Empty;
        return new BuilderOptions(docs, values["--out"], values["--module"], assembly);
    }
}
