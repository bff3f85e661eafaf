using System;
using System.Linq;
using Azure.Data.Tables;
using DataShareAdmin.Core.Register;
using DataShareAdmin.Core.Time;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Core.Tests;

/// <summary>Opening an Azure Table register (on Azurite): nothing is created unless asked, and reading never makes a table.</summary>
public sealed class TableRegisterOpeningTests : IClassFixture<AzuriteTablesFixture>
{
    private static readonly FixedClock Clock = new(new DateTimeOffset(2026, 6, 15, 9, 30, 0, TimeSpan.Zero));
    private readonly AzuriteServer azurite;
    private readonly string table = "open" + Guid.NewGuid().ToString("N").Substring(0, 12);

    public TableRegisterOpeningTests(AzuriteTablesFixture fixture) => azurite = fixture.Server;

    private TableRegister Open(string name, bool readOnly = false, bool create = false) => TableRegister.Open(new TableRegisterOptions
    {
        ConnectionString = azurite.ConnectionString,
        TableName = table,
        RegisterName = name,
    }, Clock, TestRegister.Identity, readOnly: readOnly, create: create);

    private bool TableExists() => new TableServiceClient(azurite.ConnectionString).Query(t => t.Name == table).Any();

    private int Rows() => new TableServiceClient(azurite.ConnectionString).GetTableClient(table).Query<TableEntity>().Count();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_register_that_is_not_there_is_an_error_and_no_table_is_made(bool readOnly)
    {
        var error = Assert.Throws<DataShareException>(() => Open("main", readOnly: readOnly));

        Assert.Equal(("RegisterNotFound", DataShareErrorCategory.ObjectNotFound), (error.ErrorId, error.Category));
        Assert.True(error.IsTerminating);
        Assert.Contains(readOnly ? "never creates" : "-Create", error.Message, StringComparison.Ordinal);
        Assert.False(TableExists());
    }

    [Fact]
    public void A_mistyped_register_name_in_an_existing_table_is_an_error_and_writes_nothing()
    {
        using (var live = Open("live", create: true))
        {
            live.AppendAudit(new AuditEvent("Test.Event", "Test", "x"));
        }

        var rows = Rows();
        var error = Assert.Throws<DataShareException>(() => Open("lvie"));

        Assert.Equal("RegisterNotFound", error.ErrorId);
        Assert.Equal(rows, Rows());
    }

    [Fact]
    public void Create_makes_the_table_and_the_register_once_and_then_opens_them()
    {
        using (var created = Open("main", create: true))
        {
            created.AppendAudit(new AuditEvent("Test.Event", "Test", "x"));
        }

        Assert.True(TableExists());
        using (var again = Open("main", create: true))
        {
            Assert.Equal(1, again.ReadAuditHead()!.Sequence);
        }

        using var reader = Open("main", readOnly: true);
        Assert.Equal(1, reader.ReadAuditHead()!.Sequence);
    }
}
