using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace DataShareAdmin.Core.Reports;

/// <summary>
/// The last step before the public register is written: free text the officers typed (a title, a lay summary, a
/// reason) that names a person the register knows — a recipient, a responsible officer, an organisation's data
/// protection officer, by name or email — or holds any email address, has that text replaced. The register's own
/// columns never hold personal data; this makes the same true of what people typed into it.
/// </summary>
internal static class PublicRegisterRedaction
{
    public const string Removed = "[removed: personal data]";

    private static readonly Regex Email = new(@"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", RegexOptions.CultureInvariant);

    /// <summary>Replaces each name or address in the document's text cells; returns how many cells changed.</summary>
    public static int Apply(PublicRegisterDocument document, IEnumerable<DataSharePerson> people, IEnumerable<DataShareAgreement> agreements, IEnumerable<DataShareOrganisation> organisations)
    {
        var terms = Terms(people, agreements, organisations);
        var changed = 0;
        foreach (var row in document.Sections.SelectMany(s => s.Rows))
        {
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is string text && Clean(text, terms) is { } clean && !ReferenceEquals(clean, text))
                {
                    row[i] = clean;
                    changed++;
                }
            }
        }

        return changed;
    }

    /// <summary>The text with every term (whole words, any case) and every email address replaced; the same instance when nothing was.</summary>
    public static string Clean(string text, IReadOnlyList<string> terms)
    {
        var result = Email.Replace(text, Removed);
        foreach (var term in terms)
        {
            if (result.IndexOf(term, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                result = Regex.Replace(result, @"(?<![\p{L}\p{N}])" + Regex.Escape(term) + @"(?![\p{L}\p{N}])", Removed, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            }
        }

        return result == text ? text : result;
    }

    /// <summary>Everyone the register names: people, responsible officers and data protection officers, longest first.</summary>
    internal static IReadOnlyList<string> Terms(IEnumerable<DataSharePerson> people, IEnumerable<DataShareAgreement> agreements, IEnumerable<DataShareOrganisation> organisations)
    {
        var names = people.Select(p => (string?)p.Name).Concat(agreements.Select(a => a.OfficerName)).Concat(organisations.Select(o => o.ProtectionOfficerName));

        // A name of one or two letters would remove ordinary words; such a name is left to the officers' care.
        return names.Where(n => n is { Length: > 2 }).Select(n => n!.Trim()).Where(n => n.Length > 2)
            .Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(n => n.Length).ToList();
    }
}
