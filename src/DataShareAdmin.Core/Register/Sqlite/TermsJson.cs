using System.Text.Json;

namespace DataShareAdmin.Core.Register;

/// <summary>An agreement's terms stored as one JSON object: the same text in every backend.</summary>
internal static class TermsJson
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static string Write(AgreementTerms terms) => JsonSerializer.Serialize(terms, Options);

    public static AgreementTerms Read(string json) => JsonSerializer.Deserialize<AgreementTerms>(json, Options) ?? new AgreementTerms();
}
