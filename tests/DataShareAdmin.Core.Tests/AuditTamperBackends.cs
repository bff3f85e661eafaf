using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Azure;
using Azure.Data.Tables;
using DataShareAdmin.Core.Register;
using DataShareAdmin.TestSupport;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Core.Tests;

/// <summary>The audit log under tampering in the SQLite register: raw SQL on the file.</summary>
public sealed class SqliteAuditTamperTests : AuditTamperContract
{
    private static readonly Dictionary<string, string> ColumnNames = new()
    {
        ["Sequence"] = "sequence",
        ["Timestamp"] = "timestamp",
        ["Actor"] = "actor",
        ["Machine"] = "machine",
        ["Action"] = "action",
        ["TargetType"] = "target_type",
        ["TargetId"] = "target_id",
        ["Details"] = "details",
        ["PreviousHash"] = "previous_hash",
        ["Hash"] = "hash",
    };

    private readonly string directory = Path.Combine(Path.GetTempPath(), "dsa-tamper-" + Guid.NewGuid().ToString("N"));
    private string file = string.Empty;

    public static TheoryData<string> TextColumns => new(ColumnNames.Keys.Where(c => c != "Sequence"));

    protected override IDataShareRegister OpenFresh()
    {
        Directory.CreateDirectory(directory);
        file = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".db");
        return SqliteRegister.Open(new RegisterLocation(file, "Parameter", createIfMissing: true), Clock, TestRegister.Identity);
    }

    protected override IDataShareRegister OpenAgain() =>
        SqliteRegister.Open(new RegisterLocation(file, "Parameter"), Clock, TestRegister.Identity);

    protected override object? GetStored(long sequence, string column)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ColumnNames[column]} FROM audit_log WHERE sequence = $s";
        command.Parameters.AddWithValue("$s", sequence);
        return command.ExecuteScalar();
    }

    protected override void SetStored(long sequence, string column, object? value) =>
        Execute($"UPDATE audit_log SET {ColumnNames[column]} = $v WHERE sequence = $s", ("$v", value ?? DBNull.Value), ("$s", sequence));

    protected override void CopyRow(long sequence, long newSequence) => Execute("""
        INSERT INTO audit_log (sequence, timestamp, actor, machine, action, target_type, target_id, details, previous_hash, hash)
        SELECT $n, timestamp, actor, machine, action, target_type, target_id, details, previous_hash, hash FROM audit_log WHERE sequence = $s
        """, ("$n", newSequence), ("$s", sequence));

    protected override void DeleteRow(long sequence) => Execute("DELETE FROM audit_log WHERE sequence = $s", ("$s", sequence));

    protected override void WipeLog()
    {
        Execute("DELETE FROM audit_log");
        Execute("DELETE FROM audit_head");
    }

    protected override void TamperHead(string how) => Execute(how == "sequence-as-text"
        ? "UPDATE audit_head SET sequence = 'five' WHERE id = 1"
        : "UPDATE audit_head SET hash = CAST(hash AS BLOB) WHERE id = 1");

    [Theory]
    [MemberData(nameof(TextColumns))]
    public void Text_stored_as_bytes_is_a_broken_entry_even_when_the_bytes_are_the_same(string column)
    {
        var register = Seeded();
        var name = ColumnNames[column];
        Execute($"UPDATE audit_log SET {name} = CAST({name} AS BLOB) WHERE sequence = 3");

        AssertBrokenAt(register, 3);
        AssertShownWithProblem(register, 3);
    }

    [Theory]
    [MemberData(nameof(TextColumns))]
    public void Bytes_that_are_not_UTF8_are_a_broken_entry(string column)
    {
        var register = Seeded();
        var name = ColumnNames[column];
        Execute($"UPDATE audit_log SET {name} = CAST({name} || CAST(X'C328FF' AS TEXT) AS TEXT) WHERE sequence = 3");
        Assert.Equal("text", Scalar($"SELECT typeof({name}) FROM audit_log WHERE sequence = 3"));

        AssertBrokenAt(register, 3);
        AssertShownWithProblem(register, 3);
    }

    [Theory]
    [InlineData("register-v1.db")]
    [InlineData("register-v2.db")]
    [InlineData("register-v3.db")]
    [InlineData("register-v4.db")]
    [InlineData("register-v5.db")]
    public void Registers_written_by_earlier_versions_read_exactly_as_written(string fixture)
    {
        Directory.CreateDirectory(directory);
        file = Path.Combine(directory, fixture);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "fixtures", "registers", fixture), file);
        using var register = SqliteRegister.Open(new RegisterLocation(file, "Parameter"), Clock, TestRegister.Identity);

        var entries = ReadAll(register);

        Assert.True(entries.Count > 5);
        Assert.All(entries, e => Assert.Null(e.Problem));
        var result = Check(register);
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(entries.Count, result.EntryCount);
    }

    [Fact]
    public void A_number_in_a_text_column_is_a_broken_entry()
    {
        var register = Seeded();
        SetStored(3, "Details", 42L);

        AssertBrokenAt(register, 3);
        AssertShownWithProblem(register, 3);
    }

    protected override void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private object? Scalar(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        Assert.Equal(1, command.ExecuteNonQuery());
    }
}

