using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Threading;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.SweepBenchmark;

/// <summary>One timed Invoke-DataShareRetentionSweep and where its time went, read from its own destruction records.</summary>
internal sealed class SweepTiming
{
    public double TotalMs { get; set; }

    // Wall-clock phases, one after another: PlanMs + ListingMs + InFlightMs + RecordingMs = TotalMs.

    /// <summary>Invoke to the "Measuring" progress record: binding, opening the register, the plan, opening each holding.</summary>
    public double PlanMs { get; set; }

    /// <summary>"Measuring" to the first holding's StartedAt: the measuring listings (side by side), the soft-delete read.</summary>
    public double ListingMs { get; set; }

    /// <summary>
    /// Wall-clock time with at least one holding between its StartedAt and FinishedAt (the union of those intervals):
    /// deletes from the shared pool, and the verifying listings of holdings whose deletes are done.
    /// </summary>
    public double InFlightMs { get; set; }

    /// <summary>
    /// The rest: moments after the first StartedAt when no holding was in flight (the register writes between, progress)
    /// and the last FinishedAt to the end of the call (the last record, marking agreements, output).
    /// </summary>
    public double RecordingMs { get; set; }

    /// <summary>Sum over holdings of FinishedAt − StartedAt: busy time, overlapping (holdings share one pool), so NOT a part of TotalMs.</summary>
    public double BusyMs { get; set; }

    public int Records { get; set; }

    public long Deleted { get; set; }

    public int ThreadPoolThreadsBefore { get; set; }

    public int ThreadPoolThreadsAfter { get; set; }

    public double SetupMs { get; set; }
}

/// <summary>
/// A hosted runspace (core cmdlets only) with the built module imported and connected to Azurite. Before each
/// measurement, <see cref="PrepareRegister"/> makes a fresh register through the module (ended agreements, one
/// holding per prefix); <see cref="Sweep"/> is then one Invoke-DataShareRetentionSweep, as a user would type it.
/// </summary>
internal sealed class ModuleSweepSession : IDisposable
{
    private readonly Runspace runspace;
    private readonly string folder;
    private readonly string blobEndpoint;
    private int registers;

