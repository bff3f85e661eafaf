using System;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;

namespace DataShareAdmin.Host;

/// <summary>Binds the arguments after <c>-File script.ps1</c> to the script the way pwsh -File does.</summary>
internal static class ScriptArguments
{
    /// <summary>
    /// <c>-Name value</c> (the engine pairs a bare name with the next argument unless the parameter is a switch),
    /// <c>-Name:value</c> (<c>$true</c>/<c>$false</c> become booleans, so <c>-Switch:$false</c> works), <c>-Switch</c>,
    /// and positional values. After <c>--</c> every argument is positional.
    /// </summary>
    public static void Bind(Command command, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(arguments);
        var positionalOnly = false;
        for (var i = 0; i < arguments.Count; i++)
        {
            var arg = arguments[i];
            if (!positionalOnly && arg == "--")
            {
                positionalOnly = true;
                continue;
            }

            if (positionalOnly || !IsParameterName(arg))
            {
                command.Parameters.Add(new CommandParameter(null, arg));
                continue;
            }

            var colon = arg.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                // The name keeps its dash and has no value: the engine then treats it as "-Name" typed on a command
                // line, binding a switch or pairing it with the next argument. (PowerShell.AddParameter(name) would
                // bind -Name:$true instead.)
                command.Parameters.Add(new CommandParameter(arg));
            }
            else if (colon == arg.Length - 1 && i + 1 < arguments.Count)
            {
                // -Name: value
                command.Parameters.Add(new CommandParameter(arg.Substring(1, colon - 1), Convert(arguments[++i])));
            }
            else
            {
                command.Parameters.Add(new CommandParameter(arg.Substring(1, colon - 1), Convert(arg.Substring(colon + 1))));
            }
        }
    }

    /// <summary>A dash followed by a letter, '_' or '?': "-5" and "-" stay values.</summary>
    private static bool IsParameterName(string arg) =>
        arg.Length > 1 && arg[0] == '-' && (char.IsLetter(arg[1]) || arg[1] == '_' || arg[1] == '?');

    private static object Convert(string value) => value.ToUpperInvariant() switch
    {
        "$TRUE" => true,
        "$FALSE" => false,
        _ => value,
    };
}
