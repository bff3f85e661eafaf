using System;
using DataShareAdmin.Core.Register;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>Azurite's Table service, started once for the Table register's tests.</summary>
public sealed class AzuriteTablesFixture : IDisposable
{
    public AzuriteTablesFixture() => Server = AzuriteServer.Start();

    public AzuriteServer Server { get; }

    public void Dispose() => Server.Dispose();
}

/// <summary>The register contract against the Azure Table register on Azurite: each test has registers of its own (partitions).</summary>
public sealed class TableRegisterContractTests : RegisterContract, IClassFixture<AzuriteTablesFixture>
{
    private readonly AzuriteServer azurite;
    private readonly string prefix = "t" + Guid.NewGuid().ToString("N").Substring(0, 12);

    public TableRegisterContractTests(AzuriteTablesFixture fixture) => azurite = fixture.Server;

    protected override IDataShareRegister Open(string key) => TableRegister.Open(new TableRegisterOptions
    {
        ConnectionString = azurite.ConnectionString,
        RegisterName = prefix + "-" + key,
    }, Clock, TestRegister.Identity, create: true);
}
