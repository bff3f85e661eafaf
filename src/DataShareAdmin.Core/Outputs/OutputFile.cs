using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace DataShareAdmin.Core.Outputs;

/// <summary>
/// Opens an output table for reading: a regular, non-empty file that looks like text. It reads no further than the
/// length the file had when opened (so a device, a pipe or a file still growing cannot make it read for ever) and
/// hashes exactly the bytes it read.
/// </summary>
internal sealed class OutputFile : Stream
{
    private const int SniffBytes = 8192;

    private readonly FileStream inner;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long remaining;

    private OutputFile(FileStream inner, long length)
    {
        this.inner = inner;
        remaining = length;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Opens <paramref name="path"/> as a text reader over the checked stream.</summary>
    public static (OutputFile File, TextReader Reader) Open(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new DataShareException("OutputFileNotFound", DataShareErrorCategory.ObjectNotFound, $"'{path}' is a folder, not a table file.", path);
        }

        if (!File.Exists(full))
        {
            throw new DataShareException("OutputFileNotFound", DataShareErrorCategory.ObjectNotFound, $"There is no file '{path}'.", path);
        }

        // Devices, pipes and /proc files report no length: refusing them here also means never blocking on a pipe's open.
        var length = new FileInfo(full).Length;
        if (length == 0)
        {
            throw new DataShareException("OutputFileEmpty", DataShareErrorCategory.InvalidData,
                $"'{path}' is empty (or not a regular file): a table needs a header line and a line per cell.", path);
        }

        var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 65536, FileOptions.SequentialScan);
        try
        {
            var file = new OutputFile(stream, length);
            file.Sniff(path);
            var reader = new StreamReader(file, new UTF8Encoding(false, false), detectEncodingFromByteOrderMarks: true, 65536);
            return (file, reader);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The SHA-256 (lower-case hex) of the bytes read so far: of the whole file once it has been read to the end.</summary>
    public string Sha256() => ToHex(hash.GetHashAndReset());

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (remaining <= 0)
        {
            return 0;
        }

        var read = inner.Read(buffer, offset, (int)Math.Min(count, remaining));
        remaining -= read;
        hash.AppendData(buffer, offset, read);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    internal static string ToHex(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            hash.Dispose();
        }

        base.Dispose(disposing);
    }

    // Looks at the first bytes without consuming them (the stream is read again from the start): NUL bytes outside a
    // UTF-16 text, or control characters no text table holds, mean a binary file (a workbook, a PDF, an archive).
    private void Sniff(string path)
    {
        var head = new byte[(int)Math.Min(SniffBytes, remaining)];
        var got = 0;
        while (got < head.Length)
        {
            var n = inner.Read(head, got, head.Length - got);
            if (n == 0)
            {
                break;
            }

            got += n;
        }

        inner.Position = 0;
        var utf16 = got >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
        if (utf16)
        {
            return;
        }

        for (var i = 0; i < got; i++)
        {
            var b = head[i];
            if (b < 0x20 && b != (byte)'\t' && b != (byte)'\r' && b != (byte)'\n' && b != 0x0C)
            {
                var what = got >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' ? " It looks like a workbook or an archive: save the sheet as CSV."
                    : got >= 4 && head[0] == (byte)'%' && head[1] == (byte)'P' && head[2] == (byte)'D' && head[3] == (byte)'F' ? " It is a PDF."
                    : string.Empty;
                throw new DataShareException("OutputFileNotCsv", DataShareErrorCategory.InvalidData,
                    $"'{path}' is not a CSV table: byte {i + 1} is a binary control character (0x{b:X2}).{what}", path);
            }
        }
    }
}
