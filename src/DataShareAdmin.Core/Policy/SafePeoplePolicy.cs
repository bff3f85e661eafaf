using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DataShareAdmin.Core.Policy;

/// <summary>The safe-people settings in force, read once per piece of work.</summary>
public sealed class SafePeoplePolicy
{
    public int CertificateMaxAgeMonths { get; set; } = 24;

    public ISet<CertificateLevel> AcceptedLevels { get; set; } = new HashSet<CertificateLevel>((CertificateLevel[])Enum.GetValues(typeof(CertificateLevel)));

    public ISet<CertificateIssuer> AcceptedIssuers { get; set; } = new HashSet<CertificateIssuer>((CertificateIssuer[])Enum.GetValues(typeof(CertificateIssuer)));

    public bool DeclarationRequired { get; set; } = true;

    public bool TrainingRequired { get; set; } = true;

    /// <summary>0: training does not lapse.</summary>
    public int TrainingMaxAgeMonths { get; set; }

    public int ReadinessWarningDays { get; set; } = 30;

    public string DbsUpdateServiceUri { get; set; } = "https://secure.crbonline.gov.uk";

    public string DbsOrganisationName { get; set; } = string.Empty;

    public string DbsCheckerForename { get; set; } = string.Empty;

    public string DbsCheckerSurname { get; set; } = string.Empty;

    /// <summary>Builds the policy from effective values (stored, else default) keyed by setting name.</summary>
    public static SafePeoplePolicy From(IReadOnlyDictionary<string, string> values)
    {
        string Get(string name) => values.TryGetValue(name, out var v) ? v : PolicyCatalogue.Find(name)!.DefaultValue;
        int Number(string name) => int.Parse(Get(name), NumberStyles.Integer, CultureInfo.InvariantCulture);
        bool Flag(string name) => string.Equals(Get(name), "true", StringComparison.OrdinalIgnoreCase);
        ISet<T> Set<T>(string name)
            where T : struct, Enum =>
            new HashSet<T>(Get(name).Split(',').Select(p => (T)Enum.Parse(typeof(T), p.Trim(), ignoreCase: true)));

        return new SafePeoplePolicy
        {
            CertificateMaxAgeMonths = Number(PolicyCatalogue.CertificateMaxAgeMonths),
            AcceptedLevels = Set<CertificateLevel>(PolicyCatalogue.AcceptedCertificateLevels),
            AcceptedIssuers = Set<CertificateIssuer>(PolicyCatalogue.AcceptedCertificateIssuers),
            DeclarationRequired = Flag(PolicyCatalogue.DeclarationRequired),
            TrainingRequired = Flag(PolicyCatalogue.TrainingRequired),
            TrainingMaxAgeMonths = Number(PolicyCatalogue.TrainingMaxAgeMonths),
            ReadinessWarningDays = Number(PolicyCatalogue.ReadinessWarningDays),
            DbsUpdateServiceUri = Get(PolicyCatalogue.DbsUpdateServiceUri),
            DbsOrganisationName = Get(PolicyCatalogue.DbsOrganisationName),
            DbsCheckerForename = Get(PolicyCatalogue.DbsCheckerForename),
            DbsCheckerSurname = Get(PolicyCatalogue.DbsCheckerSurname),
        };
    }
}
