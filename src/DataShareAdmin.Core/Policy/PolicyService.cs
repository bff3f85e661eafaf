using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace DataShareAdmin.Core.Policy;

/// <summary>
/// Reads and changes the policy kept in the register, so every administrator works to the same rules. The stored
/// values are read once per engine (one piece of work: on a Table register each read is an HTTP request, and a
/// transfer alone needs the policy five times) and forgotten when this service changes a setting.
/// </summary>
public sealed class PolicyService
{
    private readonly IDataShareRegister register;
    private Dictionary<string, PolicyValue>? cached;

    public PolicyService(IDataShareRegister register) => this.register = register;

    /// <summary>Every setting with its default and current value, in catalogue order.</summary>
    public IEnumerable<DataSharePolicySetting> Get(Func<string, bool>? nameFilter = null)
    {
        var stored = cached ??= Stored();
        foreach (var definition in PolicyCatalogue.All)
        {
            if (nameFilter is not null && !nameFilter(definition.Name))
            {
                continue;
            }

            stored.TryGetValue(definition.Name, out var value);
            var defaultValue = DefaultOf(definition);
            yield return new DataSharePolicySetting
            {
                Name = definition.Name,
                Area = definition.Area,
                Description = definition.Description,
                DefaultValue = defaultValue,
                Value = value?.Value ?? defaultValue,
                IsDefault = value is null || value.Value == defaultValue,
                ModifiedAt = value?.ModifiedAt,
                ModifiedBy = value?.ModifiedBy,
            };
        }
    }

    /// <summary>
    /// One setting's effective value (stored, else default). Without the whole policy already read this is one lookup
    /// of that setting, so a command that needs only the time zone does not read every setting.
    /// </summary>
    public string EffectiveValue(string name)
    {
        var definition = Definition(name);
        var stored = cached is not null ? (cached.TryGetValue(definition.Name, out var known) ? known : null) : register.FindPolicy(definition.Name);
        return stored?.Value ?? DefaultOf(definition);
    }

    /// <summary>A setting's default on this register's backend (RequireSeparateApprover differs between SQLite and Tables).</summary>
    private string DefaultOf(PolicyDefinition definition) => definition.DefaultFor(register.Info?.Backend);

