using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace DataShareAdmin.BenchSupport;

/// <summary>The machine a harness runs on: its CPU and the load on it (other work shows up in the figures).</summary>
public static class HostLoad
{
    /// <summary>1/5/15-minute load average on Linux: other work on the machine shows up in the figures.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>
    /// Prints "WARNING: the machine is busy (1-minute load L on N processors): <paramref name="consequence"/>" when the
    /// 1-minute load is above the processor count.
    /// </summary>
    public static void WarnIfBusy(string consequence)
    {
        var text = LoadAverage().Split(' ')[0];
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) && load > Environment.ProcessorCount)
        {
            Console.WriteLine($"WARNING: the machine is busy (1-minute load {load:0.0} on {Environment.ProcessorCount} processors): {consequence}");
        }
    }

    /// <summary>
    /// The CPU's model name from /proc/cpuinfo: false when that file could not be read; true with a null
    /// <paramref name="model"/> when there is no such file or line.
    /// </summary>
    public static bool TryReadCpuModel(out string? model)
    {
        try
        {
            var line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
            model = line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            return true;
        }
        catch (IOException)
        {
            model = null;
            return false;
        }
    }
}
