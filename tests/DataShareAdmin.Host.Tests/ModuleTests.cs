using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace DataShareAdmin.Host.Tests;

/// <summary>Finding and importing the module, and running its cmdlets through the host.</summary>
public sealed class ModuleTests : IDisposable
{
    private const string NewAgreement =
        "New-DataShareOrganisation O | Out-Null; New-DataShareAgreement -Id DS00001 -Organisation O -Title T -Purpose P -LegalGateway G -LawfulBasis B -StartsOn 2026-01-01 -EndsOn 2026-12-31";

    private readonly HostRunner host = new();

    public void Dispose() => host.Dispose();

    [Fact]
    public void The_module_cmdlets_are_available()
    {
        var result = host.Run("-Command", "Get-Command -Module DataShareAdmin | ForEach-Object Name");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Connect-DataShareRegister", result.Output, StringComparison.Ordinal);
        Assert.Contains("New-DataShareAgreement", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Importing_loads_neither_the_engine_nor_sqlite_until_a_cmdlet_needs_them()
    {
        const string loaded = "[AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } | Where-Object { $_ -in 'DataShareAdmin.Core', 'Microsoft.Data.Sqlite' } | ForEach-Object { 'LOADED ' + $_ }";
        var afterImport = host.Run("-Command", loaded);
        var afterCall = host.Run("-Command", "Get-DataShareAgreement | Out-Null; " + loaded);

        Assert.True(afterImport.ExitCode == 0, afterImport.ToString());
        Assert.DoesNotContain("LOADED", afterImport.Output, StringComparison.Ordinal);
        Assert.Contains("LOADED DataShareAdmin.Core", afterCall.Output, StringComparison.Ordinal);
        Assert.Contains("LOADED Microsoft.Data.Sqlite", afterCall.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Microsoft_Graph_and_Kiota_load_only_when_a_directory_cmdlet_makes_a_client()
    {
        const string loaded = "[AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } | Where-Object { $_ -like 'Microsoft.Graph*' -or $_ -like 'Microsoft.Kiota*' } | ForEach-Object { 'LOADED ' + $_ }";
        const string token = "$token = [System.Security.SecureString]::new(); 'not-a-real-token'.ToCharArray() | ForEach-Object { $token.AppendChar($_) }; ";
        const string everydayWork = NewAgreement + " | Out-Null; Get-DataShareAgreement | Out-Null; Test-DataShareRecipient | Out-Null; " +
            "Get-DataShareRetentionPlan | Out-Null; Export-DataShareReport -Kind Register -Format Csv -Path ([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), [Guid]::NewGuid().ToString() + '.csv')) | Out-Null; ";

        var afterEverydayWork = host.Run("-Command", everydayWork + loaded);
        var afterConnect = host.Run("-Command", token + "Connect-DataShareDirectory -AccessToken $token -GraphEndpoint http://127.0.0.1:9/v1.0 -AllowHttpLoopback; " + loaded);
        var afterDirectoryCmdlet = host.Run("-Command", token + "Connect-DataShareDirectory -AccessToken $token -GraphEndpoint http://127.0.0.1:9/v1.0 -AllowHttpLoopback; " +
            "Revoke-DataShareAccess DS00001 -Confirm:$false | Out-Null; " + loaded);

        Assert.True(afterEverydayWork.ExitCode == 0, afterEverydayWork.ToString());
        Assert.DoesNotContain("LOADED", afterEverydayWork.Output, StringComparison.Ordinal);
        Assert.True(afterConnect.ExitCode == 0, afterConnect.ToString());
        Assert.DoesNotContain("LOADED", afterConnect.Output, StringComparison.Ordinal);
        Assert.True(afterDirectoryCmdlet.ExitCode == 0, afterDirectoryCmdlet.ToString());
        Assert.Contains("LOADED Microsoft.Graph", afterDirectoryCmdlet.Output, StringComparison.Ordinal);
        Assert.Contains("LOADED Microsoft.Kiota.Abstractions", afterDirectoryCmdlet.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatIf_messages_reach_standard_output()
    {
        var result = host.Run("-Command", NewAgreement + " -WhatIf");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("What if: ", result.Output, StringComparison.Ordinal);
        Assert.Contains("DS00001", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Confirm_fails_clearly_when_nobody_can_answer()
    {
        var result = host.Run("-Command", NewAgreement + " -Confirm");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("non-interactively", result.Error, StringComparison.Ordinal);
        Assert.Contains("-Confirm:$false", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_module_path_that_does_not_exist_exits_with_three()
    {
        var missing = Path.Combine(host.Folder, "nowhere", "DataShareAdmin.psd1");

        var result = host.Run("-Module", missing, "-Command", "'should not run'");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("-Module points to " + missing + ", which does not exist.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("should not run", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_module_environment_variable_that_points_nowhere_exits_with_three()
    {
        var environment = new Dictionary<string, string?> { ["DATASHAREADMIN_MODULE"] = Path.Combine(host.Folder, "gone") };

        var result = host.Run(environment, "-Command", "1");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("DATASHAREADMIN_MODULE", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_module_that_fails_to_import_exits_with_three()
    {
        var broken = Path.Combine(host.Folder, "Broken");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "Broken.psd1"), "@{ ModuleVersion = '1.0'; RootModule = 'Missing.dll' }");

        var result = host.Run("-Module", broken, "-Command", "'should not run'");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Could not import the DataShareAdmin module", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("should not run", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_module_folder_can_be_given_instead_of_the_manifest()
    {
        var manifest = host.Run("-Command", "(Get-Module DataShareAdmin).Path");
        Assert.True(manifest.ExitCode == 0, manifest.ToString());
        var folder = Path.GetDirectoryName(manifest.Output.Trim())!;

        var result = host.Run("-Module", folder, "-Command", "(Get-Module DataShareAdmin).Version.ToString()");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Output.Trim());
    }
}
