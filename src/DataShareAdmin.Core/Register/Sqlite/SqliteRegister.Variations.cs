using System;
using System.Collections.Generic;
using DataShareAdmin.Core.Time;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Register;

/// <summary>Versions of an agreement's terms (written with the agreement) and the variations that make them.</summary>
public sealed partial class SqliteRegister
{
    private const string InsertTermsVersionSql = """
        INSERT INTO terms_versions (agreement_id, number, terms, approval_reference, approved_on, approved_by, effective_from, variation_id, recorded_at, recorded_by)
        VALUES ($agreement, $number, $terms, $reference, $approvedOn, $approvedBy, $effective, $variation, $at, $by)
        """;

    private const string InsertVariationSql = """
        INSERT INTO variations (id, agreement_id, kind, state, reason, changes, terms, based_on_version, requested_at, requested_by, decided_on,
            decided_by, decided_at, reference, decision_reason, terms_version, version)
        VALUES ($id, $agreement, $kind, $state, $reason, $changes, $terms, $basedOn, $requestedAt, $requestedBy, $decidedOn, $decidedBy,
            $decidedAt, $reference, $decisionReason, $termsVersion, $version)
        """;

    public IEnumerable<AgreementTermsVersion> ListTermsVersions(string agreementId) =>
        Query("SELECT * FROM terms_versions WHERE agreement_id = $agreement ORDER BY number", ReadTermsVersion, ("$agreement", agreementId));

    public void InsertTermsVersion(DataShareAgreement agreement, AgreementTermsVersion version, DataShareVariation? variation, AuditEvent audit)
    {
        var variationVersion = variation?.Version;
        Write(audit, transaction =>
        {
            WriteAgreement(transaction, agreement);
            if (!TryExecute(transaction, InsertTermsVersionSql, TermsVersionParameters(version)))
            {
                throw new RegisterConflictException($"Version {version.Number} of agreement '{version.AgreementId}''s terms was recorded by another writer.");
            }

            if (variation is not null)
            {
                WriteVariation(transaction, variation);
            }
        });

        agreement.Version++;
        if (variation is not null)
        {
            variation.Version = variationVersion!.Value + 1;
        }
    }

    public DataShareVariation? FindVariation(string id) => First(Query("SELECT * FROM variations WHERE id = $id", ReadVariation, ("$id", id)));

    public IEnumerable<DataShareVariation> ListVariations(string? agreementId) => agreementId is null
        ? Query("SELECT * FROM variations ORDER BY agreement_id, requested_at, id", ReadVariation)
        : Query("SELECT * FROM variations WHERE agreement_id = $agreement ORDER BY requested_at, id", ReadVariation, ("$agreement", agreementId));

    public void InsertVariation(DataShareVariation variation, AuditEvent audit) => Write(audit, transaction =>
    {
        variation.Version = 1;
        if (!TryExecute(transaction, InsertVariationSql, VariationParameters(variation)))
        {
            throw new DataShareException("VariationExists", DataShareErrorCategory.ResourceExists, $"A variation with id '{variation.Id}' already exists.", variation.Id);
        }
    });

    public void UpdateVariation(DataShareVariation variation, AuditEvent audit)
    {
        Write(audit, transaction => WriteVariation(transaction, variation));
        variation.Version++;
    }

    /// <summary>The agreement's row at the version read (the caller raises its version once the transaction commits).</summary>
    private void WriteAgreement(SqliteTransaction transaction, DataShareAgreement agreement)
    {
        var parameters = new List<(string, object?)>(AgreementParameters(agreement)) { ("$expected", agreement.Version) };
        parameters.RemoveAll(p => p.Item1 == "$version");
        parameters.Add(("$version", agreement.Version + 1));
        if (Execute(transaction, UpdateAgreementSql, parameters.ToArray()) == 0)
        {
            throw new RegisterConflictException($"Agreement '{agreement.Id}' was changed by another writer.");
        }
    }

