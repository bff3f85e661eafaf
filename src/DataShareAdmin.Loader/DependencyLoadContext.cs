using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace DataShareAdmin.Loader;

/// <summary>
/// Holds the engine and its third-party dependencies, loaded from the module's Dependencies folder, apart from
/// whatever versions the session (Az, Microsoft.Graph, the host) has already loaded.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    // Shared with the cmdlets: these must exist once, in the default context, or calls fail with MissingMethodException.
    private static readonly HashSet<string> SharedAssemblies = new(StringComparer.OrdinalIgnoreCase)
    {
        "DataShareAdmin.Abstractions",
    };

    private readonly Lazy<Dictionary<string, string>> platformAssemblies = new(ReadPlatformAssemblies);

    public DependencyLoadContext(string dependencyDirectory)
        : base("DataShareAdmin", isCollectible: false)
    {
        DependencyDirectory = dependencyDirectory;
    }

    public string DependencyDirectory { get; }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name;
        if (name is null || SharedAssemblies.Contains(name))
        {
            return null;
        }

        var path = Path.Combine(DependencyDirectory, name + ".dll");
        if (!File.Exists(path))
        {
            // Not ours (PowerShell's own assemblies, the framework): the default context serves it.
            return null;
        }

        if (platformAssemblies.Value.TryGetValue(name, out var platformPath) && !IsNewer(path, platformPath))
        {
            // The runtime's own copy is as new or newer: two copies of a framework assembly only cause trouble.
            return null;
        }

        return LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var directory in NativeDirectories())
        {
            foreach (var fileName in NativeFileNames(unmanagedDllName))
            {
                var candidate = Path.Combine(directory, fileName);
                if (File.Exists(candidate))
                {
                    return LoadUnmanagedDllFromPath(candidate);
                }
            }
        }

        return IntPtr.Zero;
    }

    private IEnumerable<string> NativeDirectories()
    {
        foreach (var rid in RuntimeIdentifiers())
        {
            yield return Path.Combine(DependencyDirectory, "runtimes", rid, "native");
        }

        yield return DependencyDirectory;
    }

    /// <summary>The process's own RID first, then the portable one it falls back to (e.g. debian.12-x64 → linux-x64).</summary>
    internal static IEnumerable<string> RuntimeIdentifiers()
    {
        yield return RuntimeInformation.RuntimeIdentifier;

        var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        if (OperatingSystem.IsWindows())
        {
            yield return "win-" + architecture;
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return "osx-" + architecture;
        }
        else
        {
            if (RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase))
            {
                yield return "linux-musl-" + architecture;
            }

            yield return "linux-" + architecture;
        }
    }

    private static IEnumerable<string> NativeFileNames(string name)
    {
        yield return name;
        if (OperatingSystem.IsWindows())
        {
            yield return name + ".dll";
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return "lib" + name + ".dylib";
            yield return name + ".dylib";
        }
        else
        {
            yield return "lib" + name + ".so";
            yield return name + ".so";
        }
    }

    private static bool IsNewer(string candidatePath, string platformPath)
    {
        try
        {
            var candidate = AssemblyName.GetAssemblyName(candidatePath).Version;
            var platform = AssemblyName.GetAssemblyName(platformPath).Version;
            return candidate is not null && platform is not null && candidate > platform;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The shared framework's assemblies only. The host application's own dependencies are also trusted platform
    /// assemblies, but deferring to those (a newer Microsoft.Data.Sqlite in the host, say) would undo the isolation.
    /// </summary>
    private static Dictionary<string, string> ReadPlatformAssemblies()
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location);
        if (string.IsNullOrEmpty(frameworkDirectory) || AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is not string list)
        {
            return result;
        }

        foreach (var path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.OrdinalIgnoreCase))
            {
                result[Path.GetFileNameWithoutExtension(path)] = path;
            }
        }

        return result;
    }
}
