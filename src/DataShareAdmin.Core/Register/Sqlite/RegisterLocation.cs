using System;
using System.IO;
using System.Text.Json;

namespace DataShareAdmin.Core.Register;

/// <summary>Where a register lives and why there.</summary>
public sealed class RegisterLocation
{
    public const string RegisterEnvironmentVariable = "DATASHAREADMIN_REGISTER";
    public const string ConfigEnvironmentVariable = "DATASHAREADMIN_CONFIG";
    public const string DefaultFileName = "register.db";

    public RegisterLocation(string path, string source, bool isReadOnly = false, bool createIfMissing = false)
    {
        Path = path;
        Source = source;
        IsReadOnly = isReadOnly;
        CreateIfMissing = createIfMissing && !isReadOnly;
    }

    public string Path { get; }

    /// <summary>Parameter, Environment, MachineConfiguration or UserDefault.</summary>
    public string Source { get; }

    public bool IsReadOnly { get; }

    /// <summary>
    /// True only when the user asked for a new register (Connect-DataShareRegister -Create, a copy's destination):
    /// a register that is named but not there is otherwise an error, so a typo never becomes a fresh empty register.
    /// </summary>
    public bool CreateIfMissing { get; }

    /// <summary>
    /// Finds the register: an explicit path first, then <c>DATASHAREADMIN_REGISTER</c>, then the machine-wide
    /// configuration file (so a nightly job running as a service account opens the officers' register), then the
    /// user's own data folder.
    /// </summary>
    public static RegisterLocation Resolve(string? explicitPath, bool isReadOnly, Func<string, string?>? environment = null, bool createIfMissing = false)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return new RegisterLocation(System.IO.Path.GetFullPath(explicitPath), "Parameter", isReadOnly, createIfMissing);
        }

        var fromEnvironment = environment(RegisterEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new RegisterLocation(System.IO.Path.GetFullPath(fromEnvironment), "Environment", isReadOnly, createIfMissing);
        }

        var configPath = environment(ConfigEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(configPath))
        {
            configPath = DefaultMachineConfigurationPath();
        }
        else if (!File.Exists(configPath))
        {
            // Named on purpose but missing: falling back to a private register would split the team's records.
            throw new DataShareException("RegisterConfigurationNotFound", DataShareErrorCategory.ObjectNotFound,
                $"{ConfigEnvironmentVariable} names the configuration file '{configPath}', which does not exist. Create it, or clear the variable.", configPath)
            { IsTerminating = true };
        }

        var fromConfig = ReadMachineConfiguration(configPath!);
        if (fromConfig is not null)
        {
            return new RegisterLocation(fromConfig, "MachineConfiguration", isReadOnly, createIfMissing);
        }

        return new RegisterLocation(DefaultUserPath(), "UserDefault", isReadOnly, createIfMissing);
    }

    /// <summary>
    /// The error for a register that is not there: it says where the name came from and how to start a new register
    /// on purpose, since nothing creates one without being asked.
    /// </summary>
    public DataShareException NotFound(string? detail = null)
    {
        var what = detail is null ? $"There is no register at '{Path}'" : $"'{Path}' is not a register ({detail})";
        var message = Source switch
        {
            "Environment" => $"{what}, the file the {RegisterEnvironmentVariable} environment variable names. Check the variable's value",
            "MachineConfiguration" => $"{what}, the file the machine configuration file's register.path names. Check that setting",
            "UserDefault" => $"{what}: no register has been set up in your own data folder yet, and nothing names another one ({RegisterEnvironmentVariable}, the machine configuration file). Connect to an existing register with Connect-DataShareRegister -Path",
            _ => $"{what}. Check the path",
        };
        message += IsReadOnly
            ? "; a read-only connection never creates a register."
            : Source == "Parameter"
                ? $"; to start a new, empty register there, run Connect-DataShareRegister -Path '{Path}' -Create."
                : "; to start a new, empty register there, run Connect-DataShareRegister -Create.";
        return new DataShareException("RegisterNotFound", DataShareErrorCategory.ObjectNotFound, message, Path) { IsTerminating = true };
    }

    /// <summary>/etc/datashareadmin/config.json, or %ProgramData%\DataShareAdmin\config.json on Windows.</summary>
    public static string DefaultMachineConfigurationPath() =>
        Environment.OSVersion.Platform == PlatformID.Win32NT
            ? System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "DataShareAdmin", "config.json")
            : "/etc/datashareadmin/config.json";

    /// <summary>The user's data folder: ~/.local/share on Linux, %LOCALAPPDATA% on Windows, Application Support on macOS.</summary>
    public static string DefaultUserPath()
    {
        // DoNotVerify: otherwise a data folder that does not exist yet (XDG_DATA_HOME named but not made) comes back
        // empty, and the register would quietly go to ~/.local/share instead of where the user said.
        var folder = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(folder))
        {
            folder = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return System.IO.Path.Combine(folder, "DataShareAdmin", DefaultFileName);
    }

    /// <summary>Reads <c>{ "register": { "path": "…" } }</c>; a relative path is taken from the file's folder.</summary>
    internal static string? ReadMachineConfiguration(string configPath)
    {
        if (!File.Exists(configPath))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configPath));
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("register", out var register)
                && register.ValueKind == JsonValueKind.Object
                && register.TryGetProperty("path", out var path)
                && path.ValueKind == JsonValueKind.String
                && !string.IsNullOrWhiteSpace(path.GetString()))
            {
                var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(configPath))!;
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, path.GetString()!));
            }

            throw new DataShareException("RegisterConfigurationInvalid", DataShareErrorCategory.InvalidData,
                $"The configuration file '{configPath}' has no register.path setting. Write it as {{ \"register\": {{ \"path\": \"/srv/datashare/register.db\" }} }}.", configPath)
            { IsTerminating = true };
        }
        catch (JsonException ex)
        {
            throw new DataShareException("RegisterConfigurationInvalid", DataShareErrorCategory.InvalidData,
                $"The configuration file '{configPath}' is not valid JSON: {ex.Message}", configPath, ex)
            { IsTerminating = true };
        }
    }

    public override string ToString() => Path;
}
