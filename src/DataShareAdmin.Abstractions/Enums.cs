namespace DataShareAdmin;

/// <summary>How the recipient reaches the data.</summary>
public enum AccessRoute
{
    /// <summary>The default: data stays inside a secure research service.</summary>
    SecureResearchService,

    /// <summary>Data leaves the organisation through a time-limited transfer.</summary>
    DirectTransfer,
}

/// <summary>An agreement's status, derived from its dates and events as of a given day.</summary>
public enum AgreementStatus
{
    /// <summary>Not yet approved by the panel.</summary>
    Pending,

    /// <summary>Approved; the share has not started yet.</summary>
    Approved,

    /// <summary>Approved and within its start and end dates.</summary>
    Active,

    /// <summary>Past its end date; data may still be held until it is destroyed.</summary>
    Ended,

    /// <summary>Every holding has been destroyed.</summary>
    Destroyed,

    /// <summary>Approved but suspended: no new access while suspended.</summary>
    Suspended,

    /// <summary>The panel refused the request: it is never approved and never gets data.</summary>
    Refused,

    /// <summary>The applicant withdrew the request before approval: it is never approved and never gets data.</summary>
    Withdrawn,
}

/// <summary>The error categories the engine reports; the cmdlets map them to PowerShell's ErrorCategory by name.</summary>
public enum DataShareErrorCategory
{
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    ResourceExists,
    PermissionDenied,
    ResourceUnavailable,
    ReadError,
    WriteError,
    OperationStopped,
    LimitsExceeded,
    NotSpecified,
}
