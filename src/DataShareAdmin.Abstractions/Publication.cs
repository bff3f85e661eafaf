namespace DataShareAdmin;

/// <summary>
/// What kind of share an agreement is, as the public register groups them. An agreement recorded before categories
/// existed reads as <see cref="DsapResearch"/>: the panel-approved share every earlier agreement was.
/// </summary>
public enum AgreementCategory
{
    /// <summary>Research or analysis approved by the data sharing approval panel (DSAP).</summary>
    DsapResearch,

    /// <summary>A standing data sharing agreement with a public body for its regular work.</summary>
    RegularSharingAgreement,

    /// <summary>Data shared with the Home Office.</summary>
    HomeOffice,

    /// <summary>Data shared with a police force for the prevention or detection of crime.</summary>
    Police,

    /// <summary>Data disclosed because a court ordered it.</summary>
    CourtOrder,

    /// <summary>Data shared with another government department or public body.</summary>
    OtherGovernment,

    /// <summary>A project matching the department's data with another source (the Chief Statistician may approve one).</summary>
    DataMatching,
}

/// <summary>What sort of organisation receives data, as the public register shows it.</summary>
public enum OrganisationSector
{
    University,
    LocalAuthority,
    Charity,
    Commercial,
    Government,
    Other,
}

/// <summary>How often data goes out under an agreement.</summary>
public enum ShareFrequency
{
    /// <summary>Once.</summary>
    OneOff,

    /// <summary>Again and again, with a period (e.g. "termly", "annually").</summary>
    Regular,
}
