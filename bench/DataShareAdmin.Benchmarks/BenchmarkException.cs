using System;

namespace DataShareAdmin.Benchmarks;

/// <summary>A sample could not be taken (a child failed, an import reported errors): the figures would be meaningless.</summary>
internal sealed class BenchmarkException : Exception
{
    public BenchmarkException()
    {
    }

    public BenchmarkException(string message)
        : base(message)
    {
    }

    public BenchmarkException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
