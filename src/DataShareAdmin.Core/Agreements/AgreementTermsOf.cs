using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Agreements;

/// <summary>An agreement's material terms: read from it, laid over it, compared. Pure.</summary>
public static class AgreementTermsOf
{
    /// <summary>The names (as Set-DataShareAgreement's changes name them) of the fields only a variation may change once approved.</summary>
    public static readonly IReadOnlyCollection<string> MaterialFields = new[]
    {
        "Organisation", "Purpose", "LegalGateway", "LawfulBasis", "AccessRoute", "DirectTransferJustification", "StartsOn", "EndsOn", "RetentionDays", "DataItems",
    };

    public static AgreementTerms Of(DataShareAgreement a) => new()
    {
        Organisation = a.Organisation,
        OrganisationId = a.OrganisationId,
        Purpose = a.Purpose,
        LegalGateway = a.LegalGateway,
        LawfulBasis = a.LawfulBasis,
        AccessRoute = a.AccessRoute,
        DirectTransferJustification = a.DirectTransferJustification,
        StartsOn = a.StartsOn,
        EndsOn = a.EndsOn,
        RetentionDays = a.RetentionDays,
        DataItems = a.DataItems.Select(i => new DataItem(i.Name, i.Sensitivity, i.IdentificationRisk)).ToArray(),
    };

    /// <summary>Writes the terms onto the agreement (its other fields stay as they are).</summary>
    public static DataShareAgreement Apply(AgreementTerms t, DataShareAgreement a)
    {
        a.Organisation = t.Organisation;
        a.OrganisationId = t.OrganisationId;
        a.Purpose = t.Purpose;
        a.LegalGateway = t.LegalGateway;
        a.LawfulBasis = t.LawfulBasis;
        a.AccessRoute = t.AccessRoute;
        a.DirectTransferJustification = t.DirectTransferJustification;
        a.StartsOn = t.StartsOn;
        a.EndsOn = t.EndsOn;
        a.RetentionDays = t.RetentionDays;
        a.DataItems = t.DataItems.Select(i => new DataItem(i.Name, i.Sensitivity, i.IdentificationRisk)).ToArray();
        return a;
    }

    /// <summary>What differs, as "Field: before -> after", in a fixed order; empty when nothing does.</summary>
    public static IReadOnlyList<string> Differences(AgreementTerms before, AgreementTerms after)
    {
        var list = new List<string>();
        void Compare(string name, string? x, string? y)
        {
            if (!string.Equals(x, y, StringComparison.Ordinal))
            {
                list.Add($"{name}: {x ?? "(none)"} -> {y ?? "(none)"}");
            }
        }

        Compare("Organisation", before.Organisation, after.Organisation);
        Compare("Purpose", before.Purpose, after.Purpose);
        Compare("LegalGateway", before.LegalGateway, after.LegalGateway);
        Compare("LawfulBasis", before.LawfulBasis, after.LawfulBasis);
        Compare("AccessRoute", before.AccessRoute.ToString(), after.AccessRoute.ToString());
        Compare("DirectTransferJustification", before.DirectTransferJustification, after.DirectTransferJustification);
        Compare("StartsOn", DateText.FormatDate(before.StartsOn), DateText.FormatDate(after.StartsOn));
        Compare("EndsOn", DateText.FormatDate(before.EndsOn), DateText.FormatDate(after.EndsOn));
        Compare("RetentionDays", before.RetentionDays.ToString(CultureInfo.InvariantCulture), after.RetentionDays.ToString(CultureInfo.InvariantCulture));
        Compare("DataItems", string.Join("; ", (IEnumerable<DataItem>)before.DataItems), string.Join("; ", (IEnumerable<DataItem>)after.DataItems));
        return list;
    }

    /// <summary>The version in force on <paramref name="day"/>: the last to take effect on or before it, else the first.</summary>
    public static AgreementTermsVersion? InForce(IEnumerable<AgreementTermsVersion> versions, DateTime day)
    {
        AgreementTermsVersion? first = null, found = null;
        foreach (var v in versions.OrderBy(v => v.Number))
        {
            first ??= v;
            if (v.EffectiveFrom.Date <= day.Date)
            {
                found = v;
            }
        }

        return found ?? first;
    }

    /// <summary>
    /// The agreement judged on <paramref name="day"/>: for a day before <paramref name="today"/>, the terms then in force
    /// laid over it (the same object, changed); otherwise as it is. Reports and plans for a past day use this.
    /// </summary>
    public static DataShareAgreement OnDay(IDataShareRegister register, DataShareAgreement agreement, DateTime day, DateTime today)
    {
        if (agreement.ApprovedOn is not null && day.Date < today.Date && InForce(register.ListTermsVersions(agreement.Id), day) is { } version)
        {
            Apply(version.Terms, agreement);
        }

        return agreement;
    }
}
