using System;
using System.IO;
using System.Net;
using DataShareAdmin.Core.Storage;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Retention;

/// <summary>
/// Where a holding is, parsed once into its parts: a blob container (account, container), a blob prefix inside one
/// (the prefix always ends in '/'), or a local folder (a full path). Overlap is decided on these parts, never on how
/// the text looks: 'share-12/' is not inside 'share-123/', and two accounts never overlap.
/// </summary>
public sealed class HoldingLocation
{
    private HoldingLocation(HoldingKind kind, string location, string? account, string? container, string? prefix)
    {
        Kind = kind;
        Location = location;
        Account = account;
        Container = container;
        Prefix = prefix;
    }

    public HoldingKind Kind { get; }

    /// <summary>The canonical text: the blob URI without a query string, or the folder's full path.</summary>
    public string Location { get; }

    public string? Account { get; }

    public string? Container { get; }

    /// <summary>The prefix inside the container, ending in '/'; null for a whole container.</summary>
    public string? Prefix { get; }

    /// <summary>
    /// For a blob holding, its endpoint as <see cref="StorageEndpoint.Key"/> writes it (scheme, host, port, account): a
    /// sweep reaches a holding only through a connection to exactly this endpoint. Null for a folder.
    /// </summary>
    public string? Endpoint => Kind == HoldingKind.LocalFolder ? null : StorageEndpoint.Key(new Uri(Location), Account);

    public static HoldingLocation Of(DataShareHolding holding) => new(holding.Kind, holding.Location, holding.StorageAccount, holding.Container, holding.Prefix);

