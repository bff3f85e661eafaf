using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using DataShareAdmin.Core.Policy;

namespace DataShareAdmin.Commands;

/// <summary>Tab completion of policy setting names (a fixed catalogue: no register needed).</summary>
public sealed class PolicyNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        foreach (var definition in PolicyCatalogue.All)
        {
            if (definition.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(definition.Name, definition.Name, CompletionResultType.ParameterValue, definition.Description);
            }
        }
    }
}