    public ModuleSweepSession(string manifest, string connectionString, Uri blobEndpoint)
    {
        if (!File.Exists(manifest))
        {
            throw new BenchmarkException($"No module manifest at {manifest}: build it first (dotnet build DataShareAdmin.sln -c Release).");
        }

        this.blobEndpoint = blobEndpoint.ToString().TrimEnd('/');
        folder = Path.Combine(Path.GetTempPath(), "dsa-sweep-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);

        // Keep the module away from the user's own register, even before Connect-DataShareRegister.
        Environment.SetEnvironmentVariable("DATASHAREADMIN_REGISTER", Path.Combine(folder, "default.db"));
        runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        try
        {
            Run("Import-Module", "Import-Module $args[0] -ErrorAction Stop", manifest);
            Run("Connect-DataShareStorage", "Connect-DataShareStorage -ConnectionString $args[0] -AllowHttpLoopback | Out-Null", connectionString);
        }
        catch
        {
            runspace.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A fresh register: one ended agreement per container (retention 0 days, so its holdings fell due days ago) and one
    /// Register-DataShareHolding per prefix. Returns the milliseconds it took (not part of any measurement).
    /// </summary>
    public double PrepareRegister(BlobLayout layout)
    {
        var start = Stopwatch.GetTimestamp();
        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"register-{++registers:000}.db"));
        var today = DateTime.UtcNow.Date;
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var script = new StringBuilder();
        script.AppendLine("Connect-DataShareRegister -Path $args[0] -Create");
        var agreementOf = new Dictionary<string, string>(StringComparer.Ordinal);
        script.AppendLine("New-DataShareOrganisation 'University of Example' | Out-Null");
        for (var c = 0; c < layout.Containers.Count; c++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"SWEEP{c + 1:00}");
            agreementOf[layout.Containers[c]] = id;
            script.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"New-DataShareAgreement -Id {id} -Organisation 'University of Example' -Title 'Sweep benchmark {id}' -Purpose 'Research into attainment gaps' "
                + $"-LegalGateway 'Education (Individual Pupil Information) (Prescribed Persons) (England) Regulations 2009' -LawfulBasis 'Article 6(1)(e)' "
                + $"-AccessRoute DirectTransfer -StartsOn {Day(-400)} -EndsOn {Day(-10)} -RetentionDays 0 -DataItem 'KS2 attainment:B3' | Out-Null"));
        }

        foreach (var holding in layout.Holdings)
        {
            script.AppendLine(CultureInfo.InvariantCulture, $"Register-DataShareHolding {agreementOf[holding.Container]} '{blobEndpoint}/{holding.Container}/{holding.Prefix}' | Out-Null");
        }

        script.AppendLine("@(Get-DataShareRetentionPlan).Count");
        var output = Run("register setup", script.ToString(), path);
        var due = Convert.ToInt32(output.Last().BaseObject, CultureInfo.InvariantCulture);
        if (due != layout.Holdings.Count)
        {
            throw new BenchmarkException($"The fresh register plans {due} due holdings, not {layout.Holdings.Count}.");
        }

        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>
    /// The timed call: Invoke-DataShareRetentionSweep -Confirm:$false -Force -ThrottleLimit N, whole (plan, measuring
    /// pass, deletes, verification listings, records). Then checks every holding is Destroyed and verified and every
    /// blob counted, and splits the time by the records' StartedAt and FinishedAt.
    /// </summary>
    public SweepTiming Sweep(int throttle, int expectedHoldings, long expectedBlobs)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddCommand("Invoke-DataShareRetentionSweep").AddParameter("Confirm", false).AddParameter("Force").AddParameter("ThrottleLimit", throttle);
        var timing = new SweepTiming { ThreadPoolThreadsBefore = ThreadPool.ThreadCount };

        Collection<PSObject> output;
        var startedAt = DateTimeOffset.UtcNow;
        var start = Stopwatch.GetTimestamp();
        double? measuringAt = null;
        shell.Streams.Progress.DataAdded += (_, e) =>
        {
            // Raised on the pipeline thread as the cmdlet writes the record: the end of the plan.
            if (measuringAt is null && shell.Streams.Progress[e.Index].StatusDescription.StartsWith("Measuring", StringComparison.Ordinal))
            {
                measuringAt = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        };
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException ex)
        {
            throw new BenchmarkException($"Invoke-DataShareRetentionSweep failed: {ex.Message}", ex);
        }

        timing.TotalMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var finishedAt = startedAt + TimeSpan.FromMilliseconds(timing.TotalMs);
        timing.ThreadPoolThreadsAfter = ThreadPool.ThreadCount;
        ThrowOnErrors(shell, "Invoke-DataShareRetentionSweep");

        var records = output.Select(o => (
            Outcome: o.Properties["Outcome"]?.Value?.ToString(),
            Verified: o.Properties["Verified"]?.Value is true,
            Deleted: Convert.ToInt64(o.Properties["ObjectsDeleted"]?.Value, CultureInfo.InvariantCulture),
            Started: (DateTimeOffset)o.Properties["StartedAt"]!.Value,
            Finished: (DateTimeOffset)o.Properties["FinishedAt"]!.Value)).OrderBy(r => r.Started).ToList();
        timing.Records = records.Count;
        timing.Deleted = records.Sum(r => r.Deleted);
        if (records.Count != expectedHoldings || records.Any(r => r.Outcome != "Destroyed" || !r.Verified) || timing.Deleted != expectedBlobs)
        {
            throw new BenchmarkException(
                $"The sweep returned {records.Count} records ({records.Count(r => r.Outcome == "Destroyed" && r.Verified)} destroyed and verified) deleting {timing.Deleted} objects; "
                + $"expected {expectedHoldings} destroyed, verified holdings and {expectedBlobs} objects.");
        }

        var first = (records[0].Started - startedAt).TotalMilliseconds;
        timing.PlanMs = Math.Min(measuringAt ?? 0, first);
        timing.ListingMs = first - timing.PlanMs;
        timing.BusyMs = records.Sum(r => (r.Finished - r.Started).TotalMilliseconds);

        // The union of the holdings' [StartedAt, FinishedAt]: records are in StartedAt order.
        var (inFlight, reach) = (0.0, records[0].Started);
        foreach (var r in records)
        {
            var from = r.Started > reach ? r.Started : reach;
            if (r.Finished > from)
            {
                inFlight += (r.Finished - from).TotalMilliseconds;
                reach = r.Finished;
            }
        }

        timing.InFlightMs = inFlight;
        timing.RecordingMs = timing.TotalMs - first - inFlight;
        return timing;
    }

    public void Dispose()
    {
        runspace.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind does not affect the figures.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }

    private Collection<PSObject> Run(string what, string script, params object[] arguments)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        foreach (var argument in arguments)
        {
            shell.AddArgument(argument);
        }

        Collection<PSObject> output;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException ex)
        {
            throw new BenchmarkException($"{what} failed: {ex.Message}", ex);
        }

        ThrowOnErrors(shell, what);
        return output;
    }

    private static void ThrowOnErrors(PowerShell shell, string what)
    {
        if (shell.HadErrors || shell.Streams.Error.Count > 0)
        {
            throw new BenchmarkException($"{what} reported errors: " + string.Join(Environment.NewLine, shell.Streams.Error.Take(5).Select(e => e.FullyQualifiedErrorId + ": " + e)));
        }
    }
}
