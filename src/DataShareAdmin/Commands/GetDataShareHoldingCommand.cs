using System.Collections.Generic;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Lists holdings with their due day: by agreement (or all), or by id; destroyed ones only with -IncludeDestroyed.</summary>
[Cmdlet(VerbsCommon.Get, "DataShareHolding", DefaultParameterSetName = ByAgreementSet)]
[OutputType(typeof(DataShareHolding))]
public sealed class GetDataShareHoldingCommand : GetByAgreementCmdlet
{
    [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(HoldingIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = System.Array.Empty<string>();

    /// <summary>Also list holdings a sweep has verified gone.</summary>
    [Parameter(ParameterSetName = ByAgreementSet)]
    public SwitchParameter IncludeDestroyed { get; set; }

    protected override IReadOnlyList<string> RequestedIds => Id;

    protected override object GetOne(string id) => Engine.Retention.Get(id);

    protected override IEnumerable<object> List(string? agreementId) =>
        Engine.Retention.Find(agreementId, IncludeDestroyed, error => WriteError(ErrorRecords.From(error, error.Target)));
}
