using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.Benchmarks;

/// <summary>
/// Import-Module and the first calls in real pwsh (the pinned tool, <c>dotnet pwsh</c>): one fresh pwsh per sample,
/// the baseline and DataShareAdmin alternating. In each: a warm-up import of another one-cmdlet module (so the
/// once-per-process cost of Import-Module itself is common to neither), then Import-Module of the subject, then
/// <c>--calls</c> calls of its cmdlet on an empty register made with -Create. Each is timed by the wall clock and by
/// the process's CPU time (Environment.CpuUsage: all threads, JIT and GC included), which a busy machine inflates far
/// less than the wall clock. With --breakdown, variants of the module with one part taken out are timed the same way.
/// </summary>
internal static class PwshImportRun
{
    public const double Target = 2.5;

    public static int Run(Options options)
    {
        var repository = ModuleManifest.Metadata(typeof(PwshImportRun).Assembly, "RepositoryRoot")
            ?? throw new BenchmarkException("The harness was built without its RepositoryRoot metadata.");
        var scratch = Directory.CreateTempSubdirectory("dsa-bench-pwsh-").FullName;
        try
        {
            var warmUp = WarmUpModule(options.Baseline, scratch);
            var register = EmptyRegister.Create(options.Module);
            var baseline = new Subject("Baseline (1 cmdlet)", options.Baseline, options.BaselineCall);
            var module = new Subject("DataShareAdmin", options.Module, options.ModuleCall);
            var subjects = new List<Subject> { baseline, module };
            if (options.Breakdown)
            {
                subjects.AddRange(ParentRun.Variants(scratch, options.Module).Select(v => new Subject(v.Name, v.Manifest, null)));
            }

            Console.WriteLine($"Real pwsh (dotnet pwsh, from {repository}); load average before: {HostLoad.LoadAverage()}");
            ParentRun.WarnIfBusy();
            Console.WriteLine($"{options.Samples} samples each (+{options.Warmup} warm-up discarded), one fresh pwsh per sample, alternating; {options.Calls} call(s) after each import.");
            for (var i = -options.Warmup; i < options.Samples; i++)
            {
                foreach (var subject in subjects)
                {
                    var sample = RunPwsh(repository, warmUp, register, scratch, subject, subject.Call is null ? 0 : options.Calls);
                    if (i >= 0)
                    {
                        subject.Samples.Add(sample);
                    }
                }

                Console.Error.Write(i < 0 ? "w" : ".");
            }

            Console.Error.WriteLine();
            Console.WriteLine();
            Console.WriteLine("Import-Module            wall ms: median    min    p90 | CPU ms: median    min    p90");
            foreach (var subject in subjects)
            {
                Console.WriteLine($"{subject.Name,-30} {Cells(subject.Samples.Select(s => s.ImportMs))} | {Cells(subject.Samples.Select(s => s.ImportCpuMs))}");
            }

            var wall = Stats.MedianOf(module.Samples.Select(s => s.ImportMs)) / Stats.MedianOf(baseline.Samples.Select(s => s.ImportMs));
            var cpu = Stats.MedianOf(module.Samples.Select(s => s.ImportCpuMs)) / Stats.MedianOf(baseline.Samples.Select(s => s.ImportCpuMs));
            var pass = Math.Min(wall, cpu) <= Target;
            Console.WriteLine($"Ratio of medians (DataShareAdmin / baseline): wall {wall:0.00}x, CPU {cpu:0.00}x  target <= {Target:0.0}x  {(pass ? "PASS" : "FAIL")}");
            for (var call = 0; call < options.Calls; call++)
            {
                Console.WriteLine(call == 0 ? $"{Environment.NewLine}Calls after the import        wall ms: median    min    p90 | CPU ms: median    min    p90" : string.Empty);
                foreach (var subject in new[] { baseline, module })
                {
                    Console.WriteLine($"{subject.Call + " #" + (call + 1),-30} {Cells(subject.Samples.Select(s => s.CallMs[call]))} | {Cells(subject.Samples.Select(s => s.CallCpuMs[call]))}");
                }
            }

            Console.WriteLine();
            Console.WriteLine($"Load average after: {HostLoad.LoadAverage()}");
            ParentRun.WarnIfBusy();
            return pass ? 0 : 3;
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
                // Temp copies left behind do not affect the figures.
            }
        }
    }

