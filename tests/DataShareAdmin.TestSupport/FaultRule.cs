using System;
using System.Text.RegularExpressions;
using System.Threading;

namespace DataShareAdmin.TestSupport;

/// <summary>What a <see cref="FaultRule"/> does to a request it matches.</summary>
public enum FaultKind
{
    /// <summary>Answer with a status of the rule's own (an Azure-style XML error); the request never reaches the server.</summary>
    Answer,

    /// <summary>Forward the request (the server applies it), read the server's answer, then reset the client's
    /// connection instead of passing the answer on: the client sees a lost response.</summary>
    ApplyThenDrop,

    /// <summary>Forward the request (the server applies it), then answer nothing and keep the connection open until
    /// the client gives up (its own timeout) or the proxy is disposed.</summary>
    ApplyThenStall,

    /// <summary>Reset the client's connection without forwarding: the request is lost before the server sees it.</summary>
    Drop,
}

/// <summary>
/// One fault of a <see cref="FaultProxy"/>: which requests it matches (a method and a regular expression over the
/// request target exactly as sent, path and query still escaped), what it does, and how many times.
/// </summary>
/// <remarks>
/// Rules are tried in the order they were added; the first that matches and has turns left takes the request. A rule
/// with no turns left is skipped, so a later rule (or plain forwarding) applies. From PowerShell:
/// <c>$proxy.Add([DataShareAdmin.TestSupport.FaultRule]::Answer('GET', '[?&amp;]comp=list', 404, 'ContainerNotFound'))</c>.
/// </remarks>
public sealed class FaultRule
{
    /// <summary>For <c>times</c>: every matching request, for as long as the rule is there.</summary>
    public const int Always = -1;

    private int remaining;
    private int hits;

    private FaultRule(string method, string targetPattern, FaultKind kind, int status, string? errorCode, int times)
    {
        if (string.IsNullOrWhiteSpace(method))
        {
            throw new ArgumentException("Name a method (GET, PUT, DELETE, ...) or * for any.", nameof(method));
        }

        if (times == 0 || times < Always)
        {
            throw new ArgumentOutOfRangeException(nameof(times), times, "A positive number of times, or FaultRule.Always.");
        }

        Method = method.Trim();
        Target = new Regex(targetPattern ?? string.Empty, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        Kind = kind;
        Status = status;
        ErrorCode = errorCode;
        remaining = times;
    }

    /// <summary>The method matched, case-insensitively; <c>*</c> matches any.</summary>
    public string Method { get; }

    /// <summary>Searched (not anchored) in the request target as sent, e.g. <c>/devstoreaccount1/c?restype=container&amp;comp=list</c>.</summary>
    public Regex Target { get; }

    public FaultKind Kind { get; }

    /// <summary>For <see cref="FaultKind.Answer"/>: the status answered.</summary>
    public int Status { get; }

    /// <summary>For <see cref="FaultKind.Answer"/>: the storage error code (x-ms-error-code and the XML body's Code).</summary>
    public string? ErrorCode { get; }

    /// <summary>How many requests the rule has taken so far.</summary>
    public int Hits => Volatile.Read(ref hits);

    /// <summary>Turns left; <see cref="Always"/> for a rule without a limit.</summary>
    public int Remaining => Volatile.Read(ref remaining);

    /// <summary>Answers <paramref name="status"/> (with an Azure-style error body) instead of forwarding; without an
    /// error code, a usual one for the status (404 ResourceNotFound, 500 InternalError, 503 ServerBusy).</summary>
    public static FaultRule Answer(string method, string targetPattern, int status, string? errorCode = null, int times = Always)
    {
        if (status is < 100 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "An HTTP status from 100 to 599.");
        }

        return new FaultRule(method, targetPattern, FaultKind.Answer, status, string.IsNullOrEmpty(errorCode) ? DefaultCode(status) : errorCode, times);
    }

    /// <summary>Forwards the request, then resets the connection instead of returning the server's answer.</summary>
    public static FaultRule ApplyThenDrop(string method, string targetPattern, int times = Always) =>
        new(method, targetPattern, FaultKind.ApplyThenDrop, 0, null, times);

    /// <summary>Forwards the request, then never answers (until the client times out or the proxy is disposed).</summary>
    public static FaultRule ApplyThenStall(string method, string targetPattern, int times = Always) =>
        new(method, targetPattern, FaultKind.ApplyThenStall, 0, null, times);

    /// <summary>Resets the connection without forwarding the request.</summary>
    public static FaultRule Drop(string method, string targetPattern, int times = Always) =>
        new(method, targetPattern, FaultKind.Drop, 0, null, times);

    /// <summary>True when the rule matches and had a turn left, which this request has now taken.</summary>
    internal bool TryTake(string method, string target)
    {
        if ((Method != "*" && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)) || !Target.IsMatch(target))
        {
            return false;
        }

        while (true)
        {
            var left = Volatile.Read(ref remaining);
            if (left == 0)
            {
                return false;
            }

            if (left == Always || Interlocked.CompareExchange(ref remaining, left - 1, left) == left)
            {
                Interlocked.Increment(ref hits);
                return true;
            }
        }
    }

    private static string DefaultCode(int status) => status switch
    {
        404 => "ResourceNotFound",
        500 => "InternalError",
        503 => "ServerBusy",
        _ => "InjectedFault",
    };

    public override string ToString() =>
        $"{Kind} {Method} /{Target}/" + (Kind == FaultKind.Answer ? $" {Status} {ErrorCode}" : string.Empty)
        + (Remaining == Always ? " always" : $" {Remaining} more time(s)") + $", {Hits} hit(s)";
}
