using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using DataShareAdmin.Core;
using DataShareAdmin.Core.Retention;
using DataShareAdmin.Core.Storage;
using DataShareAdmin.Core.Time;
using DataShareAdmin.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DataShareAdmin.Host.Tests;

/// <summary>
/// Run alone, after the other host tests: ten host processes and their uploads would starve tests that wait on a process
/// with a deadline (the sweep kill test's "deleted something within 60 s") on a machine of two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Alone: heavy process tests";
}

/// <summary>
/// New-DataShareTransfer killed (SIGKILL, as by kill -9, an OOM kill or a power cut) at random points through the host
/// executable, ten times: after each kill, every container in storage, and so every uploaded byte, belongs to a holding
/// the register holds; and the sweep on that holding's due day, and not the day before, deletes it.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class TransferKillTests : IDisposable
{
    private const int Trials = 10;
    private const string Agreement = "KILL1";
    private const string Marker = "VERBOSE: Recorded transfer";

    private readonly HostRunner host = new();
    private readonly AzuriteServer azurite = AzuriteServer.Start(new AzuriteOptions { Services = AzuriteServices.Blob });
    private readonly BlobRest blobs;
    private readonly Dictionary<string, string?> environment;
    private readonly ITestOutputHelper log;
    private readonly string extract;

    public TransferKillTests(ITestOutputHelper log)
    {
        this.log = log;
        blobs = new BlobRest(azurite);
        environment = new Dictionary<string, string?> { ["DSA_TEST_STORAGE"] = azurite.ConnectionString };

        // Large files go up in 8 MiB blocks, several at once, small ones in one request each: kills land in both.
        extract = Path.Combine(host.Folder, "extract");
        var random = new Random(42);
        for (var i = 0; i < 3; i++)
        {
            Write(Path.Combine(extract, "big", $"part-{i}.bin"), (9 * 1024 * 1024) + i, random);
        }

        for (var i = 0; i < 40; i++)
        {
            Write(Path.Combine(extract, "small", $"{i:00}.csv"), 64 * 1024, random);
        }
    }

    private static void Write(string path, int size, Random random)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[size];
        random.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
    }

    private static string Day(int offset) => DateTime.UtcNow.Date.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private string TransferCommand =>
        "Connect-DataShareStorage -ConnectionString DSA_TEST_STORAGE -AllowHttpLoopback; " +
        $"New-DataShareTransfer -AgreementId {Agreement} -Path '{extract}' -ValidFor 01:00:00 -Confirm:$false -Verbose | Out-Null";

    private DataShareEngine OpenEngine(IClock clock) => DataShareEngine.Open(new EngineOptions { RegisterPath = host.RegisterPath, Clock = clock });

    /// <summary>Runs the transfer in the host; kills it <paramref name="killAfter"/> after it recorded the transfer (never, when null). Returns the time from that record to the end.</summary>
    private TimeSpan RunTransfer(TimeSpan? killAfter, out bool killed)
    {
        using var process = host.Start(environment, "-Command", TransferCommand);
        using var recorded = new ManualResetEventSlim();
        var output = new System.Text.StringBuilder();
        var reading = System.Threading.Tasks.Task.Run(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }

                if (line.StartsWith(Marker, StringComparison.Ordinal))
                {
                    recorded.Set();
                }
            }
        });
        var errors = process.StandardError.ReadToEndAsync();

        var waited = Stopwatch.StartNew();
        while (!recorded.Wait(TimeSpan.FromMilliseconds(100)))
        {
            if (process.HasExited)
            {
                reading.Wait(TimeSpan.FromSeconds(10));
                Assert.True(recorded.IsSet, $"The host ended without recording the transfer: exit {process.ExitCode}\n{output}\n{errors.Result}");
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(90), $"The transfer was not recorded within 90 s.\n{output}");
        }

        var clock = Stopwatch.StartNew();
        killed = false;
        if (killAfter is { } delay && !process.WaitForExit(delay))
        {
            process.Kill(entireProcessTree: true);
            killed = true;
        }

        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(90)), "The host did not end within 90 s.");
        var elapsed = clock.Elapsed;
        reading.Wait(TimeSpan.FromSeconds(10));
        if (!killed)
        {
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{output}\n{errors.Result}");
        }

        return elapsed;
    }

    [Fact]
    public void A_transfer_killed_at_random_points_leaves_only_recorded_holdings_which_the_sweep_on_their_due_day_removes()
    {
        var setUp = host.Run(environment, "-Command",
            "$ErrorActionPreference = 'Stop'; " +
            "$o = New-DataShareOrganisation O; " +
            $"$null = Add-DataShareSecurityAssessment -Organisation $o.Id -AssessedOn {Day(-2)} -Outcome Passed -Reference ISQ-KILL; " +
            $"$null = New-DataShareAgreement -Id {Agreement} -Organisation O -Title T -Purpose P -LegalGateway G -LawfulBasis B -AccessRoute DirectTransfer " +
            $"-DirectTransferJustification 'Linkage with its own cohort.' -StartsOn {Day(-10)} -EndsOn {Day(100)} -RetentionDays 0 -DataItem 'Attainment:B3'; " +
            $"Approve-DataShareAgreement -Id {Agreement} -Reference DSAP-KILL -ApprovedOn {Day(-5)} -Legal L -Ethical E -Proportionate P -Secure S; " +
            $"$null = Set-DataShareDpia -AgreementId {Agreement} -Reference DPIA-KILL -SignedOffOn {Day(-5)} -SignedOffBy DPO -ResidualRisk Low -Mitigations 'Named recipients only'; " +
            $"$r = Add-DataShareRecipient -AgreementId {Agreement} -Name 'Kim Kill' -Email kim.kill@example.org; " +
            $"$null = Add-DisclosureCertificate -RecipientId $r.Id -Issuer DBS -Level Basic -Number 000000900001 -IssuedOn {Day(-40)}; " +
            $"Set-DataShareRecipient -Id $r.Id -DeclarationSignedOn {Day(-2)} -TrainingCompletedOn {Day(-2)}");
        Assert.True(setUp.ExitCode == 0, setUp.ToString());

        // One run to the end, to know how long a transfer takes from its record to its end on this machine now.
        var whole = RunTransfer(null, out _);
        SweepEverythingDue();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        log.WriteLine($"Seed {seed}; a whole transfer took {whole.TotalMilliseconds:0} ms from its record to the host's end.");

        var outcomes = new List<string>();
        for (var trial = 1; trial <= Trials; trial++)
        {
            var after = TimeSpan.FromMilliseconds(random.Next(0, Math.Max(1, (int)whole.TotalMilliseconds)));
            RunTransfer(after, out var killed);
            var what = $"trial {trial} (seed {seed}): {(killed ? $"killed {after.TotalMilliseconds:0} ms after the record" : "finished before the kill")}";
            outcomes.Add(what + ": " + AssertEveryContainerIsHeld(what));
            SweepEverythingDue();
            Assert.DoesNotContain(blobs.ListContainers(), c => c.StartsWith("dsa-kill1-", StringComparison.Ordinal));
        }

        foreach (var outcome in outcomes)
        {
            log.WriteLine(outcome);
        }
    }

    /// <summary>Every container in storage is a holding the register holds (not destroyed); returns what the trial left.</summary>
    private string AssertEveryContainerIsHeld(string trial)
    {
        using var engine = OpenEngine(SystemClock.Instance);
        var held = engine.Register.ListHeldHoldings().ToDictionary(h => h.Container ?? h.Location, StringComparer.Ordinal);
        var containers = blobs.ListContainers().Where(c => c.StartsWith("dsa-kill1-", StringComparison.Ordinal)).ToList();
        long bytes = 0;
        foreach (var container in containers)
        {
            var inside = blobs.ListBlobs(container);
            bytes += inside.Sum(b => b.Size);
            Assert.True(held.ContainsKey(container), $"{trial}: container {container} with {inside.Count} blob(s) belongs to no held holding.");
        }

        var transfer = engine.Register.ListTransfers(Agreement).LastOrDefault(t => held.ContainsKey(t.Container));
        return transfer is null
            ? "nothing recorded or stored"
            : $"transfer {transfer.State}, holding {held[transfer.Container].State} due {held[transfer.Container].DueOn:yyyy-MM-dd}, {containers.Count} container(s) holding {bytes} bytes";
    }

    /// <summary>Each held holding swept on its own due day (the day before, it is not due), and then gone from storage.</summary>
    private void SweepEverythingDue()
    {
        List<DataShareHolding> held;
        using (var engine = OpenEngine(SystemClock.Instance))
        {
            held = engine.Retention.Find(Agreement, includeDestroyed: false).ToList();
        }

        var storage = new BlobRetentionStorage(StorageConnection.Create(new StorageConnectionOptions { ConnectionString = azurite.ConnectionString, AllowHttpLoopback = true }));
        foreach (var holding in held)
        {
            var clock = new FixedClock(new DateTimeOffset(holding.DueOn.Year, holding.DueOn.Month, holding.DueOn.Day, 12, 0, 0, TimeSpan.Zero));
            using var engine = OpenEngine(clock);
            Assert.DoesNotContain(engine.Retention.Plan(holding.DueOn.AddDays(-1)), item => item.HoldingId == holding.Id);

            var errors = new List<DataShareException>();
            var records = engine.Retention.Sweep(new SweepOptions { HoldingIds = new[] { holding.Id } }, _ => storage, new QuietHost(), errors.Add).ToList();

            Assert.Empty(errors);
            var record = Assert.Single(records);
            Assert.True(record.Verified, $"{holding.Id}: {record.Outcome} {record.Reason}");
            Assert.Equal(HoldingState.Destroyed, engine.Register.FindHolding(holding.Id)!.State);
            Assert.DoesNotContain(holding.Container, blobs.ListContainers());
        }
    }

    public void Dispose()
    {
        blobs.Dispose();
        azurite.Dispose();
        host.Dispose();
    }

    /// <summary>The engine's host for the in-process sweep: says yes, keeps quiet.</summary>
    private sealed class QuietHost : IOperationHost
    {
        public CancellationToken CancellationToken => CancellationToken.None;

        public bool ShouldProcess(string target, string action) => true;

        public void WriteVerbose(string message)
        {
        }

        public void WriteWarning(string message)
        {
        }

        public void WriteProgress(string activity, string status, int percentComplete, bool completed)
        {
        }
    }
}
