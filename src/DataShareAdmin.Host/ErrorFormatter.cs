using System;
using System.Globalization;
using System.Management.Automation;
using System.Text;

namespace DataShareAdmin.Host;

/// <summary>
/// Formats an error record the way pwsh's NormalView does: the message, where it happened, then the
/// <c>+ CategoryInfo</c> and <c>+ FullyQualifiedErrorId</c> lines. The offending source line is not repeated,
/// so a secret typed on that line never reaches a job's log.
/// </summary>
internal static class ErrorFormatter
{
    public static string Format(ErrorRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var message = record.ErrorDetails?.Message;
        if (string.IsNullOrEmpty(message))
        {
            message = record.Exception?.Message;
        }

        if (string.IsNullOrEmpty(message))
        {
            message = record.ToString();
        }

        var text = new StringBuilder();
        var invocation = record.InvocationInfo;
        var commandName = invocation?.MyCommand?.Name;
        if (!string.IsNullOrEmpty(commandName) && invocation!.MyCommand is CmdletInfo or FunctionInfo or ExternalScriptInfo)
        {
            text.Append(commandName).Append(" : ");
        }

        text.AppendLine(message);
        if (invocation is not null && invocation.ScriptLineNumber > 0)
        {
            var where = string.IsNullOrEmpty(invocation.ScriptName) ? "line" : invocation.ScriptName;
            text.Append(CultureInfo.InvariantCulture, $"At {where}:{invocation.ScriptLineNumber} char:{invocation.OffsetInLine}").AppendLine();
        }

        text.Append("    + CategoryInfo          : ").AppendLine(record.CategoryInfo.ToString());
        text.Append("    + FullyQualifiedErrorId : ").Append(record.FullyQualifiedErrorId);
        return text.ToString();
    }
}
