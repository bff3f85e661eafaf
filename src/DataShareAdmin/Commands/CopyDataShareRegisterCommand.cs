using System;
using System.Management.Automation;
using DataShareAdmin.Core;
using DataShareAdmin.Core.Audit;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Commands;

/// <summary>
/// Copies the session's whole register into an empty one — a SQLite file to the shared Azure Table register, or
/// back — with every record as it is and the audit log with its head, then checks each kind's count and the copy's
/// audit chain against the original's head. -WhatIf counts what would be copied and opens nothing.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "DataShareRegister", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
[OutputType(typeof(RegisterCopyResult))]
public sealed class CopyDataShareRegisterCommand : DataShareCmdlet
{
    private const string PathSet = "Path";
    private const string ConnectionStringSet = "TableConnectionString";
    private const string EndpointSet = "TableEndpoint";

    /// <summary>A SQLite register file to copy into; it must not exist yet or be an empty register.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>The destination storage account's connection string, a SecureString, or the name of an environment variable holding one.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
    [ValidateNotNull]
    public object DestinationConnectionString { get; set; } = string.Empty;

    /// <summary>The destination account's table endpoint, for Microsoft Entra sign-in.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EndpointSet)]
    [ValidateNotNull]
    public Uri? DestinationTableEndpoint { get; set; }

    /// <summary>How to sign in with -DestinationTableEndpoint.</summary>
    [Parameter(ParameterSetName = EndpointSet)]
    public TableRegisterAuthentication Authentication { get; set; } = TableRegisterAuthentication.Default;

    [Parameter(ParameterSetName = EndpointSet)]
    [ValidateNotNullOrEmpty]
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The destination table (DataShareRegister by default).</summary>
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [Parameter(ParameterSetName = EndpointSet)]
    [ValidateNotNullOrEmpty]
    public string TableName { get; set; } = TableRegisterOptions.DefaultTableName;

    /// <summary>The destination register's name within the table (main by default).</summary>
    [Parameter(ParameterSetName = ConnectionStringSet)]
    [Parameter(ParameterSetName = EndpointSet)]
    [ValidateNotNullOrEmpty]
    public string RegisterName { get; set; } = TableRegisterOptions.DefaultRegisterName;


    protected override int ProgressActivityId => 0x5A40;

    protected override void ProcessRecord() => Run(Destination ?? DestinationTableEndpoint?.ToString() ?? RegisterName, () =>
    {
        var source = Engine.Register;
        TableRegisterOptions? table = null;
        string? path = null;
        string target;
        if (ParameterSetName == PathSet)
        {
            path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination);
            target = "SQLite:" + path;
        }
        else
        {
            table = new TableRegisterOptions
            {
                ConnectionString = ParameterSetName == ConnectionStringSet ? Secrets.ConnectionString(DestinationConnectionString, "RegisterConnectionStringInvalid", "-DestinationConnectionString") : null,
                TableEndpoint = DestinationTableEndpoint,
                Authentication = Authentication,
                ManagedIdentityClientId = ManagedIdentityClientId,
                TableName = TableName,
                RegisterName = RegisterName,
            };
            target = "AzureTables:" + TableRegister.LocationOf(table);
        }

        if (string.Equals(target, source.Info.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            throw new DataShareException("RegisterCopyToItself", DataShareErrorCategory.InvalidArgument,
                $"The destination is the register this session uses ({source.Info}). Copy into another register.", target);
        }

        var counts = RegisterCopier.Count(source);
        var what = $"Copy {counts.Agreements} agreement(s), {counts.Recipients} recipient(s), {counts.Certificates} certificate(s), {counts.Holdings} holding(s), {counts.Transfers} transfer(s) and {counts.AuditEntries} audit entries from {source.Info}";
        if (!ShouldProcess(target, what))
        {
            return;
        }

        var identity = AuditIdentity.Current();
        using var destination = table is not null
            ? (IDataShareRegister)TableRegister.Open(table, SystemClock.Instance, identity)
            : SqliteRegister.Open(new RegisterLocation(path!, "Parameter"), SystemClock.Instance, identity);
        var result = RegisterCopier.Copy(source, destination, SystemClock.Instance, this, counts);
        if (!result.Verified)
        {
            WriteError(ErrorRecords.From(new DataShareException("RegisterCopyNotVerified", DataShareErrorCategory.InvalidData,
                $"The copy at {result.Destination} does not match the register it came from: {result.Problem}. Do not use it; delete it and copy again.", result.Destination), result));
        }

        WriteObject(result);
    });
}
