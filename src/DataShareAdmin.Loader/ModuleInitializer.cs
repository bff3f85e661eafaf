using System.IO;
using System.Management.Automation;

namespace DataShareAdmin.Loader;

/// <summary>
/// PowerShell calls this when the module is imported. It installs the private load context before any
/// cmdlet touches the engine, so the engine's dependencies never meet the session's own copies.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        var moduleDirectory = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
        DependencyLoader.Install(Path.Combine(moduleDirectory, "Dependencies"));
    }
}
