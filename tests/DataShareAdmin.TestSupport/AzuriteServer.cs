using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace DataShareAdmin.TestSupport;

/// <summary>
/// A private Azurite (the Azure Storage emulator, pinned in <c>tests/azurite/package.json</c>) on free
/// loopback ports with its own temp folder, for one test class or collection.
/// </summary>
/// <remarks>
/// <para>Needs <c>node</c> (and <c>npm</c> for the first run) on PATH. The first start runs
/// <c>npm ci</c> in <c>tests/azurite</c> (≈ 40 s, serialised across processes); later starts take ≈ 2 s.</para>
/// <para>Use it as an xunit fixture:</para>
/// <code>
/// public sealed class AzuriteFixture : IDisposable
/// {
///     public AzuriteServer Server { get; } = AzuriteServer.Start();
///     public void Dispose() => Server.Dispose();
/// }
///
/// public sealed class UploadTests(AzuriteFixture azurite) : IClassFixture&lt;AzuriteFixture&gt;
/// {
///     [Fact]
///     public async Task Uploads()
///     {
///         var service = new BlobServiceClient(azurite.Server.ConnectionString);
///         // ...
///     }
/// }
/// </code>
/// <para>With <see cref="AzuriteOptions.Https"/>, clients must trust <see cref="Certificate"/>, e.g.
/// <c>new BlobClientOptions { Transport = new HttpClientTransport(server.CreateHttpMessageHandler()) }</c>.</para>
/// <para>Dispose kills the node process tree and deletes the temp folder. Should the test process die
/// first, node notices its stdin pipe closing and exits (<c>tests/azurite/exit-with-parent.js</c>).</para>
/// </remarks>
public sealed class AzuriteServer : IAsyncDisposable, IDisposable
{
    /// <summary>The emulator's well-known account name.</summary>
    public const string WellKnownAccountName = "devstoreaccount1";

    /// <summary>The emulator's well-known (public) account key.</summary>
    public const string WellKnownAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int MaxAttempts = 3;
    private const string Host = "127.0.0.1";

    private readonly List<Process> _processes = [];
    private readonly OutputTail _output = new();
    private readonly EventHandler _onProcessExit;
    private readonly string _workDirectory;
    private readonly string _scheme;
    private Uri? _blobEndpoint;
    private Uri? _tableEndpoint;
    private int _disposed;

