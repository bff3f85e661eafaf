using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace DataShareAdmin.Host;

/// <summary>
/// Writes what the engine shows to standard output (output, warnings, verbose, debug, information, "What if:")
/// and standard error (errors, progress). Colours are ignored. Prompts read from the console when there is one and
/// fail with a clear message when the host runs non-interactively, so a scheduled job never hangs on a prompt.
/// </summary>
internal sealed class HostUserInterface : PSHostUserInterface
{
    private const string NonInteractive =
        "DataShareAdmin.Host is running non-interactively (standard input is redirected or -NonInteractive was given)";

    private readonly object sync = new();
    private readonly TextWriter output;
    private readonly TextWriter error;
    private readonly TextReader input;
    private readonly bool interactive;
    private readonly HostRawUserInterface rawUI;
    private readonly ProgressLine progress = new();

    public HostUserInterface(TextWriter output, TextWriter error, TextReader input, bool interactive)
    {
        this.output = output;
        this.error = error;
        this.input = input;
        this.interactive = interactive;
        rawUI = new HostRawUserInterface(interactive);
    }

    public override PSHostRawUserInterface RawUI => rawUI;

    public override void Write(string value) => Out(value, newLine: false);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Out(value, newLine: false);

    public override void WriteLine() => Out(string.Empty, newLine: true);

    public override void WriteLine(string value) => Out(value, newLine: true);

    public override void WriteLine(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Out(value, newLine: true);

    public override void WriteErrorLine(string value)
    {
        lock (sync)
        {
            error.WriteLine(value is null ? string.Empty : GetOutputString(value, supportsVirtualTerminal: false));
        }
    }

    public override void WriteWarningLine(string message) => Out("WARNING: " + message, newLine: true);

    public override void WriteVerboseLine(string message) => Out("VERBOSE: " + message, newLine: true);

    public override void WriteDebugLine(string message) => Out("DEBUG: " + message, newLine: true);

    public override void WriteInformation(InformationRecord record)
    {
        // Nothing to do: every information record arrives here whatever the preference. The engine itself writes
        // the ones to show through WriteLine: Write-Host text, and records whose InformationAction is Continue.
    }

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (sync)
        {
            var line = progress.Next(sourceId, record);
            if (line is not null)
            {
                error.WriteLine(line);
            }
        }
    }

    public override string ReadLine()
    {
        lock (sync)
        {
            output.Flush();
        }

        return input.ReadLine() ?? string.Empty;
    }

    public override SecureString ReadLineAsSecureString()
    {
        var secret = new SecureString();
        if (!interactive)
        {
            // A redirected standard input is read as it comes: a job may pipe a secret in.
            foreach (var c in input.ReadLine() ?? string.Empty)
            {
                secret.AppendChar(c);
            }
        }
        else
        {
            ReadMasked(secret);
        }

        secret.MakeReadOnly();
        return secret;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        ArgumentNullException.ThrowIfNull(descriptions);
        RequireInteractive("so it cannot prompt for input. Pass every mandatory parameter on the command line.");
        WriteHeading(caption, message);
        var results = new Dictionary<string, PSObject>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in descriptions)
        {
            var label = string.IsNullOrEmpty(field.Label) ? field.Name : StripHotKey(field.Label);
            var type = field.ParameterTypeFullName ?? string.Empty;
            if (type == typeof(SecureString).FullName)
            {
                Write(label + ": ");
                var secret = new SecureString();
                ReadMasked(secret);
                secret.MakeReadOnly();
                results[field.Name] = new PSObject(secret);
            }
            else if (type == typeof(PSCredential).FullName)
            {
                results[field.Name] = new PSObject(PromptForCredential(caption, message, string.Empty, string.Empty));
            }
            else if (type.EndsWith("[]", StringComparison.Ordinal))
            {
                // As pwsh does for arrays: one element a line, an empty line ends the list.
                var items = new List<string>();
                while (true)
                {
                    Write(string.Create(CultureInfo.InvariantCulture, $"{label}[{items.Count}]: "));
                    var line = ReadConsoleLine();
                    if (string.IsNullOrEmpty(line))
                    {
                        break;
                    }

                    items.Add(line);
                }

                results[field.Name] = new PSObject(items.ToArray());
            }
            else
            {
                Write(label + ": ");
                results[field.Name] = new PSObject(ReadConsoleLine() ?? string.Empty);
            }
        }

