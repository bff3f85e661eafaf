using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using DataShareAdmin.Core;

namespace DataShareAdmin.Commands;

/// <summary>Tab completion of recipient ids (RC-…), of the agreement already given if any.</summary>
public sealed class RecipientIdCompleter : RegisterIdCompleter
{
    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var recipient in engine.Recipients.Find(agreementId, includeRemoved: false))
        {
            yield return (recipient.Id, $"{recipient.Email}, {recipient.AgreementId}");
        }
    }
}

/// <summary>Tab completion of the email addresses of the people in the register.</summary>
public sealed class PersonEmailCompleter : RegisterIdCompleter
{
    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var person in engine.Register.ListPeople())
        {
            yield return (person.Email, person.Name);
        }
    }
}

/// <summary>Tab completion of person ids (PE-…), described by name and email.</summary>
public sealed class PersonIdCompleter : RegisterIdCompleter
{
    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var person in engine.Register.ListPeople())
        {
            yield return (person.Id, $"{person.Name} <{person.Email}>");
        }
    }
}

/// <summary>Tab completion of disclosure certificate ids (DC-…).</summary>
public sealed class CertificateIdCompleter : RegisterIdCompleter
{
    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var certificate in engine.Certificates.Find(null))
        {
            yield return (certificate.Id, $"{certificate.Email}, {certificate.Issuer} {certificate.Level}, issued {certificate.IssuedOn:yyyy-MM-dd}");
        }
    }
}

/// <summary>Tab completion of disclosure certificate numbers (kept as text: DBS numbers may start with 0).</summary>
public sealed class CertificateNumberCompleter : RegisterIdCompleter
{
    protected override string CompletionText(string id) => "'" + id.Replace("'", "''") + "'";

    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var certificate in engine.Certificates.Find(null))
        {
            yield return (certificate.Number, $"{certificate.Issuer}, {certificate.Email}");
        }
    }
}

/// <summary>Tab completion of organisation ids (OR-…).</summary>
public sealed class OrganisationIdCompleter : RegisterIdCompleter
{
    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var organisation in engine.Organisations.Find(null))
        {
            yield return (organisation.Id, organisation.Name);
        }
    }
}

/// <summary>Tab completion of variation ids (VA-…), requested ones first, of the agreement already given if any.</summary>
public sealed class VariationIdCompleter : RegisterIdCompleter
{
    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var variation in engine.Register.ListVariations(agreementId).OrderBy(v => v.State == VariationState.Requested ? 0 : 1))
        {
            yield return (variation.Id, $"{variation.AgreementId} {variation.Kind} {variation.State}: {variation.Changes}");
        }
    }
}

/// <summary>Tab completion of output release ids (RL-…), of the agreement already given if any.</summary>
public sealed class OutputReleaseIdCompleter : RegisterIdCompleter
{
    protected override bool NewestFirst => true;

    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var release in engine.Register.ListOutputReleases(agreementId?.ToUpperInvariant()))
        {
            yield return (release.Id, $"{release.AgreementId}, {release.State}, {string.Join(", ", release.Files.Select(f => f.Name))}, by {release.RequestedBy}");
        }
    }
}

/// <summary>Tab completion of incident ids (IN-…), of the agreement already given if any, newest first.</summary>
public sealed class IncidentIdCompleter : RegisterIdCompleter
{
    protected override bool NewestFirst => true;

    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        foreach (var incident in engine.Register.ListIncidents(agreementId?.ToUpperInvariant()))
        {
            yield return (incident.Id, $"{incident.AgreementId}, {incident.Kind}, {incident.Severity}, {(incident.IsOpen ? "open" : "closed")}");
        }
    }
}

/// <summary>
/// What the audit log's recent entries offer: the audit entries completion reads are the last
/// <see cref="Recent"/> of the log (a log can be long; completion must stay quick), newest first.
/// </summary>
public abstract class RecentAuditCompleter : RegisterIdCompleter
{
    private const int Recent = 2000;

