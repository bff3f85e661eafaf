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
    [ArgumentCompleter(typeof(LegalGatewayCompleter))]
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


    /// <summary>What kind of share this is, as the public register groups them; DsapResearch by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public AgreementCategory Category { get; set; } = AgreementCategory.DsapResearch;

    /// <summary>Who funds or commissions the work.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? FunderOrCommissioner { get; set; }

    /// <summary>What the share is for, in plain words for the public register.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? LaySummary { get; set; }

    /// <summary>The public benefit the share is expected to bring.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? PublicBenefit { get; set; }

    /// <summary>OneOff or Regular (with -FrequencyPeriod).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public ShareFrequency? Frequency { get; set; }

    /// <summary>How often a regular share goes out (e.g. "termly").</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? FrequencyPeriod { get; set; }

    /// <summary>The datasets the share draws on.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Datasets")]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string[]? Dataset { get; set; }

    /// <summary>The years the data covers (e.g. "2015/16 to 2022/23").</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? YearsCovered { get; set; }

    /// <summary>How many records are shared, where known.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, long.MaxValue)]
    public long? RecordsShared { get; set; }

    /// <summary>Whether the recipient may share the data onward or sublicense it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public bool? OnwardSharing { get; set; }

    /// <summary>With whom and on what terms onward sharing is allowed, or why not.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? OnwardSharingNote { get; set; }

    /// <summary>References of ethics or other approvals.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Approvals")]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string[]? Approval { get; set; }

    /// <summary>The secure research service's project id (SecureResearchService agreements only).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? SrsProjectId { get; set; }

    /// <summary>Links (https) to published outputs.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("OutputLinks")]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string[]? OutputLink { get; set; }

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
            Category = Category,
            FunderOrCommissioner = FunderOrCommissioner,
            LaySummary = LaySummary,
            PublicBenefit = PublicBenefit,
            Frequency = Frequency,
            FrequencyPeriod = FrequencyPeriod,
            Datasets = Dataset ?? Array.Empty<string>(),
            YearsCovered = YearsCovered,
            RecordsShared = RecordsShared,
            OnwardSharing = OnwardSharing,
            OnwardSharingNote = OnwardSharingNote,
            Approvals = Approval ?? Array.Empty<string>(),
            SrsProjectId = SrsProjectId,
            OutputLinks = OutputLink ?? Array.Empty<string>(),
        }, this);
        if (created is not null)
        {
            WriteObject(created);
        }
    });
}
