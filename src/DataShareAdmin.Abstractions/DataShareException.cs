using System;

namespace DataShareAdmin;

/// <summary>
/// A failure the engine can explain: a stable error id (e.g. <c>AgreementNotFound</c>), a category and the item it
/// concerns. The cmdlets turn it into an ErrorRecord without knowing anything about where it came from.
/// </summary>
[Serializable]
public class DataShareException : Exception
{
    public DataShareException()
        : this("DataShareError", DataShareErrorCategory.NotSpecified, "The operation failed.")
    {
    }

    public DataShareException(string message)
        : this("DataShareError", DataShareErrorCategory.NotSpecified, message)
    {
    }

    public DataShareException(string message, Exception innerException)
        : this("DataShareError", DataShareErrorCategory.NotSpecified, message, null, innerException)
    {
    }

    public DataShareException(string errorId, DataShareErrorCategory category, string message, object? target = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    /// <summary>A constant of the form NounProblem, e.g. <c>AgreementDatesInvalid</c>.</summary>
    public string ErrorId { get; }

    public DataShareErrorCategory Category { get; }

    /// <summary>The item the error concerns (an id, a path, an input object).</summary>
    public object? Target { get; }

    /// <summary>
    /// True when nothing at all can proceed (no register, a register that cannot be opened): the cmdlet stops
    /// rather than moving on to the next pipeline item.
    /// </summary>
    public bool IsTerminating { get; init; }
}
