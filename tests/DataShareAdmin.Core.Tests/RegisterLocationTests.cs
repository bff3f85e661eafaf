using System;
using System.Collections.Generic;
using System.IO;
using DataShareAdmin.Core.Register;

namespace DataShareAdmin.Core.Tests;

public sealed class RegisterLocationTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("dsa-location-").FullName;

    private Func<string, string?> Environment(Dictionary<string, string> values) => name => values.TryGetValue(name, out var v) ? v : null;

    [Fact]
    public void An_explicit_path_wins_over_everything()
    {
        var env = Environment(new() { [RegisterLocation.RegisterEnvironmentVariable] = "/elsewhere/env.db" });
        var location = RegisterLocation.Resolve(Path.Combine(directory, "explicit.db"), isReadOnly: true, env);
        Assert.Equal((Path.Combine(directory, "explicit.db"), "Parameter", true), (location.Path, location.Source, location.IsReadOnly));
    }

    [Fact]
    public void The_environment_variable_comes_next()
    {
        var config = WriteConfig("""{ "register": { "path": "/srv/config.db" } }""");
        var env = Environment(new() { [RegisterLocation.RegisterEnvironmentVariable] = "/srv/env.db", [RegisterLocation.ConfigEnvironmentVariable] = config });
        var location = RegisterLocation.Resolve(null, false, env);
        Assert.Equal(("/srv/env.db", "Environment"), (location.Path, location.Source));
    }

    [Fact]
    public void The_machine_configuration_serves_jobs_running_as_other_accounts()
    {
        var config = WriteConfig("""{ "register": { "path": "shared/register.db" } }""");
        var location = RegisterLocation.Resolve(null, false, Environment(new() { [RegisterLocation.ConfigEnvironmentVariable] = config }));
        Assert.Equal((Path.Combine(directory, "shared", "register.db"), "MachineConfiguration"), (location.Path, location.Source));
    }

    [Fact]
    public void Without_any_setting_the_users_data_folder_is_used()
    {
        var location = RegisterLocation.Resolve(null, false, Environment(new()));
        Assert.Equal("UserDefault", location.Source);
        Assert.EndsWith(Path.Combine("DataShareAdmin", "register.db"), location.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_configuration_file_named_but_missing_is_an_error_not_a_silent_fallback()
    {
        var error = Assert.Throws<DataShareException>(() => RegisterLocation.Resolve(null, false,
            Environment(new() { [RegisterLocation.ConfigEnvironmentVariable] = Path.Combine(directory, "absent.json") })));
        Assert.Equal(("RegisterConfigurationNotFound", DataShareErrorCategory.ObjectNotFound), (error.ErrorId, error.Category));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{ "register": { } }""")]
    [InlineData("""[1, 2]""")]
    public void A_broken_configuration_file_is_a_clear_error(string content)
    {
        var config = WriteConfig(content);
        var error = Assert.Throws<DataShareException>(() => RegisterLocation.Resolve(null, false, Environment(new() { [RegisterLocation.ConfigEnvironmentVariable] = config })));
        Assert.Equal("RegisterConfigurationInvalid", error.ErrorId);
        Assert.True(error.IsTerminating);
    }

    private string WriteConfig(string content)
    {
        var path = Path.Combine(directory, "config.json");
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
