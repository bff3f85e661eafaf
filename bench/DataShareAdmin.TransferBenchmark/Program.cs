using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using DataShareAdmin.TestSupport;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.TransferBenchmark;

/// <summary>
/// Times uploading one test file to Azurite through New-DataShareTransfer (the built module in a hosted runspace)
/// against a plain Azure.Storage.Blobs upload with the same transfer options, and the same upload followed by a
/// separate SHA-256 pass (what getting the hash would otherwise cost). Only the upload call is timed: creating and
/// deleting containers, setting up the runspace and checking results are outside the stopwatch.
/// </summary>
internal static class Program
{
    public static int Main(string[] args) => HarnessMain.Run(Options.Usage, () =>
    {
        var options = Options.Parse(args);
        if (options.Help)
        {
            Console.WriteLine(Options.Usage);
        }
        else
        {
            Run(options, args);
        }

        return 0;
    });

    private static void Run(Options options, string[] args)
    {
        var total = Stopwatch.StartNew();
        var manifest = ModuleManifest.DefaultPath(typeof(Program).Assembly);
        var repository = RepositoryRoot();
        var wantsModule = options.Variants.Contains(Options.Module);
        if (wantsModule && !File.Exists(manifest))
        {
            throw new BenchmarkException($"No module manifest at {manifest}: build it first (dotnet build DataShareAdmin.sln -c Release).");
        }

        MachineInfo.Print(options, args, repository);

        var work = Path.Combine(Path.GetTempPath(), "dsa-transfer-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var file = Path.Combine(work, "extract.bin");
            var step = Stopwatch.StartNew();
            TestFile.Create(file, options.SizeMiB);
            Console.WriteLine($"Test file:       {file} ({options.SizeMiB} MiB, written in {step.Elapsed.TotalSeconds:0.0} s)");
            step.Restart();
            var sha256 = TestFile.Sha256(file);
            Console.WriteLine($"SHA-256:         {sha256} ({step.Elapsed.TotalSeconds:0.00} s, {options.SizeMiB / step.Elapsed.TotalSeconds:0} MiB/s on one thread)");

            step.Restart();
            using var azurite = Emulator.Start();
            Console.WriteLine($"Azurite blob:    {azurite.BlobEndpoint} (started in {step.Elapsed.TotalSeconds:0.0} s)" +
                (options.FreshAzurite ? "; restarted empty before every upload (--fresh-azurite)" : "; one instance for the whole run"));

            ModuleSession? session = null;
            try
            {
                if (wantsModule)
                {
                    step.Restart();
                    session = new ModuleSession(manifest, Path.Combine(work, "register.db"), azurite.ConnectionString);
                    Console.WriteLine($"Module:          {manifest} (runspace set up in {step.Elapsed.TotalSeconds:0.0} s)");
                }

                var runner = new Runner(options, file, sha256, azurite, session);
                var results = runner.RunAll();
                Report.Print(options, results);
            }
            finally
            {
                session?.Dispose();
            }
        }
        finally
        {
            TryDelete(work);
        }

        Console.WriteLine($"Total time:      {total.Elapsed.TotalMinutes:0.0} min");
    }

    /// <summary>The repository this harness was built from: the folder holding out/.</summary>
    private static string RepositoryRoot()
    {
        var root = ModuleManifest.Metadata(typeof(Program).Assembly, "ModuleOutputRoot");
        return root is null
            ? Directory.GetCurrentDirectory()
            : Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))) ?? Directory.GetCurrentDirectory();
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not delete {directory}: {ex.Message}");
        }
    }
}

/// <summary>The timed rounds: one warm-up round of each variant, then the timed ones, in alternating order.</summary>
internal sealed class Runner(Options options, string file, string sha256, Emulator azurite, ModuleSession? session)
{
    private const string BlobName = "extract.bin";

    private bool first = true;

    private BlobServiceClient Service => azurite.Service;

    private CpuMeter Cpu => azurite.Cpu;

    public Dictionary<string, VariantResult> RunAll()
    {
        var results = options.Variants.ToDictionary(v => v, v => new VariantResult(v));
        for (var round = 0; round <= options.Rounds; round++)
        {
            // Forward on even rounds, reversed on odd ones, so no variant always runs first or last in a round.
            var order = round % 2 == 0 ? options.Variants : options.Variants.Reverse().ToArray();
            foreach (var variant in order)
            {
                if (options.FreshAzurite && !first)
                {
                    // A new, empty emulator: no upload pays for what earlier ones left in Azurite's stores.
                    azurite.Restart();
                    session?.ConnectStorage(azurite.ConnectionString);
                }

                first = false;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var sample = variant switch
                {
                    Options.Sdk => Sdk(hash: false),
                    Options.SdkSha256 => Sdk(hash: true),
                    _ => Module(),
                };
                var label = round == 0 ? "warm-up" : $"round {round}";
                Console.WriteLine($"  {label,-8} {variant,-11} {sample.Seconds,8:0.00} s {options.SizeMiB / sample.Seconds,8:0.0} MiB/s" +
                    $"   CPU: harness {sample.ClientCpu,6:0.00} s, azurite {Report.Seconds(sample.AzuriteCpu),6} s   peak working set {sample.PeakWorkingSet / (double)Options.MiB,5:0} MiB");
                if (round > 0)
                {
                    results[variant].Add(sample);
                }
            }
        }

        return results;
    }

