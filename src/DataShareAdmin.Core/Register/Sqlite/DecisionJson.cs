using System.Text.Json;

namespace DataShareAdmin.Core.Register;

/// <summary>The panel's decision on an agreement, stored as one JSON object (null when none was recorded).</summary>
internal static class DecisionJson
{
    public static string? Write(PanelDecision? decision) => decision is null ? null : JsonSerializer.Serialize(decision, PublicationJson.Options);

    public static PanelDecision? Read(string? json) => json is { Length: > 0 } ? JsonSerializer.Deserialize<PanelDecision>(json, PublicationJson.Options) : null;
}
