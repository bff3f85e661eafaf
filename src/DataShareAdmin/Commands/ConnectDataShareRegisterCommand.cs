using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// <para type="synopsis">Chooses the register the rest of the session uses.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "DataShareRegister")]
[OutputType(typeof(RegisterInfo))]
public sealed class ConnectDataShareRegisterCommand : DataShareCmdlet
{
    /// <summary>The SQLite register file; created on first use. Without it the usual search applies.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Open without writing: every change is refused with RegisterReadOnly.</summary>
    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var settings = SessionSettings.Current();
        var path = Path is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var previousPath = settings.RegisterPath;
        var previousReadOnly = settings.RegisterReadOnly;
        settings.RegisterPath = path;
        settings.RegisterReadOnly = ReadOnly.IsPresent;
        try
        {
            // Open now, so a wrong path or a file that is not a register fails here and not at the next cmdlet.
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
            settings.RegisterPath = previousPath;
            settings.RegisterReadOnly = previousReadOnly;
            throw;
        }
    }
}
