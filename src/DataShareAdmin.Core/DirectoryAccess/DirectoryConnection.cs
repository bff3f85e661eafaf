using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Identity;
using DataShareAdmin.Core.SignIn;

namespace DataShareAdmin.Core.DirectoryAccess;

/// <summary>How Connect-DataShareDirectory signs in.</summary>
public enum DirectorySignIn
{
    /// <summary>The machine's managed identity: for scheduled jobs on Azure (application permissions).</summary>
    ManagedIdentity,

    /// <summary>An app registration's client id and certificate (application permissions).</summary>
    ClientCertificate,

    /// <summary>A browser sign-in for an officer (delegated permissions, asked for one cmdlet at a time).</summary>
    Interactive,

    /// <summary>A code to enter at microsoft.com/devicelogin, for an officer on a machine without a browser.</summary>
    DeviceCode,

    /// <summary>A token obtained elsewhere (e.g. Get-AzAccessToken -ResourceTypeName MSGraph).</summary>
    AccessToken,
}

/// <summary>What Connect-DataShareDirectory was given. Tokens and certificates live only in memory.</summary>
public sealed class DirectoryConnectionOptions
{
    public DirectorySignIn SignIn { get; set; }

    public string? TenantId { get; set; }

    /// <summary>The app registration (client certificate, interactive, device code) or user-assigned identity's client id.</summary>
    public string? ClientId { get; set; }

    public X509Certificate2? Certificate { get; set; }

    public string? AccessToken { get; set; }

    /// <summary>Graph's base address with its version: https://graph.microsoft.com/v1.0, or a national cloud's.</summary>
    public Uri GraphEndpoint { get; set; } = new("https://graph.microsoft.com/v1.0");

    /// <summary>Allow plain http to a loopback address (a local test server). Never needed for Graph.</summary>
    public bool AllowHttpLoopback { get; set; }

    /// <summary>The mailbox notices are sent from (needed with application permissions; the officer's own otherwise).</summary>
    public string? Sender { get; set; }

    /// <summary>Where the device code message goes (the host's warning stream).</summary>
    public Action<string>? DeviceCodePrompt { get; set; }
}

/// <summary>
/// The session's way to the directory: the credential, the endpoint, and whether permissions are delegated (asked
/// for per cmdlet) or the application's own. Holds tokens in memory only.
/// </summary>
public sealed class DirectoryConnection : IDirectoryClientFactory
{
    private readonly TokenCredential credential;
    private readonly bool applicationPermissions;

    private DirectoryConnection(TokenCredential credential, bool applicationPermissions, DirectoryConnectionInfo info)
    {
        this.credential = credential;
        this.applicationPermissions = applicationPermissions;
        Info = info;
    }

    public DirectoryConnectionInfo Info { get; }

    public bool UsesApplicationPermissions => applicationPermissions;

    /// <summary>For tests: a connection over any credential.</summary>
    internal static DirectoryConnection ForCredential(TokenCredential credential, Uri endpoint, bool applicationPermissions, string? sender = null) =>
        new(credential, applicationPermissions, new DirectoryConnectionInfo { GraphEndpoint = new Uri(endpoint.ToString().TrimEnd('/')), Method = "Test", Sender = sender });

    /// <summary>Checks what was given and builds the credential; no network call yet.</summary>
    public static DirectoryConnection Create(DirectoryConnectionOptions options)
    {
        var endpoint = CheckEndpoint(options.GraphEndpoint, options.AllowHttpLoopback);
        var tenant = string.IsNullOrWhiteSpace(options.TenantId) ? null : options.TenantId!.Trim();
        var authority = AuthorityFor(endpoint);
        TokenCredential credential;
        var application = true;
        switch (options.SignIn)
        {
            case DirectorySignIn.ManagedIdentity:
                credential = string.IsNullOrWhiteSpace(options.ClientId)
                    ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                    : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId!.Trim()));
                break;
            case DirectorySignIn.ClientCertificate:
                if (tenant is null || string.IsNullOrWhiteSpace(options.ClientId) || options.Certificate is null)
                {
                    throw Invalid("DirectorySignInIncomplete", "A client-certificate sign-in needs -TenantId, -ClientId and -Certificate (or -CertificateThumbprint).");
                }

                if (!options.Certificate.HasPrivateKey)
                {
                    throw Invalid("DirectoryCertificateInvalid", $"The certificate {options.Certificate.Thumbprint} has no private key, so it cannot sign in. Use the certificate as installed with its key.");
                }

