using System;
using System.Linq;
using System.Runtime.Loader;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Module.Tests;

/// <summary>
/// What only a hosted engine can show (docs/testing.md): the module in the trimmed engine the host executable embeds
/// (System.Management.Automation with the core cmdlets only), in a process that had already loaded older copies of
/// its dependencies into the default load context (TestEnvironment), and two runspaces of one process. Everything a
/// user does with the cmdlets is tested in Pester on real pwsh.
/// </summary>
public sealed class HostedEngineTests : IClassFixture<AzuriteBlobFixture>, IDisposable
{
    private readonly AzuriteServer azurite;
    private readonly TempDirectory temp = new();

    public HostedEngineTests(AzuriteBlobFixture fixture) => azurite = fixture.Server;

    [Fact]
    public void Sqlite_runs_from_the_module_s_own_context_beside_an_older_one_already_loaded_in_the_default_context()
    {
        using var session = new PowerShellSession(temp.File("register.db"));

        var created = session.Run(Scripts.NewAgreement("DS10001")).AssertNoErrors().Single<DataShareAgreement>();
        Assert.Equal("DS10001", created.Id);

        // The default context still has the older SQLite this process loaded first ...
        Assert.Equal(8, TestEnvironment.DefaultContextSqliteVersion!.Major);
        var defaultSqlite = AssemblyLoadContext.Default.Assemblies.Single(a => a.GetName().Name == "Microsoft.Data.Sqlite");
        Assert.Equal(8, defaultSqlite.GetName().Version!.Major);

        // ... while the engine and its own SQLite live in the module's private context.
        var engineContext = EngineContext();
        Assert.Equal("DataShareAdmin", engineContext.Name);
        var moduleSqlite = engineContext.Assemblies.Single(a => a.GetName().Name == "Microsoft.Data.Sqlite");
        Assert.Equal(10, moduleSqlite.GetName().Version!.Major);
        Assert.StartsWith(TestEnvironment.ModuleDirectory.TrimEnd('/'), moduleSqlite.Location, StringComparison.Ordinal);

        // The shared types exist once: the engine's view of DataShareAgreement is the cmdlets' view.
        Assert.DoesNotContain(engineContext.Assemblies, a => a.GetName().Name == "DataShareAdmin.Abstractions");
    }

    [Fact]
    public void The_azure_sdk_runs_in_the_module_s_own_context_beside_an_older_azure_core_in_the_default_one()
    {
        using var session = new PowerShellSession(temp.File("register.db"));

        session.Run("Connect-DataShareStorage -ConnectionString $args[0] -AllowHttpLoopback", azurite.ConnectionString).AssertNoErrors();

        Assert.Equal(1, TestEnvironment.DefaultContextAzureCoreVersion!.Major);
        Assert.True(TestEnvironment.DefaultContextAzureCoreVersion.Minor < 40);
        var moduleAzureCore = EngineContext().Assemblies.Single(a => a.GetName().Name == "Azure.Core");
        Assert.True(moduleAzureCore.GetName().Version!.Minor >= 40);
        Assert.Contains(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "Azure.Core" && a.GetName().Version == TestEnvironment.DefaultContextAzureCoreVersion);
    }

    [Fact]
    public void Each_runspace_keeps_its_own_register_and_connect_says_which_and_who_the_audit_log_names()
    {
        using var first = new PowerShellSession(registerPath: null);
        using var second = new PowerShellSession(registerPath: null);
        var info = first.Run("Connect-DataShareRegister -Path $args[0] -Create -PassThru", temp.File("a.db")).AssertNoErrors().Single<RegisterInfo>();
        second.Run("Connect-DataShareRegister -Path $args[0] -Create", temp.File("b.db")).AssertNoErrors();

        Assert.Equal(("SQLite", temp.File("a.db"), "Parameter", false), (info.Backend, info.Location, info.Source, info.IsReadOnly));
        first.Run(Scripts.Organisations + Environment.NewLine + Scripts.NewAgreement("DS1")).AssertNoErrors();
        Assert.Empty(second.Run("Get-DataShareAgreement").AssertNoErrors().Output);

        // The actor Connect reports is the one the audit log then records.
        var entry = first.Run("Get-DataShareAuditLog -Action Agreement.Create").AssertNoErrors().Single<AuditEntry>();
        Assert.False(string.IsNullOrEmpty(info.Actor));
        Assert.Equal(info.Actor, entry.Actor);
    }

    private static AssemblyLoadContext EngineContext()
    {
        var engine = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "DataShareAdmin.Core");
        var context = AssemblyLoadContext.GetLoadContext(engine)!;
        Assert.NotSame(AssemblyLoadContext.Default, context);
        return context;
    }

    public void Dispose() => temp.Dispose();
}
