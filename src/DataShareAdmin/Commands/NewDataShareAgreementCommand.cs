using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.New, "DataShareAgreement", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DataShareAgreement))]
public sealed class NewDataShareAgreementCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string Id { get; set; } = string.Empty;

    /// <summary>The recipient organisation's name or id; it must be in the register (New-DataShareOrganisation).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(OrganisationCompleter))]
    [ValidateNotNullOrEmpty]
    public string Organisation { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Purpose { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string LegalGateway { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string LawfulBasis { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public AccessRoute AccessRoute { get; set; } = AccessRoute.SecureResearchService;

    /// <summary>Why data goes directly rather than through the secure research service; needed before a DirectTransfer agreement is approved.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? DirectTransferJustification { get; set; }

    /// <summary>Directory security groups (object ids) through which recipients reach the shared material.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("AccessGroupIds")]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string[]? AccessGroupId { get; set; }

    /// <summary>The officer responsible for the agreement, copied on its notices.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? OfficerName { get; set; }

    /// <summary>The responsible officer's email address.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? OfficerEmail { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [DateTransformation]
    public DateTime StartsOn { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [DateTransformation]
    public DateTime EndsOn { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int RetentionDays { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("DataItems")]
    [DataItemTransformation]
    public DataItem[] DataItem { get; set; } = Array.Empty<DataItem>();

    protected override void ProcessRecord() => Run(Id, () =>
    {
        var created = Engine.Agreements.Create(new DataShareAgreement
        {
            Id = Id,
            Organisation = Organisation,
            Title = Title,
            Purpose = Purpose,
            LegalGateway = LegalGateway,
            LawfulBasis = LawfulBasis,
            AccessRoute = AccessRoute,
            DirectTransferJustification = DirectTransferJustification,
            AccessGroupIds = AccessGroupId ?? Array.Empty<string>(),
            OfficerName = OfficerName,
            OfficerEmail = OfficerEmail,
            StartsOn = StartsOn,
            EndsOn = EndsOn,
            RetentionDays = RetentionDays,
            DataItems = DataItem ?? Array.Empty<DataItem>(),
        }, this);
        if (created is not null)
        {
            WriteObject(created);
        }
    });
}
