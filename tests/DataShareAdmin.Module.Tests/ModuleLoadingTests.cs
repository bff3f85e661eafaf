using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;

namespace DataShareAdmin.Module.Tests;

public sealed class ModuleLoadingTests
{
    private static readonly string[] ThirdPartyPrefixes = { "Microsoft.Data.Sqlite", "SQLitePCLRaw", "Azure.", "Microsoft.Graph", "Microsoft.Identity" };

    [Fact]
    public void Cmdlet_assembly_references_none_of_the_engines_third_party_assemblies()
    {
        var references = ReferencedAssemblies(Path.Combine(TestEnvironment.ModuleDirectory, "DataShareAdmin.dll"));

        Assert.Contains("DataShareAdmin.Core", references);
        Assert.Contains("DataShareAdmin.Abstractions", references);
        Assert.DoesNotContain(references, r => ThirdPartyPrefixes.Any(p => r.StartsWith(p, StringComparison.Ordinal)));
    }

    [Fact]
    public void Module_root_holds_no_engine_or_third_party_assembly_and_dependencies_hold_no_shared_types()
    {
        var root = Directory.GetFiles(TestEnvironment.ModuleDirectory, "*.dll").Select(Path.GetFileName).ToArray();
        Assert.Equal(new[] { "DataShareAdmin.Abstractions.dll", "DataShareAdmin.Loader.dll", "DataShareAdmin.dll" }, root.Order(StringComparer.Ordinal).ToArray());

        var dependencies = Path.Combine(TestEnvironment.ModuleDirectory, "Dependencies");
        Assert.True(File.Exists(Path.Combine(dependencies, "DataShareAdmin.Core.dll")));
        Assert.True(File.Exists(Path.Combine(dependencies, "Microsoft.Data.Sqlite.dll")));
        Assert.False(File.Exists(Path.Combine(dependencies, "DataShareAdmin.Abstractions.dll")));
        Assert.True(File.Exists(Path.Combine(dependencies, "runtimes", "linux-x64", "native", "libe_sqlite3.so")));
    }

    [Fact]
    public void Module_works_beside_an_older_sqlite_already_loaded_in_the_default_context()
    {
        using var temp = new TempDirectory();
        using var session = new PowerShellSession(temp.File("register.db"));

        var created = session.Run(Scripts.NewAgreement("DS10001")).AssertNoErrors().Single<DataShareAgreement>();
        Assert.Equal("DS10001", created.Id);

        // The default context still has the older SQLite this process loaded first ...
        Assert.Equal(8, TestEnvironment.DefaultContextSqliteVersion!.Major);
        var defaultSqlite = AssemblyLoadContext.Default.Assemblies.Single(a => a.GetName().Name == "Microsoft.Data.Sqlite");
        Assert.Equal(8, defaultSqlite.GetName().Version!.Major);

        // ... while the engine and its own SQLite live in the module's private context.
        var engine = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "DataShareAdmin.Core");
        var engineContext = AssemblyLoadContext.GetLoadContext(engine)!;
        Assert.NotSame(AssemblyLoadContext.Default, engineContext);
        Assert.Equal("DataShareAdmin", engineContext.Name);
        var moduleSqlite = engineContext.Assemblies.Single(a => a.GetName().Name == "Microsoft.Data.Sqlite");
        Assert.Equal(10, moduleSqlite.GetName().Version!.Major);
        Assert.StartsWith(TestEnvironment.ModuleDirectory.TrimEnd('/'), moduleSqlite.Location, StringComparison.Ordinal);

        // The shared types exist once: the engine's view of DataShareAgreement is the cmdlets' view.
        Assert.DoesNotContain(engineContext.Assemblies, a => a.GetName().Name == "DataShareAdmin.Abstractions");
    }

    [Fact]
    public void Manifest_exports_exactly_the_cmdlets_and_carries_the_build_version()
    {
        using var session = new PowerShellSession(registerPath: null);
        var module = session.Run("Get-Module DataShareAdmin").AssertNoErrors().Single<PSModuleInfo>();

        Assert.Equal(new Version(TestEnvironment.ExpectedVersion), module.Version);
        Assert.Empty(module.ExportedFunctions);
        Assert.Empty(module.ExportedAliases);

        var manifestText = File.ReadAllText(TestEnvironment.ModuleManifest);
        var exported = module.ExportedCmdlets.Keys.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(40, exported.Length);
        Assert.All(exported, name => Assert.Contains("'" + name + "'", manifestText, StringComparison.Ordinal));

        var engineVersion = AppDomain.CurrentDomain.GetAssemblies().First(a => a.GetName().Name == "DataShareAdmin").GetName().Version!;
        Assert.Equal(new Version(TestEnvironment.ExpectedVersion), new Version(engineVersion.Major, engineVersion.Minor, engineVersion.Build));
    }

    [Fact]
    public void Importing_twice_with_force_keeps_working()
    {
        using var temp = new TempDirectory();
        using var session = new PowerShellSession(temp.File("register.db"));
        session.Run("Import-Module $args[0] -Force -ErrorAction Stop", TestEnvironment.ModuleManifest).AssertNoErrors();
        session.Run("Connect-DataShareRegister -Path $args[0]", temp.File("register.db")).AssertNoErrors();

        var created = session.Run(Scripts.NewAgreement("DS10002")).AssertNoErrors().Single<DataShareAgreement>();
        Assert.Equal(AgreementStatus.Pending, created.Status);
    }

    [Fact]
    public void Every_cmdlet_declares_its_output_type()
    {
        using var session = new PowerShellSession(registerPath: null);
        var commands = session.Run("Get-Command -Module DataShareAdmin").AssertNoErrors().All<CmdletInfo>().ToList();

        Assert.Equal(40, commands.Count);
        Assert.All(commands, c => Assert.NotEmpty(c.OutputType));
    }

    private static string[] ReferencedAssemblies(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new PEReader(stream);
        var metadata = reader.GetMetadataReader();
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToArray();
    }
}
