using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Azure;
using Azure.Data.Tables;

namespace DataShareAdmin.Core.Register;

/// <summary>
/// Versions of an agreement's terms (<c>tv!AGREEMENT!NUMBER</c>, written with the agreement) and variations (<c>va!ID</c>,
/// with a copy by agreement and time requested, <c>vaag!AGREEMENT!TIME!ID</c>).
/// </summary>
public sealed partial class TableRegister
{
    /// <summary>On the register's marker once every agreement approved before versions were kept has its version 1.</summary>
    private const string TermsMarker = "TermsVersions";

    public IEnumerable<AgreementTermsVersion> ListTermsVersions(string agreementId) =>
        Range(Prefix("tv", Upper(agreementId))).Select(e => Read<AgreementTermsVersion>(e)!);

    public void InsertTermsVersion(DataShareAgreement agreement, AgreementTermsVersion version, DataShareVariation? variation, AuditEvent audit) => Write(audit, _ =>
    {
        var ops = new Ops();
        var current = Current(Key("ag", Upper(agreement.Id)), agreement.Version, $"Agreement '{agreement.Id}' was changed by another writer.");
        var stored = Copy(agreement);
        stored.Version = agreement.Version + 1;
        ops.Replace(Row(Key("ag", Upper(stored.Id)), "Agreement", stored), current.ETag, () => Conflict($"Agreement '{agreement.Id}' was changed by another writer."));
        ops.Add(Row(TermsKey(version.AgreementId, version.Number), "TermsVersion", version),
            () => Conflict($"Version {version.Number} of agreement '{version.AgreementId}''s terms was recorded by another writer."));
        if (variation is not null)
        {
            AddVariationRows(ops, variation);
        }

        return ops.Then(() =>
        {
            agreement.Version++;
            if (variation is not null)
            {
                variation.Version++;
            }
        });
    });

    public DataShareVariation? FindVariation(string id) => Read<DataShareVariation>(Get(Key("va", Upper(id))));

    public IEnumerable<DataShareVariation> ListVariations(string? agreementId) =>
        Range(agreementId is null ? Prefix("vaag") : Prefix("vaag", Upper(agreementId))).Select(e => Read<DataShareVariation>(e)!);

    public void InsertVariation(DataShareVariation variation, AuditEvent audit) => Write(audit, _ =>
    {
        var stored = Copy(variation);
        stored.Version = 1;
        var ops = new Ops();
        ops.Add(Row(Key("va", Upper(stored.Id)), "Variation", stored), () => new DataShareException("VariationExists", DataShareErrorCategory.ResourceExists,
            $"A variation with id '{variation.Id}' already exists.", variation.Id));
        ops.Add(Row(VariationKey(stored), "Variation", stored), null);
        return ops.Then(() => variation.Version = 1);
    });

    public void UpdateVariation(DataShareVariation variation, AuditEvent audit) => Write(audit, _ =>
    {
        var ops = new Ops();
        AddVariationRows(ops, variation);
        return ops.Then(() => variation.Version++);
    });

    private void AddVariationRows(Ops ops, DataShareVariation variation)
    {
        var current = Current(Key("va", Upper(variation.Id)), variation.Version, $"Variation '{variation.Id}' was changed by another writer.");
        var stored = Copy(variation);
        stored.Version = variation.Version + 1;
        ops.Replace(Row(Key("va", Upper(stored.Id)), "Variation", stored), current.ETag, () => Conflict($"Variation '{variation.Id}' was changed by another writer."));
        ops.Upsert(Row(VariationKey(stored), "Variation", stored));
    }

    private static string TermsKey(string agreementId, int number) => Key("tv", Upper(agreementId), number.ToString("D6", CultureInfo.InvariantCulture));

    private static string VariationKey(DataShareVariation v) => Key("vaag", Upper(v.AgreementId), Instant(v.RequestedAt), Upper(v.Id));

    /// <summary>
    /// The upgrade to versions of the terms: each approved agreement without a version 1 gets one (its terms as they are,
    /// approved by its own reference), audited. A version 1 another process wrote meanwhile is left as it is; the marker
    /// says when it is done.
    /// </summary>
    private void VersionApprovedTerms()
    {
        foreach (var agreement in ListAgreements().Where(a => a.ApprovedOn is not null).ToList())
        {
            if (Get(TermsKey(agreement.Id, 1)) is not null)
            {
                continue;
            }

            var version = new AgreementTermsVersion
            {
                AgreementId = agreement.Id,
                Number = 1,
                Terms = Agreements.AgreementTermsOf.Of(agreement),
                ApprovalReference = agreement.ApprovalReference ?? "(none recorded)",
                ApprovedOn = agreement.ApprovedOn!.Value,
                ApprovedBy = agreement.ApprovedBy ?? "(unknown)",
                EffectiveFrom = agreement.ApprovedOn!.Value,
                RecordedAt = agreement.ModifiedAt,
                RecordedBy = agreement.ApprovedBy ?? "(unknown)",
            };
            try
            {
                Write(new AuditEvent("Agreement.TermsVersion", "Agreement", agreement.Id, new Dictionary<string, string?>
                {
                    ["Number"] = "1",
                    ["ApprovalReference"] = version.ApprovalReference,
                    ["Source"] = "Register upgrade: the terms approved by the agreement's own reference became version 1 of its terms.",
                }), _ =>
                {
                    var ops = new Ops();
                    ops.Add(Row(TermsKey(agreement.Id, 1), "TermsVersion", version), null);
                    return ops;
                });
            }
            catch (RegisterConflictException)
            {
                // Another process upgrading at the same moment wrote it first.
            }
        }

        table.UpdateEntity(new TableEntity(partition, "meta") { [TermsMarker] = true }, ETag.All, TableUpdateMode.Merge);
    }
}