                credential = new ClientCertificateCredential(tenant, options.ClientId!.Trim(), options.Certificate, new ClientCertificateCredentialOptions { AuthorityHost = authority });
                break;
            case DirectorySignIn.Interactive:
                RequireClientId(options);
                application = false;
                credential = new InteractiveBrowserCredential(new InteractiveBrowserCredentialOptions { TenantId = tenant, ClientId = Blank(options.ClientId), AuthorityHost = authority });
                break;
            case DirectorySignIn.DeviceCode:
                RequireClientId(options);
                application = false;
                credential = new DeviceCodeCredential(new DeviceCodeCredentialOptions
                {
                    TenantId = tenant,
                    ClientId = Blank(options.ClientId),
                    AuthorityHost = authority,
                    DeviceCodeCallback = (code, _) =>
                    {
                        options.DeviceCodePrompt?.Invoke(code.Message);
                        return Task.CompletedTask;
                    },
                });
                break;
            case DirectorySignIn.AccessToken:
                if (string.IsNullOrWhiteSpace(options.AccessToken))
                {
                    throw Invalid("DirectorySignInIncomplete", "-AccessToken is empty. Give a Microsoft Graph access token (for example from Get-AzAccessToken -ResourceTypeName MSGraph).");
                }

                credential = new FixedTokenCredential(options.AccessToken!.Trim());
                application = false;
                break;
            default:
                throw Invalid("DirectorySignInInvalid", $"'{options.SignIn}' is not a way to sign in.");
        }

        return new DirectoryConnection(credential, application, new DirectoryConnectionInfo
        {
            TenantId = tenant,
            GraphEndpoint = endpoint,
            Method = options.SignIn.ToString(),
            Sender = Blank(options.Sender),
        });
    }

    /// <summary>
    /// A Graph client for a piece of work: with delegated sign-in its token asks for exactly
    /// <paramref name="permissions"/> on this endpoint's resource; with application permissions for .default.
    /// </summary>
    public IDirectoryClient Create(params string[] permissions)
    {
        var resource = Info.GraphEndpoint.GetLeftPart(UriPartial.Authority);
        var scopes = applicationPermissions || permissions.Length == 0
            ? new[] { resource + "/.default" }
            : Array.ConvertAll(permissions, p => resource + "/" + p);
        return new GraphDirectoryClient(credential, scopes, Info.GraphEndpoint);
    }

    private static Uri CheckEndpoint(Uri endpoint, bool allowHttpLoopback)
    {
        if (!endpoint.IsAbsoluteUri || !string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.UserInfo))
        {
            throw Invalid("DirectoryEndpointInvalid", $"'{endpoint}' is not a Graph endpoint: give its base address and version, such as https://graph.microsoft.com/v1.0.");
        }

        var loopback = endpoint.IsLoopback;
        if (endpoint.Scheme != Uri.UriSchemeHttps && !(endpoint.Scheme == Uri.UriSchemeHttp && allowHttpLoopback && loopback))
        {
            throw Invalid("DirectoryEndpointInsecure", endpoint.Scheme == Uri.UriSchemeHttp && loopback
                ? $"'{endpoint}' is plain http. Tokens go over https only; for a local test server add -AllowHttpLoopback."
                : $"'{endpoint}' is not https. Tokens go to Graph over https only.");
        }

        return new Uri(endpoint.ToString().TrimEnd('/'));
    }

    /// <summary>The sign-in authority that goes with a national cloud's Graph endpoint.</summary>
    private static Uri AuthorityFor(Uri endpoint) => endpoint.Host switch
    {
        "graph.microsoft.us" or "dod-graph.microsoft.us" => AzureAuthorityHosts.AzureGovernment,
        "microsoftgraph.chinacloudapi.cn" => AzureAuthorityHosts.AzureChina,
        _ => AzureAuthorityHosts.AzurePublicCloud,
    };

    /// <summary>
    /// An officer's sign-in goes through the organisation's own app registration, whose delegated permissions an
    /// administrator has consented to; a tool's default client would ask each officer to consent, or be refused.
    /// </summary>
    private static void RequireClientId(DirectoryConnectionOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            throw Invalid("DirectorySignInIncomplete", $"A {options.SignIn} sign-in needs -ClientId: the app registration your administrator consented the DataShareAdmin permissions for.");
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

    private static DataShareException Invalid(string id, string message) => new(id, DataShareErrorCategory.InvalidArgument, message, null);

    /// <summary>A token obtained elsewhere, used as it is until it expires.</summary>
    private sealed class FixedTokenCredential : TokenCredential
    {
        private readonly AccessToken token;

        /// <remarks>A JWT keeps its own expiry (its exp claim); an opaque token is taken to last an hour.</remarks>
        public FixedTokenCredential(string token) =>
            this.token = new AccessToken(token, AccessTokenClaims.Read(token)?.Expires ?? DateTimeOffset.UtcNow.AddHours(1));

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => token;

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token);
    }
}
