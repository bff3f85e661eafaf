using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;

namespace DataShareAdmin.TransferBenchmark;

/// <summary>
/// CPU time used during a timed call by this process and, where the OS lets us find it (Linux /proc), by the Azurite
/// node process this harness started: where the time goes when the emulator, not the client, is the bottleneck.
/// </summary>
internal sealed class CpuMeter
{
    private readonly Process? azurite;
    private TimeSpan clientStart;
    private TimeSpan azuriteStart;

    private CpuMeter(Process? azurite) => this.azurite = azurite;

    /// <summary>Finds the Azurite node process among this process's children; none found just means no Azurite column.</summary>
    public static CpuMeter ForAzurite()
    {
        Process? node = null;
        try
        {
            if (Directory.Exists("/proc/self/task"))
            {
                var children = Directory.GetDirectories("/proc/self/task")
                    .Select(task => Path.Combine(task, "children"))
                    .Where(File.Exists)
                    .SelectMany(file => File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    .Select(id => int.Parse(id, CultureInfo.InvariantCulture));
                foreach (var id in children)
                {
                    var comm = Path.Combine("/proc", id.ToString(CultureInfo.InvariantCulture), "comm");
                    if (File.Exists(comm) && File.ReadAllText(comm).Trim() == "node")
                    {
                        node = Process.GetProcessById(id);
                        break;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            node = null;
        }

        return new CpuMeter(node);
    }

    public bool SeesAzurite => azurite is not null;

    public void Start()
    {
        clientStart = Client();
        azuriteStart = Azurite();
    }

    /// <summary>Seconds of CPU since <see cref="Start"/>: this process, and Azurite (NaN when not found).</summary>
    public (double Client, double Azurite) Stop() =>
        ((Client() - clientStart).TotalSeconds, azurite is null ? double.NaN : (Azurite() - azuriteStart).TotalSeconds);

    private static TimeSpan Client()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private TimeSpan Azurite()
    {
        if (azurite is null)
        {
            return TimeSpan.Zero;
        }

        azurite.Refresh();
        return azurite.TotalProcessorTime;
    }
}
