using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.Loader;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.Module.Tests;

/// <summary>One Azurite for the storage tests of this assembly, started on free loopback ports.</summary>
public sealed class AzuriteFixture : IDisposable
{
    public AzuriteFixture() => Server = AzuriteServer.Start();

    public AzuriteServer Server { get; }

    public void Dispose() => Server.Dispose();
}

public sealed class StorageCmdletTests : IClassFixture<AzuriteFixture>, IDisposable
{
    private readonly AzuriteServer azurite;
    private readonly TempDirectory temp = new();
    private readonly PowerShellSession session;

    public StorageCmdletTests(AzuriteFixture fixture)
    {
        azurite = fixture.Server;
        session = new PowerShellSession(temp.File("register.db"));
    }

    [Fact]
    public void The_emulator_connects_with_its_connection_string_when_http_to_loopback_is_allowed_explicitly()
    {
        var result = session.Run("Connect-DataShareStorage -ConnectionString $args[0] -AllowHttpLoopback -PassThru -Verbose", azurite.ConnectionString).AssertNoErrors();

        var info = result.Single<StorageConnectionInfo>();
        Assert.Equal((azurite.AccountName, StorageAuthentication.SharedKey, true, true),
            (info.AccountName, info.Authentication, info.CanSignWithAccountKey, info.IsInsecureLoopback));
        Assert.Equal(azurite.BlobEndpoint.ToString().TrimEnd('/'), info.BlobEndpoint.ToString().TrimEnd('/'));
        AssertNoSecret(result);
    }

    [Fact]
    public void The_azure_sdk_runs_in_the_private_context_beside_an_older_azure_core_in_the_default_one()
    {
        session.Run("Connect-DataShareStorage -ConnectionString $args[0] -AllowHttpLoopback", azurite.ConnectionString).AssertNoErrors();

        Assert.Equal(1, TestEnvironment.DefaultContextAzureCoreVersion!.Major);
        Assert.True(TestEnvironment.DefaultContextAzureCoreVersion.Minor < 40);
        var engine = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "DataShareAdmin.Core");
        var moduleAzureCore = AssemblyLoadContext.GetLoadContext(engine)!.Assemblies.Single(a => a.GetName().Name == "Azure.Core");
        Assert.True(moduleAzureCore.GetName().Version!.Minor >= 40);
        Assert.Contains(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "Azure.Core" && a.GetName().Version == TestEnvironment.DefaultContextAzureCoreVersion);
    }

    [Fact]
    public void The_connection_string_may_come_from_an_environment_variable_or_a_securestring()
    {
        var name = "DSA_TEST_STORAGE_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, azurite.ConnectionString);
        try
        {
            var fromEnvironment = session.Run("Connect-DataShareStorage $args[0] -AllowHttpLoopback -PassThru", name).AssertNoErrors();
            Assert.Equal(azurite.AccountName, fromEnvironment.Single<StorageConnectionInfo>().AccountName);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        var fromSecure = session.Run("""
            $secure = [System.Security.SecureString]::new()
            foreach ($c in $args[0].ToCharArray()) { $secure.AppendChar($c) }
            Connect-DataShareStorage -ConnectionString $secure -AllowHttpLoopback -PassThru
            """, azurite.ConnectionString).AssertNoErrors();
        Assert.Equal(azurite.AccountName, fromSecure.Single<StorageConnectionInfo>().AccountName);
    }

    [Fact]
    public void Plain_http_is_refused_unless_asked_for_and_then_only_to_loopback()
    {
        session.Run("Connect-DataShareStorage -ConnectionString $args[0]", azurite.ConnectionString).SingleError()
            .AssertError("StorageEndpointInsecure", ErrorCategory.InvalidArgument, "ConnectDataShareStorageCommand");
        session.Run("Connect-DataShareStorage -AccountUri http://contosodata.blob.core.windows.net -AllowHttpLoopback").SingleError()
            .AssertError("StorageEndpointInsecure", ErrorCategory.InvalidArgument, "ConnectDataShareStorageCommand");
        session.Run("Connect-DataShareStorage -AccountUri https://contosodata.blob.core.windows.net -Authentication SharedKey").SingleError()
            .AssertError("StorageAuthenticationInvalid", ErrorCategory.InvalidArgument, "ConnectDataShareStorageCommand");
    }

    [Fact]
    public void A_wrong_key_is_refused_without_showing_it()
    {
        var wrong = azurite.ConnectionString.Replace(azurite.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var result = session.Run("Connect-DataShareStorage -ConnectionString $args[0] -AllowHttpLoopback", wrong);
        result.SingleError().AssertError("StorageAuthenticationFailed", ErrorCategory.PermissionDenied, "ConnectDataShareStorageCommand");
        Assert.DoesNotContain(Convert.ToBase64String(new byte[64]), result.Errors[0].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AccountName=x;AccountKey=notbase64!!;BlobEndpoint=http://127.0.0.1:1/x")]
    [InlineData("NO_SUCH_VARIABLE_FOR_DATASHARE_TESTS")]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=onlyname")]
    public void Unreadable_connection_strings_are_refused_without_echoing_them(string value)
    {
        var result = session.Run("Connect-DataShareStorage -ConnectionString $args[0] -AllowHttpLoopback", value);
        var error = result.SingleError();
        error.AssertError("StorageConnectionStringInvalid", ErrorCategory.InvalidArgument, "ConnectDataShareStorageCommand");
        if (value.Contains('=', StringComparison.Ordinal))
        {
            Assert.DoesNotContain(value, error.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("notbase64", error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_unreachable_account_is_a_clear_error()
    {
        var closed = azurite.ConnectionString.Replace(azurite.BlobEndpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "1", StringComparison.Ordinal);
        session.Run("Connect-DataShareStorage -ConnectionString $args[0] -AllowHttpLoopback", closed).SingleError()
            .AssertError("StorageUnavailable", ErrorCategory.ResourceUnavailable, "ConnectDataShareStorageCommand");
    }

    [Fact]
    public void The_account_key_never_reaches_the_register_or_the_audit_log()
    {
        session.Run("Connect-DataShareStorage -ConnectionString $args[0] -AllowHttpLoopback -Verbose", azurite.ConnectionString).AssertNoErrors();
        session.Run(Scripts.NewAgreement("DS1")).AssertNoErrors();
        session.Dispose();

        var bytes = File.ReadAllBytes(temp.File("register.db"));
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        Assert.DoesNotContain(azurite.AccountKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(azurite.AccountKey.Substring(0, 20), text, StringComparison.Ordinal);
    }

    private void AssertNoSecret(RunResult result)
    {
        var everything = string.Join("\n", result.Output.Select(o => o.ToString()).Concat(result.Verbose.Select(v => v.Message)).Concat(result.Warnings.Select(w => w.Message))
            .Concat(result.Output.SelectMany(o => o.Properties.Select(p => p.Value?.ToString() ?? string.Empty))));
        Assert.DoesNotContain(azurite.AccountKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("AccountKey", everything, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        session.Dispose();
        temp.Dispose();
    }
}
