using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Turns the engine's errors into PowerShell's, keeping the engine's error id and category.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(DataShareException exception, object? target) =>
        new(exception, exception.ErrorId, Map(exception.Category), target ?? exception.Target);

    private static ErrorCategory Map(DataShareErrorCategory category) =>
        Enum.TryParse<ErrorCategory>(category.ToString(), out var mapped) ? mapped : ErrorCategory.NotSpecified;
}
