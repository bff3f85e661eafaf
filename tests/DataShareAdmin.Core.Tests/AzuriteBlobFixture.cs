using System;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>Azurite's Blob service alone, started once per test class that asks for it (the sweep's and the proxy's tests).</summary>
public sealed class AzuriteBlobFixture : IDisposable
{
    public AzuriteServer Server { get; } = AzuriteServer.Start(new AzuriteOptions { Services = AzuriteServices.Blob });

    public void Dispose() => Server.Dispose();
}