    private AzuriteServer(AzuriteOptions options)
    {
        _scheme = options.Https ? "https" : "http";
        _workDirectory = Path.Combine(Path.GetTempPath(), "datashareadmin-azurite", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workDirectory);

        // A test run that ends without disposing its fixtures must not leave node running.
        _onProcessExit = (_, _) => Dispose();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    /// <summary>The well-known account name, <c>devstoreaccount1</c>.</summary>
    public string AccountName => WellKnownAccountName;

    /// <summary>The well-known account key.</summary>
    public string AccountKey => WellKnownAccountKey;

    /// <summary>e.g. <c>http://127.0.0.1:PORT/devstoreaccount1</c>. Throws if Blob was not started.</summary>
    public Uri BlobEndpoint => _blobEndpoint ?? throw new InvalidOperationException("The Blob service was not started.");

    /// <summary>e.g. <c>http://127.0.0.1:PORT/devstoreaccount1</c>. Throws if Table was not started.</summary>
    public Uri TableEndpoint => _tableEndpoint ?? throw new InvalidOperationException("The Table service was not started.");

    /// <summary>A storage connection string naming the endpoints of the started services.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol={_scheme};AccountName={AccountName};AccountKey={AccountKey};"
        + (_blobEndpoint is null ? "" : $"BlobEndpoint={_blobEndpoint};")
        + (_tableEndpoint is null ? "" : $"TableEndpoint={_tableEndpoint};");

    /// <summary>The self-signed server certificate (public part) when HTTPS is on; otherwise null.</summary>
    public X509Certificate2? Certificate { get; private set; }

    /// <summary>The last lines node wrote (stdout and stderr), for diagnosing a failing test.</summary>
    public string Log => _output.ToString();

    /// <summary>
    /// Installs Azurite in <c>tests/azurite</c> (<c>npm ci</c>) unless it is already installed from the current lock file,
    /// for tests that start it themselves (the Pester files). Returns the folder.
    /// </summary>
    public static string EnsureInstalled(string? azuriteDirectory = null)
    {
        var directory = azuriteDirectory ?? AzuriteInstaller.FindDirectory();
        AzuriteInstaller.EnsureInstalled(directory);
        return directory;
    }

    /// <summary>Installs Azurite if needed, starts it and waits until its ports accept connections.</summary>
    public static AzuriteServer Start(AzuriteOptions? options = null)
    {
        options ??= new AzuriteOptions();
        if ((options.Services & AzuriteServices.Both) == 0)
        {
            throw new ArgumentException("Choose at least one service.", nameof(options));
        }

        var directory = EnsureInstalled(options.AzuriteDirectory);

        for (var attempt = 1; ; attempt++)
        {
            var server = new AzuriteServer(options);
            try
            {
                server.Launch(options, directory);
                return server;
            }
            catch (PortTakenException) when (attempt < MaxAttempts)
            {
                // Another process took a port between our probe and node's bind: retry on fresh ports.
                server.Dispose();
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// A handler for HttpClient (or the Azure SDK's <c>HttpClientTransport</c>) that trusts exactly this
    /// server's self-signed certificate. Plain default handler when HTTPS is off.
    /// </summary>
    public HttpMessageHandler CreateHttpMessageHandler()
    {
        var handler = new SocketsHttpHandler();
        if (Certificate is { } trusted)
        {
            var expected = trusted.RawData;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None
                || (certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(expected));
        }

        return handler;
    }

    /// <summary>Kills node (whole process tree) and deletes the temp folder. Safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        foreach (var process in _processes)
        {
            try
            {
                // SIGKILL: the data is throw-away, so a graceful close buys nothing and could hang.
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // already exited
            }

            process.Dispose();
        }

        Certificate?.Dispose();
        DeleteDirectory(_workDirectory);
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        // Killing is immediate and waiting for the exit takes milliseconds: nothing worth awaiting.
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Launch(AzuriteOptions options, string directory)
    {
        var common = new List<string> { "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent" };
        if (options.Https)
        {
            var (cert, key) = CreateCertificate();
            common.AddRange(["--cert", cert, "--key", key]);
        }

        var wantBlob = options.Services.HasFlag(AzuriteServices.Blob);
        var wantTable = options.Services.HasFlag(AzuriteServices.Table);
        var ports = FreePorts(3);
        var (blobPort, queuePort, tablePort) = (ports[0], ports[1], ports[2]);
        var awaited = new List<int>();

        if (wantBlob && wantTable && !options.SeparateProcesses)
        {
            // azurite.js always starts Queue too; it needs a port of its own but nothing waits for it.
            StartNode(options, directory, "azurite.js", "all", common,
                "--blobHost", Host, "--blobPort", $"{blobPort}",
                "--queueHost", Host, "--queuePort", $"{queuePort}",
                "--tableHost", Host, "--tablePort", $"{tablePort}");
        }
        else
        {
            if (wantBlob)
            {
                StartNode(options, directory, "blob/main.js", "blob", common, "--blobHost", Host, "--blobPort", $"{blobPort}");
            }

            if (wantTable)
            {
                StartNode(options, directory, "table/main.js", "table", common, "--tableHost", Host, "--tablePort", $"{tablePort}");
            }
        }

        if (wantBlob)
        {
            awaited.Add(blobPort);
            _blobEndpoint = new Uri($"{_scheme}://{Host}:{blobPort}/{WellKnownAccountName}");
        }

        if (wantTable)
        {
            awaited.Add(tablePort);
            _tableEndpoint = new Uri($"{_scheme}://{Host}:{tablePort}/{WellKnownAccountName}");
        }

        WaitUntilListening(awaited, options.StartupTimeout);
    }

    private void StartNode(
        AzuriteOptions options, string directory, string entry, string name, List<string> common, params string[] args)
    {
        var script = Path.Combine(directory, "node_modules", "azurite", "dist", "src", entry);
        if (!File.Exists(script))
        {
            throw new FileNotFoundException($"Azurite entry point missing; reinstall in {directory}.", script);
        }

        // Each process gets its own data folder so the Loki files of two processes never meet.
        var location = Path.Combine(_workDirectory, name);
        Directory.CreateDirectory(location);

        var start = new ProcessStartInfo(options.NodePath)
        {
            WorkingDirectory = _workDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true, // the pipe exit-with-parent.js watches
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Run the script directly (not npx): one process to kill, no npx resolution or download.
        foreach (var arg in new[] { "--require", Path.Combine(directory, "exit-with-parent.js"), script, "--location", location }
                     .Concat(common).Concat(args))
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {options.NodePath}.");
        _processes.Add(process);
        _output.Attach(process);
    }

    private void WaitUntilListening(List<int> ports, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        var pending = new List<int>(ports);
        while (true)
        {
            pending.RemoveAll(IsListening);
            ThrowIfAnyExited();
            if (pending.Count == 0)
            {
                return;
            }

            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"Azurite did not listen on {string.Join(", ", pending)} within {timeout}.{Environment.NewLine}{Log}");
            }

            Thread.Sleep(100);
        }
    }

    private void ThrowIfAnyExited()
    {
        var exited = _processes.FirstOrDefault(p => p.HasExited);
        if (exited is null)
        {
            return;
        }

        exited.WaitForExit(); // flush the async output readers
        if (_output.Contains("EADDRINUSE"))
        {
            throw new PortTakenException(Log);
        }

        throw new InvalidOperationException($"Azurite exited with code {exited.ExitCode}.{Environment.NewLine}{Log}");
    }

    private bool IsListening(int port) =>
        // Every entry point logs "... successfully ... 127.0.0.1:PORT" once listening. Requiring that line
        // as well as a TCP accept means a stranger that grabbed the port cannot pass for our node.
        _output.Contains("successfully", $"{Host}:{port}") && Accepts(port);

    private static bool Accepts(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int[] FreePorts(int count)
    {
        // Hold all listeners at once so the OS hands out distinct ports.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    private (string Cert, string Key) CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={Host}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));

        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        Certificate = X509CertificateLoader.LoadCertificate(certificate.RawData);

        var certPath = Path.Combine(_workDirectory, "cert.pem");
        var keyPath = Path.Combine(_workDirectory, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    private static void DeleteDirectory(string path)
    {
        // Windows may hold files of a just-killed process for a moment.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path))
                {
                    Directory.Delete(path, recursive: true);
                }

                return;
            }
            catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && attempt < 10)
            {
                Thread.Sleep(100 * attempt);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // a leftover temp folder must not fail the test run
            }
        }
    }

    private sealed class PortTakenException(string log) : Exception(log);
}