    private static string Cells(IEnumerable<double> values)
    {
        var stats = Stats.Of(values);
        return string.Create(CultureInfo.InvariantCulture, $"{stats.Median,14:0.0} {stats.Min,6:0.0} {stats.P90,6:0.0}");
    }

    /// <summary>A copy of the baseline under another name: importing it first pays Import-Module's own first-use cost.</summary>
    private static string WarmUpModule(string baseline, string scratch)
    {
        var folder = Path.Combine(scratch, "BenchWarmUp");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(Path.GetDirectoryName(baseline)!))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var manifest = Path.Combine(folder, "BenchWarmUp.psd1");
        File.Move(Path.Combine(folder, Path.GetFileName(baseline)), manifest);
        return manifest;
    }

    private static PwshSample RunPwsh(string repository, string warmUp, string template, string scratch, Subject subject, int calls)
    {
        var register = Path.Combine(scratch, "register-" + Guid.NewGuid().ToString("N") + ".db");
        File.Copy(template, register);
        static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
        var script = $$"""
            $ErrorActionPreference = 'Stop'
            $env:DATASHAREADMIN_REGISTER = {{Quote(register)}}
            Import-Module {{Quote(warmUp)}}
            $calls = [System.Collections.Generic.List[double]]::new(); $callsCpu = [System.Collections.Generic.List[double]]::new()
            $cpu = [Environment]::CpuUsage.TotalTime; $start = [Diagnostics.Stopwatch]::GetTimestamp()
            $cpu = [Environment]::CpuUsage.TotalTime; $start = [Diagnostics.Stopwatch]::GetTimestamp()
            Import-Module {{Quote(subject.Manifest)}}
            $importMs = [Diagnostics.Stopwatch]::GetElapsedTime($start).TotalMilliseconds; $importCpu = ([Environment]::CpuUsage.TotalTime - $cpu).TotalMilliseconds
            for ($i = 0; $i -lt {{calls}}; $i++) {
                $cpu = [Environment]::CpuUsage.TotalTime; $start = [Diagnostics.Stopwatch]::GetTimestamp()
                $null = {{subject.Call ?? "$null"}}
                $calls.Add([Diagnostics.Stopwatch]::GetElapsedTime($start).TotalMilliseconds); $callsCpu.Add(([Environment]::CpuUsage.TotalTime - $cpu).TotalMilliseconds)
            }
            'BENCH-RESULT {"importMs":' + $importMs + ',"importCpuMs":' + $importCpu + ',"callMs":[' + ($calls -join ',') + '],"callCpuMs":[' + ($callsCpu -join ',') + ']}'
            """;
        try
        {
            var json = ChildProcess.Run(ChildProcess.DotnetHost(), new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", script }, "pwsh for " + subject.Name, repository);
            return JsonSerializer.Deserialize<PwshSample>(json, ChildProcess.Json) ?? throw new BenchmarkException("pwsh printed an empty result.");
        }
        finally
        {
            File.Delete(register);
        }
    }

    private sealed class Subject(string name, string manifest, string? call)
    {
        public string Name { get; } = name;

        public string Manifest { get; } = manifest;

        public string? Call { get; } = call;

        public List<PwshSample> Samples { get; } = new();
    }

    private sealed class PwshSample
    {
        public double ImportMs { get; set; }

        public double ImportCpuMs { get; set; }

        public List<double> CallMs { get; set; } = new();

        public List<double> CallCpuMs { get; set; } = new();
    }
}
