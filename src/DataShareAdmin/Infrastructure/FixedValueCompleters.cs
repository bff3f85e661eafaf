using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace DataShareAdmin.Commands;

/// <summary>Completes from a fixed list (PowerShellStandard 5.1 has no ArgumentCompletions attribute).</summary>
public abstract class FixedValueCompleter : IArgumentCompleter
{
    private readonly string[] values;

    protected FixedValueCompleter(params string[] values) => this.values = values;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        foreach (var value in values)
        {
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                var text = value.IndexOf(' ') >= 0 ? "'" + value + "'" : value;
                yield return new CompletionResult(text, value, CompletionResultType.ParameterValue, value);
            }
        }
    }
}

public sealed class CertificateIssuerCompleter : FixedValueCompleter
{
    public CertificateIssuerCompleter()
        : base("DBS", "DisclosureScotland", "AccessNI")
    {
    }
}

public sealed class CertificateLevelCompleter : FixedValueCompleter
{
    public CertificateLevelCompleter()
        : base("Basic", "Standard", "Enhanced", "Level 1")
    {
    }
}
