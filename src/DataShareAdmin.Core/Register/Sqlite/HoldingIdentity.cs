using System.Collections.Generic;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// A holding's identity as the register indexes it: account, container and prefix (or a folder), each part ending in
/// '/' so that one identity is inside another exactly when it starts with it — 'share-12/' never inside 'share-123/'.
/// A folder's path is upper-cased (as OrdinalIgnoreCase compares), so the index finds every folder that could overlap
/// on any file system; whether one does, with or without regard to case, is decided on the location itself.
/// </summary>
internal static class HoldingIdentity
{
    public static string Of(DataShareHolding holding) => holding.Kind switch
    {
        HoldingKind.LocalFolder => "file:" + WithSlash(holding.Location.Replace('\\', '/')).ToUpperInvariant(),
        _ => "blob:" + (holding.StorageAccount ?? string.Empty).ToLowerInvariant() + "/" + holding.Container + "/" + (holding.Prefix ?? string.Empty),
    };

    /// <summary>Every shorter identity that contains <paramref name="identity"/>: each of its beginnings ending in '/'.</summary>
    public static IEnumerable<string> Ancestors(string identity)
    {
        for (var end = identity.IndexOf('/'); end >= 0 && end < identity.Length - 1; end = identity.IndexOf('/', end + 1))
        {
            yield return identity.Substring(0, end + 1);
        }
    }

    /// <summary>The first text after every identity that starts with <paramref name="identity"/> (which ends in '/').</summary>
    public static string AfterDescendants(string identity) => identity.Substring(0, identity.Length - 1) + (char)('/' + 1);

    private static string WithSlash(string path) => path.EndsWith("/", System.StringComparison.Ordinal) ? path : path + "/";
}
