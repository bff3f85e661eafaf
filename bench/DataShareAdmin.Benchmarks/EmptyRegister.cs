using System;
using System.IO;
using DataShareAdmin.BenchSupport;

namespace DataShareAdmin.Benchmarks;

/// <summary>
/// An empty register made through the module (Connect-DataShareRegister -Create, in a child process), for samples
/// that read a register: registers are made only by -Create. Deleted when this process exits.
/// </summary>
internal static class EmptyRegister
{
    public static string Create(string module)
    {
        var folder = Directory.CreateTempSubdirectory("dsa-bench-empty-").FullName;
        var path = Path.Combine(folder, "register.db");
        ChildProcess.RunSelf(
            typeof(EmptyRegister).Assembly,
            new[] { "--child", "--scenario", Options.InitRegisterScenario, "--module", module, "--register", path },
            "register set-up child");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind does not affect the figures.
            }
        };
        return path;
    }
}
