using System;

namespace DataShareAdmin;

/// <summary>How the module signs in to Azure Storage.</summary>
public enum StorageAuthentication
{
    /// <summary>An account key from a connection string: can sign service SAS links with stored access policies.</summary>
    SharedKey,

    /// <summary>Microsoft Entra through the machine's managed identity (scheduled jobs).</summary>
    ManagedIdentity,

    /// <summary>Microsoft Entra through an interactive browser sign-in (officers).</summary>
    Interactive,

    /// <summary>Microsoft Entra through the AZURE_* environment variables (service principals).</summary>
    Environment,

    /// <summary>Microsoft Entra through Azure.Identity's default chain.</summary>
    Default,
}

/// <summary>The storage account a session is connected to. Never carries a key or a token.</summary>
public sealed class StorageConnectionInfo
{
    public string AccountName { get; set; } = string.Empty;

    /// <summary>The blob endpoint, without any query string.</summary>
    public Uri BlobEndpoint { get; set; } = new("https://localhost/");

    public StorageAuthentication Authentication { get; set; }

    /// <summary>True for a connection string with an account key, which can sign service SAS links.</summary>
    public bool CanSignWithAccountKey { get; set; }

    /// <summary>True when the endpoint is plain http on a loopback address (an emulator), allowed explicitly.</summary>
    public bool IsInsecureLoopback { get; set; }

    public string? SkuName { get; set; }

    public string? AccountKind { get; set; }

    public DateTimeOffset VerifiedAt { get; set; }

    public override string ToString() => AccountName + " (" + BlobEndpoint + ")";
}

/// <summary>How a session reaches the shared register in Azure Table Storage (a type the cmdlets declare, so it lives here, not in the engine).</summary>
public enum TableRegisterAuthentication
{
    /// <summary>The machine's managed identity (scheduled jobs on Azure).</summary>
    ManagedIdentity,

    /// <summary>A browser sign-in (officers).</summary>
    Interactive,

    /// <summary>A service principal from AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or a certificate path).</summary>
    Environment,

    /// <summary>Azure.Identity's default chain (environment, managed identity, developer tools).</summary>
    Default,
}
