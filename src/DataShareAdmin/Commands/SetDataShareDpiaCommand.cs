using System;
using System.Management.Automation;
using DataShareAdmin.Core.Reviews;

namespace DataShareAdmin.Commands;

/// <summary>Records an agreement's DPIA, or a new revision of it (earlier revisions are kept; the latest is current).</summary>
[Cmdlet(VerbsCommon.Set, "DataShareDpia", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DataShareDpia))]
public sealed class SetDataShareDpiaCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string AgreementId { get; set; } = string.Empty;

    /// <summary>The DPIA's own reference (document number).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = string.Empty;

    /// <summary>The day it was signed off; not in the future.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [DateTransformation]
    public DateTime SignedOffOn { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string SignedOffBy { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public ResidualRisk ResidualRisk { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Mitigations { get; set; } = string.Empty;

    /// <summary>A summary fit to publish: no names of people and no email addresses.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? PublicSummary { get; set; }

    protected override void ProcessRecord() => Run(AgreementId, () =>
    {
        var dpia = Engine.Reviews.SetDpia(new DpiaDraft
        {
            AgreementId = AgreementId,
            Reference = Reference,
            SignedOffOn = SignedOffOn,
            SignedOffBy = SignedOffBy,
            ResidualRisk = ResidualRisk,
            Mitigations = Mitigations,
            PublicSummary = PublicSummary,
        }, this);
        if (dpia is not null)
        {
            WriteObject(dpia);
        }
    });
}