/// <summary>The audit log under tampering in the Azure Table register on Azurite: the Tables SDK on its rows.</summary>
public sealed class TableAuditTamperTests : AuditTamperContract, IClassFixture<AzuriteTablesFixture>
{
    private static readonly Dictionary<string, string> PropertyNames = new()
    {
        ["Sequence"] = "Sequence",
        ["Timestamp"] = "At",
        ["Actor"] = "Actor",
        ["Machine"] = "Machine",
        ["Action"] = "Action",
        ["TargetType"] = "TargetType",
        ["TargetId"] = "TargetId",
        ["Details"] = "Details",
        ["PreviousHash"] = "PreviousHash",
        ["Hash"] = "Hash",
    };

    private readonly AzuriteServer azurite;
    private readonly TableClient table;
    private string partition = string.Empty;

    public TableAuditTamperTests(AzuriteTablesFixture fixture)
    {
        azurite = fixture.Server;
        table = new TableClient(azurite.ConnectionString, TableRegisterOptions.DefaultTableName);
    }

    /// <summary>Every property an audit row stores.</summary>
    public static TheoryData<string> StoredProperties => new(PropertyNames.Values.Concat(new[] { "Kind", "DetailsParts" }));

    protected override IDataShareRegister OpenFresh()
    {
        partition = "tamper" + Guid.NewGuid().ToString("N").Substring(0, 12);
        return TableRegister.Open(new TableRegisterOptions { ConnectionString = azurite.ConnectionString, RegisterName = partition }, Clock, TestRegister.Identity, create: true);
    }

    protected override IDataShareRegister OpenAgain() =>
        TableRegister.Open(new TableRegisterOptions { ConnectionString = azurite.ConnectionString, RegisterName = partition }, Clock, TestRegister.Identity);

    protected override object? GetStored(long sequence, string column) => Row(sequence)[PropertyNames[column]];

    protected override void SetStored(long sequence, string column, object? value) => Change(sequence, row =>
    {
        if (value is null)
        {
            row.Remove(PropertyNames[column]);
        }
        else
        {
            row[PropertyNames[column]] = value;
        }
    });

