using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DataShareAdmin.TestSupport;
using Xunit;

namespace DataShareAdmin.Host.Tests;

/// <summary>
/// A nightly sweep as a separate process through the host executable, against Azurite: killed part-way and run again
/// it finishes the job; while one runs, a second refuses to start; the sample nightly script's exit codes.
/// </summary>
public sealed class SweepProcessTests : IDisposable
{
    private const int Blobs = 2500;
    private readonly HostRunner host = new();
    private readonly AzuriteServer azurite = AzuriteServer.Start();
    private readonly BlobRest blobs;
    private readonly Dictionary<string, string?> environment;

    public SweepProcessTests()
    {
        blobs = new BlobRest(azurite);
        environment = new Dictionary<string, string?> { ["DSA_TEST_STORAGE"] = azurite.ConnectionString };
    }

    private static string Day(int offset) => DateTime.UtcNow.Date.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private const string Connect = "Connect-DataShareStorage -ConnectionString DSA_TEST_STORAGE -AllowHttpLoopback; ";

    [Fact]
    public async Task A_sweep_killed_part_way_finishes_when_run_again_and_a_second_sweep_waits_its_turn()
    {
        blobs.CreateContainer("bulk");
        for (var i = 0; i < Blobs; i++)
        {
            blobs.PutBlob("bulk", $"extract/{i:00000}.csv", new byte[] { 42 });
        }

        var setUp = host.Run(environment, "-Command",
            $"New-DataShareAgreement -Id ENDED1 -Organisation O -Title T -Purpose P -LegalGateway G -LawfulBasis B -StartsOn {Day(-100)} -EndsOn {Day(-10)} -RetentionDays 0 | Out-Null; " +
            $"Register-DataShareHolding ENDED1 '{azurite.BlobEndpoint.ToString().TrimEnd('/')}/bulk' | Out-Null");
        Assert.True(setUp.ExitCode == 0, setUp.ToString());

        const string sweep = Connect + "Invoke-DataShareRetentionSweep -Confirm:$false -ThrottleLimit 2";
        using (var first = host.Start(environment, "-Command", sweep))
        {
            var output = first.StandardOutput.ReadToEndAsync();
            var deadline = Stopwatch.StartNew();
            while (blobs.ListBlobNames("bulk").Count > Blobs - 200)
            {
                Assert.False(first.HasExited, "The sweep ended before it could be killed.");
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "The sweep deleted nothing within 60 s.");
                Thread.Sleep(100);
            }

            // While it runs, a second sweep refuses to start.
            var second = host.Run(environment, "-Command", sweep);
            Assert.NotEqual(0, second.ExitCode);
            Assert.Contains("SweepAlreadyRunning", second.Output + second.Error, StringComparison.Ordinal);

            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            await output;
        }

        var left = blobs.ListBlobNames("bulk").Count;
        Assert.InRange(left, 1, Blobs - 200);
        var state = host.Run(environment, "-Command", "(Get-DataShareHolding ENDED1).State; @(Get-DataShareAuditLog -Action Holding.Destroy).Count");
        Assert.True(state.ExitCode == 0, state.ToString());
        Assert.Equal(new[] { "Held", "0" }, state.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var rerun = host.Run(environment, "-Command", sweep + " | ForEach-Object { \"$($_.Outcome) $($_.Verified) $($_.ObjectsDeleted)\" }");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains($"Destroyed True {left}", rerun.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("bulk", blobs.ListContainers());

        var again = host.Run(environment, "-Command", sweep + " -Verbose");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Nothing to sweep", again.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        blobs.Dispose();
        azurite.Dispose();
        host.Dispose();
    }
}
