using System;
using System.Collections.Generic;
using System.Management.Automation;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Commands;

/// <summary>
/// Deletes every copy in the holdings due today (or the plan items piped in): every blob with its snapshots and
/// versions, or every file of a local folder; lists again to verify, and writes a destruction record for each.
/// Nothing is deleted before its day; one sweep at a time per register; larger than policy allows needs -Force.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DataShareRetentionSweep", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DestructionRecord))]
public sealed class InvokeDataShareRetentionSweepCommand : DataShareCmdlet
{
    private readonly List<string> piped = new();

    /// <summary>The day to sweep for; today by default. A later day is refused.</summary>
    [Parameter]
    [DateTransformation]
    public DateTime? AsOf { get; set; }

    /// <summary>Only these holdings (plan items from Get-DataShareRetentionPlan bind by their HoldingId).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(HoldingIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? HoldingId { get; set; }

    /// <summary>Deletes in flight at once (1 to 256).</summary>
    [Parameter]
    public int ThrottleLimit { get; set; } = 16;

    /// <summary>Go on when the sweep is larger than the policy's SweepMaxHoldings or SweepMaxGiB.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override int ProgressActivityId => 0x5A20;

    protected override void ProcessRecord()
    {
        if (HoldingId is not null)
        {
            piped.AddRange(HoldingId);
        }
    }

    protected override void EndProcessing()
    {
        Run(AsOf, () =>
        {
            var records = Engine.Retention.Sweep(new SweepOptions
            {
                AsOf = AsOf is null ? null : ShareCalendar.DateOf(AsOf.Value),
                Force = Force,
                ThrottleLimit = ThrottleLimit,
                HoldingIds = MyInvocation.ExpectingInput || HoldingId is not null ? piped : null,
                DryRun = WhatIfInEffect(),
            }, Engine.Storage.ForRetention(), this, error => WriteError(ErrorRecords.From(error, error.Target)));
            foreach (var record in records)
            {
                WriteObject(record);
            }
        });
        base.EndProcessing();
    }

    /// <summary>-WhatIf given, or $WhatIfPreference set by the caller: the sweep only says what it would do.</summary>
    private bool WhatIfInEffect() => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given)
        ? LanguagePrimitives.IsTrue(given)
        : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
}
