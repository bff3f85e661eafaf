using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace DataShareAdmin.Core.SignIn;

/// <summary>
/// The claims of a Microsoft Entra access token (a JWT), read without checking its signature: for what the token says
/// about itself (its expiry, who it was issued to), never to decide whether to trust it. The service it is sent to checks it.
/// </summary>
internal sealed class AccessTokenClaims
{
    private readonly Dictionary<string, string> values;

    private AccessTokenClaims(Dictionary<string, string> values) => this.values = values;

    /// <summary>The token's claims, or null when it is not a JWT (an opaque token, or not base64url JSON).</summary>
    public static AccessTokenClaims? Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var document = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var claim in document.RootElement.EnumerateObject())
            {
                if (claim.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    values[claim.Name] = claim.Value.ValueKind == JsonValueKind.String ? claim.Value.GetString()! : claim.Value.GetRawText();
                }
            }

            return new AccessTokenClaims(values);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The claim's text, or null when absent or blank.</summary>
    public string? this[string name] => values.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>When the token expires (its exp claim).</summary>
    public DateTimeOffset? Expires => long.TryParse(this["exp"], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
        ? DateTimeOffset.FromUnixTimeSeconds(seconds)
        : null;

    /// <summary>
    /// Who the token was issued to, as the audit log should name them: a person's sign-in name (upn, preferred_username,
    /// unique_name or email); a managed identity by its resource name (the last part of xms_mirid) and application id;
    /// another application by its display name, if the token carries one, and application id. Null when the token names no one.
    /// </summary>
    public string? Principal
    {
        get
        {
            var person = this["upn"] ?? this["preferred_username"] ?? this["unique_name"] ?? this["email"];
            var application = this["appid"] ?? this["azp"];
            var isApplication = this["idtyp"] == "app" || (person is null && application is not null);
            if (!isApplication && person is not null)
            {
                return person;
            }

            if (application is null)
            {
                return null;
            }

            if (this["xms_mirid"] is { } resource)
            {
                return $"managed identity {resource.Substring(resource.LastIndexOf('/') + 1)} (app {application})";
            }

            return this["app_displayname"] is { } name ? $"application {name} (app {application})" : $"application {application}";
        }
    }
}
