using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DataShareAdmin.Core.Agreements;

/// <summary>
/// The fields a public register shows about an agreement (category, funder, lay summary, public benefit, frequency,
/// datasets and years, records shared, onward sharing, approvals, the secure research service's project id, links to
/// outputs): cleaned, checked and applied, each change described for the audit log.
/// </summary>
public static class AgreementPublication
{
    private const string Noun = "Agreement";

    /// <summary>Cleans the public fields of a new agreement and checks them; throws the first problem.</summary>
    public static void Normalise(DataShareAgreement agreement)
    {
        agreement.FunderOrCommissioner = Optional(agreement.FunderOrCommissioner);
        agreement.LaySummary = Optional(agreement.LaySummary);
        agreement.PublicBenefit = Optional(agreement.PublicBenefit);
        agreement.FrequencyPeriod = Optional(agreement.FrequencyPeriod);
        agreement.YearsCovered = Optional(agreement.YearsCovered);
        agreement.OnwardSharingNote = Optional(agreement.OnwardSharingNote);
        agreement.SrsProjectId = Optional(agreement.SrsProjectId);
        agreement.Datasets = List(agreement.Datasets, agreement.Id);
        agreement.Approvals = List(agreement.Approvals, agreement.Id);
        agreement.OutputLinks = Links(agreement.OutputLinks, agreement.Id);
        Validate(agreement);
    }

    /// <summary>Everything about the public fields that does not need the register: limits, enums and how fields go together.</summary>
    public static void Validate(DataShareAgreement a)
    {
        TextLimits.Check(Noun, "FunderOrCommissioner", a.FunderOrCommissioner, TextLimits.ShortText, a.Id);
        TextLimits.Check(Noun, "LaySummary", a.LaySummary, TextLimits.Statement, a.Id);
        TextLimits.Check(Noun, "PublicBenefit", a.PublicBenefit, TextLimits.Statement, a.Id);
        TextLimits.Check(Noun, "FrequencyPeriod", a.FrequencyPeriod, TextLimits.ShortText, a.Id);
        TextLimits.Check(Noun, "YearsCovered", a.YearsCovered, TextLimits.ShortText, a.Id);
        TextLimits.Check(Noun, "OnwardSharingNote", a.OnwardSharingNote, TextLimits.Statement, a.Id);
        TextLimits.Check(Noun, "SrsProjectId", a.SrsProjectId, TextLimits.Reference, a.Id);
        TextLimits.Check(Noun, "ClosureReason", a.ClosureReason, TextLimits.Reason, a.Id);
        TextLimits.CheckCount(Noun, "Dataset", a.Datasets.Count, TextLimits.PublicList, a.Id);
        TextLimits.CheckCount(Noun, "Approval", a.Approvals.Count, TextLimits.PublicList, a.Id);
        TextLimits.CheckCount(Noun, "OutputLink", a.OutputLinks.Count, TextLimits.PublicList, a.Id);
        foreach (var dataset in a.Datasets)
        {
            TextLimits.Check(Noun, "Dataset", dataset, TextLimits.DatasetName, a.Id);
        }

        foreach (var approval in a.Approvals)
        {
            TextLimits.Check(Noun, "Approval", approval, TextLimits.Reference, a.Id);
        }

        if (!Enum.IsDefined(typeof(AgreementCategory), a.Category))
        {
            throw new DataShareException("AgreementCategoryInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{a.Category}' is not a category. Use one of: {string.Join(", ", Enum.GetNames(typeof(AgreementCategory)))}.", a.Id);
        }

        if (a.Frequency is { } frequency && !Enum.IsDefined(typeof(ShareFrequency), frequency))
        {
            throw new DataShareException("AgreementFrequencyInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{frequency}' is not a frequency. Use OneOff or Regular (with -FrequencyPeriod).", a.Id);
        }

        if (a.Frequency == ShareFrequency.Regular && a.FrequencyPeriod is null)
        {
            throw new DataShareException("AgreementFrequencyInvalid", DataShareErrorCategory.InvalidArgument,
                $"Agreement '{a.Id}' is a regular share: say how often with -FrequencyPeriod (e.g. 'termly', 'annually').", a.Id);
        }

        if (a.FrequencyPeriod is not null && a.Frequency != ShareFrequency.Regular)
        {
            throw new DataShareException("AgreementFrequencyInvalid", DataShareErrorCategory.InvalidArgument,
                $"A period ('{a.FrequencyPeriod}') goes with -Frequency Regular only; agreement '{a.Id}' is {(a.Frequency?.ToString() ?? "not recorded as regular")}. Give -Frequency Regular, or clear the period with -FrequencyPeriod ''.", a.Id);
        }

        if (a.RecordsShared is < 0)
        {
            throw new DataShareException("AgreementRecordsSharedInvalid", DataShareErrorCategory.InvalidArgument,
                $"The number of records shared cannot be negative ({a.RecordsShared.Value.ToString(CultureInfo.InvariantCulture)} was given).", a.Id);
        }

        if (a.SrsProjectId is not null && a.AccessRoute != AccessRoute.SecureResearchService)
        {
            throw new DataShareException("AgreementSrsProjectInvalid", DataShareErrorCategory.InvalidArgument,
                $"Agreement '{a.Id}' sends data by {a.AccessRoute}: a secure research service project id ('{a.SrsProjectId}') belongs only to a SecureResearchService agreement. Clear it with -SrsProjectId '' or change the route.", a.Id);
        }
    }

