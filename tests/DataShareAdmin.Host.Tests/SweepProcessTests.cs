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
            "New-DataShareOrganisation O | Out-Null; " +
            $"New-DataShareAgreement -Id ENDED1 -Organisation O -Title T -Purpose P -LegalGateway G -LawfulBasis B -StartsOn {Day(-100)} -EndsOn {Day(-10)} -RetentionDays 0 | Out-Null; " +
            $"Register-DataShareHolding ENDED1 '{azurite.BlobEndpoint.ToString().TrimEnd('/')}/bulk' | Out-Null");
        Assert.True(setUp.ExitCode == 0, setUp.ToString());

        const string sweep = Connect + "Invoke-DataShareRetentionSweep -Confirm:$false -ThrottleLimit 2";
        using (var first = host.Start(environment, "-Command", sweep))
        {
            var output = first.StandardOutput.ReadToEndAsync();
            try
            {
                // Only a guard against a sweep that hangs: on a loaded machine starting the host alone can take a minute.
                var deadline = Stopwatch.StartNew();
                while (blobs.ListBlobNames("bulk").Count > Blobs - 200)
                {
                    Assert.False(first.HasExited, "The sweep ended before it could be killed.");
                    Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(10), "The sweep deleted nothing within 10 minutes.");
                    Thread.Sleep(100);
                }

                // While it runs, a second sweep refuses to start.
                var second = host.Run(environment, "-Command", sweep);
                Assert.NotEqual(0, second.ExitCode);
                Assert.Contains("SweepAlreadyRunning", second.Output + second.Error, StringComparison.Ordinal);
            }
            finally
            {
                // Killed on purpose here, and on a failed assertion too, so no sweep outlives the test.
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }

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

    [Fact]
    public void The_sample_nightly_script_exits_0_when_done_5_while_another_sweep_runs_and_6_over_the_limits()
    {
        var script = FindRepositoryFile("docs", "nightly-sweep.ps1");
        blobs.CreateContainer("nightly");
        for (var i = 0; i < 5; i++)
        {
            blobs.PutBlob("nightly", $"ds1/{i}.csv", new byte[] { 1 });
        }

        var setUp = host.Run(environment, "-Command",
            "New-DataShareOrganisation O | Out-Null; " +
            $"New-DataShareAgreement -Id ENDED1 -Organisation O -Title T -Purpose P -LegalGateway G -LawfulBasis B -StartsOn {Day(-100)} -EndsOn {Day(-10)} -RetentionDays 0 | Out-Null; " +
            $"Register-DataShareHolding ENDED1 '{azurite.BlobEndpoint.ToString().TrimEnd('/')}/nightly/ds1/' | Out-Null; " +
            $"Register-DataShareHolding ENDED1 '{azurite.BlobEndpoint.ToString().TrimEnd('/')}/nightly/ds1-extra/' | Out-Null; " +
            "Set-DataSharePolicy SweepMaxHoldings 1 -Confirm:$false");
        Assert.True(setUp.ExitCode == 0, setUp.ToString());
        string[] Nightly() => new[] { "-File", script, "-RegisterPath", host.RegisterPath, "-StorageConnectionString", "DSA_TEST_STORAGE", "-AllowHttpLoopback" };

        var overLimit = host.Run(environment, Nightly());
        Assert.True(overLimit.ExitCode == 6, overLimit.ToString());
        Assert.Equal(5, blobs.ListBlobNames("nightly").Count);

        var setLimit = host.Run(environment, "-Command", "Set-DataSharePolicy SweepMaxHoldings 10 -Confirm:$false");
        Assert.True(setLimit.ExitCode == 0, setLimit.ToString());
        using (var lockHolder = new System.IO.FileStream(host.RegisterPath + ".sweep-lock", System.IO.FileMode.OpenOrCreate, System.IO.FileAccess.ReadWrite, System.IO.FileShare.None))
        {
            var running = host.Run(environment, Nightly());
            Assert.True(running.ExitCode == 5, running.ToString());
        }

        var done = host.Run(environment, Nightly());
        Assert.True(done.ExitCode == 0, done.ToString());
        Assert.Empty(blobs.ListBlobNames("nightly"));
        Assert.Contains("Destroyed", done.Output, StringComparison.Ordinal);
    }

    private static string FindRepositoryFile(params string[] parts)
    {
        for (var folder = new System.IO.DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = System.IO.Path.Combine(new[] { folder.FullName }.Concat(parts).ToArray());
            if (System.IO.File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new System.IO.FileNotFoundException("Not found above the test folder: " + string.Join("/", parts));
    }

    public void Dispose()
    {
        blobs.Dispose();
        azurite.Dispose();
        host.Dispose();
    }
}
