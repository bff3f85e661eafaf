using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.Get, "DataShareAgreement")]
[OutputType(typeof(DataShareAgreement), typeof(AgreementTermsVersion))]
public sealed class GetDataShareAgreementCommand : DataShareCmdlet
{
    private bool idOnCommandLine;
    private bool agreementIdOnCommandLine;
    private IReadOnlyDictionary<string, int>? openIncidents;

    /// <summary>
    /// Ids or wildcard patterns. Ids piped as text bind here, and so does the Id of a piped object that has no
    /// AgreementId (a spreadsheet row, say): a recipient's or transfer's own Id is never looked up as an agreement.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    /// <summary>
    /// The agreements of piped objects, by their AgreementId (recipients, transfers, holdings, agreements) or
    /// AgreementIds (organisations); when a piped object has one, its own Id is not used.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("AgreementIds")]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [AllowNull]
    [AllowEmptyCollection]
    public string[]? AgreementId { get; set; }

    [Parameter]
    public AgreementStatus[]? Status { get; set; }

    /// <summary>The day the status is judged on; today (in the register's time zone) by default.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? AsOf { get; set; }

    /// <summary>Each version of each agreement's terms (with who approved it and when) instead of the agreement.</summary>
    [Parameter]
    public SwitchParameter History { get; set; }

    protected override void BeginProcessing()
    {
        idOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Id));
        agreementIdOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(AgreementId));
    }

    protected override void ProcessRecord()
    {
        var ids = Requested();
        if (ids is null)
        {
            Run(null, () => WriteAll(null));
            return;
        }

        foreach (var id in ids)
        {
            // The same agreement piped in many times (one per recipient) is written once.
            if (string.IsNullOrWhiteSpace(id) || !FirstTime(id.Trim()))
            {
                continue;
            }

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
                    Write(agreement);
                }
            });
        }
    }

    /// <summary>
    /// The ids this record asks for; null for every agreement. From the command line both parameters count; from a
    /// piped object, its AgreementId (or AgreementIds) wins over its own Id, which may be a recipient's or a transfer's.
    /// </summary>
    private IReadOnlyList<string>? Requested()
    {
        if (idOnCommandLine || agreementIdOnCommandLine)
        {
            var both = new List<string>();
            both.AddRange(Id ?? Array.Empty<string>());
            both.AddRange(AgreementId ?? Array.Empty<string>());
            return both;
        }

        // An organisation with no agreements binds an empty AgreementIds: nothing, rather than its Id as an agreement.
        return AgreementId ?? Id;
    }

    private void WriteAll(Func<string, bool>? filter)
    {
        foreach (var agreement in Engine.Agreements.Find(filter, Status is null ? null : new HashSet<AgreementStatus>(Status), AsOf))
        {
            Write(agreement);
        }
    }

    private void Write(DataShareAgreement agreement)
    {
        if (!History)
        {
            WriteObject(WithIncidents(Engine.Reviews.Annotate(agreement)));
            return;
        }

        foreach (var version in Engine.Agreements.History(agreement.Id))
        {
            WriteObject(version);
        }
    }

    /// <summary>The agreement with its count of open incidents (all incidents are read once per invocation).</summary>
    private DataShareAgreement WithIncidents(DataShareAgreement agreement)
    {
        openIncidents ??= Engine.Incidents.OpenCounts();
        agreement.OpenIncidents = openIncidents.TryGetValue(agreement.Id, out var count) ? count : 0;
        return agreement;
    }
}