    private Sample Sdk(bool hash)
    {
        var container = Service.GetBlobContainerClient("bench-" + Guid.NewGuid().ToString("N"));
        container.Create();
        try
        {
            var blob = container.GetBlobClient(BlobName);
            var upload = new BlobUploadOptions
            {
                TransferOptions = new StorageTransferOptions
                {
                    MaximumConcurrency = options.Concurrency,
                    MaximumTransferSize = (long)options.BlockMiB * Options.MiB,
                    InitialTransferSize = (long)options.BlockMiB * Options.MiB,
                },
            };

            string? hex = null;
            using var sampler = PeakWorkingSet.Start();
            Cpu.Start();
            var watch = Stopwatch.StartNew();
            blob.UploadAsync(file, upload).GetAwaiter().GetResult();
            if (hash)
            {
                hex = TestFile.Sha256(file);
            }

            watch.Stop();
            var (clientCpu, azuriteCpu) = Cpu.Stop();
            var peak = sampler.Stop();

            var length = blob.GetProperties().Value.ContentLength;
            if (length != options.SizeBytes)
            {
                throw new BenchmarkException($"The sdk upload stored {length} bytes, not {options.SizeBytes}.");
            }

            if (hash && hex != sha256)
            {
                throw new BenchmarkException($"The sdk+sha256 pass computed {hex}, not {sha256}.");
            }

            return new Sample(watch.Elapsed.TotalSeconds, clientCpu, azuriteCpu, peak);
        }
        finally
        {
            container.DeleteIfExists();
        }
    }

    private Sample Module()
    {
        using var shell = session!.Prepare(file);
        System.Collections.ObjectModel.Collection<System.Management.Automation.PSObject> output;
        using var sampler = PeakWorkingSet.Start();
        Cpu.Start();
        var watch = Stopwatch.StartNew();
        try
        {
            output = shell.Invoke();
        }
        catch (System.Management.Automation.RuntimeException ex)
        {
            throw new BenchmarkException($"New-DataShareTransfer failed: {ex.Message}");
        }

        watch.Stop();
        var (clientCpu, azuriteCpu) = Cpu.Stop();
        var peak = sampler.Stop();
        var container = ModuleSession.Check(shell, output, options.SizeBytes, sha256);
        Service.GetBlobContainerClient(container).DeleteIfExists();
        return new Sample(watch.Elapsed.TotalSeconds, clientCpu, azuriteCpu, peak);
    }
}

/// <summary>The Azurite blob service the uploads go to, with a client and a CPU meter for it; restartable empty.</summary>
internal sealed class Emulator : IDisposable
{
    private AzuriteServer server;

    private Emulator(AzuriteServer server)
    {
        this.server = server;
        Service = new BlobServiceClient(server.ConnectionString);
        Cpu = CpuMeter.ForAzurite();
    }

    public string ConnectionString => server.ConnectionString;

    public Uri BlobEndpoint => server.BlobEndpoint;

    public BlobServiceClient Service { get; private set; }

    public CpuMeter Cpu { get; private set; }

    public static Emulator Start() => new(StartServer());

    /// <summary>Stops this instance (deleting its data) and starts a fresh one on new ports.</summary>
    public void Restart()
    {
        server.Dispose();
        server = StartServer();
        Service = new BlobServiceClient(server.ConnectionString);
        Cpu = CpuMeter.ForAzurite();
    }

    public void Dispose() => server.Dispose();

    private static AzuriteServer StartServer() => AzuriteServer.Start(new AzuriteOptions { Services = AzuriteServices.Blob });
}

/// <summary>One timed upload: wall seconds, CPU seconds of the harness process and of Azurite, peak working set.</summary>
internal readonly record struct Sample(double Seconds, double ClientCpu, double AzuriteCpu, long PeakWorkingSet);

/// <summary>The timed rounds of one variant, in round order.</summary>
internal sealed class VariantResult(string name)
{
    public string Name { get; } = name;

    public List<Sample> Samples { get; } = [];

    public IEnumerable<double> Seconds => Samples.Select(s => s.Seconds);

    public double Median => Stats.MedianOf(Seconds);

    public double Min => Seconds.Min();

    public double MedianClientCpu => Stats.MedianOf(Samples.Select(s => s.ClientCpu));

    public double MedianAzuriteCpu => Stats.MedianOf(Samples.Select(s => s.AzuriteCpu));

    public long PeakWorkingSet => Samples.Max(s => s.PeakWorkingSet);

    public void Add(Sample sample) => Samples.Add(sample);

    /// <summary>
    /// The median over rounds of this variant's throughput over <paramref name="other"/>'s in the same round: the
    /// two ran back to back, so drift in Azurite or load from other processes cancels better than in the overall medians.
    /// </summary>
    public double PairedThroughputRatio(VariantResult other) =>
        Stats.MedianOf(Samples.Zip(other.Samples, (mine, theirs) => theirs.Seconds / mine.Seconds));
}
