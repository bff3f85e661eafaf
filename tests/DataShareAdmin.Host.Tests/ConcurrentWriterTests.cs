using System;
using System.Threading.Tasks;
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

    public void Dispose() => host.Dispose();
}
