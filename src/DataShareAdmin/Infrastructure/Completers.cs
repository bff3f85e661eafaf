using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using DataShareAdmin.Core;

namespace DataShareAdmin.Commands;

/// <summary>Tab completion of agreement ids from the session's register.</summary>
public sealed class AgreementIdCompleter : IArgumentCompleter
{
    private const int MaxResults = 200;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var results = new List<CompletionResult>();
        try
        {
            var options = SessionSettings.Current().ToEngineOptions();
            options.ReadOnly = true;
            using var engine = DataShareEngine.Open(options);
            var pattern = WildcardPattern.Get((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            foreach (var agreement in engine.Agreements.Find(pattern.IsMatch, null))
            {
                results.Add(new CompletionResult(agreement.Id, agreement.Id, CompletionResultType.ParameterValue,
                    $"{agreement.Id} — {agreement.Organisation}: {agreement.Title} ({agreement.Status})"));
                if (results.Count >= MaxResults)
                {
                    break;
                }
            }
        }
        catch (DataShareException)
        {
            // No register yet, or it cannot be read: completion offers nothing rather than failing the prompt.
        }

        return results;
    }
}

/// <summary>Tab completion of transfer ids, newest first, from the session's register.</summary>
public sealed class TransferIdCompleter : IArgumentCompleter
{
    private const int MaxResults = 200;

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var results = new List<CompletionResult>();
        try
        {
            var options = SessionSettings.Current().ToEngineOptions();
            options.ReadOnly = true;
            using var engine = DataShareEngine.Open(options);
            var pattern = WildcardPattern.Get((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            var agreement = fakeBoundParameters?["AgreementId"] as string;
            foreach (var transfer in engine.Transfers.Find(string.IsNullOrWhiteSpace(agreement) ? null : agreement, null))
            {
                if (pattern.IsMatch(transfer.Id))
                {
                    results.Insert(0, new CompletionResult(transfer.Id, transfer.Id, CompletionResultType.ParameterValue,
                        $"{transfer.Id} — {transfer.AgreementId}, {transfer.Files.Count} file(s), {transfer.Status}, expires {transfer.ExpiresOn:yyyy-MM-dd HH:mm} UTC"));
                }
            }
        }
        catch (DataShareException)
        {
            // No register yet, or it cannot be read: completion offers nothing rather than failing the prompt.
        }

        return results.Count > MaxResults ? results.GetRange(0, MaxResults) : results;
    }
}