    /// <summary>Applies the public fields of <paramref name="changes"/>, adding a "before -> after" line to <paramref name="details"/> for each that changed.</summary>
    public static void Apply(DataShareAgreement a, AgreementChanges changes, IDictionary<string, string?> details)
    {
        if (changes.Category is { } category && category != a.Category)
        {
            details["Category"] = a.Category + " -> " + category;
            a.Category = category;
        }

        if (changes.Frequency is { } frequency && frequency != a.Frequency)
        {
            details["Frequency"] = Show(a.Frequency?.ToString()) + " -> " + frequency;
            a.Frequency = frequency;
        }

        if (changes.RecordsShared is { } records && records != a.RecordsShared)
        {
            details["RecordsShared"] = Show(a.RecordsShared?.ToString(CultureInfo.InvariantCulture)) + " -> " + records.ToString(CultureInfo.InvariantCulture);
            a.RecordsShared = records;
        }

        if (changes.OnwardSharing is { } onward && onward != a.OnwardSharing)
        {
            details["OnwardSharing"] = Show(a.OnwardSharing?.ToString()) + " -> " + onward;
            a.OnwardSharing = onward;
        }

        Text("FunderOrCommissioner", changes.FunderOrCommissioner, () => a.FunderOrCommissioner, v => a.FunderOrCommissioner = v, details);
        Text("LaySummary", changes.LaySummary, () => a.LaySummary, v => a.LaySummary = v, details);
        Text("PublicBenefit", changes.PublicBenefit, () => a.PublicBenefit, v => a.PublicBenefit = v, details);
        Text("FrequencyPeriod", changes.FrequencyPeriod, () => a.FrequencyPeriod, v => a.FrequencyPeriod = v, details);
        Text("YearsCovered", changes.YearsCovered, () => a.YearsCovered, v => a.YearsCovered = v, details);
        Text("OnwardSharingNote", changes.OnwardSharingNote, () => a.OnwardSharingNote, v => a.OnwardSharingNote = v, details);
        Text("SrsProjectId", changes.SrsProjectId, () => a.SrsProjectId, v => a.SrsProjectId = v, details);
        Listed("Datasets", changes.Datasets is null ? null : List(changes.Datasets, a.Id), () => a.Datasets, v => a.Datasets = v, details);
        Listed("Approvals", changes.Approvals is null ? null : List(changes.Approvals, a.Id), () => a.Approvals, v => a.Approvals = v, details);
        Listed("OutputLinks", changes.OutputLinks is null ? null : Links(changes.OutputLinks, a.Id), () => a.OutputLinks, v => a.OutputLinks = v, details);
    }

