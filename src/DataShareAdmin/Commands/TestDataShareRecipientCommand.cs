using System;
using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>
/// Applies every safe-people check to each recipient and returns one result per recipient: IsReady, what failed and
/// why, ReadyUntil, and a warning when that day is near or before the agreement ends. Streams: one recipient at a time.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "DataShareRecipient", DefaultParameterSetName = ByAgreementSet)]
[OutputType(typeof(RecipientTestResult))]
public sealed class TestDataShareRecipientCommand : RecipientSelectionCmdlet
{
    [Parameter]
    [DateTransformation]
    public DateTime? AsOf { get; set; }

    /// <summary>Warn when a person stops being ready within this many days (policy ReadinessWarningDays by default).</summary>
    [Parameter]
    [ValidateRange(0, 3650)]
    public int? WarnWithinDays { get; set; }

    protected override int ProgressActivityId => 0x5A20;

    protected override bool UsesDirectoryChecks => true;

    protected override void ProcessRecord()
    {
        if (InputObject is not null)
        {
            Run(InputObject.Id, () => WriteObject(Engine.Readiness.Test(InputObject, AsOf, WarnWithinDays)));
            return;
        }

        if (RecipientId is not null)
        {
            foreach (var id in RecipientId)
            {
                Run(id, () => WriteObject(Engine.Readiness.Test(Engine.Recipients.Get(id), AsOf, WarnWithinDays)));
            }

            return;
        }

        foreach (var agreementId in AgreementId ?? new string?[] { null })
        {
            // Agreements piped in bind their AgreementId here; each is tested once.
            if (FirstTime(agreementId ?? "*"))
            {
                Run(agreementId, () => TestAll(agreementId));
            }
        }
    }

    private void TestAll(string? agreementId)
    {
        const string activity = "Testing recipients";
        var count = 0;
        if (agreementId is null)
        {
            Engine.Readiness.ExpectWholeRegister();
        }

        try
        {
            foreach (var recipient in Engine.Recipients.Find(agreementId, includeRemoved: false))
            {
                CancellationToken.ThrowIfCancellationRequested();
                if (++count % 1000 == 0)
                {
                    WriteProgress(activity, $"{count} recipients", -1, completed: false);
                }

                WriteObject(Engine.Readiness.Test(recipient, AsOf, WarnWithinDays));
            }
        }
        finally
        {
            if (count >= 1000)
            {
                WriteProgress(activity, $"{count} recipients", 100, completed: true);
            }
        }
    }
}
