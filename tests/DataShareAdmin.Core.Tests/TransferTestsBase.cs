using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using DataShareAdmin.Core.People;
using DataShareAdmin.Core.SafePeople;
using DataShareAdmin.Core.Transfers;

namespace DataShareAdmin.Core.Tests;

/// <summary>An active DirectTransfer agreement DS1 with one ready recipient, an extract, and blob storage in memory.</summary>
public abstract class TransferTestsBase : IDisposable
{
    private protected static readonly DateTimeOffset Now = new(2026, 6, 15, 9, 0, 0, TimeSpan.Zero);

    private protected readonly TestRegister test = new(Now);
    private protected readonly FakeHost host = new();
    private protected readonly MemoryTransferStorage storage = new();
    private protected readonly string folder;
    private protected readonly string extract;
    private protected readonly DataShareRecipient jo;

    protected TransferTestsBase()
        : this(dpia: true)
    {
    }

    /// <summary>With <paramref name="dpia"/> false, DS1 has no DPIA (it then gets no transfers: DpiaMissing).</summary>
    protected TransferTestsBase(bool dpia)
    {
        var engine = test.Engine;
        Samples.AddOrganisation(engine, assessedOn: "2026-02-01");
        engine.Agreements.Create(Samples.Agreement("DS1", "2026-01-01", "2026-12-31"), host);
        engine.Agreements.Approve("DS1", "DSAP-1", new DateTime(2026, 1, 1), Samples.Decision(), host);
        if (dpia)
        {
            Samples.AddDpia(engine, "DS1");
        }

        jo = engine.Recipients.Add("DS1", "Jo Bloggs", "jo@example.org", null, host)!;
        MakeReady(jo, "2025-03-01");
        folder = Path.Combine(test.Directory, "extract");
        Directory.CreateDirectory(folder);
        extract = Path.Combine(folder, "pupils.csv");
        File.WriteAllText(extract, "upn,ks2\nA123,105\n");
    }

    private protected DataShareEngine Engine => test.Engine;

    private protected void MakeReady(DataShareRecipient recipient, string certificateIssued, string number = "001234567890")
    {
        Engine.Recipients.Update(recipient.Id, new RecipientChanges { DeclarationSignedOn = new DateTime(2026, 1, 10), TrainingCompletedOn = new DateTime(2026, 1, 5) }, host);
        Engine.Certificates.Add(recipient.Email, new CertificateDraft
        {
            Issuer = "DBS",
            Level = "Basic",
            Number = number,
            IssuedOn = DateTime.Parse(certificateIssued, System.Globalization.CultureInfo.InvariantCulture),
            HolderName = recipient.Name,
        }, host);
    }

    private protected TransferRequest Request(TimeSpan? validFor = null, params string[] paths) => new()
    {
        AgreementId = "DS1",
        Paths = paths.Length == 0 ? new[] { extract } : paths,
        ValidFor = validFor ?? TimeSpan.FromDays(3),
    };

    private protected DataShareException Refused(TransferRequest request, string errorId)
    {
        var before = test.AuditCount();
        var error = Assert.Throws<DataShareException>(() => Engine.Transfers.Issue(request, storage, host));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(before, test.AuditCount());
        Assert.Empty(storage.Containers);
        Assert.Empty(Engine.Register.ListTransfers(null));
        return error;
    }

    public void Dispose()
    {
        Cleanup();
        test.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>What a derived test class holds besides the register.</summary>
    protected virtual void Cleanup()
    {
    }
}
