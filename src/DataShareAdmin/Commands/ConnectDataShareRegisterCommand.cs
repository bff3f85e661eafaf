using System;
using System.Management.Automation;
using DataShareAdmin.Core;
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
    /// <summary>
    /// The SQLite register file. It must exist unless -Create is given. Without it the usual search applies. An empty
    /// value (a variable that is not set, say) is refused, never taken as "no path".
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [AllowNull]
    [AllowEmptyString]
    public string? Path { get; set; }

    /// <summary>The storage account's connection string (Azurite's works), a SecureString holding one, or the name of an environment variable that holds one.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConnectionStringSet)]
    [AllowNull]
    [AllowEmptyString]
    public object? ConnectionString { get; set; }

    /// <summary>The account's table endpoint, e.g. https://contosodata.table.core.windows.net, for Microsoft Entra sign-in.</summary>
    [Parameter(Mandatory = true, ParameterSetName = EndpointSet)]
    [AllowNull]
    public Uri? TableEndpoint { get; set; }

    /// <summary>Make a new, empty register when there is none at the place named (the file and its folder, or the table and the register in it).</summary>
    [Parameter]
    public SwitchParameter Create { get; set; }

    /// <summary>Open without writing: every change is refused with RegisterReadOnly, and nothing is created.</summary>
    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var settings = SessionSettings.Current();

        // From here until the register has opened, the session has none: a failed connect never leaves later commands
        // on the register before it, or on whatever the usual search would find.
        var target = Target();
        settings.ConnectionFailure = target;
        settings.RegisterPath = null;
        settings.Table = null;
        settings.RegisterReadOnly = ReadOnly.IsPresent;
        if (Create && ReadOnly)
        {
            ThrowTerminatingError(ErrorRecords.From(new DataShareException("RegisterCreateReadOnly", DataShareErrorCategory.InvalidArgument,
                "-Create makes a new register, which a -ReadOnly connection cannot do: use one or the other. The session has no register until a connection succeeds.", target), target));
        }

        if (ParameterSetName == PathSet)
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Path)) && string.IsNullOrWhiteSpace(Path))
            {
                ThrowTerminatingError(ErrorRecords.From(new DataShareException("RegisterPathInvalid", DataShareErrorCategory.InvalidArgument,
                    "-Path is empty (a variable that is not set?). Give the register file's path, or leave -Path out for the usual search. The session has no register until a connection succeeds.", Path), Path));
            }

            settings.RegisterPath = Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        }
        else
        {
            TableRegisterOptions? options = null;
            Run(TableEndpoint?.ToString() ?? TableName, () =>
            {
                options = TableOptions(ConnectionString ?? string.Empty, TableEndpoint, "-ConnectionString");
            });
            if (options is null)
            {
                return;
            }

            settings.Table = options;
        }

        // Open now, so a wrong path, a file that is not a register or an unreachable table fails here and not at the next cmdlet.
        settings.ConnectionFailure = null;
        RegisterInfo info;
        try
        {
            var options = settings.ToEngineOptions();
            options.CreateRegister = Create;
            using var engine = DataShareEngine.Open(options);
            info = engine.Register.Info;
        }
        catch (DataShareException ex)
        {
            settings.ConnectionFailure = target;
            ThrowTerminatingError(ErrorRecords.From(ex, ex.Target));
            throw;
        }
        catch
        {
            settings.ConnectionFailure = target;
            throw;
        }

        WriteVerbose($"Using the {info.Backend} register at {info.Location} (from {info.Source}, schema {info.SchemaVersion}{(info.IsReadOnly ? ", read-only" : string.Empty)}).");

        // Each path piped in is opened and checked in turn; the last one is the session's.
        if (PassThru)
        {
            WriteObject(info);
        }
    }

    /// <summary>What this connect names, for the error every later command gives if it fails (never a key or a SAS).</summary>
    private string Target()
    {
        if (ParameterSetName == PathSet)
        {
            return string.IsNullOrWhiteSpace(Path) ? (MyInvocation.BoundParameters.ContainsKey(nameof(Path)) ? "-Path with an empty value" : "the usual search") : $"-Path '{Path}'";
        }

        var endpoint = TableEndpoint is { IsAbsoluteUri: true } uri ? $"-TableEndpoint {uri.Scheme}://{uri.Authority}{uri.AbsolutePath}" : "a connection string";
        return $"{endpoint}, table {TableName}, register {RegisterName}";
    }
}
