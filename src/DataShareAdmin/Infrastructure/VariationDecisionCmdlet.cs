using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// What the cmdlets that decide a requested variation share (Approve-, Deny- and Close-DataShareVariation): the
/// variation by id (typed, or bound from a piped variation), and the decided variation written out. Each names its own
/// day parameter and makes its own engine call.
/// </summary>
public abstract class VariationDecisionCmdlet : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VariationIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    protected override void ProcessRecord() => Run(Id, () =>
    {
        if (Decide(Id) is { } decided)
        {
            WriteObject(decided);
        }
    });

    /// <summary>The engine call for variation <paramref name="id"/>; null when the user declined.</summary>
    protected abstract DataShareVariation? Decide(string id);
}
