using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace DataShareAdmin.Module.Tests;

/// <summary>Where the built module is, and the process-wide conditions every test in this assembly runs under.</summary>
internal static class TestEnvironment
{
    public static string ModuleDirectory => Metadata("ModuleDirectory");

    public static string ModuleManifest => Path.Combine(ModuleDirectory, "DataShareAdmin.psd1");

    public static string ExpectedVersion => Metadata("ModuleVersion");

    public static string RepositoryRoot => Path.GetFullPath(Metadata("RepositoryRoot"));

    /// <summary>The version of Microsoft.Data.Sqlite this process loaded into the default context before any import.</summary>
    public static Version? DefaultContextSqliteVersion { get; private set; }

    /// <summary>The version of Azure.Core this process loaded into the default context before any import.</summary>
    public static Version? DefaultContextAzureCoreVersion { get; private set; }

    /// <summary>
    /// Runs when the test assembly loads, before any test imports the module: loads an older Microsoft.Data.Sqlite
    /// (and its native library) into the default context and uses it, as another module in the session would.
    /// Also keeps every test away from the user's own register.
    /// </summary>
    [ModuleInitializer]
    internal static void Initialise()
    {
        using (var connection = new SqliteConnection("Data Source=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version()";
            command.ExecuteScalar();
        }

        DefaultContextSqliteVersion = typeof(SqliteConnection).Assembly.GetName().Version;

        // Use the older Azure.Core for real (a client pipeline), so it is loaded and initialised before any import.
        var pipeline = Azure.Core.Pipeline.HttpPipelineBuilder.Build(new AzureCoreOptions());
        using (var message = pipeline.CreateMessage())
        {
            DefaultContextAzureCoreVersion = typeof(Azure.Core.TokenCredential).Assembly.GetName().Version;
        }
        Environment.SetEnvironmentVariable("DATASHAREADMIN_REGISTER", Path.Combine(Path.GetTempPath(), "dsa-tests-default-" + Environment.ProcessId, "register.db"));
    }

    private static string Metadata(string key) =>
        typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

internal sealed class AzureCoreOptions : Azure.Core.ClientOptions
{
}

/// <summary>A temporary folder deleted at the end of the test.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dsa-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
