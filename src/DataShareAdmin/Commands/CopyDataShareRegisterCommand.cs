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
            table = TableOptions(DestinationConnectionString, DestinationTableEndpoint, "-DestinationConnectionString");
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
            ? (IDataShareRegister)TableRegister.Open(table, SystemClock.Instance, identity, create: true)
            : SqliteRegister.Open(new RegisterLocation(path!, "Parameter", createIfMissing: true), SystemClock.Instance, identity);
        var result = RegisterCopier.Copy(source, destination, SystemClock.Instance, this, counts);
        if (!result.Verified)
        {
            WriteError(ErrorRecords.From(new DataShareException("RegisterCopyNotVerified", DataShareErrorCategory.InvalidData,
                $"The copy at {result.Destination} does not match the register it came from: {result.Problem}. Do not use it; delete it and copy again.", result.Destination), result));
        }

        WriteObject(result);
    });
}
