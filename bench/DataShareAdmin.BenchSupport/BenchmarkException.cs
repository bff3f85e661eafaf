using System;

namespace DataShareAdmin.BenchSupport;

/// <summary>A sample could not be taken (a child failed, an import reported errors): the message is printed and the exit code is 1.</summary>
public sealed class BenchmarkException : Exception
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
