using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text.Json;
using System.Threading;
using DataShareAdmin.BenchSupport;
using DataShareAdmin.TestSupport;

namespace DataShareAdmin.ScaleBenchmark;

/// <summary>One child's answer: the milliseconds of each timed call, and the untimed set-up.</summary>
internal sealed class ScaleResult
{
    public List<double> CallMs { get; set; } = new();

    public double SetupMs { get; set; }

    /// <summary>
    /// Tables only: the same kinds of request made with the plain SDK on the same table, after the module's calls, so a
    /// growth that is the emulator's own shows in the peer too (point read of a missing row; an empty row-key range in
    /// the register's partition; one entity added and deleted).
    /// </summary>
    public List<double> PeerPointMs { get; set; } = new();

    public List<double> PeerRangeMs { get; set; } = new();

    public List<double> PeerWriteMs { get; set; } = new();
}

/// <summary>
/// Does one registration (or one recipient added) cost the same whatever the register holds? For each size a register
/// is made by the FIRST module given (agreements through the module), filled with rows directly (holdings spread over
/// ten agreements, or recipients all on one agreement), then copied for each module; a fresh child process opens its
/// copy (upgrading it if that module's schema is newer), on Tables copies it with Copy-DataShareRegister (so each
/// module writes its own rows and indexes), and times single calls, as a user types them.
/// </summary>
public static class Program
{
    private const string Usage = """
        dotnet run -c Release --project bench/DataShareAdmin.ScaleBenchmark -- [options]
          --before <psd1>         the module to compare against (e.g. main's build); measured first in odd rounds
          --after <psd1>          default: this repository's out/<Configuration>/DataShareAdmin/DataShareAdmin.psd1
          --holdings 1000,10000,100000     held holdings before Register-DataShareHolding (0 or empty: skip)
          --recipients 100,1000,10000      recipients on the agreement before Add-DataShareRecipient (0 or empty: skip)
          --backends sqlite,tables
          --tables-max 10000      largest size copied to Azurite (copying 100,000 holdings there takes minutes)
          --calls 15              timed calls per child (after 2 untimed)
        """;

    private const string ConnectionVariable = "DSA_SCALE_AZURITE";

    public static int Main(string[] args)
    {
        Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;
        return HarnessMain.Run(Usage, () =>
        {
            var named = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                named[args[i].TrimStart('-')] = args[i + 1];
            }

            string Opt(string name, string fallback) => named.TryGetValue(name, out var v) ? v : fallback;
            int[] Counts(string name, string fallback) => Opt(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(c => CommandLine.ParseCount("--" + name, c.Replace("_", string.Empty, StringComparison.Ordinal), 0)).Where(c => c > 0).ToArray();
            if (named.TryGetValue("child", out var kind))
            {
                return Child(kind, Opt("module", string.Empty), Opt("register", string.Empty), Opt("backend", "sqlite"), int.Parse(Opt("calls", "15"), CultureInfo.InvariantCulture));
            }

            var modules = new List<(string Name, string Manifest)>();
            if (named.TryGetValue("before", out var before))
            {
                modules.Add(("before", Path.GetFullPath(before)));
            }

            modules.Add(("after", Path.GetFullPath(Opt("after", ModuleManifest.DefaultPath(typeof(Program).Assembly)))));
            return Parent(modules, Counts("holdings", "1000,10000,100000"), Counts("recipients", "100,1000,10000"),
                Opt("backends", "sqlite,tables").Split(','), int.Parse(Opt("tables-max", "10000"), CultureInfo.InvariantCulture), Opt("calls", "15"));
        });
    }

