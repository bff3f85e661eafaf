using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading.Tasks;

namespace DataShareAdmin.Host.Tests;

/// <summary>What one run of the host printed and returned.</summary>
internal sealed record HostResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Starts <c>dotnet DataShareAdmin.Host.dll</c> with standard input redirected (so it is non-interactive), a register
/// in a temporary folder (DATASHAREADMIN_REGISTER) and no inherited module or configuration overrides.
/// </summary>
internal sealed class HostRunner : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    // An empty register made once per test run by the host itself (nothing makes one without being asked), copied
    // into each runner's folder so every script starts with a register of its own.
    private static readonly Lazy<string> EmptyRegister = new(MakeEmptyRegister);

    public HostRunner()
        : this(withRegister: true)
    {
    }

    private HostRunner(bool withRegister)
    {
        Folder = Path.Combine(Path.GetTempPath(), "DataShareAdmin.Host.Tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        if (withRegister)
        {
            File.Copy(EmptyRegister.Value, RegisterPath);
        }
    }

    /// <summary>A fresh folder for scripts and the register (an empty one, there from the start); deleted on dispose.</summary>
    public string Folder { get; }

    public string RegisterPath => Path.Combine(Folder, "register.db");

    public static string HostAssembly => Path.Combine(AppContext.BaseDirectory, "DataShareAdmin.Host.dll");

    public string WriteScript(string name, string text)
    {
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        return path;
    }

    public HostResult Run(params string[] arguments) => Run(new Dictionary<string, string?>(), arguments);

    public HostResult Run(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"DataShareAdmin.Host did not finish within {Timeout.TotalSeconds} s.");
        }

        Task.WaitAll(output, error);
        return new HostResult(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts the host and returns at once; the caller reads its output and waits for (or kills) it.</summary>
    public Process Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(DotnetPath())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(HostAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DATASHAREADMIN_REGISTER"] = RegisterPath;
        start.Environment.Remove("DATASHAREADMIN_CONFIG");
        start.Environment.Remove("DATASHAREADMIN_MODULE");
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.StandardInput.Close();
        return process;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A register file still locked on Windows: the temp folder is cleaned up eventually.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string MakeEmptyRegister()
    {
        using var maker = new HostRunner(withRegister: false);
        var made = maker.Run("-Command", "Connect-DataShareRegister -Create");
        if (made.ExitCode != 0 || !File.Exists(maker.RegisterPath))
        {
            throw new InvalidOperationException("The host could not make an empty register: " + made);
        }

        var template = Path.Combine(Path.GetTempPath(), "DataShareAdmin.Host.Tests", "empty-register-" + Guid.NewGuid().ToString("N") + ".db");
        File.Copy(maker.RegisterPath, template);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(template);
        return template;
    }

    private static string DotnetPath()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk) ? fromSdk : "dotnet";
    }
}
