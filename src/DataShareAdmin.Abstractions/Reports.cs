namespace DataShareAdmin;

/// <summary>The kinds of compliance report.</summary>
public enum ReportKind
{
    /// <summary>One row per agreement: the published register of external data shares.</summary>
    Register,

    /// <summary>Every recipient with their clearance, soonest to lapse first.</summary>
    SafePeople,

    /// <summary>Every transfer with its files, sizes and hashes; never the link.</summary>
    Transfers,

    /// <summary>Holdings: held, due, destroyed (with destruction records) or blocked.</summary>
    Retention,

    /// <summary>The audit log, with the result of the integrity check at the top.</summary>
    Audit,

    /// <summary>Recipient organisations with their security assessments and agreements, soonest-lapsing first.</summary>
    Organisations,

    /// <summary>Output releases per agreement: state, files and SHA-256, verdict counts, exceptions, requester and approver.</summary>
    Outputs,

    /// <summary>The publication: approved shares per category, files released, data held past the end, refused and withdrawn requests; no personal data.</summary>
    PublicRegister,

    /// <summary>Incidents per agreement: kind, severity, when discovered, the ICO's 72 hours and notification, actions, closure; internal (never in the public register).</summary>
    Incidents,
}

/// <summary>The file formats of a report.</summary>
public enum ReportFormat
{
    /// <summary>One self-contained page for people: summary charts and sortable tables.</summary>
    Html,

    /// <summary>RFC 4180, UTF-8, stable column names, one record per row: for scripts and spreadsheets.</summary>
    Csv,

    /// <summary>UTF-8 JSON with stable property names and ISO 8601 dates: for scripts.</summary>
    Json,

    /// <summary>A Markdown page with one table.</summary>
    Markdown,
}
