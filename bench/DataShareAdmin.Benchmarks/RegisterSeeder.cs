using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using Microsoft.Data.Sqlite;
using DataShareAdmin.BenchSupport;
using static DataShareAdmin.BenchSupport.RegisterRows;

namespace DataShareAdmin.Benchmarks;

/// <summary>What went into a seeded register.</summary>
internal sealed class SeedReport
{
    public int Organisations { get; set; }

    public int Assessments { get; set; }

    public int Agreements { get; set; }

    public int People { get; set; }

    public int Recipients { get; set; }

    public int Certificates { get; set; }

    public int PeopleWithoutCertificate { get; set; }

    public int PeopleWithValidCertificate { get; set; }

    public int PeopleNearExpiry { get; set; }

    public int PeopleLapsedOnly { get; set; }

    public int WithoutDeclaration { get; set; }

    public int WithoutTraining { get; set; }

    public double Milliseconds { get; set; }

    public long FileBytes { get; set; }
}

/// <summary>
/// Fills a register whose schema the module has just created (Connect-DataShareRegister in a child process) with N
/// people, each a recipient on one of 50 agreements (each agreement pointing at one of 8 organisation records, each
/// organisation with one security assessment), their certificates, declarations and training, directly with
/// Microsoft.Data.Sqlite in ONE transaction. Through the engine every recipient and certificate would be its own
/// audited IMMEDIATE transaction (minutes for 100,000); the rows written here use the register's own column formats,
/// but carry no audit entries, so a seeded register is a benchmark fixture, not a register to keep.
/// Deterministic: the same count and day give the same file contents (ids included). Schema-6 columns the seeder does
/// not name (directory object ids, access groups, responsible officers) stay NULL, as in a register upgraded to 6.
/// </summary>
internal static class RegisterSeeder
{
    public const int AgreementCount = 50;

    private static readonly string[] Tables = { "organisations", "security_assessments", "agreements", "people", "recipients", "certificates" };

    private static readonly string[] FirstNames =
    {
        "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Ivy", "Muhammad", "Freya", "Leo", "Lily", "Harry",
        "Florence", "Oscar", "Sophia", "Archie", "Grace", "Jack", "Aisha", "Tomasz", "Siobhan", "Rhys", "Eilidh", "Priya", "Kwame",
    };

    private static readonly string[] Surnames =
    {
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Patel",
        "O'Neill", "MacDonald", "Nowak", "Khan", "Hughes", "Edwards", "Campbell", "Okafor", "Murphy", "Lewis", "Ahmed", "Price",
    };

    private static readonly string[] Organisations =
    {
        "University of Northshire", "Westbridge Council", "Coastal NHS Trust", "Institute for Fiscal Research",
        "Midlands Education Partnership", "Office for Local Statistics", "Highland Research Unit", "Belfast Data Lab",
    };

    private static readonly string[] Roles = { "Analyst", "Researcher", "Principal investigator", "Data manager", "Statistician" };

    private static readonly string[] DataItems = { "KS2 attainment", "KS4 results", "Free school meals", "Exclusions", "Attendance", "SEN provision", "Postcode district" };

