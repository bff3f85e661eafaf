using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace DataShareAdmin.Core.Agreements;

/// <summary>Pure rules about agreements: what a valid one looks like and what its status is on a given day.</summary>
public static class AgreementRules
{
    public const int MaxRetentionDays = 3650;

    private const string Noun = "Agreement";

    // A reference such as DS00752: letters, digits and single separators, so ids are safe in file names,
    // container names and table keys later on.
    private static readonly Regex IdPattern = new(@"^[A-Z0-9](?:[A-Z0-9]|[-_.](?=[A-Z0-9])){1,39}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The id in its stored form (upper case), or an AgreementIdInvalid error.</summary>
    public static string NormaliseId(string? id)
    {
        var candidate = (id ?? string.Empty).Trim().ToUpperInvariant();
        if (!IdPattern.IsMatch(candidate))
        {
            throw new DataShareException("AgreementIdInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{id}' is not a valid agreement id. Use the approval panel's reference: 2 to 40 letters and digits, optionally separated by single '-', '_' or '.', e.g. DS00752.", id);
        }

        return candidate;
    }

    public static AgreementStatus StatusOn(DataShareAgreement agreement, DateTime asOf)
    {
        var day = asOf.Date;
        if (agreement.DestroyedOn is { } destroyed && day >= destroyed.Date)
        {
            return AgreementStatus.Destroyed;
        }

        // A refused or withdrawn request was never approved: it stays so, whatever its dates say.
        if (agreement.RefusedOn is { } refused && day >= refused.Date)
        {
            return AgreementStatus.Refused;
        }

        if (agreement.WithdrawnOn is { } withdrawn && day >= withdrawn.Date)
        {
            return AgreementStatus.Withdrawn;
        }

        if (day > agreement.EndsOn.Date)
        {
            return AgreementStatus.Ended;
        }

        // Not approved yet on that day (judging an earlier day than the approval shows what was true then).
        if (agreement.ApprovedOn is not { } approved || day < approved.Date)
        {
            return AgreementStatus.Pending;
        }

        if (agreement.IsSuspended)
        {
            return AgreementStatus.Suspended;
        }

        return day < agreement.StartsOn.Date ? AgreementStatus.Approved : AgreementStatus.Active;
    }

    /// <summary>Checks everything about an agreement that does not need the register; throws the first problem.</summary>
    public static void Validate(DataShareAgreement agreement)
    {
        RequireText(agreement.Organisation, "Organisation", agreement.Id);
        RequireText(agreement.Title, "Title", agreement.Id);
        RequireText(agreement.Purpose, "Purpose", agreement.Id);
        RequireText(agreement.LegalGateway, "LegalGateway", agreement.Id);
        RequireText(agreement.LawfulBasis, "LawfulBasis", agreement.Id);
        TextLimits.Check(Noun, "Title", agreement.Title, TextLimits.Title, agreement.Id);
        TextLimits.Check(Noun, "Purpose", agreement.Purpose, TextLimits.Statement, agreement.Id);
        TextLimits.Check(Noun, "LegalGateway", agreement.LegalGateway, TextLimits.LegalGateway, agreement.Id);
        TextLimits.Check(Noun, "LawfulBasis", agreement.LawfulBasis, TextLimits.LawfulBasis, agreement.Id);
        TextLimits.Check(Noun, "DirectTransferJustification", agreement.DirectTransferJustification, TextLimits.Statement, agreement.Id);
        TextLimits.Check(Noun, "OfficerName", agreement.OfficerName, TextLimits.Name, agreement.Id);
        TextLimits.Check(Noun, "Reference", agreement.ApprovalReference, TextLimits.Reference, agreement.Id);
        TextLimits.CheckCount(Noun, "AccessGroupIds", agreement.AccessGroupIds.Length, TextLimits.AccessGroups, agreement.Id);

        if (!Enum.IsDefined(typeof(AccessRoute), agreement.AccessRoute))
        {
            throw new DataShareException("AgreementAccessRouteInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{agreement.AccessRoute}' is not an access route. Use SecureResearchService or DirectTransfer.", agreement.Id);
        }

        if (agreement.EndsOn.Date < agreement.StartsOn.Date)
        {
            throw new DataShareException("AgreementDatesInvalid", DataShareErrorCategory.InvalidArgument,
                $"Agreement '{agreement.Id}' would end on {agreement.EndsOn:yyyy-MM-dd}, before it starts on {agreement.StartsOn:yyyy-MM-dd}. EndsOn is the last day of the share and must be on or after StartsOn.",
                agreement.Id);
        }

        if (agreement.RetentionDays < 0 || agreement.RetentionDays > MaxRetentionDays)
        {
            throw new DataShareException("AgreementRetentionInvalid", DataShareErrorCategory.InvalidArgument,
                $"RetentionDays must be between 0 and {MaxRetentionDays} (days after EndsOn before the data must be gone); {agreement.RetentionDays} was given.",
                agreement.Id);
        }

        ValidateDataItems(agreement.DataItems, agreement.Id);
    }

    public static void ValidateDataItems(IReadOnlyList<DataItem> items, string agreementId)
    {
        TextLimits.CheckCount(Noun, "DataItems", items.Count, TextLimits.DataItems, agreementId);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            if (item is null || string.IsNullOrWhiteSpace(item.Name))
            {
                throw new DataShareException("DataItemNameMissing", DataShareErrorCategory.InvalidArgument,
                    "Every data item needs a name, e.g. @{ Name = 'KS2 attainment'; Sensitivity = 'B'; IdentificationRisk = 3 } or 'KS2 attainment:B3'.", agreementId);
            }

            item.Name = TextLimits.Check(Noun, "DataItem name", item.Name.Trim(), TextLimits.DataItemName, agreementId)!;
            item.Sensitivity = (item.Sensitivity ?? string.Empty).Trim().ToUpperInvariant();
            if (item.Sensitivity.Length != 1 || item.Sensitivity[0] < 'A' || item.Sensitivity[0] > 'E'
                || item.IdentificationRisk < 1 || item.IdentificationRisk > 6)
            {
                throw new DataShareException("DataItemClassificationInvalid", DataShareErrorCategory.InvalidArgument,
                    $"Data item '{item.Name}' has an unknown classification (sensitivity '{item.Sensitivity}', identification risk {item.IdentificationRisk}). Sensitivity is A to E and identification risk 1 to 6, e.g. 'KS2 attainment:B3'.",
                    item.Name);
            }

            if (!names.Add(item.Name))
            {
                throw new DataShareException("DataItemDuplicate", DataShareErrorCategory.InvalidArgument,
                    $"Data item '{item.Name}' is listed twice on agreement '{agreementId}'. Each data item appears once with its ratings.", item.Name);
            }
        }
    }