    /// <summary>
    /// Reads a location: an https (or loopback http) blob URI naming a container and optionally a prefix, or a full
    /// local folder path. Throws HoldingLocationInvalid saying what is accepted.
    /// </summary>
    public static HoldingLocation Parse(string text)
    {
        RefuseControlCharacters(text);
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            throw Invalid(text, "it is empty");
        }

        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return ParseBlob(trimmed, uri);
        }

        // Only an explicit file: URI is read as a URI (and so %-decoded). A plain path is taken literally: .NET reads
        // '/tmp/%2E%2E/etc' as an implicit file URI whose LocalPath is '/etc', which is not the folder that was typed.
        if (trimmed.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(trimmed, UriKind.Absolute, out var fileUri) && fileUri.IsFile)
        {
            trimmed = fileUri.LocalPath;
        }

        if (!Path.IsPathRooted(trimmed))
        {
            throw Invalid(text, "it is neither a blob URI (https://account.blob.core.windows.net/container/prefix/) nor a full folder path");
        }

        var full = Path.GetFullPath(trimmed);
        var root = Path.GetPathRoot(full) ?? string.Empty;
        if (full.Length > root.Length)
        {
            full = full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        }

        // A root stays a root ('/', 'C:\'), for ProtectedFolders to refuse by name.
        return new HoldingLocation(HoldingKind.LocalFolder, full, null, null, null);
    }

    /// <summary>
    /// Refuses a location with a control character anywhere in it (a newline, ESC, NUL…), before anything trims it: such
    /// a name is a mistake or an attack on whoever reads a report or a log, never a real place.
    /// </summary>
    public static void RefuseControlCharacters(string? text)
    {
        if (text is null)
        {
            return;
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsControl(text[i]))
            {
                throw new DataShareException("HoldingLocationInvalid", DataShareErrorCategory.InvalidArgument,
                    $"The location has a control character (U+{(int)text[i]:X4}) at position {i + 1}: a holding's location is a blob URI or a folder path on one line, without newlines, escapes or NULs. Check what was pasted or piped.", null);
            }
        }
    }

    private static HoldingLocation ParseBlob(string text, Uri uri)
    {
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            // A SAS in a location would be a secret written to the register: refuse it outright.
            throw new DataShareException("HoldingLocationHasQuery", DataShareErrorCategory.InvalidArgument,
                "A holding's location is the blob URI without a query string: remove everything from '?' on (never register a SAS token).", null);
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // A user name or password would be a secret written to the register, the audit log and every report.
            throw new DataShareException("HoldingLocationHasCredentials", DataShareErrorCategory.InvalidArgument,
                "A holding's location is the blob URI without a user name or password: remove everything between '://' and '@'.", null);
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            throw Invalid(text, "blob locations are https (plain http only for a local emulator on a loopback address)");
        }

        RefuseMovingSegments(text);

        var segments = Uri.UnescapeDataString(uri.AbsolutePath).Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);

        // Path-style addresses (an emulator on an IP address or localhost) carry the account as the first segment.
        var pathStyle = uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || uri.IsLoopback;
        if (!pathStyle && !(uri.Host.Contains(".blob.") || uri.Host.Contains(".dfs.")))
        {
            throw Invalid(text, $"{uri.Host} is not a storage account's blob endpoint (account.blob.core.windows.net, or a national cloud's)");
        }

        var account = pathStyle ? (segments.Length > 0 ? segments[0] : string.Empty) : uri.Host.Split('.')[0];
        var first = pathStyle ? 1 : 0;
        if (account.Length == 0 || segments.Length <= first)
        {
            throw Invalid(text, "it names no container (https://account.blob.core.windows.net/container/ or .../container/prefix/)");
        }

        var container = segments[first];
        if (!TransferRules.IsValidContainerName(container))
        {
            throw Invalid(text, $"'{container}' is not a container name (3 to 63 lower-case letters, digits and single hyphens)");
        }

        var prefix = segments.Length > first + 1 ? string.Join("/", segments, first + 1, segments.Length - first - 1) + "/" : null;
        var root = uri.GetLeftPart(UriPartial.Authority) + (pathStyle ? "/" + account : string.Empty) + "/" + container;
        var location = prefix is null ? root : root + "/" + prefix;
        return new HoldingLocation(prefix is null ? HoldingKind.BlobContainer : HoldingKind.BlobPrefix, location, account.ToLowerInvariant(), container, prefix);
    }

    /// <summary>
    /// Refuses a blob path that reading it as a URI would change: a '.' or '..' segment, written or %-escaped (System.Uri
    /// removes it and so moves the location, even into another container), or an escaped '/' or '\' inside a segment.
    /// The location registered must be exactly the one typed: a sweep deletes everything in it.
    /// </summary>
    private static void RefuseMovingSegments(string text)
    {
        var start = text.IndexOf("://", StringComparison.Ordinal) + 3;
        var slash = text.IndexOf('/', start);
        if (slash < 0)
        {
            return;
        }

        var path = text.Substring(slash);
        var end = path.IndexOfAny(new[] { '?', '#' });
        foreach (var segment in (end < 0 ? path : path.Substring(0, end)).Split('/'))
        {
            var decoded = Uri.UnescapeDataString(segment);
            if (decoded is "." or ".." || (decoded != segment && decoded.IndexOfAny(new[] { '/', '\\' }) >= 0) || segment.IndexOf('\\') >= 0)
            {
                throw Invalid(text, $"its path has the segment '{segment}', which would move the location elsewhere when read (dot segments and escaped slashes are not allowed): give the container and prefix exactly");
            }
        }
    }

    /// <summary>True when one location contains the other (or they are the same).</summary>
    public bool Overlaps(HoldingLocation other)
    {
        if ((Kind == HoldingKind.LocalFolder) != (other.Kind == HoldingKind.LocalFolder))
        {
            return false;
        }

        if (Kind == HoldingKind.LocalFolder)
        {
            var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            var a = Location + Path.DirectorySeparatorChar;
            var b = other.Location + Path.DirectorySeparatorChar;
            return a.StartsWith(b, comparison) || b.StartsWith(a, comparison);
        }

        if (!string.Equals(Account, other.Account, StringComparison.OrdinalIgnoreCase) || !string.Equals(Container, other.Container, StringComparison.Ordinal))
        {
            return false;
        }

        var mine = Prefix ?? string.Empty;
        var theirs = other.Prefix ?? string.Empty;
        return mine.StartsWith(theirs, StringComparison.Ordinal) || theirs.StartsWith(mine, StringComparison.Ordinal);
    }

    /// <summary>True when a blob (by its full name) belongs to this holding.</summary>
    public bool Contains(string account, string container, string blobName) =>
        Kind != HoldingKind.LocalFolder
        && string.Equals(Account, account, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Container, container, StringComparison.Ordinal)
        && blobName.StartsWith(Prefix ?? string.Empty, StringComparison.Ordinal);

    private static DataShareException Invalid(string? text, string why) =>
        new("HoldingLocationInvalid", DataShareErrorCategory.InvalidArgument, $"'{text}' is not a holding location: {why}.", text);

    public override string ToString() => Location;
}
