using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using DataShareAdmin.TestSupport;
using Xunit;

namespace DataShareAdmin.Host.Tests;

/// <summary>
/// Two processes using one register at once (a nightly job and an officer): no write may be lost or corrupt the file,
/// and the audit chain must stay one verifiable chain.
/// </summary>
public sealed class ConcurrentWriterTests : IDisposable
{
    private const int Iterations = 25;
    private readonly HostRunner host = new();

    [Fact]
    public async Task Two_processes_writing_at_once_lose_nothing_and_keep_one_chain()
    {
        var setUp = host.Run("-Command", "New-DataShareOrganisation O | Out-Null; New-DataShareAgreement -Id SHARED1 -Organisation O -Title T0 -Purpose P0 -LegalGateway G -LawfulBasis B -StartsOn 2026-01-01 -EndsOn 2026-12-31 | Out-Null");
        Assert.True(setUp.ExitCode == 0, setUp.ToString());

        // Each process creates its own agreements and keeps changing its own field of the shared one: a lost update
        // would leave a stale Title or Purpose, a lost insert a missing agreement.
        static string Writer(string name, string field) => $$"""
            foreach ($i in 1..{{Iterations}}) {
                New-DataShareAgreement -Id "{{name}}$i" -Organisation O -Title T -Purpose P -LegalGateway G -LawfulBasis B -StartsOn 2026-01-01 -EndsOn 2026-12-31 | Out-Null
                Set-DataShareAgreement -Id SHARED1 -{{field}} "{{name}}-$i"
            }
            """;

        var writers = new[]
        {
            Task.Run(() => host.Run("-Command", Writer("A", "Title"))),
            Task.Run(() => host.Run("-Command", Writer("B", "Purpose"))),
        };
        foreach (var result in await Task.WhenAll(writers))
        {
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        var check = host.Run("-Command", """
            $count = 0; Get-DataShareAgreement | ForEach-Object { $count++ }
            $shared = Get-DataShareAgreement SHARED1
            $audit = Test-DataShareAuditLog
            "count=$count title=$($shared.Title) purpose=$($shared.Purpose) intact=$($audit.IsIntact) entries=$($audit.EntryCount)"
            """);

        Assert.True(check.ExitCode == 0, check.ToString());
        var expectedEntries = 2 + 2 * Iterations * 2;
        Assert.Contains($"count={1 + 2 * Iterations} title=A-{Iterations} purpose=B-{Iterations} intact=True entries={expectedEntries}", check.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// The same on the shared Azure Table register (Azurite): two processes create agreements and keep changing their
    /// own field of a shared one; nothing is lost and the audit log stays one chain with no fork and no gap, because
    /// each write and its audit entry are one transaction that fails whole if the other writer extended the log first.
    /// </summary>
    [Fact]
    public async Task Two_processes_writing_at_once_to_the_table_register_lose_nothing_and_keep_one_chain()
    {
        using var azurite = AzuriteServer.Start();
        var environment = new Dictionary<string, string?> { ["DSA_TEST_TABLES"] = azurite.ConnectionString };
        const string connect = "Connect-DataShareRegister -ConnectionString DSA_TEST_TABLES -RegisterName shared -Create; ";
        var setUp = host.Run(environment, "-Command", connect + "New-DataShareOrganisation O | Out-Null; New-DataShareAgreement -Id SHARED1 -Organisation O -Title T0 -Purpose P0 -LegalGateway G -LawfulBasis B -StartsOn 2026-01-01 -EndsOn 2026-12-31 | Out-Null");
        Assert.True(setUp.ExitCode == 0, setUp.ToString());

        static string Writer(string name, string field) => connect + $$"""
            foreach ($i in 1..{{Iterations}}) {
                New-DataShareAgreement -Id "{{name}}$i" -Organisation O -Title T -Purpose P -LegalGateway G -LawfulBasis B -StartsOn 2026-01-01 -EndsOn 2026-12-31 | Out-Null
                Set-DataShareAgreement -Id SHARED1 -{{field}} "{{name}}-$i"
            }
            """;

        var results = await Task.WhenAll(
            Task.Run(() => host.Run(environment, "-Command", Writer("A", "Title"))),
            Task.Run(() => host.Run(environment, "-Command", Writer("B", "Purpose"))));
        foreach (var result in results)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        var check = host.Run(environment, "-Command", connect + """
            $count = 0; Get-DataShareAgreement | ForEach-Object { $count++ }
            $shared = Get-DataShareAgreement SHARED1
            $audit = Test-DataShareAuditLog
            $sequences = @(Get-DataShareAuditLog | ForEach-Object { $_.Sequence })
            $gapless = ($sequences.Count -eq $audit.EntryCount) -and ($sequences[-1] -eq $audit.EntryCount)
            "count=$count title=$($shared.Title) purpose=$($shared.Purpose) intact=$($audit.IsIntact) entries=$($audit.EntryCount) gapless=$gapless"
            """);

        Assert.True(check.ExitCode == 0, check.ToString());
        var expectedEntries = 2 + 2 * Iterations * 2;
        Assert.Contains($"count={1 + 2 * Iterations} title=A-{Iterations} purpose=B-{Iterations} intact=True entries={expectedEntries} gapless=True", check.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Two processes changing one policy setting at once: each Policy.Set entry's Before must be the value the change
    /// replaced, which is the After of the entry just before it (every value set is used once, so none can match by luck).
    /// </summary>
    [Fact]
    public async Task Two_processes_setting_one_policy_value_at_once_each_audit_the_value_they_replaced()
    {
        static string Writer(int offset) => $$"""
            foreach ($i in 1..{{Iterations}}) {
                Set-DataSharePolicy -Name CertificateMaxAgeMonths -Value ({{offset}} + $i) -Confirm:$false | Out-Null
            }
            """;

        var results = await Task.WhenAll(
            Task.Run(() => host.Run("-Command", Writer(30))),
            Task.Run(() => host.Run("-Command", Writer(30 + Iterations))));
        foreach (var result in results)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        var check = host.Run("-Command", """
            $before = '24'; $untrue = 0; $sets = 0
            foreach ($entry in Get-DataShareAuditLog -Action Policy.Set) {
                $sets++
                if ($entry.Details['Before'] -ne $before) { $untrue++ }
                $before = $entry.Details['After']
            }
            $value = (Get-DataSharePolicy -Name CertificateMaxAgeMonths).Value
            "sets=$sets untrue=$untrue last=$($value -eq $before) intact=$((Test-DataShareAuditLog).IsIntact)"
            """);

        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains($"sets={2 * Iterations} untrue=0 last=True intact=True", check.Output, StringComparison.Ordinal);
    }

    public void Dispose() => host.Dispose();
}
