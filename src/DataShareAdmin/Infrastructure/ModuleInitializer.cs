using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace DataShareAdmin.Commands;

/// <summary>
/// PowerShell calls this when the module is imported. It installs the private load context before any cmdlet
/// touches the engine, so the engine's dependencies never meet the session's own copies.
/// </summary>
/// <remarks>
/// The load context lives in DataShareAdmin.Loader (net8.0: these netstandard2.0 cmdlets cannot reference it), loaded
/// here by path and called by reflection. Importing it as a nested module instead costs a second module import.
/// </remarks>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        var moduleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
        var loader = Assembly.LoadFrom(Path.Combine(moduleDirectory, "DataShareAdmin.Loader.dll"));
        var install = loader.GetType("DataShareAdmin.Loader.DependencyLoader", throwOnError: true)!.GetMethod("Install")!;
        install.Invoke(null, new object[] { Path.Combine(moduleDirectory, "Dependencies") });
    }
}
