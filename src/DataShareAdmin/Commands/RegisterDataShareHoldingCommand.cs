using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Registers a place that holds an agreement's data — a blob container, a blob prefix, or a local folder — so the
/// retention sweep deletes it when the agreement's retention ends. Transfers register their containers themselves.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "DataShareHolding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareHolding))]
public sealed class RegisterDataShareHoldingCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string AgreementId { get; set; } = string.Empty;

    /// <summary>A blob container or prefix as a URI (https://account.blob.core.windows.net/container/prefix/), or a folder path.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Location { get; set; } = string.Empty;

    /// <summary>Register a local folder that is not there now (a copy on a machine or share not reachable yet).</summary>
    [Parameter]
    public SwitchParameter AllowMissing { get; set; }

    protected override void ProcessRecord() => Run(Location, () =>
    {
        // Before anything trims or resolves it: a newline or ESC in a pasted path is refused, not quietly dropped.
        Core.Retention.HoldingLocation.RefuseControlCharacters(Location);
        var location = Location.Trim();
        if (location.Length == 0)
        {
            throw new DataShareException("HoldingLocationInvalid", DataShareErrorCategory.InvalidArgument, "-Location is blank: give a blob URI or a folder path.", Location);
        }

        // A URI only with an explicit scheme: .NET reads '/tmp/%2E%2E/etc' as a file URI meaning '/etc'.
        var isUri = Uri.TryCreate(location, UriKind.Absolute, out var uri) && (!uri.IsFile || location.StartsWith("file:", StringComparison.OrdinalIgnoreCase));
        if (isUri && uri!.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp && !uri.IsFile && uri.Scheme.Length > 1)
        {
            throw new DataShareException("HoldingLocationInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{Location}' is a {uri.Scheme} address: a holding is a blob URI (https) or a folder path.", Location);
        }

        if (!isUri || (uri!.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp && !uri.IsFile))
        {
            // A path as PowerShell reads it: relative to the current location, PSDrives allowed. A full path is the
            // engine's to read as it is: PowerShell refuses one with more '..' than folders ('/a/../../etc' is /etc).
            var provider = SessionState.Provider.GetOne("FileSystem");
            if (!System.IO.Path.IsPathRooted(location))
            {
                location = SessionState.Path.GetUnresolvedProviderPathFromPSPath(location, out provider, out _);
            }

            if (provider.Name != "FileSystem")
            {
                throw new DataShareException("HoldingLocationInvalid", DataShareErrorCategory.InvalidArgument, $"'{Location}' is not a file-system path or a blob URI.", Location);
            }
        }

        var holding = Engine.Retention.Register(AgreementId, location, this, AllowMissing);
        if (holding is not null)
        {
            WriteObject(holding);
        }
    });
}
