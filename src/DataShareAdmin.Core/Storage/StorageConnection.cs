using System;
using System.Net.Sockets;
using System.Threading;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace DataShareAdmin.Core.Storage;

/// <summary>What Connect-DataShareStorage was given. The connection string is a secret: it lives only in memory.</summary>
public sealed class StorageConnectionOptions
{
    public string? ConnectionString { get; set; }

    public Uri? AccountUri { get; set; }

    public StorageAuthentication Authentication { get; set; } = StorageAuthentication.Default;

    /// <summary>A user-assigned managed identity's client id; the system-assigned identity when null.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Allow plain http, and only to a loopback address (a local emulator such as Azurite).</summary>
    public bool AllowHttpLoopback { get; set; }
}

/// <summary>
/// A verified connection to one storage account. It holds the SDK client (and through it the key or credential) for
/// the session only: nothing of it is written to the register, the audit log or any output stream.
/// </summary>
public sealed class StorageConnection
{
    private StorageConnection(BlobServiceClient client, StorageConnectionInfo info)
    {
        Client = client;
        Info = info;
    }

    public StorageConnectionInfo Info { get; }

    internal BlobServiceClient Client { get; }

    /// <summary>Builds the client and checks the endpoint's scheme; no network call yet.</summary>
    public static StorageConnection Create(StorageConnectionOptions options)
    {
        BlobServiceClient client;
        var authentication = StorageAuthentication.SharedKey;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            try
            {
                client = new BlobServiceClient(options.ConnectionString, ClientOptions());
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                // The SDK's message can quote the string, key included: never pass it on.
                throw new DataShareException("StorageConnectionStringInvalid", DataShareErrorCategory.InvalidArgument,
                    "The storage connection string could not be read. Copy it again from the storage account's 'Access keys' page (it looks like DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…).",
                    null);
            }

            if (!client.CanGenerateAccountSasUri)
            {
                throw new DataShareException("StorageConnectionStringInvalid", DataShareErrorCategory.InvalidArgument,
                    "The storage connection string has no account key. Use a connection string with AccountKey, or -AccountUri with Microsoft Entra sign-in.", null);
            }
        }
        else if (options.AccountUri is not null)
        {
            if (options.Authentication == StorageAuthentication.SharedKey)
            {
                throw new DataShareException("StorageAuthenticationInvalid", DataShareErrorCategory.InvalidArgument,
                    "SharedKey comes from a connection string: use -ConnectionString, or choose ManagedIdentity, Interactive, Environment or Default with -AccountUri.", null);
            }

            authentication = options.Authentication;
            var address = WithoutQuery(options.AccountUri);
            if (address.Scheme != Uri.UriSchemeHttps)
            {
                // Bearer tokens go over https only; the SDK refuses otherwise, and so do we, with a clearer message.
                throw Insecure(address, "Microsoft Entra sign-in needs an https endpoint");
            }

            client = new BlobServiceClient(address, Credential(authentication, options.ManagedIdentityClientId), ClientOptions());
        }
        else
        {
            throw new DataShareException("StorageConnectionMissing", DataShareErrorCategory.InvalidArgument,
                "Give -ConnectionString (or the name of an environment variable holding it) or -AccountUri.", null);
        }

        var endpoint = WithoutQuery(client.Uri);
        var insecure = endpoint.Scheme == Uri.UriSchemeHttp;
        if (insecure && !(endpoint.IsLoopback && options.AllowHttpLoopback))
        {
            throw Insecure(endpoint, endpoint.IsLoopback
                ? "for a local emulator such as Azurite, say so with -AllowHttpLoopback"
                : "storage is reached over https only; plain http is allowed only for a local emulator on a loopback address");
        }

        return new StorageConnection(client, new StorageConnectionInfo
        {
            AccountName = client.AccountName,
            BlobEndpoint = endpoint,
            Authentication = authentication,
            CanSignWithAccountKey = authentication == StorageAuthentication.SharedKey,
            IsInsecureLoopback = insecure,
        });
    }

    /// <summary>Asks the account who it is, so a wrong key or address fails at connect rather than mid-transfer.</summary>
    public StorageConnectionInfo Verify(Time.IClock clock, CancellationToken cancellationToken)
    {
        try
        {
            var account = Client.GetAccountInfo(cancellationToken).Value;
            Info.SkuName = account.SkuName.ToString();
            Info.AccountKind = account.AccountKind.ToString();
            Info.VerifiedAt = clock.UtcNow;
            return Info;
        }
        catch (RequestFailedException ex) when (ex.Status is 401 or 403)
        {
            throw new DataShareException("StorageAuthenticationFailed", DataShareErrorCategory.PermissionDenied,
                $"Storage account {Info.AccountName} refused the credentials ({StorageErrors.Describe(ex)}). Check the account key, or that your identity has a Storage Blob Data role on the account.",
                Info.AccountName);
        }
        catch (RequestFailedException ex)
        {
            throw new DataShareException("StorageUnavailable", DataShareErrorCategory.ResourceUnavailable,
                $"Storage account {Info.AccountName} at {Info.BlobEndpoint} answered {StorageErrors.Describe(ex)}", Info.AccountName);
        }
        catch (AuthenticationFailedException ex)
        {
            throw new DataShareException("StorageAuthenticationFailed", DataShareErrorCategory.PermissionDenied,
                $"Signing in to Microsoft Entra for {Info.AccountName} failed ({Info.Authentication}): {ex.Message}", Info.AccountName);
        }
        catch (Exception ex) when (ex is AggregateException or SocketException || ex.InnerException is SocketException || ex is System.Net.Http.HttpRequestException)
        {
            throw new DataShareException("StorageUnavailable", DataShareErrorCategory.ResourceUnavailable,
                $"Storage account {Info.AccountName} at {Info.BlobEndpoint} could not be reached. Check the address and that the service (or the local emulator) is running.",
                Info.AccountName);
        }
    }

    /// <summary>
    /// Busy (500, 503) and timed-out requests are retried with exponential backoff: a nightly sweep of thousands of
    /// deletes rides out a throttled or briefly unavailable account instead of failing part-way.
    /// </summary>
    private static BlobClientOptions ClientOptions()
    {
        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 6;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);

        // A sweep's deletes go to exactly the listed blob, and are checked against the holding just before sending.
        ExactBlobAddress.AddTo(options);
        return options;
    }

    private static DataShareException Insecure(Uri endpoint, string why) =>
        new("StorageEndpointInsecure", DataShareErrorCategory.InvalidArgument, $"{endpoint} is plain http: {why}.", endpoint.ToString());

    private static TokenCredential Credential(StorageAuthentication authentication, string? managedIdentityClientId) => authentication switch
    {
        StorageAuthentication.ManagedIdentity => string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId!)),
        StorageAuthentication.Interactive => new InteractiveBrowserCredential(),
        StorageAuthentication.Environment => new EnvironmentCredential(),
        _ => new DefaultAzureCredential(),
    };

    private static Uri WithoutQuery(Uri uri) => new UriBuilder(uri) { Query = string.Empty, Fragment = string.Empty }.Uri;
}
