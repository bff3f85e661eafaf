using System;
using System.Security.Cryptography;
using System.Text;

namespace DataShareAdmin.Core;

/// <summary>
/// Short random ids that need no central counter (a shared Table register has none): a prefix and ten Crockford
/// base-32 characters, 50 bits, so collisions are negligible and unique constraints catch the rest.
/// </summary>
public static class Ids
{
    public const string RecipientPrefix = "RC-";
    public const string PersonPrefix = "PE-";
    public const string CertificatePrefix = "DC-";
    public const string TransferPrefix = "TR-";
    public const string HoldingPrefix = "HD-";
    public const string DestructionPrefix = "DR-";
    public const string OrganisationPrefix = "OR-";
    public const string AssessmentPrefix = "SA-";
    public const string VariationPrefix = "VA-";

    /// <summary>Output releases ("OR-" is taken by organisations).</summary>
    public const string OutputReleasePrefix = "RL-";

    /// <summary>DPIA revisions, reviews and what made a review due early (issue 21).</summary>
    public const string DpiaPrefix = "DP-";
    public const string ReviewPrefix = "RV-";
    public const string ReviewTriggerPrefix = "RT-";
    /// <summary>Incidents (breaches, complaints, near misses).</summary>
    public const string IncidentPrefix = "IN-";

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewRecipientId() => New(RecipientPrefix);

    public static string NewPersonId() => New(PersonPrefix);

    public static string NewCertificateId() => New(CertificatePrefix);

    public static string NewTransferId() => New(TransferPrefix);

    public static string NewHoldingId() => New(HoldingPrefix);

    public static string NewDestructionId() => New(DestructionPrefix);

    public static string NewOrganisationId() => New(OrganisationPrefix);

    public static string NewAssessmentId() => New(AssessmentPrefix);

    public static string NewVariationId() => New(VariationPrefix);

    public static string NewOutputReleaseId() => New(OutputReleasePrefix);

    public static string NewDpiaId() => New(DpiaPrefix);

    public static string NewReviewId() => New(ReviewPrefix);

    public static string NewReviewTriggerId() => New(ReviewTriggerPrefix);
    public static string NewIncidentId() => New(IncidentPrefix);

    public static bool LooksLike(string prefix, string? id) =>
        id is not null && id.Length == prefix.Length + 10 && id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
        && IsAlphabet(id.Substring(prefix.Length));

    /// <summary>The id in its stored form (trimmed, upper case) when it is one of <paramref name="prefix"/>'s kind; otherwise null.</summary>
    public static string? Normalise(string prefix, string? id)
    {
        var text = id?.Trim();
        return LooksLike(prefix, text) ? text!.ToUpperInvariant() : null;
    }

    /// <summary>
    /// An id of <paramref name="prefix"/>'s kind as a number (its ten characters are 50 bits), for compact sort keys;
    /// numbers order the same way as the ids' text. False for anything else.
    /// </summary>
    public static bool TryPack(string prefix, string id, out long packed)
    {
        packed = 0;
        if (!LooksLike(prefix, id))
        {
            return false;
        }

        for (var i = prefix.Length; i < id.Length; i++)
        {
            packed = (packed << 5) | (long)Alphabet.IndexOf(char.ToUpperInvariant(id[i]));
        }

        return true;
    }

    public static string Unpack(string prefix, long packed)
    {
        var text = new char[10];
        for (var i = 9; i >= 0; i--)
        {
            text[i] = Alphabet[(int)(packed & 31)];
            packed >>= 5;
        }

        return prefix + new string(text);
    }

    private static string New(string prefix)
    {
        var bytes = new byte[10];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        var text = new StringBuilder(prefix, prefix.Length + 10);
        foreach (var b in bytes)
        {
            text.Append(Alphabet[b & 31]);
        }

        return text.ToString();
    }

    private static bool IsAlphabet(string text)
    {
        foreach (var c in text)
        {
            if (Alphabet.IndexOf(char.ToUpperInvariant(c)) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