    private static int Parent(List<(string Name, string Manifest)> modules, int[] holdings, int[] recipients, string[] backends, int tablesMax, string calls)
    {
        var folder = Path.Combine(Path.GetTempPath(), "dsa-scale-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        using var azurite = backends.Contains("tables") ? AzuriteServer.Start(new AzuriteOptions { Services = AzuriteServices.Table }) : null;
        if (azurite is not null)
        {
            Environment.SetEnvironmentVariable(ConnectionVariable, azurite.ConnectionString);
        }

        var rows = new List<string>();
        var round = 0;
        foreach (var (kind, sizes) in new[] { ("holdings", holdings), ("recipients", recipients) })
        {
            foreach (var size in sizes)
            {
                var seeded = Path.Combine(folder, $"{kind}-{size}.db");
                RunChild(modules[0].Manifest, "init-" + kind, seeded, "sqlite", calls);
                var seedMs = kind == "holdings" ? HoldingSeeder.Seed(seeded, size, DateTime.UtcNow.Date.AddYears(5)).Milliseconds : RecipientRows.Seed(seeded, size);
                foreach (var backend in backends.Where(b => b == "sqlite" || size <= tablesMax))
                {
                    var order = round++ % 2 == 0 ? modules : Enumerable.Reverse(modules).ToList();
                    foreach (var (name, manifest) in order)
                    {
                        var copy = Path.Combine(folder, $"{kind}-{size}-{backend}-{name}.db");
                        File.Copy(seeded, copy);
                        var result = RunChild(manifest, kind, copy, backend, calls);
                        var stats = Stats.Of(result.CallMs);
                        var line = string.Create(CultureInfo.InvariantCulture,
                            $"{kind,-10} {size,8:N0} {backend,-7} {name,-7} median {stats.Median,8:0.0} ms  (min {stats.Min:0.0}, p90 {stats.P90:0.0}, {stats.Count} calls; seed {seedMs / 1000:0.0} s, set-up {result.SetupMs / 1000:0.0} s)");
                        Console.WriteLine(line);
                        rows.Add(line);
                        if (result.PeerPointMs.Count > 0)
                        {
                            var point = Stats.Of(result.PeerPointMs).Median;
                            var range = Stats.Of(result.PeerRangeMs).Median;
                            var write = Stats.Of(result.PeerWriteMs).Median;
                            var peer = string.Create(CultureInfo.InvariantCulture,
                                $"{kind,-10} {size,8:N0} {backend,-7} {name,-7} raw SDK on the same table: point read {point,6:0.0} ms, empty range {range,6:0.0} ms, add+delete {write,6:0.0} ms; module call / (point + range + write) = {stats.Median / (point + range + write):0.00}");
                            Console.WriteLine(peer);
                            rows.Add(peer);
                        }
                    }
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("Summary (one call, median ms):");
        rows.ForEach(Console.WriteLine);
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind does not change the figures.
        }

        return 0;
    }

    private static ScaleResult RunChild(string manifest, string kind, string register, string backend, string calls) =>
        JsonSerializer.Deserialize<ScaleResult>(ChildProcess.RunSelf(typeof(Program).Assembly,
            new[] { "--child", kind, "--module", manifest, "--register", register, "--backend", backend, "--calls", calls }, $"{kind} child ({backend})"), ChildProcess.Json)!;

    /// <summary>A child: init (agreements through the module), or one timed series of single calls on a fresh copy.</summary>
    private static int Child(string kind, string manifest, string register, string backend, int calls)
    {
        Environment.SetEnvironmentVariable("DATASHAREADMIN_REGISTER", register);
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        Run(runspace, "Import-Module $args[0] -ErrorAction Stop", manifest);
        var result = new ScaleResult();
        var today = DateTime.UtcNow.Date;
        string Day(int offset) => today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (kind.StartsWith("init-", StringComparison.Ordinal))
        {
            var agreements = kind == "init-holdings" ? 10 : 1;
            Run(runspace, "Connect-DataShareRegister -Path $args[0] -Create; New-DataShareOrganisation 'University of Example' | Out-Null", register);
            for (var a = 1; a <= agreements; a++)
            {
                Run(runspace, string.Create(CultureInfo.InvariantCulture,
                    $"New-DataShareAgreement -Id DS{a:00000} -Organisation 'University of Example' -Title 'Scale {a}' -Purpose 'Research' -LegalGateway 'Digital Economy Act 2017 s.64' "
                    + $"-LawfulBasis 'Article 6(1)(e)' -AccessRoute DirectTransfer -StartsOn {Day(-400)} -EndsOn {Day(400)} -RetentionDays 30 -DataItem 'KS2 attainment:B3' | Out-Null"));
            }

            ChildProcess.WriteResult(result);
            return 0;
        }

        var setup = Stopwatch.StartNew();
        Run(runspace, "Connect-DataShareRegister -Path $args[0]", register);
        string? tableRegisterName = null;
        if (backend == "tables")
        {
            // A table of its own: Azurite's answer time grows with everything in a table, other registers included.
            var name = "s" + Guid.NewGuid().ToString("N").Substring(0, 12);
            tableRegisterName = name;
            var connection = Environment.GetEnvironmentVariable(ConnectionVariable) ?? throw new BenchmarkException("No Azurite connection string from the parent.");
            Run(runspace, "Copy-DataShareRegister -DestinationConnectionString $args[0] -TableName $args[1] -RegisterName $args[1] -Confirm:$false | Out-Null; Connect-DataShareRegister -ConnectionString $args[0] -TableName $args[1] -RegisterName $args[1]", connection, name);
        }

        result.SetupMs = setup.Elapsed.TotalMilliseconds;
        var run = Guid.NewGuid().ToString("N").Substring(0, 6);
        for (var i = 0; i < calls + 2; i++)
        {
            var script = kind == "holdings"
                ? $"Register-DataShareHolding DS00001 'https://benchstore.blob.core.windows.net/fresh-{run}/p{i}/' -Confirm:$false | Out-Null"
                : $"Add-DataShareRecipient -AgreementId DS00001 -Name 'New Person {i}' -Email 'new{i}-{run}@example.org' -Confirm:$false | Out-Null";
            var watch = Stopwatch.StartNew();
            Run(runspace, script);
            if (i >= 2)
            {
                result.CallMs.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        if (backend == "tables")
        {
            MeasurePeer(result, calls, Environment.GetEnvironmentVariable(ConnectionVariable)!, tableRegisterName!);
        }

        ChildProcess.WriteResult(result);
        return 0;
    }

    /// <summary>
    /// The plain SDK's cost of the requests a registration or a recipient added is made of, on the table the module
    /// just used (same partition, same number of rows), so the emulator's own growth with the table's size is measured
    /// beside the module's.
    /// </summary>
    private static void MeasurePeer(ScaleResult result, int calls, string connection, string partition /* also the table's name */)
    {
        var table = new Azure.Data.Tables.TableServiceClient(connection).GetTableClient(partition);
        for (var i = 0; i < calls + 2; i++)
        {
            var watch = Stopwatch.StartNew();
            table.GetEntityIfExists<Azure.Data.Tables.TableEntity>(partition, "peer-missing-" + i);
            var point = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            foreach (var unused in table.Query<Azure.Data.Tables.TableEntity>($"PartitionKey eq '{partition}' and RowKey ge 'peer~{i}' and RowKey lt 'peer~{i}~'"))
            {
                throw new BenchmarkException("The peer's empty range returned a row.");
            }

            var range = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            var entity = new Azure.Data.Tables.TableEntity(partition, "peer-row-" + i) { ["Value"] = new string('x', 200) };
            table.AddEntity(entity);
            table.DeleteEntity(partition, entity.RowKey);
            var write = watch.Elapsed.TotalMilliseconds;
            if (i >= 2)
            {
                result.PeerPointMs.Add(point);
                result.PeerRangeMs.Add(range);
                result.PeerWriteMs.Add(write);
            }
        }
    }

    private static void Run(Runspace runspace, string script, params object[] arguments)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        foreach (var argument in arguments)
        {
            shell.AddArgument(argument);
        }

        shell.Invoke();
        if (shell.HadErrors || shell.Streams.Error.Count > 0)
        {
            throw new BenchmarkException($"'{script}' reported: " + string.Join(Environment.NewLine, shell.Streams.Error.Take(3).Select(e => e.FullyQualifiedErrorId + ": " + e)));
        }
    }
}
