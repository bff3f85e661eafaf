using System;
using System.IO;

namespace DataShareAdmin.Host;

internal static class Program
{
    private const string Usage = """
        DataShareAdmin.Host - runs DataShareAdmin scripts on machines without pwsh.

        Usage:
          DataShareAdmin.Host [-Module <path>] [-NonInteractive] -File <script.ps1> [script arguments...]
          DataShareAdmin.Host [-Module <path>] [-NonInteractive] -Command '<script text>' | -Command -
          DataShareAdmin.Host -Help | -Version

        -Module <path>   The module manifest (DataShareAdmin.psd1) or its folder. Default: the DATASHAREADMIN_MODULE
                         environment variable, else Modules/DataShareAdmin/ beside this program, else the module this
                         build assembled.
        -File <path>     Runs the script as a command: param() and $PSScriptRoot work. The arguments after it are bound
                         as pwsh -File binds them: -Name value, -Name:value, -Switch, positional values.
        -Command <text>  Runs the script text (the remaining arguments joined with spaces); '-' reads it from stdin.
        -NonInteractive  Never prompt (prompts also fail when standard input is redirected); use -Confirm:$false.

        Output, warnings, verbose, debug and information go to standard output; errors and progress to standard error.
        The engine has the core cmdlets only (no Microsoft.PowerShell.Utility or Management cmdlets).

        PowerShell's telemetry is off (POWERSHELL_TELEMETRY_OPTOUT=1) unless that variable is already set.

        Exit codes: 0 success; 1 an error was written or the script was stopped by an error; N the script ran exit N;
                    2 bad command line or script not found; 3 the module could not be found or imported; 130 Ctrl+C.
        """;

    /// <summary>The engine reads it once, when its telemetry type first loads.</summary>
    internal const string TelemetryOptOut = "POWERSHELL_TELEMETRY_OPTOUT";

    public static int Main(string[] args)
    {
        // A tool that handles personal data sends nothing to anyone unasked: the PowerShell engine's own start-up
        // telemetry (one request to Microsoft per run) stays off, unless whoever runs the host has set the variable.
        if (Environment.GetEnvironmentVariable(TelemetryOptOut) is null)
        {
            Environment.SetEnvironmentVariable(TelemetryOptOut, "1");
        }

        var output = Console.Out;
        var error = Console.Error;
        var options = HostOptions.Parse(args, out var parseError);
        if (options is null)
        {
            error.WriteLine(parseError);
            error.WriteLine("Run DataShareAdmin.Host -Help for usage.");
            return ExitCodes.Usage;
        }

        if (options.ShowHelp)
        {
            output.WriteLine(Usage);
            return ExitCodes.Success;
        }

        if (options.ShowVersion)
        {
            output.WriteLine($"DataShareAdmin.Host {DataShareHost.DisplayVersion} (PowerShell {PowerShellVersion()})");
            return ExitCodes.Success;
        }

        string? scriptPath = null;
        if (options.File is not null)
        {
            scriptPath = Path.GetFullPath(options.File);
            if (!File.Exists(scriptPath))
            {
                error.WriteLine($"The script file {scriptPath} does not exist. -File needs the path of a .ps1 script.");
                return ExitCodes.Usage;
            }

            if (!scriptPath.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase))
            {
                error.WriteLine($"{scriptPath} is not a PowerShell script: -File needs a .ps1 file.");
                return ExitCodes.Usage;
            }
        }

        var scriptText = options.Command;
        if (options.CommandFromStandardInput)
        {
            scriptText = Console.In.ReadToEnd();
        }

        var modulePath = ModuleLocator.Resolve(options.ModulePath, Environment.GetEnvironmentVariable, out var moduleError);
        if (modulePath is null)
        {
            error.WriteLine(moduleError);
            return ExitCodes.ModuleUnavailable;
        }

        // Prompts need a person at a console; a redirected stdin (a scheduled job, a test) means nobody will answer.
        var interactive = !options.NonInteractive && !options.CommandFromStandardInput
            && !Console.IsInputRedirected && Environment.UserInteractive;
        var runner = new ScriptRunner(output, error, Console.In, interactive);
        return runner.Run(modulePath, scriptPath, options.ScriptArguments, scriptText);
    }

    private static string PowerShellVersion()
    {
        var assembly = typeof(System.Management.Automation.PowerShell).Assembly;
        var informational = (System.Reflection.AssemblyInformationalVersionAttribute?)Attribute.GetCustomAttribute(
            assembly, typeof(System.Reflection.AssemblyInformationalVersionAttribute));
        var version = informational?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var end = version.IndexOfAny(['+', ' ']);
        return end > 0 ? version.Substring(0, end) : version;
    }
}
