using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>An agreement's current DPIA (or every revision with -AllRevisions); every agreement's without -AgreementId.</summary>
[Cmdlet(VerbsCommon.Get, "DataShareDpia")]
[OutputType(typeof(DataShareDpia))]
public sealed class GetDataShareDpiaCommand : DataShareCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? AgreementId { get; set; }

    /// <summary>Every revision, oldest first, not just the current one.</summary>
    [Parameter]
    public SwitchParameter AllRevisions { get; set; }

    protected override void ProcessRecord()
    {
        if (AgreementId is not null && !FirstTime(AgreementId))
        {
            return;
        }

        Run(AgreementId, () =>
        {
            foreach (var dpia in Engine.Reviews.GetDpias(AgreementId, AllRevisions))
            {
                WriteObject(dpia);
            }
        });
    }
}
