using System;

namespace DataShareAdmin.BenchSupport;

/// <summary>A harness's Main: bad arguments and failed runs become messages and exit codes, not stack traces.</summary>
public static class HarnessMain
{
    /// <summary>
    /// Runs <paramref name="body"/> and returns its exit code; an <see cref="ArgumentException"/> prints its message and
    /// <paramref name="usage"/> to standard error (exit 2), a <see cref="BenchmarkException"/> prints "Benchmark failed: "
    /// and its message (exit 1).
    /// </summary>
    public static int Run(string usage, Func<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(usage);
            return 2;
        }
        catch (BenchmarkException ex)
        {
            Console.Error.WriteLine("Benchmark failed: " + ex.Message);
            return 1;
        }
    }
}
