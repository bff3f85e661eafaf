namespace DataShareAdmin.Core.Register;

/// <summary>
/// A holding's identity as the register compares it: account, container and prefix (or a folder), each part ending in
/// '/' so that one identity is inside another exactly when it starts with it — 'share-12/' never inside 'share-123/'.
/// </summary>
internal static class HoldingIdentity
{
    public static string Of(DataShareHolding holding) => holding.Kind switch
    {
        HoldingKind.LocalFolder => "file:" + WithSlash(holding.Location.Replace('\\', '/')),
        _ => "blob:" + (holding.StorageAccount ?? string.Empty).ToLowerInvariant() + "/" + holding.Container + "/" + (holding.Prefix ?? string.Empty),
    };

    private static string WithSlash(string path) => path.EndsWith("/", System.StringComparison.Ordinal) ? path : path + "/";
}