    /// <summary>The effective values (stored, else default) keyed by name.</summary>
    public IReadOnlyDictionary<string, string> EffectiveValues()
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in Get())
        {
            values[setting.Name] = setting.Value;
        }

        return values;
    }

    public SafePeoplePolicy SafePeople() => SafePeoplePolicy.From(EffectiveValues());

    public TransferPolicy Transfers() => TransferPolicy.From(EffectiveValues());

    /// <summary>The safe-output rules for an agreement: the register's, made stricter by the agreement's overrides.</summary>
    public OutputRules OutputRules(string? agreementId)
    {
        var stored = cached ??= Stored();
        return OutputPolicy.From(EffectiveValues(), name =>
            agreementId is not null && stored.TryGetValue(OutputPolicy.OverrideName(name, agreementId), out var value) ? value.Value : null);
    }

    /// <summary>
    /// Sets (or, with null, removes) an agreement's override of a safe-output setting; it may only be stricter than the
    /// register's (PolicyOverrideLooser). <paramref name="agreementId"/> is an agreement the caller found. Null when the host declined.
    /// </summary>
    public DataSharePolicySetting? SetOverride(string name, string agreementId, string? value, IOperationHost host)
    {
        var definition = Definition(name);
        if (!OutputPolicy.Settings.Contains(definition.Name))
        {
            throw new DataShareException("PolicyOverrideNotAllowed", DataShareErrorCategory.InvalidArgument,
                $"{definition.Name} is set for the whole register; an agreement may override only {string.Join(", ", OutputPolicy.Settings)}.", name);
        }

        var normalised = Normalise(definition, value);
        if (normalised is not null)
        {
            var registerValue = EffectiveValues()[definition.Name];
            if (!OutputPolicy.IsStricter(definition.Name, normalised, registerValue))
            {
                throw new DataShareException("PolicyOverrideLooser", DataShareErrorCategory.InvalidArgument,
                    $"{definition.Name} {normalised} for agreement {agreementId} would be less strict than the register's {registerValue}: an agreement may only tighten the output rules. Nothing was changed.", value);
            }
        }

        var key = OutputPolicy.OverrideName(definition.Name, agreementId);
        return Conflicts.Retry(first =>
        {
            var stored = cached = Stored();
            stored.TryGetValue(key, out var current);
            if (current?.Value == normalised)
            {
                host.WriteVerbose($"{key} is already {normalised ?? "(not set)"}; nothing to change.");
                return Override(definition, key, current);
            }

            if (first && !host.ShouldProcess($"Policy setting {definition.Name} for agreement {agreementId}", $"Change from {current?.Value ?? "(the register's)"} to {normalised ?? "(the register's)"}"))
            {
                return null;
            }

            cached = null;
            register.WritePolicy(key, current?.Value, normalised, new AuditEvent("Policy.Set", "Policy", key, new Dictionary<string, string?>
            {
                ["AgreementId"] = agreementId,
                ["Before"] = current?.Value,
                ["After"] = normalised,
            }));
            var written = (cached = Stored()).TryGetValue(key, out var now) ? now : null;
            return Override(definition, key, written);
        });
    }

    private DataSharePolicySetting Override(PolicyDefinition definition, string key, PolicyValue? value) => new()
    {
        Name = key,
        Area = definition.Area,
        Description = definition.Description,
        DefaultValue = EffectiveValues()[definition.Name],
        Value = value?.Value ?? EffectiveValues()[definition.Name],
        IsDefault = value is null,
        ModifiedAt = value?.ModifiedAt,
        ModifiedBy = value?.ModifiedBy,
    };

    /// <summary>How dates written with the year last are read (DateOrder).</summary>
    public Time.DateOrder DateOrder() =>
        (Time.DateOrder)Enum.Parse(typeof(Time.DateOrder), EffectiveValues()[PolicyCatalogue.DateOrder], ignoreCase: false);

    /// <summary>A whole-number setting's effective value (its catalogue normaliser guarantees the form).</summary>
    public long Number(string name)
    {
        // From the policy read once per engine, without building every setting's value (reviews ask once per agreement).
        var definition = Definition(name);
        var stored = cached ??= Stored();
        var value = stored.TryGetValue(definition.Name, out var known) ? known.Value : DefaultOf(definition);
        return long.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    /// <summary>Changes one setting (null or -Default: back to its default). Returns null when the host declined.</summary>
    public DataSharePolicySetting? Set(string name, string? value, IOperationHost host)
    {
        var definition = Definition(name);

        TextLimits.Check("Policy", "The value of " + definition.Name, value?.Trim(), TextLimits.PolicyValue, null);
        var normalised = Normalise(definition, value);

        // The value replaced is read again on each attempt; the register refuses the write if another writer changed
        // it since, so the audit entry's Before is always the value this change replaced.
        return Conflicts.Retry(first =>
        {
            // Read afresh, never from the cache: the value replaced must be the one in the register now.
            var stored = cached = Stored();
            stored.TryGetValue(definition.Name, out var current);
            var before = current?.Value ?? definition.DefaultFor(register.Info?.Backend);
            var after = normalised ?? definition.DefaultFor(register.Info?.Backend);
            if (string.Equals(before, after, StringComparison.Ordinal) && (normalised is null) == (current is null))
            {
                host.WriteVerbose($"{definition.Name} is already {after}; nothing to change.");
                return Find(definition.Name);
            }

            if (first && !host.ShouldProcess($"Policy setting {definition.Name}", $"Change from {Show(before)} to {Show(after)}"))
            {
                return null;
            }

            cached = null;
            register.WritePolicy(definition.Name, current?.Value, normalised, new AuditEvent("Policy.Set", "Policy", definition.Name, new Dictionary<string, string?>
            {
                ["Before"] = before,
                ["After"] = after,
                ["IsDefault"] = normalised is null ? "true" : "false",
            }));
            host.WriteVerbose($"{definition.Name} is now {Show(after)}.");
            return Find(definition.Name);
        });
    }

    private DataSharePolicySetting? Find(string name)
    {
        foreach (var setting in Get(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))
        {
            return setting;
        }

        return null;
    }

    private Dictionary<string, PolicyValue> Stored()
    {
        var stored = new Dictionary<string, PolicyValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in register.ReadPolicy())
        {
            stored[value.Name] = value;
        }

        return stored;
    }

    private static string Show(string value) => value.Length == 0 ? "(empty)" : value;

    /// <summary>The setting named <paramref name="name"/>, or PolicySettingNotFound listing those there are.</summary>
    private static PolicyDefinition Definition(string name) =>
        PolicyCatalogue.Find(name) ?? throw new DataShareException("PolicySettingNotFound", DataShareErrorCategory.ObjectNotFound,
            $"There is no policy setting '{name}'. Get-DataSharePolicy lists them: {string.Join(", ", Names())}.", name);

    /// <summary><paramref name="value"/> in the setting's stored form (null stays null), or PolicyValueInvalid saying what it takes.</summary>
    private static string? Normalise(PolicyDefinition definition, string? value)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            return definition.Normalise(value);
        }
        catch (PolicyValueException ex)
        {
            throw new DataShareException("PolicyValueInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{value}' is not a valid value for {definition.Name}: it takes {ex.Message}.", value, ex);
        }
        catch (DataShareException ex)
        {
            throw new DataShareException("PolicyValueInvalid", DataShareErrorCategory.InvalidArgument,
                $"'{value}' is not a valid value for {definition.Name}: {ex.Message}", value, ex);
        }
    }

    private static IEnumerable<string> Names()
    {
        foreach (var definition in PolicyCatalogue.All)
        {
            yield return definition.Name;
        }
    }
}