    private void WriteVariation(SqliteTransaction transaction, DataShareVariation variation)
    {
        var parameters = new List<(string, object?)>(VariationParameters(variation)) { ("$expected", variation.Version) };
        parameters.RemoveAll(p => p.Item1 == "$version");
        parameters.Add(("$version", variation.Version + 1));
        var changed = Execute(transaction, """
            UPDATE variations SET state = $state, decided_on = $decidedOn, decided_by = $decidedBy, decided_at = $decidedAt, reference = $reference,
                decision_reason = $decisionReason, terms_version = $termsVersion, version = $version
            WHERE id = $id AND version = $expected
            """, parameters.ToArray());
        if (changed == 0)
        {
            throw new RegisterConflictException($"Variation '{variation.Id}' was changed by another writer.");
        }
    }

    private static (string, object?)[] TermsVersionParameters(AgreementTermsVersion v) => new (string, object?)[]
    {
        ("$agreement", v.AgreementId), ("$number", v.Number), ("$terms", TermsJson.Write(v.Terms)), ("$reference", v.ApprovalReference),
        ("$approvedOn", DateText.FormatDate(v.ApprovedOn)), ("$approvedBy", v.ApprovedBy), ("$effective", DateText.FormatDate(v.EffectiveFrom)),
        ("$variation", v.VariationId), ("$at", DateText.FormatInstant(v.RecordedAt)), ("$by", v.RecordedBy),
    };

    private static AgreementTermsVersion ReadTermsVersion(SqliteDataReader r) => new()
    {
        AgreementId = Text(r, "agreement_id")!,
        Number = r.GetInt32(r.GetOrdinal("number")),
        Terms = TermsJson.Read(Text(r, "terms")!),
        ApprovalReference = Text(r, "approval_reference")!,
        ApprovedOn = DateText.ParseDate(Text(r, "approved_on")!),
        ApprovedBy = Text(r, "approved_by")!,
        EffectiveFrom = DateText.ParseDate(Text(r, "effective_from")!),
        VariationId = Text(r, "variation_id"),
        RecordedAt = DateText.ParseInstant(Text(r, "recorded_at")!),
        RecordedBy = Text(r, "recorded_by")!,
    };

    private static (string, object?)[] VariationParameters(DataShareVariation v) => new (string, object?)[]
    {
        ("$id", v.Id), ("$agreement", v.AgreementId), ("$kind", v.Kind.ToString()), ("$state", v.State.ToString()), ("$reason", v.Reason),
        ("$changes", v.Changes), ("$terms", TermsJson.Write(v.Terms)), ("$basedOn", v.BasedOnVersion), ("$requestedAt", DateText.FormatInstant(v.RequestedAt)),
        ("$requestedBy", v.RequestedBy), ("$decidedOn", DateText.FormatDate(v.DecidedOn)), ("$decidedBy", v.DecidedBy),
        ("$decidedAt", v.DecidedAt is { } at ? DateText.FormatInstant(at) : null), ("$reference", v.Reference), ("$decisionReason", v.DecisionReason),
        ("$termsVersion", v.TermsVersion), ("$version", v.Version),
    };

    private static DataShareVariation ReadVariation(SqliteDataReader r) => new()
    {
        Id = Text(r, "id")!,
        AgreementId = Text(r, "agreement_id")!,
        Kind = (VariationKind)Enum.Parse(typeof(VariationKind), Text(r, "kind")!),
        State = (VariationState)Enum.Parse(typeof(VariationState), Text(r, "state")!),
        Reason = Text(r, "reason")!,
        Changes = Text(r, "changes")!,
        Terms = TermsJson.Read(Text(r, "terms")!),
        BasedOnVersion = r.GetInt32(r.GetOrdinal("based_on_version")),
        RequestedAt = DateText.ParseInstant(Text(r, "requested_at")!),
        RequestedBy = Text(r, "requested_by")!,
        DecidedOn = DateText.ParseOptionalDate(Text(r, "decided_on")),
        DecidedBy = Text(r, "decided_by"),
        DecidedAt = DateText.ParseOptionalInstant(Text(r, "decided_at")),
        Reference = Text(r, "reference"),
        DecisionReason = Text(r, "decision_reason"),
        TermsVersion = r.IsDBNull(r.GetOrdinal("terms_version")) ? null : r.GetInt32(r.GetOrdinal("terms_version")),
        Version = r.GetInt64(r.GetOrdinal("version")),
    };
}
