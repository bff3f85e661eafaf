using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Organisations;

/// <summary>An organisation's security-assessment standing on a day, and the assessment that decided it.</summary>
public sealed class AssessmentVerdict
{
    public AssessmentVerdict(AssessmentState state, SecurityAssessment? deciding, string reason)
    {
        State = state;
        Deciding = deciding;
        Reason = reason;
    }

    public AssessmentState State { get; }

    /// <summary>The latest assessment made by the day, which decides; null when there is none.</summary>
    public SecurityAssessment? Deciding { get; }

    /// <summary>The last day the deciding assessment counts, when it passed and is current.</summary>
    public DateTime? ValidUntil => State == AssessmentState.Current ? Deciding!.ValidUntil : null;

    public string Reason { get; }

    /// <summary>Whether the organisation is passed and current on the day and every day through <paramref name="lastDay"/>.</summary>
    public bool CoversThrough(DateTime lastDay) => State == AssessmentState.Current && Deciding!.ValidUntil >= lastDay.Date;
}

/// <summary>Pure rules about organisations and their security assessments.</summary>
public static class OrganisationRules
{
    public const int MaxNameLength = TextLimits.OrganisationName;

    /// <summary>The standing of an agreement that names no organisation record (one written before schema 5 by hand).</summary>
    public static readonly AssessmentVerdict NoOrganisation = new(AssessmentState.None, null, "The agreement names no organisation record.");

    /// <summary>The name in its stored form (trimmed), or an OrganisationNameInvalid error.</summary>
    public static string NormaliseName(string? name)
    {
        var text = TextLimits.Check("Organisation", "Name", (name ?? string.Empty).Trim(), MaxNameLength, null)!;
        if (text.Length == 0 || HasControl(text))
        {
            throw new DataShareException("OrganisationNameInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{name}' is not a usable organisation name: give 1 to {MaxNameLength} characters, without line breaks or tabs, e.g. 'University of Example'.", name);
        }

        return text;
    }

    /// <summary>
    /// The standing on <paramref name="day"/>: the latest assessment made on or before the day decides (a later
    /// failure overrides an earlier pass; a later pass replaces a failure). Assessments of one organisation only.
    /// </summary>
    public static AssessmentVerdict Evaluate(IEnumerable<SecurityAssessment> assessments, DateTime day)
    {
        var date = day.Date;
        SecurityAssessment? deciding = null;
        foreach (var assessment in assessments)
        {
            if (assessment.AssessedOn.Date > date)
            {
                continue;
            }

            if (deciding is null || assessment.AssessedOn > deciding.AssessedOn
                || assessment.AssessedOn == deciding.AssessedOn && assessment.RecordedAt >= deciding.RecordedAt)
            {
                deciding = assessment;
            }
        }

        if (deciding is null)
        {
            return new AssessmentVerdict(AssessmentState.None, null, $"No security assessment made by {DateText.FormatDate(date)} is recorded.");
        }

        var what = $"security assessment {deciding.Reference} of {DateText.FormatDate(deciding.AssessedOn)}";
        if (deciding.Outcome == AssessmentOutcome.Failed)
        {
            return new AssessmentVerdict(AssessmentState.Failed, deciding, $"The latest {what} failed.");
        }

        return deciding.ValidUntil.Date < date
            ? new AssessmentVerdict(AssessmentState.Lapsed, deciding, $"The latest {what} passed but lapsed after {DateText.FormatDate(deciding.ValidUntil)}.")
            : new AssessmentVerdict(AssessmentState.Current, deciding, $"Passed {what}, current through {DateText.FormatDate(deciding.ValidUntil)}.");
    }

    /// <summary>Why an agreement with this route cannot be approved or send data as it stands; null when it can.</summary>
    public static string? MissingJustification(DataShareAgreement agreement) =>
        agreement.AccessRoute == AccessRoute.DirectTransfer && string.IsNullOrWhiteSpace(agreement.DirectTransferJustification)
            ? $"Agreement {agreement.Id} sends data directly (route DirectTransfer) but records no reason for not using the secure research service. Give one with Set-DataShareAgreement -DirectTransferJustification."
            : null;

    private static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
