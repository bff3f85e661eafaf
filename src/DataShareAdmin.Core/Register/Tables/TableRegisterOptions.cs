using System;
using Azure.Core;
using Azure.Identity;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// Where the shared register is: a table (default DataShareRegister) in a storage account, and the register's name
/// within it (its partition; default main), reached with a connection string or an endpoint and Entra sign-in.
/// The connection string is a secret: it lives in memory only.
/// </summary>
public sealed class TableRegisterOptions
{
    public const string DefaultTableName = "DataShareRegister";
    public const string DefaultRegisterName = "main";

    public string? ConnectionString { get; set; }

    /// <summary>The account's table endpoint, e.g. https://contosodata.table.core.windows.net.</summary>
    public Uri? TableEndpoint { get; set; }

    public TableRegisterAuthentication Authentication { get; set; } = TableRegisterAuthentication.Default;

    /// <summary>A user-assigned managed identity's client id; the system-assigned identity when null.</summary>
    public string? ManagedIdentityClientId { get; set; }

    public string TableName { get; set; } = DefaultTableName;

    /// <summary>The register's name within the table: several registers (say, test and live) can share one table.</summary>
    public string RegisterName { get; set; } = DefaultRegisterName;

    public bool ReadOnly { get; set; }

    /// <summary>Set once the table and the register's marker have been checked (at connect), so later opens skip it.</summary>
    internal bool Verified { get; set; }

    /// <summary>The table client made at connect, reused by every cmdlet of the session.</summary>
    internal Azure.Data.Tables.TableClient? Client { get; set; }

    internal string? Location { get; set; }

    /// <summary>The Entra account (or managed identity) the connection signed in as, read from its token at connect.</summary>
    internal string? Actor { get; set; }

    /// <summary>For tests: a credential to use with <see cref="TableEndpoint"/>.</summary>
    internal TokenCredential? Credential { get; set; }

    /// <summary>For tests: the HTTP transport the table client uses (a stand-in service over https).</summary>
    internal Azure.Core.Pipeline.HttpPipelineTransport? Transport { get; set; }

    /// <summary>Checks the names and the endpoint; throws a clear error for each bad one.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString) == (TableEndpoint is null))
        {
            throw Invalid("RegisterTableConnectionInvalid", "Give either -ConnectionString or -TableEndpoint for an Azure Table register.");
        }

        // Table names: 3-63 letters and digits, starting with a letter (the service's own rule).
        if (TableName.Length is < 3 or > 63 || !char.IsLetter(TableName[0]) || !IsAlphanumeric(TableName))
        {
            throw Invalid("RegisterTableNameInvalid", $"'{TableName}' is not a table name: 3 to 63 letters and digits, starting with a letter.");
        }

        if (RegisterName.Length is < 1 or > 63 || !IsAlphanumeric(RegisterName.Replace("-", string.Empty)))
        {
            throw Invalid("RegisterNameInvalid", $"'{RegisterName}' is not a register name: 1 to 63 letters, digits and '-'.");
        }

        if (TableEndpoint is not null)
        {
            if (TableEndpoint.Scheme != Uri.UriSchemeHttps)
            {
                throw Invalid("RegisterEndpointInsecure", $"'{TableEndpoint}' is not https. Sign-in tokens go to Azure over https only; for a local emulator such as Azurite, connect with its connection string instead.");
            }

            if (!string.IsNullOrEmpty(TableEndpoint.Query))
            {
                throw Invalid("RegisterEndpointInvalid", "Give the table endpoint without a query (no SAS): sign-in comes from Microsoft Entra ID.");
            }
        }
    }

    internal TokenCredential CredentialFor() => Credential ?? Authentication switch
    {
        TableRegisterAuthentication.ManagedIdentity => string.IsNullOrWhiteSpace(ManagedIdentityClientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(ManagedIdentityClientId!.Trim())),
        TableRegisterAuthentication.Interactive => new InteractiveBrowserCredential(),
        TableRegisterAuthentication.Environment => new EnvironmentCredential(),
        _ => new DefaultAzureCredential(),
    };

    private static bool IsAlphanumeric(string text)
    {
        foreach (var c in text)
        {
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9'))
            {
                return false;
            }
        }

        return text.Length > 0;
    }

    private static DataShareException Invalid(string id, string message) => new(id, DataShareErrorCategory.InvalidArgument, message, null) { IsTerminating = true };
}
