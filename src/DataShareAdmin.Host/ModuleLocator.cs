using System;
using System.IO;
using System.Reflection;

namespace DataShareAdmin.Host;

/// <summary>Finds the DataShareAdmin module manifest to import.</summary>
internal static class ModuleLocator
{
    public const string ModuleEnvironmentVariable = "DATASHAREADMIN_MODULE";
    public const string ManifestName = "DataShareAdmin.psd1";

    /// <summary>
    /// -Module, else DATASHAREADMIN_MODULE, else Modules/DataShareAdmin/ beside the host, else the module this build
    /// assembled. An explicit -Module or environment variable that points nowhere is an error, not a reason to fall back:
    /// a scheduled job must not silently run a different module than the one it was configured with.
    /// </summary>
    /// <returns>The full path of a manifest that exists, or null with <paramref name="error"/> set.</returns>
    public static string? Resolve(string? explicitPath, Func<string, string?> environment, out string? error)
    {
        error = null;
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return FromConfigured(explicitPath, "-Module", out error);
        }

        var fromEnvironment = environment(ModuleEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return FromConfigured(fromEnvironment, $"The {ModuleEnvironmentVariable} environment variable", out error);
        }

        var besideHost = Path.Combine(AppContext.BaseDirectory, "Modules", "DataShareAdmin", ManifestName);
        if (File.Exists(besideHost))
        {
            return besideHost;
        }

        var built = BuiltModulePath();
        if (built is not null && File.Exists(built))
        {
            return Path.GetFullPath(built);
        }

        error = "The DataShareAdmin module was not found. Looked in " + besideHost
            + (built is null ? string.Empty : " and " + built)
            + $". Give -Module <path to DataShareAdmin.psd1 or its folder> or set {ModuleEnvironmentVariable}.";
        return null;
    }

    /// <summary>The module path baked in at build time (see the project file).</summary>
    public static string? BuiltModulePath()
    {
        foreach (var attribute in typeof(ModuleLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (attribute.Key == "DefaultModulePath" && !string.IsNullOrWhiteSpace(attribute.Value))
            {
                return attribute.Value;
            }
        }

        return null;
    }

    private static string? FromConfigured(string configured, string source, out string? error)
    {
        error = null;
        string full;
        try
        {
            full = Path.GetFullPath(configured);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            error = $"{source} is not a valid path: {ex.Message}";
            return null;
        }

        if (File.Exists(full))
        {
            if (!full.EndsWith(".psd1", StringComparison.OrdinalIgnoreCase))
            {
                error = $"{source} points to {full}, which is not a module manifest (.psd1).";
                return null;
            }

            return full;
        }

        if (Directory.Exists(full))
        {
            var folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
            foreach (var candidate in new[] { Path.Combine(full, folderName + ".psd1"), Path.Combine(full, ManifestName) })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            error = $"{source} points to the folder {full}, which has no {ManifestName}.";
            return null;
        }

        error = $"{source} points to {full}, which does not exist.";
        return null;
    }
}
