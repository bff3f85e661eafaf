using System;
using System.Globalization;
using System.IO;
using System.Management.Automation.Host;
using System.Reflection;

namespace DataShareAdmin.Host;

/// <summary>A console host without a prompt loop: everything the engine shows goes to standard output or standard error.</summary>
internal sealed class DataShareHost : PSHost
{
    private static readonly Version HostVersion = typeof(DataShareHost).Assembly.GetName().Version ?? new Version(0, 0);
    private readonly HostUserInterface ui;

    public DataShareHost(TextWriter output, TextWriter error, TextReader input, bool interactive)
    {
        ui = new HostUserInterface(output, error, input, interactive);
    }

    public override string Name => "DataShareAdmin.Host";

    public override Version Version => HostVersion;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => ui;

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    /// <summary>The code of an <c>exit</c> the engine passed to the host, if any.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>The informational version of this build, e.g. 0.1.0+abc123.</summary>
    public static string DisplayVersion =>
        typeof(DataShareHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? HostVersion.ToString();

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

    public override void EnterNestedPrompt() =>
        throw new NotSupportedException("DataShareAdmin.Host runs scripts non-interactively and has no nested prompt.");

    public override void ExitNestedPrompt() =>
        throw new NotSupportedException("DataShareAdmin.Host runs scripts non-interactively and has no nested prompt.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }
}
