using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.Get, "DataShareAuditLog")]
[OutputType(typeof(AuditEntry))]
public sealed class GetDataShareAuditLogCommand : DataShareCmdlet
{
    /// <summary>The first sequence number to read; without it, every stored entry (a row numbered below 1 by someone editing the register shows too).</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long FromSequence { get; set; } = 1;

    /// <summary>Only entries whose action matches, e.g. Agreement.* or Recipient.Remove.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Action { get; set; }

    /// <summary>Only entries about this target (an agreement or recipient id; wildcards allowed).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? TargetId { get; set; }

    /// <summary>Only entries at or after this time.</summary>
    [Parameter]
    public DateTime? After { get; set; }

    /// <summary>Only entries before this time.</summary>
    [Parameter]
    public DateTime? Before { get; set; }

    protected override void ProcessRecord()
    {
        var action = Action is null ? null : WildcardPattern.Get(Action, WildcardOptions.IgnoreCase);
        var target = TargetId is null ? null : WildcardPattern.Get(TargetId, WildcardOptions.IgnoreCase);
        Run(TargetId, () =>
        {
            DateTimeOffset? after = After is null ? null : Engine.Calendar.ToInstant(After.Value);
            DateTimeOffset? before = Before is null ? null : Engine.Calendar.ToInstant(Before.Value);
            var from = MyInvocation.BoundParameters.ContainsKey(nameof(FromSequence)) ? FromSequence : long.MinValue;
            foreach (var entry in Engine.Audit.Read(from, e =>
                         (action is null || action.IsMatch(e.Action))
                         && (target is null || target.IsMatch(e.TargetId) || (e.Details.TryGetValue("AgreementId", out var a) && target.IsMatch(a)))
                         && (after is null || e.Timestamp >= after)
                         && (before is null || e.Timestamp < before)))
            {
                // An entry changed outside the module is shown with what could be read, and said to be so.
                WriteObject(entry);
                if (entry.Problem is not null)
                {
                    WriteError(ErrorRecords.From(Core.Audit.AuditService.Unreadable(entry), entry));
                }
            }
        });
    }
}
