using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.HelpBuilder;

/// <summary>
/// The <c>Key: value</c> lines of a parameter's ```yaml block. platyPS writes flat scalars only, so a real YAML
/// parser (and its dependency) would buy nothing here.
/// </summary>
public sealed class ParameterMetadata
{
    private readonly Dictionary<string, string> values;

    private ParameterMetadata(Dictionary<string, string> values) => this.values = values;

    public static ParameterMetadata Read(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in yaml.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return new ParameterMetadata(values);
    }

    /// <summary>The value as written, or null when the key is absent.</summary>
    public string? Get(string key) => values.GetValueOrDefault(key);

    /// <summary>A comma-separated value; <c>None</c> and an empty value both mean no entries.</summary>
    public IReadOnlyList<string> GetList(string key) =>
        (Get(key) ?? string.Empty)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(item => !item.Equals("None", StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>True or False in any case; null when absent or anything else, so the caller can say what is wrong.</summary>
    public bool? GetBool(string key) => bool.TryParse(Get(key), out var value) ? value : null;
}
