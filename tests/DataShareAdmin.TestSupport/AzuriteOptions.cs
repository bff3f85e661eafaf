using System;

namespace DataShareAdmin.TestSupport;

/// <summary>Which Azurite services an <see cref="AzuriteServer"/> runs.</summary>
[Flags]
public enum AzuriteServices
{
    /// <summary>Blob service only (<c>dist/src/blob/main.js</c>).</summary>
    Blob = 1,

    /// <summary>Table service only (<c>dist/src/table/main.js</c>).</summary>
    Table = 2,

    /// <summary>Blob and Table (and Queue, unused) in one <c>azurite.js</c> process, unless
    /// <see cref="AzuriteOptions.SeparateProcesses"/> is set.</summary>
    Both = Blob | Table,
}

/// <summary>Options for <see cref="AzuriteServer.Start(AzuriteOptions?)"/>.</summary>
public sealed record AzuriteOptions
{
    /// <summary>Services to start. Default <see cref="AzuriteServices.Both"/>.</summary>
    public AzuriteServices Services { get; init; } = AzuriteServices.Both;

    /// <summary>
    /// With <see cref="AzuriteServices.Both"/>, run Blob and Table in two node processes.
    /// Use it when a test hammers one service while using the other: in one process a busy
    /// endpoint starves the other (they share node's single event loop).
    /// </summary>
    public bool SeparateProcesses { get; init; }

    /// <summary>Serve HTTPS with a fresh self-signed certificate (see <see cref="AzuriteServer.Certificate"/>).</summary>
    public bool Https { get; init; }

    /// <summary>How long to wait for the ports to accept connections. Default 60 s.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The folder holding Azurite's <c>package.json</c>; null to find <c>tests/azurite</c> by walking up
    /// from <see cref="AppContext.BaseDirectory"/>.
    /// </summary>
    public string? AzuriteDirectory { get; init; }

    /// <summary>The node executable. Default <c>node</c> from PATH.</summary>
    public string NodePath { get; init; } = "node";
}
