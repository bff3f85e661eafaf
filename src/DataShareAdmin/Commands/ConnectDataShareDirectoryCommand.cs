using System;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using DataShareAdmin.Core.DirectoryAccess;

namespace DataShareAdmin.Commands;

/// <summary>
/// Connects the session to the organisation's directory (Microsoft Entra ID) through Microsoft Graph: a managed
/// identity for scheduled jobs, an app registration's certificate, or an officer's own sign-in (browser or device
/// code), or a token obtained elsewhere. Tokens stay in memory. Officers' sign-ins ask for each cmdlet's permissions
/// only when that cmdlet runs.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "DataShareDirectory", DefaultParameterSetName = InteractiveSet)]
[OutputType(typeof(DirectoryConnectionInfo))]
public sealed class ConnectDataShareDirectoryCommand : DataShareCmdlet
{
    private const string InteractiveSet = "Interactive";
    private const string DeviceCodeSet = "DeviceCode";
    private const string ManagedIdentitySet = "ManagedIdentity";
    private const string CertificateSet = "ClientCertificate";
    private const string ThumbprintSet = "CertificateThumbprint";
    private const string AccessTokenSet = "AccessToken";

    /// <summary>The directory (tenant) id or domain, e.g. contoso.onmicrosoft.com.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
    [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = InteractiveSet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = ManagedIdentitySet)]
    [Parameter(ParameterSetName = AccessTokenSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string? TenantId { get; set; }

    /// <summary>Sign in with the machine's managed identity (scheduled jobs on Azure).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ManagedIdentitySet)]
    public SwitchParameter ManagedIdentity { get; set; }

    /// <summary>Sign in with a code entered at microsoft.com/devicelogin.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DeviceCodeSet)]
    public SwitchParameter DeviceCode { get; set; }

    /// <summary>The app registration's client id; with -ManagedIdentity, a user-assigned identity's client id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
    [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
    [Parameter(ParameterSetName = ManagedIdentitySet)]
    [Parameter(ParameterSetName = InteractiveSet)]
    [Parameter(ParameterSetName = DeviceCodeSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string? ClientId { get; set; }

    /// <summary>The app registration's certificate, with its private key.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
    [ValidateNotNull]
    public X509Certificate2? Certificate { get; set; }

    /// <summary>The thumbprint of the app registration's certificate in the current user's (then the machine's) personal store.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ThumbprintSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string? CertificateThumbprint { get; set; }

    /// <summary>A Microsoft Graph access token obtained elsewhere, as a SecureString.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    [ValidateNotNull]
    public SecureString? AccessToken { get; set; }

    /// <summary>Graph's base address with its version; national clouds: https://graph.microsoft.us/v1.0, https://microsoftgraph.chinacloudapi.cn/v1.0.</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri GraphEndpoint { get; set; } = new("https://graph.microsoft.com/v1.0");

    /// <summary>The mailbox notices are sent from (needed with application permissions; the officer's own mailbox otherwise).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Sender { get; set; }

    /// <summary>Allow plain http to a loopback address: a local test server. Never needed for Graph.</summary>
    [Parameter]
    public SwitchParameter AllowHttpLoopback { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Run(GraphEndpoint.ToString(), () =>
    {
        var connection = DirectoryConnection.Create(new DirectoryConnectionOptions
        {
            SignIn = ParameterSetName switch
            {
                ManagedIdentitySet => DirectorySignIn.ManagedIdentity,
                CertificateSet or ThumbprintSet => DirectorySignIn.ClientCertificate,
                DeviceCodeSet => DirectorySignIn.DeviceCode,
                AccessTokenSet => DirectorySignIn.AccessToken,
                _ => DirectorySignIn.Interactive,
            },
            TenantId = TenantId,
            ClientId = ClientId,
            Certificate = ParameterSetName == ThumbprintSet ? FindCertificate(CertificateThumbprint!) : Certificate,
            AccessToken = AccessToken is null ? null : Secrets.Plain(AccessToken),
            GraphEndpoint = GraphEndpoint,
            AllowHttpLoopback = AllowHttpLoopback,
            Sender = Sender,
            DeviceCodePrompt = WriteWarning,
        });
        SessionSettings.Current().Directory = connection;
        WriteVerbose($"Connected to the directory at {connection.Info.GraphEndpoint} ({connection.Info.Method}). Each directory cmdlet asks for its own Microsoft Graph permissions when it runs.");
        if (PassThru)
        {
            WriteObject(connection.Info);
        }
    });

    private static X509Certificate2 FindCertificate(string thumbprint)
    {
        var wanted = thumbprint.Replace(" ", string.Empty).Trim();
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            try
            {
                using var store = new X509Store(StoreName.My, location);
                store.Open(OpenFlags.ReadOnly);
                var found = store.Certificates.Find(X509FindType.FindByThumbprint, wanted, validOnly: false);
                if (found.Count > 0)
                {
                    return found[0];
                }
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // A store that does not exist on this platform: try the next.
            }
        }

        throw new DataShareException("DirectoryCertificateNotFound", DataShareErrorCategory.ObjectNotFound,
            $"No certificate with thumbprint {wanted} is in the current user's or the machine's personal store. Give -Certificate instead, or install it.", wanted);
    }
}