        return results;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        ArgumentNullException.ThrowIfNull(choices);
        RequireInteractive("so it cannot ask for confirmation. Add -Confirm:$false to the command (or set $ConfirmPreference = 'None') to run it without asking.");
        WriteHeading(caption, message);
        var hotKeys = new string[choices.Count];
        var prompt = new StringBuilder();
        for (var i = 0; i < choices.Count; i++)
        {
            hotKeys[i] = HotKey(choices[i].Label);
            prompt.Append(CultureInfo.InvariantCulture, $"[{hotKeys[i]}] {StripHotKey(choices[i].Label)}  ");
        }

        prompt.Append("[?] Help");
        if (defaultChoice >= 0 && defaultChoice < choices.Count)
        {
            prompt.Append(CultureInfo.InvariantCulture, $" (default is \"{hotKeys[defaultChoice]}\")");
        }

        prompt.Append(": ");
        while (true)
        {
            Write(prompt.ToString());
            var answer = ReadConsoleLine();
            if (answer is null)
            {
                throw new PSInvalidOperationException("Standard input ended before a choice was made.");
            }

            answer = answer.Trim();
            if (answer.Length == 0 && defaultChoice >= 0 && defaultChoice < choices.Count)
            {
                return defaultChoice;
            }

            if (answer == "?")
            {
                for (var i = 0; i < choices.Count; i++)
                {
                    WriteLine($"{hotKeys[i]} - {choices[i].HelpMessage}");
                }

                continue;
            }

            for (var i = 0; i < choices.Count; i++)
            {
                if (string.Equals(answer, hotKeys[i], StringComparison.OrdinalIgnoreCase)
                    || string.Equals(answer, StripHotKey(choices[i].Label), StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

    public override PSCredential PromptForCredential(
        string caption,
        string message,
        string userName,
        string targetName,
        PSCredentialTypes allowedCredentialTypes,
        PSCredentialUIOptions options)
    {
        RequireInteractive("so it cannot prompt for a credential. Pass the credential as a parameter instead.");
        WriteHeading(caption, message);
        if (string.IsNullOrEmpty(userName))
        {
            Write("User: ");
            userName = ReadConsoleLine() ?? string.Empty;
        }

        Write($"Password for user {userName}: ");
        var password = new SecureString();
        ReadMasked(password);
        password.MakeReadOnly();
        return new PSCredential(userName, password);
    }

    private void Out(string? value, bool newLine)
    {
        // The formatter decorates table headers with ANSI sequences; a log or pipe wants plain text.
        value = value is null ? string.Empty : GetOutputString(value, supportsVirtualTerminal: false);
        lock (sync)
        {
            if (newLine)
            {
                output.WriteLine(value);
            }
            else
            {
                output.Write(value);
            }
        }
    }

    private void WriteHeading(string? caption, string? message)
    {
        if (!string.IsNullOrEmpty(caption))
        {
            WriteLine(caption);
        }

        if (!string.IsNullOrEmpty(message))
        {
            WriteLine(message);
        }
    }

    private void RequireInteractive(string what)
    {
        if (!interactive)
        {
            throw new PSInvalidOperationException(NonInteractive + ", " + what);
        }
    }

    private string? ReadConsoleLine()
    {
        lock (sync)
        {
            output.Flush();
        }

        return input.ReadLine();
    }

    private void ReadMasked(SecureString secret)
    {
        lock (sync)
        {
            output.Flush();
        }

        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0)
                {
                    secret.RemoveAt(secret.Length - 1);
                }

                continue;
            }

            if (key.KeyChar != '\0')
            {
                secret.AppendChar(key.KeyChar);
            }
        }

        WriteLine();
    }

    /// <summary>The letter after '&amp;' in a choice label ("&amp;Yes" → "Y"), else the label's first letter.</summary>
    private static string HotKey(string label)
    {
        var amp = label.IndexOf('&', StringComparison.Ordinal);
        if (amp >= 0 && amp + 1 < label.Length)
        {
            return label.Substring(amp + 1, 1).ToUpperInvariant();
        }

        return label.Length > 0 ? label.Substring(0, 1).ToUpperInvariant() : "?";
    }

    private static string StripHotKey(string label) => label.Replace("&", string.Empty, StringComparison.Ordinal);
}
