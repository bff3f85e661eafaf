using System;
using System.Management.Automation;
using DataShareAdmin.Core.Register;

namespace DataShareAdmin.Commands;

/// <summary>
/// A cmdlet that names an Azure Table register (Connect-DataShareRegister, Copy-DataShareRegister): the sign-in,
/// table and register-name parameters they share, and the options built from them. The connection string and endpoint
/// parameters stay in each cmdlet, because their names differ (-ConnectionString, -DestinationConnectionString…).
/// </summary>
public abstract class TableRegisterCmdlet : DataShareCmdlet
{
    protected const string PathSet = "Path";
    protected const string ConnectionStringSet = "TableConnectionString";
    protected const string EndpointSet = "TableEndpoint";

    /// <summary>How to sign in with a table endpoint: ManagedIdentity (scheduled jobs), Interactive, Environment or Default.</summary>
    [Parameter(ParameterSetName = EndpointSet)]
    public TableRegisterAuthentication Authentication { get; set; } = TableRegisterAuthentication.Default;

    /// <summary>A user-assigned managed identity's client id (the system-assigned identity when omitted).</summary>
    [Parameter(ParameterSetName = EndpointSet)]
    [ValidateNotNullOrEmpty]
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The table holding the register (created on first use); DataShareRegister by default.</summary>
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [Parameter(ParameterSetName = EndpointSet)]
    [ValidateNotNullOrEmpty]
    public string TableName { get; set; } = TableRegisterOptions.DefaultTableName;

    /// <summary>The register's name within the table, so one table can hold several (say test and live); main by default.</summary>
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [Parameter(ParameterSetName = EndpointSet)]
    [ValidateNotNullOrEmpty]
    public string RegisterName { get; set; } = TableRegisterOptions.DefaultRegisterName;

    /// <summary>
    /// The table register these parameters name, checked. The connection string is read (text, SecureString or an
    /// environment variable's name) only in the connection-string set; <paramref name="parameter"/> names it in errors.
    /// </summary>
    protected TableRegisterOptions TableOptions(object connectionString, Uri? endpoint, string parameter)
    {
        var options = new TableRegisterOptions
        {
            ConnectionString = ParameterSetName == ConnectionStringSet ? Secrets.ConnectionString(connectionString, "RegisterConnectionStringInvalid", parameter) : null,
            TableEndpoint = endpoint,
            Authentication = Authentication,
            ManagedIdentityClientId = ManagedIdentityClientId,
            TableName = TableName,
            RegisterName = RegisterName,
        };
        options.Validate();
        return options;
    }
}
