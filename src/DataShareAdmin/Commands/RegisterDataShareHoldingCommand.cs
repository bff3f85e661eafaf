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

    protected override void ProcessRecord() => Run(Location, () =>
    {
        var location = Location.Trim();
        if (location.Length == 0)
        {
            throw new DataShareException("HoldingLocationInvalid", DataShareErrorCategory.InvalidArgument, "-Location is blank: give a blob URI or a folder path.", Location);
        }

        var isUri = Uri.TryCreate(location, UriKind.Absolute, out var uri);
        if (isUri && uri!.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp && !uri.IsFile && uri.Scheme.Length > 1)
        {
            throw new DataShareException("HoldingLocationInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{Location}' is a {uri.Scheme} address: a holding is a blob URI (https) or a folder path.", Location);
        }

        if (!isUri || (uri!.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp && !uri.IsFile))
        {
            // A path as PowerShell reads it: relative to the current location, PSDrives allowed.
            location = SessionState.Path.GetUnresolvedProviderPathFromPSPath(location, out var provider, out _);
            if (provider.Name != "FileSystem")
            {
                throw new DataShareException("HoldingLocationInvalid", DataShareErrorCategory.InvalidArgument, $"'{Location}' is not a file-system path or a blob URI.", Location);
            }
        }

        var holding = Engine.Retention.Register(AgreementId, location, this);
        if (holding is not null)
        {
            WriteObject(holding);
        }
    });
}
