namespace DataShareAdmin.Host;

/// <summary>The host's exit codes. A script's own <c>exit N</c> (N != 0) is passed through unchanged.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>An error record was written or a terminating error stopped the run.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong: unknown argument, missing value, script not found.</summary>
    public const int Usage = 2;

    /// <summary>The module could not be found or imported.</summary>
    public const int ModuleUnavailable = 3;

    /// <summary>The run was stopped with Ctrl+C.</summary>
    public const int Cancelled = 130;
}
