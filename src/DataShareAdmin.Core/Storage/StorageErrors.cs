using System;
using Azure;

namespace DataShareAdmin.Core.Storage;

/// <summary>A storage service's failure as one line a person can act on: status, error code and the service's own words.</summary>
public static class StorageErrors
{
    /// <summary>Stop here: what the SDK appends after the service's message (ids, the status line, the body, the headers).</summary>
    private static readonly string[] DumpMarkers = { "\nRequestId:", "\nTime:", "\nStatus:", "\nErrorCode:", "\nAdditional Information:", "\nContent:", "\nHeaders:" };

    private const int MaxMessage = 480;

    /// <summary>
    /// "400 InvalidHeaderValue: The API version … use --skipApiVersionCheck": the status, the error code and the
    /// service's message, never the SDK's request dump (which quotes headers). A signature a service quotes back is
    /// removed. Without a message (an answer with no body), the status line's reason is used.
    /// </summary>
    public static string Describe(RequestFailedException ex)
    {
        var head = ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + (string.IsNullOrEmpty(ex.ErrorCode) ? string.Empty : " " + ex.ErrorCode);
        var message = ServiceMessage(ex.Message ?? string.Empty);
        return message.Length == 0 || string.Equals(message, ex.ErrorCode, StringComparison.Ordinal) ? head : head + ": " + message;
    }

    private static string ServiceMessage(string text)
    {
        var normalised = text.Replace("\r\n", "\n");
        var message = normalised;
        foreach (var marker in DumpMarkers)
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message.Substring(0, at);
            }
        }

        message = message.Trim();
        if (message.Length == 0 || message.StartsWith("Service request failed.", StringComparison.Ordinal))
        {
            message = Reason(normalised);
        }

        message = WithoutSignatures(string.Join(" ", message.Split(new[] { ' ', '\n', '\t' }, StringSplitOptions.RemoveEmptyEntries)));
        return message.Length <= MaxMessage ? message : message.Substring(0, MaxMessage) + "…";
    }

    /// <summary>The reason on the SDK's "Status: 404 (The specified container does not exist.)" line, if any.</summary>
    private static string Reason(string text)
    {
        var at = text.IndexOf("Status: ", StringComparison.Ordinal);
        if (at < 0)
        {
            return string.Empty;
        }

        var end = text.IndexOf('\n', at);
        var line = end < 0 ? text.Substring(at) : text.Substring(at, end - at);
        var open = line.IndexOf('(');
        var close = line.LastIndexOf(')');
        return open >= 0 && close > open ? line.Substring(open + 1, close - open - 1).Trim() : string.Empty;
    }

    private static string WithoutSignatures(string text)
    {
        var at = text.IndexOf("sig=", StringComparison.OrdinalIgnoreCase);
        while (at >= 0)
        {
            var end = at + 4;
            while (end < text.Length && text[end] is not ('&' or ' ' or '\'' or '"' or ')' or '<'))
            {
                end++;
            }

            const string removed = "sig=(removed)";
            text = text.Substring(0, at) + removed + text.Substring(end);
            at = text.IndexOf("sig=", at + removed.Length, StringComparison.OrdinalIgnoreCase);
        }

        return text;
    }
}
