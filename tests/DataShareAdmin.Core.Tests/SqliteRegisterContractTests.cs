using System;
using System.IO;
using DataShareAdmin.Core.Register;

namespace DataShareAdmin.Core.Tests;

/// <summary>The register contract against the embedded SQLite register.</summary>
public sealed class SqliteRegisterContractTests : RegisterContract
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "dsa-contract-" + Guid.NewGuid().ToString("N"));

    protected override IDataShareRegister Open(string key) =>
        SqliteRegister.Open(new RegisterLocation(Path.Combine(directory, key + ".db"), "Parameter", createIfMissing: true), Clock, TestRegister.Identity);

    protected override void Cleanup()
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