    /// <summary>Access groups as object ids (GUIDs, lower case, each once), or an AgreementAccessGroupInvalid error.</summary>
    public static string[] NormaliseGroups(IReadOnlyList<string>? groups, string agreementId)
    {
        var result = new List<string>();
        foreach (var group in groups ?? Array.Empty<string>())
        {
            if (!Guid.TryParse((group ?? string.Empty).Trim(), out var id))
            {
                throw new DataShareException("AgreementAccessGroupInvalid", DataShareErrorCategory.InvalidArgument,
                    $"'{group}' is not a directory group's object id. Give the group's Object ID from Microsoft Entra ID, e.g. 8c1f3a52-0b7e-4d2a-9a64-2f0e5c1d7b90.", group);
            }

            var text = id.ToString("D");
            if (!result.Contains(text))
            {
                result.Add(text);
            }
        }

        return result.ToArray();
    }

    /// <summary>The officer's email trimmed (null when blank), or an AgreementOfficerEmailInvalid error.</summary>
    public static string? NormaliseOfficerEmail(string? email, string agreementId)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return null;
        }

        if (!People.EmailAddress.IsValid(email))
        {
            throw new DataShareException("AgreementOfficerEmailInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{email}' is not a valid email address for agreement {agreementId}'s responsible officer.", email);
        }

        return email!.Trim();
    }

    private static void RequireText(string? value, string field, string agreementId)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new DataShareException("AgreementFieldMissing", DataShareErrorCategory.InvalidArgument,
                $"Agreement '{agreementId}' needs a value for {field}; it cannot be empty.", field);
        }
    }
}
