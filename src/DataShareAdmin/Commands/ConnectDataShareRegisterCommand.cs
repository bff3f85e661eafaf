using System;
using System.Management.Automation;
using DataShareAdmin.Core.Register;

namespace DataShareAdmin.Commands;

/// <summary>
/// <para type="synopsis">Chooses the register the rest of the session uses: a SQLite file (one administrator), or the
/// shared register in Azure Table Storage (a team on several machines).</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "DataShareRegister", DefaultParameterSetName = PathSet)]
[OutputType(typeof(RegisterInfo))]
public sealed class ConnectDataShareRegisterCommand : TableRegisterCmdlet
{
    /// <summary>The SQLite register file; created on first use. Without it the usual search applies.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>The storage account's connection string (Azurite's works), a SecureString holding one, or the name of an environment variable that holds one.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
    [ValidateNotNull]
    public object ConnectionString { get; set; } = string.Empty;

    /// <summary>The account's table endpoint, e.g. https://contosodata.table.core.windows.net, for Microsoft Entra sign-in.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EndpointSet)]
    [ValidateNotNull]
    public Uri? TableEndpoint { get; set; }

    /// <summary>Open without writing: every change is refused with RegisterReadOnly.</summary>
    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var settings = SessionSettings.Current();
        var previous = (settings.RegisterPath, settings.RegisterReadOnly, settings.Table);
        try
        {
            if (ParameterSetName == PathSet)
            {
                settings.RegisterPath = Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
                settings.Table = null;
            }
            else
            {
                TableRegisterOptions? options = null;
                Run(TableEndpoint?.ToString() ?? TableName, () =>
                {
                    options = TableOptions(ConnectionString, TableEndpoint, "-ConnectionString");
                });
                if (options is null)
                {
                    return;
                }

                settings.Table = options;
            }

            settings.RegisterReadOnly = ReadOnly.IsPresent;

            // Open now, so a wrong path, a file that is not a register or an unreachable table fails here and not at the next cmdlet.
            var info = Engine.Register.Info;
            WriteVerbose($"Using the {info.Backend} register at {info.Location} (from {info.Source}, schema {info.SchemaVersion}{(info.IsReadOnly ? ", read-only" : string.Empty)}).");
            if (PassThru)
            {
                WriteObject(info);
            }

            // Each path piped in is opened and checked in turn; the last one is the session's.
            CloseEngine();
        }
        catch
        {
            (settings.RegisterPath, settings.RegisterReadOnly, settings.Table) = previous;
            throw;
        }
    }
}
