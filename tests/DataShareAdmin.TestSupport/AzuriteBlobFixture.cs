using System;

namespace DataShareAdmin.TestSupport;

/// <summary>An xunit class fixture: one Azurite blob service for the tests of a class, stopped when they are done.</summary>
public sealed class AzuriteBlobFixture : IDisposable
{
    public AzuriteServer Server { get; } = AzuriteServer.Start(new AzuriteOptions { Services = AzuriteServices.Blob });

    public void Dispose() => Server.Dispose();
}
