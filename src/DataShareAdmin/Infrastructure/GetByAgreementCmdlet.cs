using System.Collections.Generic;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// What Get- cmdlets of an agreement's records share: by -Id, or by agreement (piped agreements, recipients or any
/// object with an AgreementId bind to it; each agreement is listed once), or everything.
/// </summary>
public abstract class GetByAgreementCmdlet : DataShareCmdlet
{
    protected const string ByAgreementSet = "ByAgreement";
    protected const string ByIdSet = "ById";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByAgreementSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? AgreementId { get; set; }

    /// <summary>The ids given with -Id.</summary>
    protected abstract IReadOnlyList<string> RequestedIds { get; }

    protected abstract object GetOne(string id);

    protected abstract IEnumerable<object> List(string? agreementId);

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByIdSet)
        {
            foreach (var id in RequestedIds)
            {
                Run(id, () => WriteObject(GetOne(id)));
            }

            return;
        }

        if (AgreementId is not null && !FirstTime(AgreementId))
        {
            return;
        }

        Run(AgreementId, () =>
        {
            foreach (var item in List(AgreementId))
            {
                WriteObject(item);
            }
        });
    }
}