    /// <summary>The public fields of a new agreement, for its creation's audit entry (those recorded only).</summary>
    public static void Snapshot(DataShareAgreement a, IDictionary<string, string?> details)
    {
        details["Category"] = a.Category.ToString();
        void Put(string name, string? value)
        {
            if (value is not null)
            {
                details[name] = value;
            }
        }

        Put("FunderOrCommissioner", a.FunderOrCommissioner);
        Put("LaySummary", a.LaySummary);
        Put("PublicBenefit", a.PublicBenefit);
        Put("Frequency", a.Frequency?.ToString());
        Put("FrequencyPeriod", a.FrequencyPeriod);
        Put("Datasets", a.Datasets.Count == 0 ? null : string.Join("; ", a.Datasets));
        Put("YearsCovered", a.YearsCovered);
        Put("RecordsShared", a.RecordsShared?.ToString(CultureInfo.InvariantCulture));
        Put("OnwardSharing", a.OnwardSharing?.ToString());
        Put("OnwardSharingNote", a.OnwardSharingNote);
        Put("Approvals", a.Approvals.Count == 0 ? null : string.Join("; ", a.Approvals));
        Put("SrsProjectId", a.SrsProjectId);
        Put("OutputLinks", a.OutputLinks.Count == 0 ? null : string.Join("; ", a.OutputLinks));
    }

    /// <summary>Links to outputs: absolute https URLs only, each once, or an AgreementOutputLinkInvalid error.</summary>
    public static string[] Links(IEnumerable<string>? links, string agreementId)
    {
        var result = new List<string>();
        foreach (var link in links ?? Array.Empty<string>())
        {
            var text = (link ?? string.Empty).Trim();
            if (text.Length == 0)
            {
                continue;
            }

            TextLimits.Check(Noun, "OutputLink", text, TextLimits.Link, agreementId);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || string.IsNullOrEmpty(uri.Host)
                || !string.IsNullOrEmpty(uri.UserInfo) || text.Any(char.IsWhiteSpace) || text.Any(char.IsControl))
            {
                throw new DataShareException("AgreementOutputLinkInvalid", DataShareErrorCategory.InvalidArgument,
                    $"'{text}' is not a link the public register can show. Give a full https address of a published output, e.g. https://doi.org/10.1000/xyz123 (no http, no user name or password, no spaces).", text);
            }

            if (CarriesSecret(uri))
            {
                throw new DataShareException("AgreementOutputLinkInvalid", DataShareErrorCategory.InvalidArgument,
                    $"The link to an output on {uri.Host} has a query string that looks like a key, token or signature (a SAS link, say): the public register would publish it. Give the output's public address without it.", uri.GetLeftPart(UriPartial.Path));
            }

            if (!result.Contains(text, StringComparer.Ordinal))
            {
                result.Add(text);
            }
        }

        return result.ToArray();
    }

    private static readonly string[] SecretParameterParts = { "sig", "token", "key", "secret", "passw", "pwd", "auth", "credential", "code", "session" };

    private static readonly string[] StorageHosts = { ".blob.", ".dfs.", ".file.", ".queue.", ".table.", "amazonaws.com", "storage.googleapis.com" };

    /// <summary>
    /// A query string that could be a bearer secret: any query on a storage service's address (its links are SAS or
    /// presigned), and elsewhere any parameter whose name says key, token, signature, code, password, session….
    /// </summary>
    private static bool CarriesSecret(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
        {
            return false;
        }

        var host = uri.Host.ToLowerInvariant();
        if (StorageHosts.Any(part => host.Contains(part)))
        {
            return true;
        }

        return query.Split('&').Select(pair => Uri.UnescapeDataString(pair.Split('=')[0]).ToLowerInvariant())
            .Any(name => SecretParameterParts.Any(part => name.Contains(part)));
    }

    private static string[] List(IEnumerable<string>? values, string agreementId)
    {
        var result = new List<string>();
        foreach (var value in values ?? Array.Empty<string>())
        {
            var text = (value ?? string.Empty).Trim();
            if (text.Length > 0 && !result.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                result.Add(text);
            }
        }

        return result.ToArray();
    }

    private static void Text(string name, string? value, Func<string?> current, Action<string?> assign, IDictionary<string, string?> details)
    {
        if (value is null)
        {
            return;
        }

        var stored = Optional(value);
        if (!string.Equals(stored, current(), StringComparison.Ordinal))
        {
            details[name] = Show(current()) + " -> " + Show(stored);
            assign(stored);
        }
    }

    private static void Listed(string name, string[]? value, Func<ReadableList<string>> current, Action<string[]> assign, IDictionary<string, string?> details)
    {
        if (value is null || value.SequenceEqual(current(), StringComparer.Ordinal))
        {
            return;
        }

        details[name] = Show(current().Count == 0 ? null : string.Join("; ", current())) + " -> " + Show(value.Length == 0 ? null : string.Join("; ", value));
        assign(value);
    }

    private static string Show(string? value) => value ?? "(none)";

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
