using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace DataShareAdmin.Loader;

/// <summary>Answers the default context's request for the engine with the engine loaded in the private context.</summary>
public static class DependencyLoader
{
    public const string EngineAssemblyName = "DataShareAdmin.Core";

    private static readonly object Gate = new();
    private static DependencyLoadContext? context;

    /// <summary>The private context, once the module has been imported; for diagnostics and tests.</summary>
    public static AssemblyLoadContext? Context => context;

    public static void Install(string dependencyDirectory)
    {
        lock (Gate)
        {
            // Import-Module -Force runs the initializer again; PowerShellStandard has no cleanup hook, so the first
            // hook stays for the life of the process and keeps answering for the engine only.
            if (context is not null)
            {
                return;
            }

            context = new DependencyLoadContext(dependencyDirectory);
            AssemblyLoadContext.Default.Resolving += ResolveEngine;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        if (context is null || !string.Equals(name.Name, EngineAssemblyName, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        // By path, after checking the file: loading by name would come back through this same event.
        var path = Path.Combine(context.DependencyDirectory, EngineAssemblyName + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
