using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace DataShareAdmin.TestSupport;

/// <summary>An HTTP/1.1 message head: the start line and the header fields in the order they came.</summary>
internal sealed class HttpHead
{
    public HttpHead(string startLine, List<KeyValuePair<string, string>> fields)
    {
        StartLine = startLine;
        Fields = fields;
    }

    public string StartLine { get; set; }

    public List<KeyValuePair<string, string>> Fields { get; }

    public string? this[string name]
    {
        get
        {
            foreach (var field in Fields)
            {
                if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return field.Value;
                }
            }

            return null;
        }
    }

    public void Set(string name, string? value)
    {
        Fields.RemoveAll(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));
        if (value is not null)
        {
            Fields.Add(new(name, value));
        }
    }

    public bool IsChunked => this["Transfer-Encoding"]?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    public long? ContentLength => long.TryParse(this["Content-Length"], NumberStyles.None, CultureInfo.InvariantCulture, out var length) ? length : null;

    public bool WantsClose => this["Connection"]?.Contains("close", StringComparison.OrdinalIgnoreCase) == true;

    public byte[] ToBytes()
    {
        var text = new StringBuilder(StartLine).Append("\r\n");
        foreach (var field in Fields)
        {
            text.Append(field.Key).Append(": ").Append(field.Value).Append("\r\n");
        }

        return Encoding.Latin1.GetBytes(text.Append("\r\n").ToString());
    }
}

/// <summary>
/// Reads HTTP/1.1 messages off a stream, keeping bodies byte for byte as sent (a chunked body stays chunked), so a
/// proxy passes on exactly what it received.
/// </summary>
internal sealed class HttpWireReader
{
    private const int MaxHeadBytes = 64 * 1024;
    private readonly Stream stream;
    private readonly byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;

    public HttpWireReader(Stream stream) => this.stream = stream;

    /// <summary>The next message head, or null when the peer closed the connection before sending one.</summary>
    public async Task<HttpHead?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var first = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        while (first is { Length: 0 })
        {
            // Tolerate blank lines between messages (RFC 9112 §2.2).
            first = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }

        if (first is null)
        {
            return null;
        }

        var fields = new List<KeyValuePair<string, string>>();
        var total = first.Length;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw new EndOfStreamException("The connection closed inside a message head.");
            if (line.Length == 0)
            {
                return new HttpHead(first, fields);
            }

            total += line.Length;
            if (total > MaxHeadBytes)
            {
                throw new InvalidDataException("A message head longer than 64 KiB.");
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new InvalidDataException($"Not a header field: '{line}'.");
            }

            fields.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
    }

    /// <summary>The body that follows <paramref name="head"/>, as raw bytes; <paramref name="toEnd"/> reads until the peer closes.</summary>
    public async Task<byte[]> ReadBodyAsync(HttpHead head, bool toEnd, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        if (head.IsChunked)
        {
            while (true)
            {
                var sizeLine = await ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? throw new EndOfStreamException("The connection closed inside a chunked body.");
                Write(body, sizeLine + "\r\n");
                var size = long.Parse(sizeLine.Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    // Trailer fields, up to the empty line.
                    while (true)
                    {
                        var trailer = await ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty;
                        Write(body, trailer + "\r\n");
                        if (trailer.Length == 0)
                        {
                            return body.ToArray();
                        }
                    }
                }

                await CopyAsync(body, size + 2, cancellationToken).ConfigureAwait(false);
            }
        }

        if (head.ContentLength is { } length)
        {
            await CopyAsync(body, length, cancellationToken).ConfigureAwait(false);
        }
        else if (toEnd)
        {
            while (await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                body.Write(buffer, start, end - start);
                start = end;
            }
        }

        return body.ToArray();
    }

    private static void Write(MemoryStream body, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        body.Write(bytes, 0, bytes.Length);
    }

    private async Task CopyAsync(MemoryStream body, long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (start == end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new EndOfStreamException("The connection closed inside a body.");
            }

            var take = (int)Math.Min(count, end - start);
            body.Write(buffer, start, take);
            start += take;
            count -= take;
        }
    }

    private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        while (true)
        {
            if (start == end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return line.Length == 0 ? null : throw new EndOfStreamException("The connection closed inside a line.");
            }

            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            var stop = newline < 0 ? end : newline;
            line.Append(Encoding.Latin1.GetString(buffer, start, stop - start));
            start = newline < 0 ? end : newline + 1;
            if (line.Length > MaxHeadBytes)
            {
                throw new InvalidDataException("A line longer than 64 KiB.");
            }

            if (newline >= 0)
            {
                return line.ToString().TrimEnd('\r');
            }
        }
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        start = 0;
        end = await stream.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        return end > 0;
    }
}
