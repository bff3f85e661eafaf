using System;
using System.Management.Automation;
using DataShareAdmin.Core.Agreements;

namespace DataShareAdmin.Commands;

/// <summary>
/// Asks the panel to vary an approved agreement's material terms (dates, data items, purpose, route, organisation,
/// gateway, basis, retention). The agreement keeps its terms until Approve-DataShareVariation.
/// </summary>
[Cmdlet(VerbsLifecycle.Request, "DataShareVariation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareVariation))]
public sealed class RequestDataShareVariationCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string AgreementId { get; set; } = string.Empty;

    /// <summary>Why the terms should change.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Reason { get; set; } = string.Empty;

    [Parameter]
    [ArgumentCompleter(typeof(OrganisationCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Organisation { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Purpose { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LegalGateway { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LawfulBasis { get; set; }

    [Parameter]
    public AccessRoute? AccessRoute { get; set; }

    [Parameter]
    public string? DirectTransferJustification { get; set; }

    [Parameter]
    [DateTransformation]
    public DateTime? StartsOn { get; set; }

    /// <summary>A later end is an extension, an earlier one a termination.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? EndsOn { get; set; }

    [Parameter]
    public int? RetentionDays { get; set; }

    [Parameter]
    [Alias("DataItems")]
    [DataItemTransformation]
    public DataItem[]? DataItem { get; set; }

    protected override void ProcessRecord()
    {
        Run(AgreementId, () =>
        {
            var variation = Engine.Agreements.RequestVariation(AgreementId, new AgreementChanges
            {
                Organisation = Organisation,
                Purpose = Purpose,
                LegalGateway = LegalGateway,
                LawfulBasis = LawfulBasis,
                AccessRoute = AccessRoute,
                DirectTransferJustification = DirectTransferJustification,
                StartsOn = StartsOn,
                EndsOn = EndsOn,
                RetentionDays = RetentionDays,
                DataItems = DataItem,
            }, Reason, this);
            if (variation is not null)
            {
                WriteObject(variation);
            }
        });
    }
}
