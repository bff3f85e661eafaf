using System;
using System.Linq;

namespace DataShareAdmin;

/// <summary>The panel's four tests: a share is approved only when it is all four.</summary>
public enum PanelTest
{
    Legal,
    Ethical,
    Proportionate,
    Secure,
}

/// <summary>The sharing principles the panel weighs.</summary>
public enum SharingPrinciple
{
    /// <summary>A clear benefit to the education or children's services sector.</summary>
    SectorBenefit,

    /// <summary>A benefit to a sizeable section of the sector, and not solely commercial gain.</summary>
    SizeableBenefit,

    /// <summary>Aligned with the department's areas of research interest.</summary>
    ResearchInterest,

    /// <summary>For secondary research: commissioned or supported by the sector, consistent with policy, not duplicating official statistics.</summary>
    SecondaryResearch,
}

/// <summary>How the panel judged one sharing principle.</summary>
public enum PrincipleJudgement
{
    Met,
    NotMet,
    NotApplicable,
}

/// <summary>Who took the decision: the panel, or the Chief Statistician (matching and research cases only).</summary>
public enum DecisionMaker
{
    Panel,
    ChiefStatistician,
}

public enum DecisionOutcome
{
    Approved,
    Refused,
}

/// <summary>One of the four tests as the panel judged it, with its note.</summary>
public sealed class PanelTestResult
{
    public PanelTest Test { get; set; }

    public bool Passed { get; set; }

    public string Note { get; set; } = string.Empty;

    public override string ToString() => $"{Test}: {(Passed ? "met" : "not met")} ({Note})";
}

/// <summary>One sharing principle as the panel weighed it, with its note (none needed when not applicable).</summary>
public sealed class PrincipleResult
{
    public SharingPrinciple Principle { get; set; }

    public PrincipleJudgement Judgement { get; set; }

    public string? Note { get; set; }

    public override string ToString() => Note is { Length: > 0 } note ? $"{Principle}: {Judgement} ({note})" : $"{Principle}: {Judgement}";
}

/// <summary>
/// The panel's decision on a request, recorded as it was made: the four tests, the sharing principles weighed, who
/// decided, the conditions attached, and for a refusal its public reason. Agreements approved before decisions were
/// recorded have none (their <see cref="DataShareAgreement.Decision"/> is null: "decision not recorded").
/// </summary>
public sealed class PanelDecision
{
    private ReadableList<PanelTestResult> tests = new();
    private ReadableList<PrincipleResult> principles = new();
    private ReadableList<string> conditions = new();

    public DecisionOutcome Outcome { get; set; }

    public DecisionMaker DecidedBy { get; set; }

    /// <summary>The day of the decision (the approval or refusal day).</summary>
    public DateTime DecidedOn { get; set; }

    /// <summary>The panel's reference for the decision (an approval's reference; may be empty for a refusal).</summary>
    public string? Reference { get; set; }

    public ReadableList<PanelTestResult> Tests { get => tests; set => tests = ReadableList<PanelTestResult>.Of(value); }

    public ReadableList<PrincipleResult> Principles { get => principles; set => principles = ReadableList<PrincipleResult>.Of(value); }

    public ReadableList<string> Conditions { get => conditions; set => conditions = ReadableList<string>.Of(value); }

    /// <summary>A refusal's public reason, as the public register shows it.</summary>
    public string? PublicReason { get; set; }

    /// <summary>The account that recorded the decision in the register.</summary>
    public string RecordedBy { get; set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The tests the panel found not met (a refusal's reasons), as "Proportionate; Secure".</summary>
    public string FailedTests => string.Join("; ", Tests.Where(t => !t.Passed).Select(t => t.Test.ToString()));

    public override string ToString() => Outcome == DecisionOutcome.Approved
        ? $"Approved by {DecidedBy}: {string.Join(", ", Tests.Where(t => t.Passed).Select(t => t.Test.ToString().ToLowerInvariant()))}{(Conditions.Count > 0 ? $"; {Conditions.Count} condition(s)" : string.Empty)}"
        : $"Refused by {DecidedBy}: not {string.Join(", not ", Tests.Where(t => !t.Passed).Select(t => t.Test.ToString().ToLowerInvariant()))}";
}

/// <summary>A legal gateway in the register's catalogue: the law under which data may be shared.</summary>
public sealed class DataShareLegalGateway
{
    public string Name { get; set; } = string.Empty;

    /// <summary>True for the gateways the register was seeded with (the ones the department publishes).</summary>
    public bool IsSeeded { get; set; }

    /// <summary>Retired gateways stay (agreements refer to them) but are no longer offered for new agreements.</summary>
    public bool IsRetired { get; set; }

    public string? RetiredReason { get; set; }

    public DateTimeOffset AddedAt { get; set; }

    public string AddedBy { get; set; } = string.Empty;

    public DateTimeOffset ModifiedAt { get; set; }

    public long Version { get; set; }

    public override string ToString() => Name;
}
