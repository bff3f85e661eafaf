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

    private readonly System.Collections.Generic.HashSet<string> standingChecked = new(System.StringComparer.OrdinalIgnoreCase);

    protected override int ProgressActivityId => 0x5A20;

    protected override bool UsesDirectoryChecks => true;

    protected override void ProcessRecord()
    {
        if (InputObject is not null)
        {
            Run(InputObject.Id, () => Write(InputObject, Engine.Readiness.Test(InputObject, AsOf, WarnWithinDays)));
            return;
        }

        if (RecipientId is not null)
        {
            foreach (var id in RecipientId)
            {
                Run(id, () =>
                {
                    var recipient = Engine.Recipients.Get(id);
                    Write(recipient, Engine.Readiness.Test(recipient, AsOf, WarnWithinDays));
                });
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

    /// <summary>
    /// Writes a recipient's result; the first time an agreement comes up, warns when it needs attention (its review
    /// overdue, or a direct transfer without a DPIA): a ready person still gets no transfer under it.
    /// </summary>
    private void Write(DataShareRecipient recipient, object result)
    {
        if (standingChecked.Add(recipient.AgreementId))
        {
            var agreement = Engine.Agreements.Get(recipient.AgreementId, AsOf);
            if (agreement.Status is AgreementStatus.Approved or AgreementStatus.Active or AgreementStatus.Suspended)
            {
                var standing = Engine.Reviews.Standing(agreement, AsOf);
                if (standing.IsOverdue || standing.IsDpiaMissing)
                {
                    WriteWarning(Core.Reviews.ReviewService.AttentionWarning(standing));
                }
            }
        }

        WriteObject(result);
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

                Write(recipient, Engine.Readiness.Test(recipient, AsOf, WarnWithinDays));
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
