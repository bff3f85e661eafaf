using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Azure.Data.Tables;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.Time;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>Text limits on the SQLite register.</summary>
public sealed class SqliteTextLimitTests : TextLimitContract
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "dsa-limits-" + Guid.NewGuid().ToString("N"));

    protected override DataShareEngine OpenEngine()
    {
        Directory.CreateDirectory(directory);
        return DataShareEngine.Open(new EngineOptions
        {
            RegisterPath = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".db"),
            Clock = new FixedClock(Now),
            Identity = TestRegister.Identity,
            CreateRegister = true,
        });
    }

    protected override void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// Text limits on the Azure Table register (Azurite), and the proof that a register at every limit stays within the
/// Table service's own: 1 KiB per key, 64 KiB per string property, 1 MiB per entity, 252 properties of one's own,
/// 4 MiB per transaction. Azurite does not enforce them all, so the sizes are computed here as the service documents them.
/// </summary>
public sealed class TableTextLimitTests : TextLimitContract, IClassFixture<AzuriteTablesFixture>
{
    private const long MaxEntityBytes = 1024 * 1024;
    private const long MaxTransactionBytes = 4 * 1024 * 1024;
    private const int MaxStringBytes = 64 * 1024;
    private const int MaxProperties = 252;

    // "Up to 1 KiB": Azurite reads it as 1 KiB of UTF-16, 512 characters, the stricter reading.
    private const int MaxKeyChars = 512;

    private readonly AzuriteServer azurite;
    private readonly Xunit.Abstractions.ITestOutputHelper output;
    private string partition = string.Empty;

    public TableTextLimitTests(AzuriteTablesFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
    {
        azurite = fixture.Server;
        this.output = output;
    }

    protected override DataShareEngine OpenEngine()
    {
        partition = "limits" + Guid.NewGuid().ToString("N").Substring(0, 12);
        return DataShareEngine.Open(new EngineOptions
        {
            Table = new TableRegisterOptions { ConnectionString = azurite.ConnectionString, RegisterName = partition },
            Clock = new FixedClock(Now),
            Identity = TestRegister.Identity,
            CreateRegister = true,
        });
    }

    protected override void AssertWithinStorageLimits(DataShareEngine engine)
    {
        var table = new TableClient(azurite.ConnectionString, TableRegisterOptions.DefaultTableName);
        var rows = table.Query<TableEntity>($"PartitionKey eq '{partition}'").ToList();
        Assert.True(rows.Count > 20);
        foreach (var row in rows)
        {
            Assert.True(row.RowKey.Length <= MaxKeyChars, $"A row key is {row.RowKey.Length} characters.");
            var own = row.Keys.Where(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")).ToList();
            Assert.True(own.Count <= MaxProperties, $"{row.RowKey} has {own.Count} properties.");
            Assert.All(own.Where(k => row[k] is string), k => Assert.True(((string)row[k]).Length * 2 <= MaxStringBytes, $"{row.RowKey}.{k} is {((string)row[k]).Length} characters."));
            Assert.True(EntityBytes(row) <= MaxEntityBytes, $"{row.RowKey} is {EntityBytes(row)} bytes.");
        }

        // Every change is one transaction of some of these rows plus its audit entry and the head: all the records
        // together with the largest audit entry bound the largest transaction, as it goes over the wire.
        var records = rows.Where(r => !r.RowKey.StartsWith("au!", StringComparison.Ordinal)).Sum(WireBytes);
        var largestEntry = rows.Where(r => r.RowKey.StartsWith("au!", StringComparison.Ordinal)).Max(WireBytes);
        Assert.True(records + largestEntry <= MaxTransactionBytes, $"Records {records} and the largest audit entry {largestEntry} bytes exceed a transaction.");
        output.WriteLine($"Largest entity {rows.Max(EntityBytes):N0} of {MaxEntityBytes:N0} bytes; longest key {rows.Max(r => r.RowKey.Length)} of {MaxKeyChars} characters; "
            + $"most properties {rows.Max(r => r.Count)}; every record with the largest audit entry {records + largestEntry:N0} of {MaxTransactionBytes:N0} bytes on the wire.");
    }

    /// <summary>An entity's size as the Table service counts it toward its 1 MiB.</summary>
    private static long EntityBytes(TableEntity row)
    {
        long size = 4 + ((row.PartitionKey.Length + row.RowKey.Length) * 2);
        foreach (var name in row.Keys.Where(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")))
        {
            size += 8 + (name.Length * 2) + row[name] switch
            {
                string text => 4 + (text.Length * 2),
                byte[] bytes => 4 + bytes.Length,
                int => 4,
                bool => 1,
                Guid => 16,
                _ => 8,
            };
        }

        return size;
    }

    /// <summary>An entity's JSON as sent in a transaction (its text escaped once more).</summary>
    private static long WireBytes(TableEntity row) =>
        JsonSerializer.SerializeToUtf8Bytes(row.Keys.Where(k => k is not ("Timestamp" or "odata.etag")).ToDictionary(k => k, k => row[k])).LongLength;
}
