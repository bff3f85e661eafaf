using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace DataShareAdmin.BenchSupport;

/// <summary>
/// Where the built modules are, from the AssemblyMetadata a harness's csproj stamps into it (ModuleOutputRoot,
/// ModuleConfiguration, RepositoryRoot).
/// </summary>
public static class ModuleManifest
{
    /// <summary>The value of the <see cref="AssemblyMetadataAttribute"/> named <paramref name="key"/> on <paramref name="harness"/>, or null.</summary>
    public static string? Metadata(Assembly harness, string key)
    {
        ArgumentNullException.ThrowIfNull(harness);
        return harness.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
    }

    /// <summary>out/&lt;Configuration&gt;/&lt;folder&gt;/&lt;file&gt; under the repository <paramref name="harness"/> was built from.</summary>
    public static string DefaultPath(Assembly harness, string folder, string file)
    {
        var root = Metadata(harness, "ModuleOutputRoot") ?? Path.Combine(AppContext.BaseDirectory, "out");
        var configuration = Metadata(harness, "ModuleConfiguration") ?? "Release";
        return Path.GetFullPath(Path.Combine(root, configuration, folder, file));
    }

    /// <summary>out/&lt;Configuration&gt;/DataShareAdmin/DataShareAdmin.psd1 under the repository <paramref name="harness"/> was built from.</summary>
    public static string DefaultPath(Assembly harness) => DefaultPath(harness, "DataShareAdmin", "DataShareAdmin.psd1");
}
