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
    [ArgumentCompleter(typeof(LegalGatewayCompleter))]
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

    /// <summary>Months between this agreement's periodic reviews; 0 returns it to the ReviewIntervalMonths policy setting.</summary>
    [Parameter]
    [ValidateRange(0, 60)]
    public int? ReviewIntervalMonths { get; set; }

    /// <summary>$true suspends the agreement (no new access); $false lifts the suspension.</summary>
    [Parameter]
    public bool? Suspended { get; set; }

    /// <summary>What kind of share this is, as the public register groups them.</summary>
    [Parameter]
    public AgreementCategory? Category { get; set; }

    /// <summary>Who funds or commissions the work.</summary>
    [Parameter]
    public string? FunderOrCommissioner { get; set; }

    /// <summary>What the share is for, in plain words for the public register; an empty string clears it (as for the other texts here).</summary>
    [Parameter]
    public string? LaySummary { get; set; }

    /// <summary>The public benefit the share is expected to bring.</summary>
    [Parameter]
    public string? PublicBenefit { get; set; }

    /// <summary>OneOff or Regular (with -FrequencyPeriod).</summary>
    [Parameter]
    public ShareFrequency? Frequency { get; set; }

    /// <summary>How often a regular share goes out (e.g. "termly").</summary>
    [Parameter]
    public string? FrequencyPeriod { get; set; }

    /// <summary>The datasets the share draws on; an empty array clears them (as for the other lists here).</summary>
    [Parameter]
    [Alias("Datasets")]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string[]? Dataset { get; set; }

    /// <summary>The years the data covers (e.g. "2015/16 to 2022/23").</summary>
    [Parameter]
    public string? YearsCovered { get; set; }

    /// <summary>How many records are shared, where known.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? RecordsShared { get; set; }

    /// <summary>Whether the recipient may share the data onward or sublicense it.</summary>
    [Parameter]
    public bool? OnwardSharing { get; set; }

    /// <summary>With whom and on what terms onward sharing is allowed, or why not.</summary>
    [Parameter]
    public string? OnwardSharingNote { get; set; }

    /// <summary>References of ethics or other approvals.</summary>
    [Parameter]
    [Alias("Approvals")]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string[]? Approval { get; set; }

    /// <summary>The secure research service's project id (SecureResearchService agreements only).</summary>
    [Parameter]
    public string? SrsProjectId { get; set; }

    /// <summary>Links (https) to published outputs.</summary>
    [Parameter]
    [Alias("OutputLinks")]
    [AllowEmptyCollection]
    [ArgumentCompleter(typeof(NoCompletion))]
    public string[]? OutputLink { get; set; }

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
                ReviewIntervalMonths = ReviewIntervalMonths,
                Category = Category,
                FunderOrCommissioner = FunderOrCommissioner,
                LaySummary = LaySummary,
                PublicBenefit = PublicBenefit,
                Frequency = Frequency,
                FrequencyPeriod = FrequencyPeriod,
                Datasets = Dataset,
                YearsCovered = YearsCovered,
                RecordsShared = RecordsShared,
                OnwardSharing = OnwardSharing,
                OnwardSharingNote = OnwardSharingNote,
                Approvals = Approval,
                SrsProjectId = SrsProjectId,
                OutputLinks = OutputLink,
            }, this);
            if (changed is not null && PassThru)
            {
                WriteObject(changed);
            }
        });
    }
}
