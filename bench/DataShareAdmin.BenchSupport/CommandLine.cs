using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace DataShareAdmin.BenchSupport;

/// <summary>
/// The one command-line parser of the harnesses. Arguments are "--name value" pairs and "--name" switches (a name is
/// a switch when the next argument starts with '-' or there is none). A harness's Options reads each name it knows
/// once, with a default, then calls <see cref="Finish"/>, which rejects any name nobody read. Bad values throw an
/// <see cref="ArgumentException"/>, which <see cref="HarnessMain"/> prints with the usage.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string?> given = new(StringComparer.Ordinal);
    private readonly HashSet<string> read = new(StringComparer.Ordinal);

    public CommandLine(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Arguments = args.ToArray();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith('-'))
            {
                throw new ArgumentException($"Unexpected argument '{name}'.");
            }

            var value = i + 1 < args.Count && !args[i + 1].StartsWith('-') ? args[++i] : null;
            given[name is "-h" or "-?" ? "--help" : name] = value;
        }
    }

    /// <summary>The arguments as given (for a reproduce line).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Whether the switch <paramref name="name"/> was given.</summary>
    public bool Switch(string name)
    {
        if (!Take(name, out var value))
        {
            return false;
        }

        return value is null ? true : throw new ArgumentException($"{name} takes no value, not '{value}'.");
    }

    /// <summary>Whether <paramref name="name"/> was given at all (switch or value), without reading it.</summary>
    public bool Has(string name) => given.ContainsKey(name);

    public string? Text(string name) => Take(name, out var value) ? value ?? throw new ArgumentException($"{name} needs a value.") : null;

    public string Text(string name, string fallback) => Text(name) ?? fallback;

    /// <summary>A file or folder, made absolute against the current directory.</summary>
    public string? FullPath(string name) => Text(name) is { } path ? Path.GetFullPath(path) : null;

    /// <summary>A whole number from <paramref name="minimum"/> to <paramref name="maximum"/>; underscores (100_000) are ignored.</summary>
    public int Count(string name, int fallback, int minimum, int maximum = int.MaxValue) =>
        Text(name) is { } value ? ParseCount(name, value, minimum, maximum) : fallback;

    /// <summary>A comma-separated list of whole numbers of at least <paramref name="minimum"/> (e.g. 10_000,100_000).</summary>
    public IReadOnlyList<int> Counts(string name, IReadOnlyList<int> fallback, int minimum = 1)
    {
        if (Text(name) is not { } value)
        {
            return fallback;
        }

        var counts = Split(value).Select(part => ParseCount(name, part, minimum, int.MaxValue)).ToArray();
        return counts.Length > 0 ? counts : throw new ArgumentException($"{name} needs at least one number, e.g. 8,16.");
    }

    /// <summary>One of <paramref name="choices"/> (case-insensitive), in its canonical spelling.</summary>
    public string Choice(string name, string fallback, params string[] choices) =>
        Text(name) is { } value ? OneOf(name, value, choices) : fallback;

    /// <summary>A comma-separated subset of <paramref name="choices"/> (case-insensitive), in the order of the choices.</summary>
    public IReadOnlyList<string> Choices(string name, IReadOnlyList<string> fallback, params string[] choices)
    {
        if (Text(name) is not { } value)
        {
            return fallback;
        }

        var chosen = Split(value).Select(part => OneOf(name, part, choices)).ToHashSet(StringComparer.Ordinal);
        return chosen.Count > 0
            ? choices.Where(chosen.Contains).ToArray()
            : throw new ArgumentException($"{name} needs at least one of {string.Join(", ", choices)}.");
    }

    /// <summary>A day written yyyy-MM-dd.</summary>
    public DateTime? Day(string name) => Text(name) is not { } value
        ? null
        : DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new ArgumentException($"{name} needs a date as yyyy-MM-dd, not '{value}'.");

    /// <summary>Throws for the first name given that no one read.</summary>
    public void Finish()
    {
        var unknown = given.Keys.FirstOrDefault(name => !read.Contains(name));
        if (unknown is not null)
        {
            throw new ArgumentException($"Unknown argument '{unknown}'.");
        }
    }

    /// <summary>A whole number of at least <paramref name="minimum"/>; underscores in it (100_000) are ignored.</summary>
    public static int ParseCount(string name, string value, int minimum, int maximum = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(value);
        var digits = value.Replace("_", string.Empty, StringComparison.Ordinal);
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < minimum || count > maximum)
        {
            var range = maximum == int.MaxValue ? $"of at least {minimum}" : $"from {minimum} to {maximum}";
            throw new ArgumentException($"{name} needs a whole number {range}, not '{value}'.");
        }

        return count;
    }

    private bool Take(string name, out string? value)
    {
        read.Add(name);
        return given.TryGetValue(name, out value);
    }

    private static string OneOf(string name, string value, string[] choices) =>
        choices.FirstOrDefault(c => c.Equals(value, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"{name} is one of {string.Join(", ", choices)}, not '{value}'.");

    private static string[] Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
