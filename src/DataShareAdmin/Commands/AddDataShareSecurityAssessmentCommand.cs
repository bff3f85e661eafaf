using System;
using System.Management.Automation;
using DataShareAdmin.Core.Organisations;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.Add, "DataShareSecurityAssessment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(SecurityAssessment))]
public sealed class AddDataShareSecurityAssessmentCommand : DataShareCmdlet
{
    /// <summary>The organisation's name or id; bound from piped organisations (by OrganisationId) and agreements.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("OrganisationId")]
    [ArgumentCompleter(typeof(OrganisationCompleter))]
    [ValidateNotNullOrEmpty]
    public string Organisation { get; set; } = string.Empty;

    /// <summary>The day the assessment was made; not in the future.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [DateTransformation]
    public DateTime AssessedOn { get; set; }

    /// <summary>The last day it counts; by default AssessedOn plus the SecurityAssessmentValidMonths policy setting.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [DateTransformation]
    public DateTime? ValidUntil { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public AssessmentOutcome Outcome { get; set; }

    /// <summary>The assessor's reference for the questionnaire or report; unique for the organisation.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = string.Empty;

    protected override void ProcessRecord() => Run(Organisation, () =>
    {
        var added = Engine.Organisations.AddAssessment(new AssessmentRequest
        {
            Organisation = Organisation,
            AssessedOn = AssessedOn,
            ValidUntil = ValidUntil,
            Outcome = Outcome,
            Reference = Reference,
        }, this);
        if (added is not null)
        {
            WriteObject(added);
        }
    });
}
