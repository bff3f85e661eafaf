using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.Get, "DataShareAgreement")]
[OutputType(typeof(DataShareAgreement))]
public sealed class GetDataShareAgreementCommand : DataShareCmdlet
{
    /// <summary>
    /// Ids or wildcard patterns. Deliberately not bound by property name: a recipient's Id is a recipient id, and
    /// piping recipients here must not look them up as agreements.
    /// </summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    [Parameter]
    public AgreementStatus[]? Status { get; set; }

    /// <summary>The day the status is judged on; today (in the register's time zone) by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? AsOf { get; set; }

    protected override void ProcessRecord()
    {
        if (Id is null)
        {
            Run(null, () => WriteAll(null));
            return;
        }

        foreach (var id in Id)
        {
            Run(id, () =>
            {
                if (WildcardPattern.ContainsWildcardCharacters(id))
                {
                    WriteAll(WildcardPattern.Get(id, WildcardOptions.IgnoreCase).IsMatch);
                    return;
                }

                var agreement = Engine.Agreements.Get(id, AsOf);
                if (Status is null || Array.IndexOf(Status, agreement.Status) >= 0)
                {
                    WriteObject(agreement);
                }
            });
        }
    }

    private void WriteAll(Func<string, bool>? filter)
    {
        foreach (var agreement in Engine.Agreements.Find(filter, Status is null ? null : new HashSet<AgreementStatus>(Status), AsOf))
        {
            WriteObject(agreement);
        }
    }
}
