using System.Collections.Generic;
using System.Linq;
using Azure.Data.Tables;

namespace DataShareAdmin.Core.Register;

/// <summary>Disclosure certificates: <c>dc!ID</c>, a copy per person under <c>dcpe!</c>, one number once through <c>dcnum!</c>.</summary>
public sealed partial class TableRegister
{
    public DisclosureCertificate? FindCertificate(string id) => Read<DisclosureCertificate>(Get(Key("dc", id)));

    public DisclosureCertificate? FindCertificateByNumber(CertificateIssuer issuer, string number) =>
        Get(Key("dcnum", issuer.ToString(), number)) is { } pointer ? FindCertificate(pointer.GetString("Id")) : null;

    public IEnumerable<DisclosureCertificate> ListCertificates(string? personId) =>
        Range(personId is null ? Prefix("dcpe") : Prefix("dcpe", personId)).Select(e => Read<DisclosureCertificate>(e)!);

    public void InsertCertificate(DisclosureCertificate certificate, AuditEvent audit) => Write(audit, _ =>
    {
        var stored = Copy(certificate);
        stored.Version = 1;

        // A person's email never changes: each certificate row carries it, as the SQLite register joins it.
        stored.Email = FindPerson(stored.PersonId)?.Email ?? stored.Email;
        var ops = new Ops();
        DataShareException Exists() => CertificateExists(certificate);
        ops.Add(Row(Key("dc", stored.Id), "Certificate", stored), Exists);
        ops.Add(Row(PersonCertificateKey(stored), "Certificate", stored), Exists);
        ops.Add(Pointer(Key("dcnum", stored.Issuer.ToString(), stored.Number), stored.Id), Exists);
        return ops.Then(() => certificate.Version = 1);
    });

    public void UpdateCertificate(DisclosureCertificate certificate, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Current(Key("dc", certificate.Id), certificate.Version, $"Certificate '{certificate.Id}' was changed by another writer.");
        var before = Read<DisclosureCertificate>(current)!;
        var stored = Copy(certificate);
        stored.Version = certificate.Version + 1;
        stored.Email = before.Email;
        var ops = new Ops();
        ops.Replace(Row(Key("dc", stored.Id), "Certificate", stored), current.ETag, () => Conflict($"Certificate '{certificate.Id}' was changed by another writer."));
        if (PersonCertificateKey(before) != PersonCertificateKey(stored))
        {
            ops.Delete(PersonCertificateKey(before));
        }

        ops.Upsert(Row(PersonCertificateKey(stored), "Certificate", stored));
        var oldNumber = Key("dcnum", before.Issuer.ToString(), before.Number);
        var newNumber = Key("dcnum", stored.Issuer.ToString(), stored.Number);
        if (oldNumber != newNumber)
        {
            ops.Delete(oldNumber);
            ops.Add(Pointer(newNumber, stored.Id), () => CertificateExists(certificate));
        }

        return ops.Then(() => certificate.Version++);
    });

    public void DeleteCertificate(DisclosureCertificate certificate, AuditEvent audit) => Write(audit, _ =>
    {
        var current = Current(Key("dc", certificate.Id), certificate.Version, $"Certificate '{certificate.Id}' was changed by another writer.");
        var before = Read<DisclosureCertificate>(current)!;
        var ops = new Ops();
        ops.Delete(Key("dc", before.Id), current.ETag, () => Conflict($"Certificate '{certificate.Id}' was changed by another writer."));
        ops.Delete(PersonCertificateKey(before));
        ops.Delete(Key("dcnum", before.Issuer.ToString(), before.Number));
        return ops;
    });

    private static string PersonCertificateKey(DisclosureCertificate c) => Key("dcpe", c.PersonId, Date(c.IssuedOn), c.Id);

    private static DataShareException CertificateExists(DisclosureCertificate certificate) =>
        new("CertificateExists", DataShareErrorCategory.ResourceExists,
            $"A {certificate.Issuer} certificate numbered {certificate.Number} is already in the register. Get-DisclosureCertificate -Number {certificate.Number} shows it; Set-DisclosureCertificate corrects it.",
            certificate.Number);

    private IEnumerable<TableEntity> RestoreCertificate(DisclosureCertificate c) => new[]
    {
        Row(Key("dc", c.Id), "Certificate", c), Row(PersonCertificateKey(c), "Certificate", c), Pointer(Key("dcnum", c.Issuer.ToString(), c.Number), c.Id),
    };
}
