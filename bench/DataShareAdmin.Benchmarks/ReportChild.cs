using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.Benchmarks;

/// <summary>
/// Child side of the report scenario, in a fresh process: open a runspace, import the built module, connect to the
/// seeded register (read-only when the export works that way), warm up, then time
/// <c>Export-DataShareReport -Kind SafePeople -Format F -Path P -AsOf D -Force</c> while a background thread samples
/// the managed heap, the working set and the size of the partial file the cmdlet writes beside the target. After the
/// timing the written file is parsed in its format and its rows counted. Like <see cref="RecipientsChild"/>, this
/// class never touches Microsoft.Data.Sqlite itself.
/// </summary>
internal static partial class ReportChild
{
    public static int Run(Options options)
    {
        var register = RecipientsChild.RequireRegister(options);
        if (!File.Exists(register))
        {
            throw new BenchmarkException($"No seeded register at {register}.");
        }

        var target = options.ReportPath ?? throw new ArgumentException("--report-path FILE is required in this child mode.");
        var result = new ReportResult { Label = options.Format };
        using var runspace = RecipientsChild.OpenRuntime(options, out var runspaceMs, out var importMs);
        result.RunspaceOpenMs = runspaceMs;
        result.ImportMs = importMs;

        // Connect (read-only first: the export only reads), then untimed warm-up calls so loading the engine, SQLite,
        // the native library and JIT-compiling this format's writer are not in the timing: Get-DataSharePolicy, and a
        // -Kind Register export (one row per agreement, 50 here) in the same format.
        var start = Stopwatch.GetTimestamp();
        var warmFile = target + ".warm-up";
        try
        {
            ConnectAndWarmUp(runspace, register, options, warmFile, readOnly: true);
            result.ReadOnly = true;
        }
        catch (BenchmarkException ex)
        {
            result.ReadOnlyProblem = ex.Message;
            ConnectAndWarmUp(runspace, register, options, warmFile, readOnly: false);
        }
        finally
        {
            File.Delete(warmFile);
        }

        result.ConnectAndWarmUpMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        (result.SqliteAssembly, result.SqliteLoadContext) = ModuleRuntime.CheckSqliteIsTheModules(options.Module);

        var folder = Path.GetDirectoryName(target)!;
        var partialPattern = Path.GetFileName(target) + ".partial-*";
        result.Measure(options.SampleIntervalMs, () =>
        {
            using var shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddCommand("Export-DataShareReport")
                .AddParameter("Kind", "SafePeople")
                .AddParameter("Format", options.Format)
                .AddParameter("Path", target)
                .AddParameter("AsOf", options.AsOf)
                .AddParameter("Force")
                .AddParameter("Verbose")
                .AddParameter("ErrorAction", "Stop");
            ModuleRuntime.Invoke(shell, "Export-DataShareReport -Kind SafePeople -Format " + options.Format);
            var said = shell.Streams.Verbose.Select(v => RowsSaid().Match(v.Message)).FirstOrDefault(m => m.Success);
            if (said is not null)
            {
                result.RowsReported = long.Parse(said.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            return 0;
        }, fileBytes: () => PartialBytes(folder, partialPattern));
        result.FirstBytesMs = result.Samples.Where(s => s.FileBytes > 0).Select(s => s.Ms).DefaultIfEmpty(-1).Min();

        // Outside the timing: the file as written, and its rows counted by reading it back in its format.
        if (!File.Exists(target))
        {
            throw new BenchmarkException($"Export-DataShareReport wrote no file at {target}.");
        }

        result.FileBytes = new FileInfo(target).Length;
        result.Count = CountRows(target, options.Format);
        result.PerSecond = result.Count / (result.ElapsedMs / 1000);
        if (options.Expect >= 0 && result.Count != options.Expect)
        {
            throw new BenchmarkException($"The {options.Format} report has {result.Count} rows; the register holds {options.Expect} active recipients.");
        }

        if (result.RowsReported >= 0 && result.RowsReported != result.Count)
        {
            throw new BenchmarkException($"Export-DataShareReport said it wrote {result.RowsReported} rows; the {options.Format} file has {result.Count}.");
        }

        ChildProcess.WriteResult(result);
        return 0;
    }

    private static void ConnectAndWarmUp(Runspace runspace, string register, Options options, string warmFile, bool readOnly)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        var connect = shell.AddCommand("Connect-DataShareRegister").AddParameter("Path", register).AddParameter("ErrorAction", "Stop");
        if (readOnly)
        {
            connect.AddParameter("ReadOnly");
        }

        shell.AddStatement().AddCommand("Get-DataSharePolicy").AddParameter("ErrorAction", "Stop").AddCommand("Out-Null");
        shell.AddStatement().AddCommand("Export-DataShareReport")
            .AddParameter("Kind", "Register")
            .AddParameter("Format", options.Format)
            .AddParameter("Path", warmFile)
            .AddParameter("AsOf", options.AsOf)
            .AddParameter("Force")
            .AddParameter("ErrorAction", "Stop");
        ModuleRuntime.Invoke(shell, $"Connect-DataShareRegister{(readOnly ? " -ReadOnly" : string.Empty)} / Get-DataSharePolicy / Export-DataShareReport -Kind Register");
        if (!File.Exists(warmFile))
        {
            throw new BenchmarkException($"The warm-up export wrote no file{(readOnly ? " through a read-only connection" : string.Empty)}.");
        }
    }

    /// <summary>Bytes written so far to the partial file(s) beside the target.</summary>
    private static long PartialBytes(string folder, string partialPattern)
    {
        long fileBytes = 0;
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, partialPattern))
            {
                fileBytes += new FileInfo(file).Length;
            }
        }
        catch (IOException)
        {
            // Moved into place between listing and measuring: the run is over.
        }

        return fileBytes;
    }

    /// <summary>Data rows in a written report, counted by reading it back the way its format is read.</summary>
    internal static long CountRows(string path, string format) => format switch
    {
        "Csv" => CountCsvRecords(path) - 1,
        "Json" => CountJsonRows(path),
        "Html" => File.ReadLines(path).LongCount(line => line.StartsWith("<tr>", StringComparison.Ordinal)),
        "Markdown" => File.ReadLines(path).LongCount(line => line.StartsWith('|')) - 2,
        _ => throw new BenchmarkException($"No row counter for format {format}."),
    };

    /// <summary>RFC 4180 records: line ends outside quotes (a quoted field may hold a line break).</summary>
    private static long CountCsvRecords(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var buffer = new char[64 * 1024];
        long records = 0;
        var quoted = false;
        var pending = false;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == '\n' && !quoted)
                {
                    records++;
                    pending = false;
                    continue;
                }

                pending = true;
            }
        }

        return records + (pending ? 1 : 0);
    }

    /// <summary>Objects in the top-level "rows" array.</summary>
    private static long CountJsonRows(string path)
    {
        var reader = new Utf8JsonReader(File.ReadAllBytes(path));
        long rows = 0;
        var inRows = false;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                inRows = reader.ValueTextEquals("rows");
            }
            else if (inRows && reader.CurrentDepth == 2 && reader.TokenType == JsonTokenType.StartObject)
            {
                rows++;
            }
        }

        return rows;
    }

    [GeneratedRegex(@"\((\d+) row\(s\)\)")]
    private static partial Regex RowsSaid();
}
