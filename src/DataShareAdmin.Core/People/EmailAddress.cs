using System;
using System.Text.RegularExpressions;

namespace DataShareAdmin.Core.People;

/// <summary>People are unique by email, compared trimmed and case-insensitively.</summary>
public static class EmailAddress
{
    // Deliberately plain: one @, no spaces, a dotted domain. Exotic-but-valid forms are rare in practice and a
    // typo caught here is worth more than accepting quoted local parts.
    private static readonly Regex Pattern = new(
        @"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$",
        RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public static bool IsValid(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        var trimmed = email!.Trim();
        return trimmed.Length <= 254 && Pattern.IsMatch(trimmed) && !trimmed.Contains("..") && !trimmed.StartsWith(".", StringComparison.Ordinal)
            && !trimmed.Contains(".@");
    }

    public static string Normalise(string email) => email.Trim().ToLowerInvariant();

    /// <summary>The normalised email, or a RecipientEmailInvalid error.</summary>
    public static string Require(string? email)
    {
        if (!IsValid(email))
        {
            throw new DataShareException("RecipientEmailInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{email}' is not a valid email address. Give the address the person uses, such as jo.bloggs@example.ac.uk.", email);
        }

        return Normalise(email!);
    }
}
