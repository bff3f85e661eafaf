using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Records the recipient organisation's own confirmation that it destroyed its copies of an agreement's data. An
/// ended agreement is Destroyed once every holding is verified gone and this confirmation is recorded.
/// </summary>
[Cmdlet(VerbsLifecycle.Confirm, "DataShareDestruction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DestructionConfirmation))]
public sealed class ConfirmDataShareDestructionCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string AgreementId { get; set; } = string.Empty;

    /// <summary>Who confirmed it, e.g. the organisation's data protection officer.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string ConfirmedBy { get; set; } = string.Empty;

    /// <summary>The day the organisation confirmed it.</summary>
    [Parameter(Mandatory = true)]
    [DateTransformation]
    public DateTime ConfirmedOn { get; set; }

    /// <summary>Where the confirmation is kept, e.g. a letter's reference or a document link.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Evidence { get; set; }

    protected override void ProcessRecord() => Run(AgreementId, () =>
    {
        var confirmation = Engine.Retention.Confirm(AgreementId, ConfirmedBy, ConfirmedOn, Evidence, this);
        if (confirmation is not null)
        {
            WriteObject(confirmation);
        }
    });
}
