using System.Globalization;

namespace DataShareAdmin.Core;

/// <summary>
/// The longest text each kind of free-text field takes, in characters (UTF-16 code units: a character outside the
/// Basic Multilingual Plane, such as an emoji, counts as two), checked by the engine before anything is written, so
/// both backends hold the same. Generous for a real register, finite so that no valid record can outgrow what the
/// Azure Table register stores in a row, even with every field at its limit in characters JSON must escape.
/// </summary>
public static class TextLimits
{
    /// <summary>People's names: recipients, officers, certificate holders, who saw a certificate or confirmed a destruction.</summary>
    public const int Name = 200;

    /// <summary>Organisation names (a name is also an organisation's key, so it has always been 200).</summary>
    public const int OrganisationName = 200;

    public const int Title = 300;

    /// <summary>Purposes and direct-transfer justifications: a paragraph or several.</summary>
    public const int Statement = 4000;

    public const int LegalGateway = 1000;

    public const int LawfulBasis = 500;

    /// <summary>Approval and assessment references, e.g. DSAP-2025-118.</summary>
    public const int Reference = 100;

    public const int Role = 200;

    public const int Address = 500;

    /// <summary>Why a recipient or certificate was removed.</summary>
    public const int Reason = 1000;

    /// <summary>What a destruction confirmation rests on (a letter's reference, a ticket).</summary>
    public const int Evidence = 2000;

    public const int DataItemName = 100;

    /// <summary>Data items on one agreement.</summary>
    public const int DataItems = 200;

    /// <summary>Directory access groups on one agreement.</summary>
    public const int AccessGroups = 50;

    /// <summary>A holding's location: a blob URI or a full folder path.</summary>
    public const int Location = 2048;

    /// <summary>Who funds or commissions a share; the years a share covers; how often a regular share goes out.</summary>
    public const int ShortText = 300;

    /// <summary>A dataset's name on an agreement (e.g. National Pupil Database).</summary>
    public const int DatasetName = 200;

    /// <summary>Datasets, approval references or output links on one agreement.</summary>
    public const int PublicList = 50;

    /// <summary>A link to a published output.</summary>
    public const int Link = 2048;

    /// <summary>A policy setting's value.</summary>
    public const int PolicyValue = 1000;

    /// <summary>
    /// <paramref name="value"/> unchanged, or a <c>&lt;Noun&gt;FieldTooLong</c> error (LimitsExceeded) when it is longer
    /// than <paramref name="max"/>, or <c>&lt;Noun&gt;FieldInvalid</c> (InvalidArgument) when it holds half of a
    /// surrogate pair, which no backend can store as given.
    /// </summary>
    /// <param name="noun">The record, as in its error ids: Agreement, Organisation, Recipient…</param>
    /// <param name="field">The field's name as the user knows it (the parameter).</param>
    public static string? Check(string noun, string field, string? value, int max, object? target)
    {
        if (value is null)
        {
            return null;
        }

        var what = Describe(noun, field, target);
        if (value.Length > max)
        {
            throw new DataShareException(noun + "FieldTooLong", DataShareErrorCategory.LimitsExceeded,
                string.Format(CultureInfo.InvariantCulture, "{0} is {1:N0} characters long; it can be at most {2:N0}. Nothing was changed: shorten it (keep a long document elsewhere and give its reference).",
                    what, value.Length, max), target);
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                throw new DataShareException(noun + "FieldInvalid", DataShareErrorCategory.InvalidArgument,
                    $"{what} holds a character that is not valid Unicode (half of a surrogate pair, at position {i + 1}), which cannot be stored as given. Nothing was changed.", target);
            }
        }

        return value;
    }

    /// <summary>A list's count, or a <c>&lt;Noun&gt;FieldTooLong</c> error when it has more than <paramref name="max"/> items.</summary>
    public static void CheckCount(string noun, string field, int count, int max, object? target)
    {
        if (count > max)
        {
            var what = Describe(noun, field, target);
            throw new DataShareException(noun + "FieldTooLong", DataShareErrorCategory.LimitsExceeded,
                string.Format(CultureInfo.InvariantCulture, "{0} lists {1:N0} items; it can list at most {2:N0}. Nothing was changed.", what, count, max), target);
        }
    }

    private static string Describe(string noun, string field, object? target) =>
        target is null ? field : $"{field} of {Words(noun)} {target}";

    /// <summary>A type's name as words: DestructionConfirmation is "destruction confirmation".</summary>
    private static string Words(string noun)
    {
        var words = new System.Text.StringBuilder(noun.Length + 4);
        for (var i = 0; i < noun.Length; i++)
        {
            if (i > 0 && char.IsUpper(noun[i]))
            {
                words.Append(' ');
            }

            words.Append(char.ToLowerInvariant(noun[i]));
        }

        return words.ToString();
    }
}
