using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.Core.Decisions;

/// <summary>
/// The rules for a panel decision as recorded: an approval has all four tests met, each with a note; a refusal names
/// at least one test not met, with its note; each principle weighed is judged once, with a note unless it does not
/// apply; the Chief Statistician decides only matching and research cases.
/// </summary>
public static class PanelDecisions
{
    /// <summary>The categories the Chief Statistician may decide (a matching or research case).</summary>
    public static IReadOnlyList<AgreementCategory> ChiefStatisticianCategories { get; } = new[] { AgreementCategory.DsapResearch, AgreementCategory.DataMatching };

    /// <summary>A decision with the four tests met and the notes given (the form Approve-DataShareAgreement's -Legal/-Ethical/-Proportionate/-Secure make).</summary>
    public static PanelDecision Approval(string? legal, string? ethical, string? proportionate, string? secure) => new()
    {
        Tests = Tests(legal, ethical, proportionate, secure, failed: null),
    };

    /// <summary>
    /// A refusal's tests: each test given a note is recorded; those in <paramref name="failed"/> as not met, the rest as
    /// met. A failed test without a note is recorded with an empty note, which <see cref="Check"/> refuses.
    /// </summary>
    public static ReadableList<PanelTestResult> Tests(string? legal, string? ethical, string? proportionate, string? secure, ICollection<PanelTest>? failed)
    {
        var notes = new (PanelTest Test, string? Note)[] { (PanelTest.Legal, legal), (PanelTest.Ethical, ethical), (PanelTest.Proportionate, proportionate), (PanelTest.Secure, secure) };
        var tests = new ReadableList<PanelTestResult>();
        foreach (var (test, note) in notes)
        {
            var failing = failed?.Contains(test) == true;
            if (note is not null || failing || failed is null)
            {
                tests.Add(new PanelTestResult { Test = test, Passed = !failing, Note = note?.Trim() ?? string.Empty });
            }
        }

        return tests;
    }

