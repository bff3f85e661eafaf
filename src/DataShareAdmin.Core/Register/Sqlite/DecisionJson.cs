using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataShareAdmin.Core.Register;

/// <summary>The panel's decision on an agreement, stored as one JSON object (null when none was recorded).</summary>
internal static class DecisionJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string? Write(PanelDecision? decision) => decision is null ? null : JsonSerializer.Serialize(decision, Options);

    public static PanelDecision? Read(string? json) => json is { Length: > 0 } ? JsonSerializer.Deserialize<PanelDecision>(json, Options) : null;
}
