using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Copies the session's whole register into an empty one — a SQLite file to the shared Azure Table register, or
/// back — with every record as it is and the audit log with its head, then checks each kind's count and the copy's
/// audit chain against the original's head. -WhatIf counts what would be copied and opens nothing.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "DataShareRegister", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
[OutputType(typeof(RegisterCopyResult))]
public sealed class CopyDataShareRegisterCommand : TableRegisterCmdlet
{
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

    protected override int ProgressActivityId => 0x5A40;

    protected override void ProcessRecord() => Run(Destination ?? DestinationTableEndpoint?.ToString() ?? RegisterName, () =>
    {
        var plan = ParameterSetName == PathSet
            ? Engine.Copies.Plan(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Destination), null)
            : Engine.Copies.Plan(null, TableOptions(DestinationConnectionString, DestinationTableEndpoint, "-DestinationConnectionString"));
        if (!ShouldProcess(plan.Target, plan.Description))
        {
            return;
        }

        var result = Engine.Copies.Copy(plan, this);
        if (!result.Verified)
        {
            WriteError(ErrorRecords.From(new DataShareException("RegisterCopyNotVerified", DataShareErrorCategory.InvalidData,
                $"The copy at {result.Destination} does not match the register it came from: {result.Problem}. Do not use it; delete it and copy again.", result.Destination), result));
        }

        WriteObject(result);
    });
}
