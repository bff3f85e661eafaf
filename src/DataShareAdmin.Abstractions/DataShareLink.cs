using System;

namespace DataShareAdmin;

/// <summary>
/// A signed link (a SAS): a bearer token that gives whoever holds it the files until it expires. Everything that
/// prints, exports or serialises an object sees only <see cref="Address"/> and <see cref="ToString"/>, the link
/// without its query (no signature); the link itself comes only from an explicit call to <see cref="Reveal"/>, the
/// way a SecureString needs ConvertFrom-SecureString -AsPlainText. So Export-Csv, ConvertTo-Json, Select-Object *,
/// Format-List * and transcripts of a transfer cannot carry the signature.
/// </summary>
public sealed class DataShareLink
{
    /// <summary>What <see cref="ToString"/> puts where the query (and its signature) was.</summary>
    public const string HiddenQuery = "?[signature hidden: .Reveal() gives the link]";

    private readonly Uri link;

    public DataShareLink(Uri link)
    {
        if (link is null)
        {
            throw new ArgumentNullException(nameof(link));
        }

        if (!link.IsAbsoluteUri)
        {
            throw new ArgumentException("A link must be an absolute URI.", nameof(link));
        }

        this.link = link;
        Address = link.GetLeftPart(UriPartial.Path);
    }

    /// <summary>Where the link points (scheme, host and path), without its query: not a secret, and not a working link.</summary>
    public string Address { get; }

    /// <summary>The whole link, signature included. Call it only to hand the link on: anyone who has it can read the files.</summary>
    public Uri Reveal() => link;

    /// <summary>The address and a note that the signature is hidden: never the signature.</summary>
    public override string ToString() => Address + HiddenQuery;
}
