namespace DataShareAdmin.HelpBuilder;

/// <summary>A problem in a help page that stops the build.</summary>
/// <remarks>
/// Printed in MSBuild's canonical form (<c>file(line): error HELP: message</c>) so that, when the build runs the tool
/// through an Exec task, the IDE and the build log point at the page and line to fix.
/// </remarks>
public sealed record HelpDiagnostic(string File, int Line, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{File}({Line}): error HELP: {Message}" : $"{File}: error HELP: {Message}";
}
