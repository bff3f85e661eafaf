using System;
using System.Buffers.Binary;
using System.IO;
using System.Security.Cryptography;

namespace DataShareAdmin.TransferBenchmark;

/// <summary>The test extract: incompressible bytes, no two MiB alike, written and hashed quickly.</summary>
internal static class TestFile
{
    private const int Seed = 20_240_601;

    /// <summary>
    /// Writes <paramref name="sizeMiB"/> MiB: one seeded random MiB repeated, with the MiB's index stamped every
    /// 64 KiB, so no two blocks of any size from 64 KiB up are the same.
    /// </summary>
    public static void Create(string path, int sizeMiB)
    {
        var buffer = new byte[Options.MiB];
        new Random(Seed).NextBytes(buffer);
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            BufferSize = 0,
            PreallocationSize = (long)sizeMiB * Options.MiB,
        });
        for (long i = 0; i < sizeMiB; i++)
        {
            for (var offset = 0; offset < buffer.Length; offset += 64 * 1024)
            {
                BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(offset), i);
            }

            stream.Write(buffer);
        }
    }

    /// <summary>The file's SHA-256 in lower-case hex: one sequential pass, 1 MiB at a time.</summary>
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Options.MiB];
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
