using System;
using System.Collections.Generic;

namespace DataShareAdmin.Host;

/// <summary>The parsed command line.</summary>
internal sealed class HostOptions
{
    public string? ModulePath { get; private set; }

    public string? File { get; private set; }

    public IReadOnlyList<string> ScriptArguments { get; private set; } = Array.Empty<string>();

    public string? Command { get; private set; }

    /// <summary>The command text is read from standard input (<c>-Command -</c>).</summary>
    public bool CommandFromStandardInput { get; private set; }

    public bool ShowHelp { get; private set; }

    public bool ShowVersion { get; private set; }

    public bool NonInteractive { get; private set; }

    /// <summary>
    /// Parses the host's own parameters. Everything after <c>-File &lt;path&gt;</c> belongs to the script; everything
    /// after <c>-Command</c> is joined with spaces into the script text, as pwsh does.
    /// </summary>
    /// <returns>The options, or null with <paramref name="error"/> set. Errors never repeat argument values.</returns>
    public static HostOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new HostOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var name = OptionName(arg);
            switch (name)
            {
                case "module":
                case "m":
                    if (i + 1 >= args.Count || string.IsNullOrWhiteSpace(args[i + 1]))
                    {
                        error = "-Module needs a path to a module manifest (.psd1) or module folder.";
                        return null;
                    }

                    options.ModulePath = args[++i];
                    break;

                case "file":
                case "f":
                    if (i + 1 >= args.Count || string.IsNullOrWhiteSpace(args[i + 1]))
                    {
                        error = "-File needs the path of a .ps1 script.";
                        return null;
                    }

                    options.File = args[i + 1];
                    options.ScriptArguments = Slice(args, i + 2);
                    return options.Validate(out error);

                case "command":
                case "c":
                    if (i + 1 >= args.Count)
                    {
                        error = "-Command needs the script text (or - to read it from standard input).";
                        return null;
                    }

                    if (i + 2 == args.Count && args[i + 1] == "-")
                    {
                        options.CommandFromStandardInput = true;
                    }
                    else
                    {
                        options.Command = string.Join(" ", Slice(args, i + 1));
                    }

                    return options.Validate(out error);

                case "help":
                case "h":
                case "?":
                    options.ShowHelp = true;
                    break;

                case "version":
                case "v":
                    options.ShowVersion = true;
                    break;

                case "noninteractive":
                    options.NonInteractive = true;
                    break;

                case "noprofile":
                case "nologo":
                    // Accepted so that pwsh command lines can be reused; this host never runs profiles or prints a logo.
                    break;

                case null:
                    error = $"Argument {i + 1} is not a host parameter. Put the script after -File or the script text after -Command.";
                    return null;

                default:
                    // Only the name: "-Name:value" could carry a secret.
                    error = $"Unknown parameter '{arg.Split(':')[0]}'. Host parameters come first; the script's own arguments go after -File <script.ps1>.";
                    return null;
            }
        }

        return options.Validate(out error);
    }

    private HostOptions? Validate(out string? error)
    {
        error = null;
        if (!ShowHelp && !ShowVersion && File is null && Command is null && !CommandFromStandardInput)
        {
            error = "Nothing to run: give -File <script.ps1> or -Command '<script text>'.";
            return null;
        }

        return this;
    }

    /// <summary>The lower-cased option name of <c>-Name</c>, <c>--name</c> or <c>/?</c>; null when <paramref name="arg"/> is not an option.</summary>
    private static string? OptionName(string arg)
    {
        if (arg == "/?")
        {
            return "?";
        }

        if (arg.Length < 2 || arg[0] != '-')
        {
            return null;
        }

        var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg.Substring(2) : arg.Substring(1);
        return name.Length == 0 ? null : name.ToLowerInvariant();
    }

    private static string[] Slice(IReadOnlyList<string> args, int start)
    {
        var result = new string[Math.Max(0, args.Count - start)];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = args[start + i];
        }

        return result;
    }
}
