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

    /// <summary>Only entries whose action matches any of these, e.g. Agreement.*, Recipient.Remove.</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(AuditActionCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Action { get; set; }

    /// <summary>Only entries made by any of these actors (the account that made the change; wildcards allowed).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(AuditActorCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Actor { get; set; }

    /// <summary>Only entries about this target (an agreement or recipient id; wildcards allowed).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(AuditTargetCompleter))]
    public string? TargetId { get; set; }

    /// <summary>Only entries at or after this time.</summary>
    [Parameter]
    [DateTransformation(Instant = true)]
    public DateTime? After { get; set; }

    /// <summary>Only entries before this time.</summary>
    [Parameter]
    [DateTransformation(Instant = true)]
    public DateTime? Before { get; set; }

    protected override void ProcessRecord()
    {
        var action = Patterns(Action);
        var actor = Patterns(Actor);
        var target = TargetId is null ? null : WildcardPattern.Get(TargetId, WildcardOptions.IgnoreCase);
        Run(TargetId, () =>
        {
            DateTimeOffset? after = After is null ? null : Engine.Calendar.ToInstant(After.Value);
            DateTimeOffset? before = Before is null ? null : Engine.Calendar.ToInstant(Before.Value);
            var from = MyInvocation.BoundParameters.ContainsKey(nameof(FromSequence)) ? FromSequence : long.MinValue;
            foreach (var entry in Engine.Audit.Read(from, e =>
                         Matches(action, e.Action)
                         && Matches(actor, e.Actor)
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

    private static WildcardPattern[]? Patterns(string[]? values) =>
        values is null ? null : Array.ConvertAll(values, v => WildcardPattern.Get(v.Trim(), WildcardOptions.IgnoreCase));

    /// <summary>True when no patterns were given, or any of them matches.</summary>
    private static bool Matches(WildcardPattern[]? patterns, string value) =>
        patterns is null || Array.Exists(patterns, p => p.IsMatch(value));
}