    /// <summary>
    /// One principle from a script's hashtable entry: the key names it (SectorBenefit, SizeableBenefit, ResearchInterest,
    /// SecondaryResearch); the value is the note (met), "NotMet: note", "NotApplicable" (or "N/A", or empty) with an
    /// optional ": note", or "Met: note".
    /// </summary>
    public static PrincipleResult Principle(string key, string? value, string agreementId)
    {
        if (!Enum.TryParse<SharingPrinciple>((key ?? string.Empty).Trim(), ignoreCase: true, out var principle) || !Enum.IsDefined(typeof(SharingPrinciple), principle) || int.TryParse(key, out _))
        {
            throw new DataShareException("AgreementDecisionPrincipleUnknown", DataShareErrorCategory.InvalidArgument,
                $"'{key}' is not a sharing principle the panel weighs. Use {string.Join(", ", Enum.GetNames(typeof(SharingPrinciple)))}.", agreementId);
        }

        var text = (value ?? string.Empty).Trim();
        foreach (var (prefix, judgement) in new[] { ("NotApplicable", PrincipleJudgement.NotApplicable), ("N/A", PrincipleJudgement.NotApplicable), ("NotMet", PrincipleJudgement.NotMet), ("Met", PrincipleJudgement.Met) })
        {
            if (text.Equals(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return new PrincipleResult { Principle = principle, Judgement = judgement };
            }

            if (text.StartsWith(prefix + ":", StringComparison.OrdinalIgnoreCase))
            {
                var note = text.Substring(prefix.Length + 1).Trim();
                return new PrincipleResult { Principle = principle, Judgement = judgement, Note = note.Length == 0 ? null : note };
            }
        }

        return text.Length == 0
            ? new PrincipleResult { Principle = principle, Judgement = PrincipleJudgement.NotApplicable }
            : new PrincipleResult { Principle = principle, Judgement = PrincipleJudgement.Met, Note = text };
    }

    /// <summary>Checks the decision for <paramref name="outcome"/> on <paramref name="agreement"/> and tidies its texts; throws a DataShareException naming what is wrong.</summary>
    public static void Check(PanelDecision decision, DecisionOutcome outcome, DataShareAgreement agreement)
    {
        var id = agreement.Id;
        if (decision is null)
        {
            throw new DataShareException("AgreementDecisionMissing", DataShareErrorCategory.InvalidArgument,
                $"Agreement '{id}': record the panel's decision with it: the four tests (-Legal, -Ethical, -Proportionate, -Secure), each with a short note.", id);
        }

        foreach (var group in decision.Tests.GroupBy(t => t.Test).Where(g => g.Count() > 1))
        {
            throw new DataShareException("AgreementDecisionTestRepeated", DataShareErrorCategory.InvalidArgument,
                $"Agreement '{id}': the {group.Key} test is recorded more than once; give each test once.", id);
        }

        foreach (var test in decision.Tests)
        {
            test.Note = TextLimits.Check("Agreement", $"The {test.Test} note", (test.Note ?? string.Empty).Trim(), TextLimits.Reason, id)!;
            if (test.Note.Length == 0)
            {
                throw new DataShareException("AgreementDecisionNoteMissing", DataShareErrorCategory.InvalidArgument,
                    $"Agreement '{id}': the {test.Test} test needs a short note saying what the panel found (-{test.Test}).", id);
            }
        }

        if (outcome == DecisionOutcome.Approved)
        {
            var missing = Enum.GetValues(typeof(PanelTest)).Cast<PanelTest>().Where(t => decision.Tests.All(r => r.Test != t)).ToList();
            if (missing.Count > 0)
            {
                throw new DataShareException("AgreementDecisionTestMissing", DataShareErrorCategory.InvalidArgument,
                    $"Agreement '{id}': an approval records all four tests; missing: {string.Join(", ", missing)} (give -{string.Join(", -", missing)} with a short note each).", id);
            }

            if (decision.Tests.FirstOrDefault(t => !t.Passed) is { } failed)
            {
                throw new DataShareException("AgreementDecisionTestNotMet", DataShareErrorCategory.InvalidArgument,
                    $"Agreement '{id}': the {failed.Test} test is not met, so the request cannot be approved. Record the refusal with Deny-DataShareAgreement -FailedTest {failed.Test}.", id);
            }
        }
        else if (decision.Tests.All(t => t.Passed))
        {
            throw new DataShareException("AgreementDecisionNoFailedTest", DataShareErrorCategory.InvalidArgument,
                $"Agreement '{id}': a refusal names the tests the request did not meet (-FailedTest Legal, Ethical, Proportionate or Secure), each with its note.", id);
        }

        foreach (var group in decision.Principles.GroupBy(p => p.Principle).Where(g => g.Count() > 1))
        {
            throw new DataShareException("AgreementDecisionPrincipleRepeated", DataShareErrorCategory.InvalidArgument,
                $"Agreement '{id}': the principle {group.Key} is recorded more than once; give each principle once.", id);
        }

        foreach (var principle in decision.Principles)
        {
            principle.Note = TextLimits.Check("Agreement", $"The {principle.Principle} note", principle.Note?.Trim(), TextLimits.Reason, id) is { Length: > 0 } note ? note : null;
            if (principle.Note is null && principle.Judgement != PrincipleJudgement.NotApplicable)
            {
                throw new DataShareException("AgreementDecisionNoteMissing", DataShareErrorCategory.InvalidArgument,
                    $"Agreement '{id}': the principle {principle.Principle} is judged {principle.Judgement} and needs a short note (or mark it NotApplicable).", id);
            }
        }

        var conditions = new ReadableList<string>();
        foreach (var condition in decision.Conditions)
        {
            var text = TextLimits.Check("Agreement", "A condition", (condition ?? string.Empty).Trim(), TextLimits.Reason, id)!;
            if (text.Length == 0)
            {
                throw new DataShareException("AgreementDecisionConditionEmpty", DataShareErrorCategory.InvalidArgument,
                    $"Agreement '{id}': a condition is empty; give each condition as a short sentence (-Condition).", id);
            }

            conditions.Add(text);
        }

        if (outcome == DecisionOutcome.Refused && conditions.Count > 0)
        {
            throw new DataShareException("AgreementDecisionConditionOnRefusal", DataShareErrorCategory.InvalidArgument,
                $"Agreement '{id}': conditions are attached to an approval, not a refusal.", id);
        }

        decision.Conditions = conditions;
        if (decision.DecidedBy == DecisionMaker.ChiefStatistician && !ChiefStatisticianCategories.Contains(agreement.Category))
        {
            throw new DataShareException("AgreementDecisionMakerInvalid", DataShareErrorCategory.InvalidArgument,
                $"Agreement '{id}' is a {agreement.Category} share: the Chief Statistician decides only matching or research cases ({string.Join(", ", ChiefStatisticianCategories)}). Record the panel's decision (-ApprovedBy Panel).", id);
        }
    }

    /// <summary>The decision as audit details: who decided, each test and principle with its note, the conditions.</summary>
    public static void Describe(PanelDecision decision, IDictionary<string, string?> details)
    {
        details["DecidedBy"] = decision.DecidedBy.ToString();
        foreach (var test in decision.Tests)
        {
            details["Test." + test.Test] = (test.Passed ? "Met: " : "NotMet: ") + test.Note;
        }

        foreach (var principle in decision.Principles)
        {
            details["Principle." + principle.Principle] = principle.Judgement + (principle.Note is null ? string.Empty : ": " + principle.Note);
        }

        if (decision.Conditions.Count > 0)
        {
            details["Conditions"] = string.Join("; ", decision.Conditions);
        }
    }
}