    protected override void CopyRow(long sequence, long newSequence)
    {
        var row = Row(sequence);
        var copy = new TableEntity(partition, RowKey(newSequence));
        foreach (var property in row.Keys.Where(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")))
        {
            copy[property] = row[property];
        }

        copy["Sequence"] = newSequence;
        table.AddEntity(copy);
    }

    protected override void DeleteRow(long sequence) => table.DeleteEntity(partition, RowKey(sequence), ETag.All);

    protected override void WipeLog()
    {
        foreach (var row in table.Query<TableEntity>(e => e.PartitionKey == partition).ToList())
        {
            if (row.RowKey == "auhead" || row.RowKey.StartsWith("au!", StringComparison.Ordinal))
            {
                table.DeleteEntity(partition, row.RowKey, ETag.All);
            }
        }
    }

    protected override void TamperHead(string how)
    {
        var head = table.GetEntity<TableEntity>(partition, "auhead").Value;
        if (how == "sequence-as-text")
        {
            head["Sequence"] = ((long)head["Sequence"]).ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            head["Hash"] = Encoding.UTF8.GetBytes((string)head["Hash"]);
        }

        table.UpdateEntity(head, ETag.All, TableUpdateMode.Replace);
    }

    [Theory]
    [MemberData(nameof(StoredProperties))]
    public void A_property_removed_is_a_broken_entry(string property)
    {
        var register = Seeded();
        Change(3, row => Assert.True(row.Remove(property)));

        AssertBrokenAt(register, 3);
        AssertShownWithProblem(register, 3);
    }

    [Theory]
    [InlineData("Sequence")]
    [InlineData("At")]
    [InlineData("Actor")]
    [InlineData("Details")]
    [InlineData("DetailsParts")]
    [InlineData("Kind")]
    public void A_property_stored_as_another_type_with_the_same_value_is_a_broken_entry(string property)
    {
        var register = Seeded();
        Change(3, row => row[property] = row[property] switch
        {
            // Azurite reads a 32-bit number back as 64-bit, so the sequence goes to text with the same digits.
            long number => (object)number.ToString(CultureInfo.InvariantCulture),
            int number => (long)number,
            string text when property == "At" => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture),
            string text => Encoding.UTF8.GetBytes(text),
            var other => throw new InvalidOperationException($"Unexpected {other?.GetType()}"),
        });

        AssertBrokenAt(register, 3);
        AssertShownWithProblem(register, 3);
    }

    [Fact]
    public void A_property_added_to_an_entry_is_a_broken_entry()
    {
        var register = Seeded();
        Change(3, row => row["Comment"] = "harmless?");

        AssertBrokenAt(register, 3);
        AssertShownWithProblem(register, 3);
    }

    [Fact]
    public void An_entry_of_another_kind_is_a_broken_entry()
    {
        var register = Seeded();
        Change(3, row => row["Kind"] = "Agreement");

        AssertBrokenAt(register, 3);
        AssertShownWithProblem(register, 3);
    }

    [Fact]
    public void A_row_key_out_of_the_module_s_form_is_a_broken_entry()
    {
        var register = Seeded();
        var copy = Row(3);
        copy.RowKey = "au!3";
        table.AddEntity(copy);

        AssertBrokenAt(register, 3, count: 6);
    }

    [Theory]
    [InlineData("split-again")]
    [InlineData("part-changed")]
    [InlineData("part-removed")]
    [InlineData("part-added")]
    [InlineData("parts-counted-wrong")]
    public void Details_split_over_properties_are_read_only_in_the_form_the_module_writes(string how)
    {
        var register = Seeded();
        register.AppendAudit(new AuditEvent("Test.Event", "Test", "T6", new Dictionary<string, string?> { ["Long"] = new string('x', 70_000) }));
        Assert.True(Check(register).IsIntact);
        Assert.Equal(3, Row(6)["DetailsParts"]);

        Change(6, row =>
        {
            switch (how)
            {
                case "split-again":
                    // The same text cut at other places: it reads back the same, but is not what was written.
                    var whole = (string)row["Details"] + (string)row["Details_1"];
                    row["Details"] = whole.Substring(0, 29_000);
                    row["Details_1"] = whole.Substring(29_000);
                    break;
                case "part-changed":
                    row["Details_1"] = ((string)row["Details_1"]).Replace('x', 'y');
                    break;
                case "part-removed":
                    row.Remove("Details_2");
                    break;
                case "part-added":
                    row["Details_3"] = string.Empty;
                    break;
                default:
                    row["DetailsParts"] = 2;
                    break;
            }
        });

        AssertBrokenAt(register, 6, count: 6);
    }

    private static string RowKey(long sequence) => "au!" + sequence.ToString("D19", CultureInfo.InvariantCulture);

    private TableEntity Row(long sequence) => table.GetEntity<TableEntity>(partition, RowKey(sequence)).Value;

    private void Change(long sequence, Action<TableEntity> change)
    {
        var row = Row(sequence);
        change(row);
        table.UpdateEntity(row, ETag.All, TableUpdateMode.Replace);
    }
}
