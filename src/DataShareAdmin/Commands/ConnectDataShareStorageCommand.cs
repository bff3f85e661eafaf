using System;
using System.Management.Automation;
using DataShareAdmin.Core.Storage;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Commands;

/// <summary>
/// Connects the session to an Azure Storage account: with a connection string (as text, a SecureString, or the name
/// of an environment variable holding it) or with -AccountUri and Microsoft Entra sign-in. The key stays in memory:
/// it is never written to the register, the audit log or any output.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "DataShareStorage", DefaultParameterSetName = ConnectionStringSet)]
[OutputType(typeof(StorageConnectionInfo))]
public sealed class ConnectDataShareStorageCommand : DataShareCmdlet
{
    private const string ConnectionStringSet = "ConnectionString";
    private const string AccountUriSet = "AccountUri";

    /// <summary>A connection string, a SecureString holding one, or the name of an environment variable that holds one.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ConnectionStringSet)]
    [ValidateNotNull]
    public object ConnectionString { get; set; } = string.Empty;

    /// <summary>The account's blob endpoint, e.g. https://contosodata.blob.core.windows.net, for Microsoft Entra sign-in.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccountUriSet)]
    [ValidateNotNull]
    public Uri? AccountUri { get; set; }

    /// <summary>How to sign in with -AccountUri: ManagedIdentity (scheduled jobs), Interactive, Environment or Default.</summary>
    [Parameter(ParameterSetName = AccountUriSet)]
    public StorageAuthentication Authentication { get; set; } = StorageAuthentication.Default;

    /// <summary>A user-assigned managed identity's client id (the system-assigned identity when omitted).</summary>
    [Parameter(ParameterSetName = AccountUriSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Allow plain http to a loopback address: a local emulator such as Azurite. Never needed for Azure.</summary>
    [Parameter]
    public SwitchParameter AllowHttpLoopback { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Run(AccountUri?.ToString(), () =>
    {
        var connection = StorageConnection.Create(new StorageConnectionOptions
        {
            ConnectionString = ParameterSetName == ConnectionStringSet ? Secrets.ConnectionString(ConnectionString, "StorageConnectionStringInvalid") : null,
            AccountUri = AccountUri,
            Authentication = Authentication,
            ManagedIdentityClientId = ManagedIdentityClientId,
            AllowHttpLoopback = AllowHttpLoopback,
        });
        var info = connection.Verify(SystemClock.Instance, CancellationToken);
        SessionSettings.Current().Storage = connection;
        WriteVerbose($"Connected to storage account {info.AccountName} at {info.BlobEndpoint} ({info.Authentication}{(info.IsInsecureLoopback ? ", plain http to a local emulator" : string.Empty)}).");
        if (PassThru)
        {
            WriteObject(info);
        }
    });
}
