using System;
using System.Collections.Generic;
using System.IO;

namespace DataShareAdmin.HelpBuilder;

/// <summary>The console entry point; <see cref="Run"/> takes its writers as arguments so tests can run it in-process.</summary>
public static class Program
{
    public const int Succeeded = 0;
    public const int PagesHaveProblems = 1;
    public const int BadArguments = 2;

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var options = BuilderOptions.TryParse(args, out var argumentError);
        if (options is null)
        {
            error.WriteLine($"HelpBuilder: {argumentError}");
            error.WriteLine(BuilderOptions.Usage);
            return BadArguments;
        }

        HelpBuildResult result;
        try
        {
            result = HelpCompiler.Build(options);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // An unreadable page or an unwritable output folder is the build's problem, not a crash to debug.
            error.WriteLine($"HelpBuilder: {exception.Message}");
            return PagesHaveProblems;
        }

        if (!result.Succeeded)
        {
            foreach (var problem in result.Problems)
            {
                error.WriteLine(problem);
            }

            error.WriteLine($"HelpBuilder: {result.Problems.Count} problem(s) in the help pages; nothing was written.");
            return PagesHaveProblems;
        }

        output.WriteLine($"HelpBuilder: {result.CommandCount} commands, {result.AboutTopicCount} about topics -> {result.HelpFilePath}");
        return Succeeded;
    }
}
