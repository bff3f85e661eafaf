using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using DataShareAdmin.Core;

namespace DataShareAdmin.Commands;

/// <summary>
/// Tab completion of ids from the session's register, opened read-only for the moment of the completion. A register
/// that does not exist yet or cannot be read offers nothing rather than failing the prompt. It always returns a list
/// (maybe empty): for a compiled completer that does, PowerShell never falls back to offering file names.
/// </summary>
public abstract class RegisterIdCompleter : IArgumentCompleter
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
            var pattern = WildcardPattern.Get((MatchAnywhere ? "*" : string.Empty) + (wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            var agreement = fakeBoundParameters?["AgreementId"] as string;
            foreach (var (id, description) in Candidates(engine, string.IsNullOrWhiteSpace(agreement) ? null : agreement))
            {
                if (pattern.IsMatch(id))
                {
                    var result = new CompletionResult(CompletionText(id), id, CompletionResultType.ParameterValue, id + " — " + description);
                    if (NewestFirst)
                    {
                        results.Insert(0, result);
                    }
                    else
                    {
                        results.Add(result);
                    }

                    if (!NewestFirst && results.Count >= MaxResults)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // No register yet, or it cannot be read (or is not a register at all): offer what was found so far. The
            // list is returned, never an error: a completer that fails makes PowerShell offer file names instead.
        }

        return results.Count > MaxResults ? results.GetRange(0, MaxResults) : results;
    }

    /// <summary>What is put on the command line for a candidate (names with spaces need quoting; ids do not).</summary>
    protected virtual string CompletionText(string id) => id;

    /// <summary>True when the typed text may match anywhere in a candidate (long names), not only at its start.</summary>
    protected virtual bool MatchAnywhere => false;

    /// <summary>True when candidates come oldest first and should be offered newest first.</summary>
    protected virtual bool NewestFirst => false;

    /// <summary>Each candidate id with a short description; <paramref name="agreementId"/> is the -AgreementId already typed, if any.</summary>
    internal abstract IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId);
}

/// <summary>Tab completion of agreement ids.</summary>
public sealed class AgreementIdCompleter : RegisterIdCompleter
{
    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var agreement in engine.Agreements.Find(null, null))
        {
            yield return (agreement.Id, $"{agreement.Organisation}: {agreement.Title} ({agreement.Status})");
        }
    }
}

/// <summary>Tab completion of transfer ids, newest first, of the agreement already given if any.</summary>
public sealed class TransferIdCompleter : RegisterIdCompleter
{
    protected override bool NewestFirst => true;

    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var transfer in engine.Transfers.Find(agreementId, null))
        {
            yield return (transfer.Id, $"{transfer.AgreementId}, {transfer.Files.Count} file(s), {transfer.Status}, expires {transfer.ExpiresOn:yyyy-MM-dd HH:mm} UTC");
        }
    }
}

/// <summary>Tab completion of the ids of holdings still held, of the agreement already given if any.</summary>
public sealed class HoldingIdCompleter : RegisterIdCompleter
{
    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var holding in engine.Retention.Find(agreementId, includeDestroyed: false))
        {
            yield return (holding.Id, $"{holding.AgreementId}, due {holding.DueOn:yyyy-MM-dd}: {holding.Location}");
        }
    }
}

/// <summary>Tab completion of organisation names (an id typed in full is accepted too).</summary>
public sealed class OrganisationCompleter : RegisterIdCompleter
{
    protected override string CompletionText(string id) =>
        id.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', ';', ',', '&', '@', '{', '}', '#' }) < 0 ? id : "'" + id.Replace("'", "''") + "'";

    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var organisation in engine.Organisations.Find(null))
        {
            yield return (organisation.Name, $"{organisation.Id}, security assessment {organisation.AssessmentStatus}");
        }
    }
}

/// <summary>Tab completion of legal gateways from the register's catalogue (retired ones left out); the typed text may match anywhere in the name.</summary>
public sealed class LegalGatewayCompleter : RegisterIdCompleter
{
    protected override bool MatchAnywhere => true;

    protected override string CompletionText(string id) => "'" + id.Replace("'", "''") + "'";

    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var gateway in engine.LegalGateways.List())
        {
            yield return (gateway.Name, gateway.IsSeeded ? "published gateway" : $"added by {gateway.AddedBy}");
        }
    }
}
