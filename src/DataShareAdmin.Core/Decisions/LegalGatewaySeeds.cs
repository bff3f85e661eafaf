using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.Core.Decisions;

/// <summary>
/// The legal gateways the department publishes, which every register's catalogue starts with (on create and on
/// upgrade, both backends). Names are compared without regard to case or runs of spaces.
/// </summary>
public static class LegalGatewaySeeds
{
    /// <summary>Who the seeded entries read as added by.</summary>
    public const string SeededBy = "register seed";

    public static IReadOnlyList<string> Names { get; } = new[]
    {
        "Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009",
        "Childcare (Provision of Information About Young Children) Regulations 2009",
        "Education (Information About Children in Alternative Provision) Regulations 2007",
        "Apprenticeships, Skills, Children and Learning Act 2009",
        "Education and Skills Act 2008",
        "Education (Student Information) (England) Regulations 2015",
        "Children Act 1989",
        "School Workforce Regulations 2007",
        "Higher Education and Research Act 2017",
        "Digital Economy Act 2017 Part 5 Chapter 5",
    };

    /// <summary>The form names are compared in: trimmed, runs of white space as one space, upper case.</summary>
    public static string Normalise(string name) =>
        string.Join(" ", (name ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    /// <summary>The seeded entries, as a register writes them at <paramref name="at"/>.</summary>
    public static IEnumerable<DataShareLegalGateway> Entries(DateTimeOffset at) => Names.Select(name => new DataShareLegalGateway
    {
        Name = name,
        IsSeeded = true,
        AddedAt = at,
        AddedBy = SeededBy,
        ModifiedAt = at,
        Version = 1,
    });
}
