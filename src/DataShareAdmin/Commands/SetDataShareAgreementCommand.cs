using System;
using System.Management.Automation;
using DataShareAdmin.Core.Agreements;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.Set, "DataShareAgreement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(DataShareAgreement))]
public sealed class SetDataShareAgreementCommand : DataShareCmdlet
{
    private const string ByIdSet = "ById";
    private const string ByInputObjectSet = "ByInputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByInputObjectSet)]
    public DataShareAgreement? InputObject { get; set; }

    /// <summary>Another organisation in the register, by name or id.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(OrganisationCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Organisation { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

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

    /// <summary>Why data goes directly rather than through the secure research service; an empty string clears it.</summary>
    [Parameter]
    public string? DirectTransferJustification { get; set; }

    /// <summary>Directory security groups (object ids) through which recipients reach the shared material; an empty array clears them.</summary>
    [Parameter]
    [Alias("AccessGroupIds")]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string[]? AccessGroupId { get; set; }

    /// <summary>The officer responsible for the agreement, copied on its notices; an empty string clears it.</summary>
    [Parameter]
    public string? OfficerName { get; set; }

    /// <summary>The responsible officer's email address; an empty string clears it.</summary>
    [Parameter]
    public string? OfficerEmail { get; set; }

    [Parameter]
    [DateTransformation]
    public DateTime? StartsOn { get; set; }

    [Parameter]
    [DateTransformation]
    public DateTime? EndsOn { get; set; }

    [Parameter]
    public int? RetentionDays { get; set; }

    [Parameter]
    [Alias("DataItems")]
    [DataItemTransformation]
    public DataItem[]? DataItem { get; set; }

    /// <summary>$true suspends the agreement (no new access); $false lifts the suspension.</summary>
    [Parameter]
    public bool? Suspended { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var id = InputObject?.Id ?? Id;
        Run(id, () =>
        {
            var changed = Engine.Agreements.Update(id, new AgreementChanges
            {
                Organisation = Organisation,
                Title = Title,
                Purpose = Purpose,
                LegalGateway = LegalGateway,
                LawfulBasis = LawfulBasis,
                AccessRoute = AccessRoute,
                DirectTransferJustification = DirectTransferJustification,
                AccessGroupIds = AccessGroupId,
                OfficerName = OfficerName,
                OfficerEmail = OfficerEmail,
                StartsOn = StartsOn,
                EndsOn = EndsOn,
                RetentionDays = RetentionDays,
                DataItems = DataItem,
                IsSuspended = Suspended,
            }, this);
            if (changed is not null && PassThru)
            {
                WriteObject(changed);
            }
        });
    }
}
