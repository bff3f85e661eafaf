using System;
using System.Collections.Generic;
using System.Linq;
using DataShareAdmin.Core.Time;

namespace DataShareAdmin.Core.Decisions;

/// <summary>
/// The legal gateway catalogue the register keeps: listed, added to (audited; a name already there, compared without
/// case, is refused) and retired (never deleted: agreements refer to it). An agreement's gateway may still be free
/// text; it is then flagged "not in the catalogue" in reports and warned of when recorded.
/// </summary>
public sealed class LegalGatewayService
{
    /// <summary>What reports show for an agreement whose gateway is free text.</summary>
    public const string NotInCatalogue = "not in the catalogue";

    private readonly IDataShareRegister register;
    private readonly IClock clock;
    private readonly string actor;
    private List<DataShareLegalGateway>? cached;

    public LegalGatewayService(IDataShareRegister register, IClock clock, string actor)
    {
        this.register = register;
        this.clock = clock;
        this.actor = actor;
    }

    /// <summary>The catalogue, by name; retired gateways only with <paramref name="includeRetired"/>.</summary>
    public IEnumerable<DataShareLegalGateway> List(Func<string, bool>? nameFilter = null, bool includeRetired = false) =>
        Catalogue().Where(g => (includeRetired || !g.IsRetired) && (nameFilter is null || nameFilter(g.Name)));

    /// <summary>The catalogue's entry for this text (compared without case or extra spaces), retired ones included; null for free text.</summary>
    public DataShareLegalGateway? Find(string? name)
    {
        var key = LegalGatewaySeeds.Normalise(name ?? string.Empty);
        return key.Length == 0 ? null : Catalogue().FirstOrDefault(g => LegalGatewaySeeds.Normalise(g.Name) == key);
    }

    /// <summary>True when the text is a gateway in the catalogue (retired ones too: an older agreement named it rightly).</summary>
    public bool InCatalogue(string? name) => Find(name) is not null;

    /// <summary>
    /// The text an agreement records for its gateway: the catalogue's own spelling when it is there; otherwise the text
    /// as given, with a warning that reports will flag it.
    /// </summary>
    public string Resolve(string text, string agreementId, IOperationHost host)
    {
        if (Find(text) is { } found)
        {
            if (found.IsRetired)
            {
                host.WriteWarning($"Agreement {agreementId}: the legal gateway '{found.Name}' is retired from the catalogue{(found.RetiredReason is null ? string.Empty : $" ({found.RetiredReason})")}.");
            }

            return found.Name;
        }

        host.WriteWarning($"Agreement {agreementId}: the legal gateway '{text}' is not in the register's catalogue; reports will flag it as {NotInCatalogue}. Get-DataShareLegalGateway lists the catalogue; Add-DataShareLegalGateway adds one.");
        return text;
    }

    /// <summary>Adds a gateway to the catalogue; null when the host declined.</summary>
    public DataShareLegalGateway? Add(string name, IOperationHost host)
    {
        var text = string.Join(" ", (name ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (text.Length == 0)
        {
            throw new DataShareException("LegalGatewayNameMissing", DataShareErrorCategory.InvalidArgument,
                "A legal gateway needs its name as the law is cited, e.g. 'Children Act 1989'.", "Name");
        }

        TextLimits.Check("LegalGateway", "Name", text, TextLimits.LegalGateway, text);
        if (Find(text) is { } existing)
        {
            throw new DataShareException("LegalGatewayExists", DataShareErrorCategory.ResourceExists,
                $"The catalogue already has the legal gateway '{existing.Name}'{(existing.IsRetired ? " (retired)" : string.Empty)} (names are compared without regard to case).", text);
        }

        if (!host.ShouldProcess($"legal gateway '{text}'", "Add to the register's catalogue"))
        {
            return null;
        }

        var now = clock.UtcNow;
        var gateway = new DataShareLegalGateway { Name = text, AddedAt = now, AddedBy = actor, ModifiedAt = now };
        register.InsertLegalGateway(gateway, new AuditEvent("LegalGateway.Add", "LegalGateway", text, new Dictionary<string, string?> { ["Name"] = text }));
        cached = null;
        host.WriteVerbose($"Added the legal gateway '{text}' to the catalogue.");
        return gateway;
    }

    /// <summary>Retires a gateway: kept (agreements refer to it), no longer offered. Null when the host declined.</summary>
    public DataShareLegalGateway? Retire(string name, string reason, IOperationHost host)
    {
        var why = TextLimits.Check("LegalGateway", "Reason", (reason ?? string.Empty).Trim(), TextLimits.Reason, name)!;
        if (why.Length == 0)
        {
            throw new DataShareException("LegalGatewayRetireReasonMissing", DataShareErrorCategory.InvalidArgument,
                "-Reason says why the gateway is no longer offered (for example: 'Revoked by the 2026 regulations').", name);
        }

        var gateway = Find(name) ?? throw NotFound(name);
        if (gateway.IsRetired)
        {
            throw new DataShareException("LegalGatewayRetired", DataShareErrorCategory.InvalidOperation,
                $"The legal gateway '{gateway.Name}' is already retired ({gateway.RetiredReason}).", gateway.Name);
        }

        if (!host.ShouldProcess($"legal gateway '{gateway.Name}'", $"Retire from the catalogue (kept for the agreements that name it), because: {why}"))
        {
            return null;
        }

        var used = register.ListAgreements().Count(a => LegalGatewaySeeds.Normalise(a.LegalGateway) == LegalGatewaySeeds.Normalise(gateway.Name));
        gateway.IsRetired = true;
        gateway.RetiredReason = why;
        gateway.ModifiedAt = clock.UtcNow;
        register.UpdateLegalGateway(gateway, new AuditEvent("LegalGateway.Retire", "LegalGateway", gateway.Name, new Dictionary<string, string?>
        {
            ["Name"] = gateway.Name,
            ["Reason"] = why,
            ["Agreements"] = used.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        cached = null;
        host.WriteVerbose($"Retired the legal gateway '{gateway.Name}' ({used} agreement(s) name it and keep it).");
        return gateway;
    }

    private List<DataShareLegalGateway> Catalogue() => cached ??= register.ListLegalGateways().ToList();

    private static DataShareException NotFound(string name) => new("LegalGatewayNotFound", DataShareErrorCategory.ObjectNotFound,
        $"The catalogue has no legal gateway '{name}'. Get-DataShareLegalGateway lists it.", name);
}