    public static SeedReport Seed(string path, int count, DateTime asOf)
    {
        var started = Stopwatch.GetTimestamp();
        var report = new SeedReport { Organisations = Organisations.Length, Assessments = Organisations.Length, Agreements = AgreementCount, People = count, Recipients = count };
        var random = new Random(20261122 + count);

        using (var connection = RegisterRows.Open(path))
        {
            CheckEmpty(connection, path, "bench/DataShareAdmin.Benchmarks/RegisterSeeder.cs", Tables);

            using var transaction = connection.BeginTransaction();
            var organisationIds = InsertOrganisations(connection, transaction, asOf);
            var agreementIds = InsertAgreements(connection, transaction, random, asOf, organisationIds);
            var agreementStarts = new Dictionary<string, DateTime>();
            foreach (var (id, startsOn) in agreementIds)
            {
                agreementStarts[id] = startsOn;
            }

            using var person = Insert(connection, transaction, "people",
                "id", "name", "email", "normalised_email", "training_completed_on", "created_at", "version");
            using var recipient = Insert(connection, transaction, "recipients",
                "id", "agreement_id", "person_id", "role", "declaration_signed_on", "added_at", "added_by", "removed_at", "removed_reason", "version");
            using var certificate = Insert(connection, transaction, "certificates",
                "id", "person_id", "issuer", "level", "number", "issued_on", "holder_name", "date_of_birth", "seen_original_by",
                "seen_original_on", "added_at", "added_by", "online_status", "online_checked_at", "version");

            var oldestValid = asOf.AddYears(-2); // issued on or after this day: acceptable on asOf (2-year rule, default policy)
            long certificateSequence = 0;
            for (var i = 0; i < count; i++)
            {
                var (agreementId, agreementStart) = agreementIds[i % AgreementCount];
                var first = FirstNames[random.Next(FirstNames.Length)];
                var last = Surnames[random.Next(Surnames.Length)];
                var name = first + " " + last;
                var email = string.Create(CultureInfo.InvariantCulture, $"{first}.{last.Replace("'", string.Empty, StringComparison.Ordinal)}{i}@{Domain(i)}");
                var personId = NewId(random, "PE-");
                var addedOn = agreementStart.AddDays(random.Next(0, Math.Max(1, (asOf - agreementStart).Days - 1)));

                DateTime? training = null;
                if (random.NextDouble() >= 0.05)
                {
                    training = asOf.AddDays(-random.Next(20, 3 * 365));
                }
                else
                {
                    report.WithoutTraining++;
                }

                Run(person, personId, name, email, email.ToLowerInvariant(), Date(training), Instant(addedOn.AddHours(9).AddMinutes(random.Next(480))), 1);

                DateTime? declaration = null;
                if (random.NextDouble() >= 0.03)
                {
                    var signed = addedOn.AddDays(random.Next(0, 14));
                    declaration = signed < asOf ? signed : addedOn;
                }
                else
                {
                    report.WithoutDeclaration++;
                }

                Run(recipient, NewId(random, "RC-"), agreementId, personId, Roles[random.Next(Roles.Length)], Date(declaration),
                    Instant(addedOn.AddHours(10).AddMinutes(random.Next(420)).AddMilliseconds(random.Next(1000))), Officer, null, null, 1);

                // 6% no certificate, 6% only a lapsed one, 5% one that lapses within 30 days of asOf, the rest current;
                // 15% of those with a certificate also have an older, lapsed one (a renewal).
                var roll = random.NextDouble();
                DateTime? issued = roll switch
                {
                    < 0.06 => null,
                    < 0.12 => oldestValid.AddDays(-random.Next(1, 3 * 365)),
                    < 0.17 => oldestValid.AddDays(random.Next(0, 30)),
                    _ => oldestValid.AddDays(random.Next(30, 2 * 365 - 7)),
                };
                switch (roll)
                {
                    case < 0.06:
                        report.PeopleWithoutCertificate++;
                        break;
                    case < 0.12:
                        report.PeopleLapsedOnly++;
                        break;
                    case < 0.17:
                        report.PeopleNearExpiry++;
                        report.PeopleWithValidCertificate++;
                        break;
                    default:
                        report.PeopleWithValidCertificate++;
                        break;
                }

                if (issued is { } issuedOn)
                {
                    var dateOfBirth = asOf.AddDays(-random.Next(22 * 365, 65 * 365));
                    if (random.NextDouble() < 0.15)
                    {
                        AddCertificate(certificate, random, ++certificateSequence, personId, name, dateOfBirth, issuedOn.AddYears(-2).AddDays(-random.Next(0, 60)), asOf);
                        report.Certificates++;
                    }

                    AddCertificate(certificate, random, ++certificateSequence, personId, name, dateOfBirth, issuedOn, asOf);
                    report.Certificates++;
                }
            }

            transaction.Commit();
        }

        report.Milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        report.FileBytes = new FileInfo(path).Length;
        return report;
    }

    /// <summary>
    /// One record per organisation name (as the schema-5 upgrade makes them), each with one security assessment: six
    /// passed and current on the day, one passed but lapsed, one failed. Its own random stream, so the rows after it are
    /// the same as before organisations existed.
    /// </summary>
    private static string[] InsertOrganisations(SqliteConnection connection, SqliteTransaction transaction, DateTime asOf)
    {
        var random = new Random(5);
        using var organisation = Insert(connection, transaction, "organisations",
            "id", "name", "address", "dpo_name", "dpo_email", "created_at", "created_by", "modified_at", "version");
        using var assessment = Insert(connection, transaction, "security_assessments",
            "id", "organisation_id", "assessed_on", "valid_until", "outcome", "reference", "recorded_at", "recorded_by");
        var ids = new string[Organisations.Length];
        for (var o = 0; o < Organisations.Length; o++)
        {
            ids[o] = NewId(random, "OR-");
            var created = Instant(asOf.AddDays(-1000 - o).AddHours(10));
            Run(organisation, ids[o], Organisations[o], null, "Data Protection Officer", null, created, Officer, created, 1);
            var assessedOn = o == 6 ? asOf.AddDays(-500) : asOf.AddDays(-random.Next(30, 300));
            Run(assessment, NewId(random, "SA-"), ids[o], Date(assessedOn), Date(assessedOn.AddYears(1)), o == 7 ? "Failed" : "Passed",
                string.Create(CultureInfo.InvariantCulture, $"SEC-{asOf.Year}-{o + 1:000}"), Instant(assessedOn.AddHours(15)), Officer);
        }

        return ids;
    }

    private static List<(string Id, DateTime StartsOn)> InsertAgreements(SqliteConnection connection, SqliteTransaction transaction, Random random, DateTime asOf,
        string[] organisationIds)
    {
        using var insert = Insert(connection, transaction, "agreements",
            "id", "organisation", "title", "purpose", "legal_gateway", "lawful_basis", "access_route", "starts_on", "ends_on", "retention_days",
            "data_items", "approval_reference", "approved_on", "approved_by", "is_suspended", "destroyed_on", "created_at", "created_by",
            "modified_at", "version", "organisation_id", "direct_transfer_justification");
        var result = new List<(string, DateTime)>();
        for (var a = 1; a <= AgreementCount; a++)
        {
            var startsOn = asOf.AddDays(-random.Next(60, 900));
            var endsOn = asOf.AddDays(random.Next(60, 1500));
            var id = string.Create(CultureInfo.InvariantCulture, $"DSA-{startsOn.Year}-{a:000}");
            var items = new StringBuilder("[");
            var itemCount = random.Next(2, 5);
            for (var k = 0; k < itemCount; k++)
            {
                items.Append(k == 0 ? string.Empty : ",")
                    .Append(CultureInfo.InvariantCulture, $"{{\"Name\":\"{DataItems[(a + k) % DataItems.Length]}\",\"Sensitivity\":\"{(char)('A' + random.Next(5))}\",\"IdentificationRisk\":{random.Next(1, 7)}}}");
            }

            items.Append(']');
            var organisation = Organisations[a % Organisations.Length];
            var created = Instant(startsOn.AddDays(-random.Next(10, 60)).AddHours(11));
            var direct = a % 5 == 0;
            Run(insert, id, organisation, $"Linked outcomes study {a}", "Research into educational outcomes across local authorities.",
                "Digital Economy Act 2017 s64", "Public task", direct ? "DirectTransfer" : "SecureResearchService",
                Date(startsOn), Date(endsOn), 365 * random.Next(1, 8), items.ToString(), $"DAP-{2020 + a % 6}-{a:0000}",
                Date(startsOn.AddDays(-5)), @"CORP\panel.chair", a % 25 == 0 ? 1 : 0, null, created, Officer, created, 1,
                organisationIds[a % Organisations.Length], direct ? "The organisation's own secure environment holds the linked data." : null);
            result.Add((id, startsOn));
        }

        return result;
    }

    private static void AddCertificate(SqliteCommand insert, Random random, long sequence, string personId, string name, DateTime dateOfBirth, DateTime issuedOn, DateTime asOf)
    {
        // Numbers are unique per issuer: sequence × an odd constant not divisible by 5 is a bijection modulo 10^k.
        var scrambled = sequence * 2654435761L;
        var pick = random.NextDouble();
        var (issuer, number) = pick switch
        {
            < 0.85 => ("DBS", (scrambled % 1_000_000_000_000L).ToString("D12", CultureInfo.InvariantCulture)),
            < 0.95 => ("DisclosureScotland", (scrambled % 10_000_000_000_000_000L).ToString("D16", CultureInfo.InvariantCulture)),
            _ => ("AccessNI", (scrambled % 10_000_000_000L).ToString("D10", CultureInfo.InvariantCulture)),
        };
        var level = random.NextDouble() switch
        {
            < 0.6 => "Basic",
            < 0.75 => "Standard",
            _ => "Enhanced",
        };
        var seenOn = issuedOn.AddDays(random.Next(2, 30));
        if (seenOn > asOf)
        {
            seenOn = asOf;
        }

        Run(insert, NewId(random, "DC-"), personId, issuer, level, number, Date(issuedOn), random.NextDouble() < 0.7 ? name : null,
            random.NextDouble() < 0.5 ? Date(dateOfBirth) : null, Officer, Date(seenOn), Instant(seenOn.AddHours(14).AddMinutes(random.Next(120))),
            Officer, null, null, 1);
    }

    private static string Domain(int i) => (i % 4) switch
    {
        0 => "northshire.ac.uk",
        1 => "westbridge.gov.uk",
        2 => "coastal.nhs.uk",
        _ => "research.example.org",
    };
}
