using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.HelpBuilder;

/// <summary>One cmdlet's help page, as read from its markdown: everything the MAML writer needs and nothing markdown-specific.</summary>
/// <remarks>Text is kept as paragraphs because MAML has one <c>maml:para</c> per paragraph and Get-Help re-wraps each to the console.</remarks>
public sealed record CommandHelp(
    string Name,
    IReadOnlyList<string> Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<ParameterSetHelp> ParameterSets,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<string> Notes,
    IReadOnlyList<RelatedLink> RelatedLinks,
    string? OnlineVersion)
{
    public string Verb => Name[..Name.IndexOf('-', StringComparison.Ordinal)];

    public string Noun => Name[(Name.IndexOf('-', StringComparison.Ordinal) + 1)..];

    /// <summary>The parameters that belong to <paramref name="set"/>, each with the metadata that applies in that set.</summary>
    public IEnumerable<(ParameterHelp Parameter, ParameterBinding Binding)> ParametersIn(ParameterSetHelp set)
    {
        ArgumentNullException.ThrowIfNull(set);
        foreach (var parameter in Parameters)
        {
            var binding = parameter.BindingFor(set.Name);
            if (binding is not null)
            {
                yield return (parameter, binding);
            }
        }
    }
}

/// <summary>A parameter set named by a <c>### SetName</c> heading under SYNTAX.</summary>
public sealed record ParameterSetHelp(string Name, bool IsDefault)
{
    /// <summary>The name PowerShell gives the only set of a cmdlet that declares none; platyPS writes it as the heading too.</summary>
    public const string AllParameterSets = "__AllParameterSets";
}

/// <summary>A documented parameter. <see cref="Bindings"/> has one entry per yaml block: platyPS writes several when
/// Required, Position or pipeline input differ between sets.</summary>
public sealed record ParameterHelp(
    string Name,
    IReadOnlyList<string> Description,
    string TypeName,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    string DefaultValue,
    bool AcceptsWildcards,
    IReadOnlyList<ParameterBinding> Bindings)
{
    /// <summary>Switches take no value, so Get-Help must not show <c>&lt;SwitchParameter&gt;</c> after them in SYNTAX.</summary>
    public bool IsSwitch =>
        TypeName.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase) ||
        TypeName.Equals("System.Management.Automation.SwitchParameter", StringComparison.OrdinalIgnoreCase);

    /// <summary>The yaml block that covers <paramref name="setName"/>, or null when the parameter is not in that set.</summary>
    public ParameterBinding? BindingFor(string setName) => Bindings.FirstOrDefault(b => b.AppliesTo(setName));
}

/// <summary>The per-set part of a parameter's yaml block.</summary>
/// <param name="ParameterSets">The sets named in the block; empty means <c>(All)</c>.</param>
/// <param name="Position">Null when the parameter is named-only (<c>Position: Named</c>).</param>
/// <param name="PipelineInput">As written, e.g. <c>True (ByPropertyName)</c>: Get-Help shows this text verbatim.</param>
public sealed record ParameterBinding(IReadOnlyList<string> ParameterSets, bool Required, int? Position, string PipelineInput)
{
    public bool AppliesToAllSets => ParameterSets.Count == 0;

    public bool AppliesTo(string setName) =>
        AppliesToAllSets || ParameterSets.Contains(setName, StringComparer.OrdinalIgnoreCase);
}

/// <summary>An entry of INPUTS or OUTPUTS: a type name heading and the text under it.</summary>
public sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

/// <summary>An example: the heading text, its code blocks joined, and the paragraphs around them.</summary>
public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>A RELATED LINKS entry, as written: <see cref="Uri"/> may be a sibling page (<c>Get-X.md</c>) or empty.</summary>
public sealed record RelatedLink(string Text, string Uri);
