using System;

namespace DataShareAdmin.Core.Agreements;

/// <summary>The panel's decision as recorded with an approval or refusal, and gateways from the register's catalogue.</summary>
public sealed partial class AgreementService
{
    /// <summary>The catalogue's spelling of a gateway in it; the text as given otherwise (free text stays possible).</summary>
    private string CataloguedGateway(string text) => gateways?.Find(text)?.Name ?? text;

    /// <summary>A gateway not in the catalogue is recorded, with a warning that reports flag it.</summary>
    private void WarnOfFreeTextGateway(DataShareAgreement agreement, IOperationHost host)
    {
        if (gateways is not null)
        {
            gateways.Resolve(agreement.LegalGateway, agreement.Id, host);
        }
    }

    /// <summary>The decision as stored: checked already; its outcome, day, reference and recording account set here.</summary>
    private PanelDecision Decided(PanelDecision decision, DecisionOutcome outcome, DateTime day, string? reference, string? publicReason) => new()
    {
        Outcome = outcome,
        DecidedBy = decision.DecidedBy,
        DecidedOn = day,
        Reference = reference,
        Tests = decision.Tests,
        Principles = decision.Principles,
        Conditions = decision.Conditions,
        PublicReason = publicReason,
        RecordedBy = actor,
        RecordedAt = clock.UtcNow,
    };
}