    protected override string CompletionText(string id) =>
        id.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', ';', ',', '&', '@', '{', '}', '#' }) < 0 ? id : "'" + id.Replace("'", "''") + "'";

    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId)
    {
        var head = engine.Register.ReadAuditHead()?.Sequence ?? 0;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var recent = engine.Audit.Read(Math.Max(1, head - Recent + 1), null).ToList();
        recent.Reverse();
        foreach (var candidate in Always(engine).Concat(recent.SelectMany(From)))
        {
            if (!string.IsNullOrEmpty(candidate.Id) && seen.Add(candidate.Id))
            {
                yield return candidate;
            }
        }
    }

    /// <summary>Candidates offered whatever the log holds.</summary>
    internal virtual IEnumerable<(string Id, string Description)> Always(DataShareEngine engine) => Array.Empty<(string, string)>();

    /// <summary>The candidates one entry offers.</summary>
    internal abstract IEnumerable<(string Id, string Description)> From(AuditEntry entry);
}

/// <summary>Tab completion of audit actions: every action the module records, then any other the recent log holds.</summary>
public sealed class AuditActionCompleter : RecentAuditCompleter
{
    private static readonly string[] Known =
    {
        "Access.BlockSignIn", "Access.Revoke", "Agreement.Approve", "Agreement.ConfirmDestruction", "Agreement.Create", "Agreement.Destroyed",
        "Agreement.Resume", "Agreement.Suspend", "Agreement.Suspension", "Agreement.TermsVersion", "Agreement.Update", "Certificate.Add", "Certificate.OnlineCheck", "Certificate.Remove", "Certificate.Update",
        "Holding.Destroy", "Holding.Register", "Holding.Withdraw", "Incident.Close", "Incident.Record", "Incident.Update", "Notice.Send", "Organisation.Assessment", "Organisation.Create", "Organisation.Update",
        "OutputRelease.Approved", "OutputRelease.Rejected", "OutputRelease.Requested", "OutputRelease.Revoked",
        "Person.Resolve", "Policy.Set", "Recipient.Add", "Recipient.Remove", "Recipient.Update", "Transfer.Issue", "Transfer.Revoke",
        "Variation.Approve", "Variation.Deny", "Variation.Request", "Variation.Withdraw",
    };

    internal override IEnumerable<(string Id, string Description)> Always(DataShareEngine engine) =>
        Known.Select(action => (action, "audit action"))
            .Concat(Known.Select(action => action.Substring(0, action.IndexOf('.') + 1) + "*").Distinct().Select(family => (family, "every " + family.TrimEnd('*', '.') + " action")));

    internal override IEnumerable<(string Id, string Description)> From(AuditEntry entry)
    {
        yield return (entry.Action, "audit action");
    }
}

/// <summary>Tab completion of who made changes: this session's user, then the actors of the recent log.</summary>
public sealed class AuditActorCompleter : RecentAuditCompleter
{
    internal override IEnumerable<(string Id, string Description)> Always(DataShareEngine engine)
    {
        yield return (Core.Register.AuditIdentity.Current().User, "you");
    }

    internal override IEnumerable<(string Id, string Description)> From(AuditEntry entry)
    {
        yield return (entry.Actor, "on " + entry.Machine);
    }
}

/// <summary>Tab completion of audit targets: the ids the recent log's entries are about, newest first, then agreement ids.</summary>
public sealed class AuditTargetCompleter : RecentAuditCompleter
{
    internal override IEnumerable<(string Id, string Description)> Candidates(DataShareEngine engine, string? agreementId) =>
        base.Candidates(engine, agreementId).Concat(engine.Agreements.Find(null, null).Select(a => (a.Id, "agreement: " + a.Title)));

    internal override IEnumerable<(string Id, string Description)> From(AuditEntry entry)
    {
        yield return (entry.TargetId, entry.TargetType + ", " + entry.Action);
    }
}

/// <summary>
/// For an id that nothing in the register can suggest (a new agreement's id, a directory or tenant id, an expected
/// head): offers nothing, and so stops PowerShell offering the current folder's file names instead.
/// </summary>
public sealed class NoCompletion : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) => Array.Empty<CompletionResult>();
}
