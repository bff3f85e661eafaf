using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Text.Json;

namespace DataShareAdmin.Module.Tests;

/// <summary>Chromium for the HTML report tests: found on PATH, or installed with apt-get when the run may do so.</summary>
public sealed class ChromiumFixture
{
    public ChromiumFixture()
    {
        Path = Find();
        if (Path is null && OperatingSystem.IsLinux() && File.Exists("/usr/bin/apt-get") && Environment.UserName == "root")
        {
            Run("/usr/bin/apt-get", "update -qq");
            Run("/usr/bin/apt-get", "install -y -qq chromium");
            Path = Find();
        }

        SkipReason = Path is null
            ? "Chromium is not installed and could not be installed here (needs Debian's apt-get as root, or chromium on PATH); the HTML report's browser test is skipped."
            : null;
    }

    public string? Path { get; }

    public string? SkipReason { get; }

    private static string? Find()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(System.IO.Path.PathSeparator))
        {
            foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
            {
                var candidate = System.IO.Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static void Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Runs headless Chromium on a file; returns its stdout and stderr.</summary>
    public (string Output, string Error) Headless(string file, params string[] options)
    {
        var start = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var option in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--enable-logging=stderr", "--v=0" }.Concat(options))
        {
            start.ArgumentList.Add(option);
        }

        start.ArgumentList.Add(new Uri(file).AbsoluteUri);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Chromium did not finish within 90 s.");
        }

        return (output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }
}

/// <summary>Export-DataShareReport over a hosted runspace: every kind and format, bad input, and the HTML in a real browser.</summary>
public sealed class ReportCmdletTests : IClassFixture<ChromiumFixture>, IDisposable
{
    private readonly ChromiumFixture chromium;
    private readonly TempDirectory temp = new();
    private readonly PowerShellSession session;

    public ReportCmdletTests(ChromiumFixture chromium)
    {
        this.chromium = chromium;
        session = new PowerShellSession(temp.File("register.db"));
        session.Run(string.Join(Environment.NewLine,
            Scripts.NewAgreement("DS00752", Scripts.Day(-30), Scripts.Day(300), "DirectTransfer") + " | Out-Null",
            $"Approve-DataShareAgreement DS00752 -Reference DSAP-1 -ApprovedOn {Scripts.Day(-40)}",
            Scripts.NewAgreement("XSS1", Scripts.Day(-30), Scripts.Day(300)) + " | Out-Null",
            "Set-DataShareAgreement XSS1 -Title '<script>document.title=\"pwned\"</script><img src=x onerror=alert(1)>'",
            Scripts.NewAgreement("FORMULA1", Scripts.Day(-300), Scripts.Day(-10)) + " | Out-Null",
            "Set-DataShareAgreement FORMULA1 -Title '=HYPERLINK(\"http://evil.example\")'",
            $"Add-DataShareRecipient DS00752 -Name 'Jo Bloggs' -Email jo@example.org | Set-DataShareRecipient -DeclarationSignedOn {Scripts.Day(-20)} -TrainingCompletedOn {Scripts.Day(-50)}",
            $"Get-DataShareRecipient DS00752 -Email jo@example.org | Add-DisclosureCertificate -Issuer DBS -Level Basic -Number 001234567890 -IssuedOn {Scripts.Day(-60)} -HolderName 'Jo Bloggs' | Out-Null",
            "Add-DataShareRecipient XSS1 -Name 'Sam Smith' -Email sam@example.org | Out-Null")).AssertNoErrors();
    }

    [Theory]
    [InlineData("Register", "Csv")]
    [InlineData("Register", "Json")]
    [InlineData("Register", "Markdown")]
    [InlineData("Register", "Html")]
    [InlineData("SafePeople", "Csv")]
    [InlineData("SafePeople", "Json")]
    [InlineData("Transfers", "Csv")]
    [InlineData("Retention", "Json")]
    [InlineData("Audit", "Markdown")]
    [InlineData("Audit", "Html")]
    public void Every_kind_writes_every_format_whole(string kind, string format)
    {
        var path = temp.File($"{kind}.{format.ToLowerInvariant()}");
        var result = session.Run("Export-DataShareReport -Kind $args[0] -Format $args[1] -Path $args[2] -PassThru -Verbose", kind, format, path).AssertNoErrors();

        Assert.Equal(path, result.Single<FileInfo>().FullName);
        var text = File.ReadAllText(path, new UTF8Encoding(false, true));
        Assert.NotEmpty(text);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.partial-*"));
        Assert.Contains(result.Verbose, v => v.Message.StartsWith($"Wrote the {kind} report", StringComparison.Ordinal));
        if (format == "Json")
        {
            using var document = JsonDocument.Parse(text);
            Assert.Equal(Scripts.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), document.RootElement.GetProperty("asOf").GetString());
        }

        if (kind == "Audit")
        {
            Assert.Contains("Audit log intact: ", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_register_report_in_json_holds_every_agreement_and_piped_agreements_limit_it()
    {
        var all = temp.File("all.json");
        session.Run("Export-DataShareReport Register Json $args[0]", all).AssertNoErrors();
        using (var document = JsonDocument.Parse(File.ReadAllBytes(all)))
        {
            var rows = document.RootElement.GetProperty("rows").EnumerateArray().ToList();
            Assert.Equal(new[] { "DS00752", "FORMULA1", "XSS1" }, rows.Select(r => r.GetProperty("reference").GetString()));
            Assert.Equal("=HYPERLINK(\"http://evil.example\")", rows[1].GetProperty("project").GetString());
            Assert.Equal(("Active", "Ended"), (rows[0].GetProperty("status").GetString(), rows[1].GetProperty("status").GetString()));
        }

        var one = temp.File("one.csv");
        session.Run("Get-DataShareAgreement FORMULA1 | Export-DataShareReport -Kind Register -Format Csv -Path $args[0]", one).AssertNoErrors();
        var lines = File.ReadAllLines(one);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("FORMULA1,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\")\",", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_input_is_refused_with_its_own_error_and_nothing_is_written()
    {
        var existing = temp.File("existing.html");
        File.WriteAllText(existing, "keep");
        session.Run("Export-DataShareReport Register Html $args[0]", existing).SingleError()
            .AssertError("ReportFileExists", ErrorCategory.ResourceExists, "ExportDataShareReportCommand");
        Assert.Equal("keep", File.ReadAllText(existing));

        session.Run("Export-DataShareReport Register Html $args[0]", temp.Path).SingleError()
            .AssertError("ReportPathInvalid", ErrorCategory.InvalidArgument, "ExportDataShareReportCommand");
        session.Run("Export-DataShareReport Register Html $args[0]", temp.File("no/such/folder/r.html")).SingleError()
            .AssertError("ReportPathInvalid", ErrorCategory.ObjectNotFound, "ExportDataShareReportCommand");
        session.Run("Export-DataShareReport Register Html $args[0] -AgreementId NOSUCH", temp.File("x.html")).SingleError()
            .AssertError("AgreementNotFound", ErrorCategory.ObjectNotFound, "ExportDataShareReportCommand");
        session.Run("Export-DataShareReport Register Html $args[0] -WhatIf", temp.File("whatif.html")).AssertNoErrors();
        Assert.False(File.Exists(temp.File("whatif.html")));
        Assert.False(File.Exists(temp.File("x.html")));

        var empty = session.Run("Get-DataShareAgreement -Status Suspended | Export-DataShareReport Register Csv $args[0]", temp.File("empty.csv")).AssertNoErrors();
        Assert.Contains(empty.Warnings, w => w.Message.StartsWith("No agreements came down the pipeline", StringComparison.Ordinal));
        Assert.False(File.Exists(temp.File("empty.csv")));
        session.Run("Export-DataShareReport Register Html 'NoSuchDrive:/r.html'").SingleError()
            .AssertError("ReportPathInvalid", ErrorCategory.ObjectNotFound, "ExportDataShareReportCommand");

        session.Run("Export-DataShareReport Register Csv $args[0] -AgreementId ' ds00752 '", temp.File("spaced.csv")).AssertNoErrors();
        Assert.Equal(2, File.ReadAllLines(temp.File("spaced.csv")).Length);

        session.Run("Export-DataShareReport Register Html $args[0] -Force", existing).AssertNoErrors();
        Assert.StartsWith("<!DOCTYPE html>", File.ReadAllText(existing), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_html_report_opens_offline_in_a_real_browser_without_errors_shows_every_agreement_and_runs_nothing_from_the_register()
    {
        Skip.If(chromium.SkipReason is not null, chromium.SkipReason);
        var html = temp.File("register.html");
        session.Run("Export-DataShareReport Register Html $args[0]", html).AssertNoErrors();

        var (dom, log) = chromium.Headless(html, "--virtual-time-budget=2000", "--dump-dom");

        Assert.Contains("<title>Register of external data shares</title>", dom, StringComparison.Ordinal);
        foreach (var id in new[] { "DS00752", "XSS1", "FORMULA1" })
        {
            Assert.Contains($"<td>{id}</td>", dom, StringComparison.Ordinal);
        }

        // The injected script did not run (the title would have changed) and the image tag is text, not an element.
        Assert.DoesNotContain("pwned", dom.Split("<body", 2)[0], StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=\"x\"", dom, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", dom, StringComparison.Ordinal);
        Assert.Equal(4, dom.Split("<svg ").Length - 1);
        Assert.DoesNotContain(log.Split('\n'), line => line.Contains("CONSOLE", StringComparison.Ordinal) || line.Contains("Uncaught", StringComparison.Ordinal));

        var picture = temp.File("register.png");
        chromium.Headless(html, "--hide-scrollbars", "--window-size=1400,1000", $"--screenshot={picture}");
        var bytes = File.ReadAllBytes(picture);
        Assert.True(bytes.Length > 10_000, $"The screenshot is only {bytes.Length} bytes.");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes.Take(4));
    }

    public void Dispose()
    {
        session.Dispose();
        temp.Dispose();
    }
}
