using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Lists the register's legal gateway catalogue (seeded with the gateways the department publishes).</summary>
[Cmdlet(VerbsCommon.Get, "DataShareLegalGateway")]
[OutputType(typeof(DataShareLegalGateway))]
public sealed class GetDataShareLegalGatewayCommand : DataShareCmdlet
{
    /// <summary>Names to list (wildcards allowed, compared without case); all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LegalGatewayCompleter))]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>Include retired gateways (kept because agreements name them).</summary>
    [Parameter]
    public SwitchParameter IncludeRetired { get; set; }

    protected override void ProcessRecord() => Run(null, () =>
    {
        var patterns = Name is null ? null : System.Array.ConvertAll(Name, n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase));
        foreach (var gateway in Engine.LegalGateways.List(n => patterns is null || System.Array.Exists(patterns, p => p.IsMatch(n)), IncludeRetired))
        {
            WriteObject(gateway);
        }
    });
}
