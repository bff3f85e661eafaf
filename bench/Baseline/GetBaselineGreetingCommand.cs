using System.Management.Automation;

namespace DataShareAdmin.Baseline;

/// <summary>The one trivial cmdlet of the benchmark baseline module.</summary>
[Cmdlet(VerbsCommon.Get, "BaselineGreeting")]
[OutputType(typeof(string))]
public sealed class GetBaselineGreetingCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    public string Name { get; set; } = "world";

    protected override void ProcessRecord() => WriteObject("Hello, " + Name + "!");
}
