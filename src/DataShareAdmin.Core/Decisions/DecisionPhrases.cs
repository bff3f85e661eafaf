using System;
using System.Collections.Generic;
using System.Linq;

namespace DataShareAdmin.Core.Decisions;

/// <summary>How reports word the panel's decision, a self-approval and a gateway outside the catalogue.</summary>
public static class DecisionPhrases
{
    /// <summary>What reports show for an agreement decided before decisions were recorded. Never an invented decision.</summary>
    public const string NotRecorded = "decision not recorded";

    /// <summary>The flag every report shows for an approval recorded by the account that created the agreement.</summary>
    public const string SelfApproved = "approved by the account that created it";

    /// <summary>The decision in a few words; "decision not recorded" for one approved or refused before; null while pending or withdrawn.</summary>
    public static string? Decision(DataShareAgreement agreement) =>
        agreement.Decision is { } decision ? Describe(decision)
        : agreement.ApprovedOn is not null || agreement.RefusedOn is not null ? NotRecorded
        : null;

    /// <summary>"approved by the account that created it (alice)" when it was; null otherwise.</summary>
    public static string? SelfApproval(DataShareAgreement agreement) =>
        agreement.SelfApproved || (agreement.ApprovedOn is not null && SeparationOfDuties.SameAccount(agreement.ApprovedBy, agreement.CreatedBy))
            ? $"{SelfApproved} ({agreement.CreatedBy})"
            : null;

    /// <summary>A refusal's tests not met ("Proportionate; Secure"); "not recorded" for a refusal from before; null otherwise.</summary>
    public static string? FailedTests(DataShareAgreement agreement) =>
        agreement.RefusedOn is null ? null : agreement.Decision is { Outcome: DecisionOutcome.Refused } decision ? decision.FailedTests : "not recorded";

    /// <summary>The register's catalogue as normalised names, read once for a report.</summary>
    public static HashSet<string> Catalogue(IDataShareRegister register) =>
        new(register.ListLegalGateways().Select(g => LegalGatewaySeeds.Normalise(g.Name)), StringComparer.Ordinal);

    /// <summary>"not in the catalogue" for a free-text gateway; null for one in it.</summary>
    public static string? GatewayCheck(DataShareAgreement agreement, HashSet<string> catalogue) =>
        catalogue.Contains(LegalGatewaySeeds.Normalise(agreement.LegalGateway)) ? null : LegalGatewayService.NotInCatalogue;

    private static string Describe(PanelDecision decision)
    {
        var text = decision.ToString();
        if (decision.Conditions.Count > 0)
        {
            text = text.Substring(0, text.LastIndexOf(';')) + "; conditions: " + string.Join("; ", decision.Conditions);
        }

        return text;
    }
}
