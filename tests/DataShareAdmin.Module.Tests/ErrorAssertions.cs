using System.Management.Automation;

namespace DataShareAdmin.Module.Tests;

internal static class ErrorAssertions
{
    /// <summary>Checks the error id (as FullyQualifiedErrorId "Id,Namespace.Class"), the category and that a message says something.</summary>
    public static void AssertError(this ErrorRecord error, string errorId, ErrorCategory category, string commandClass)
    {
        Assert.Equal(errorId + ",DataShareAdmin.Commands." + commandClass, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.False(string.IsNullOrWhiteSpace(error.Exception.Message));
    }
}
