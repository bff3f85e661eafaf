using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Shows each policy setting with its default and current value.</summary>
[Cmdlet(VerbsCommon.Get, "DataSharePolicy")]
[OutputType(typeof(DataSharePolicySetting))]
public sealed class GetDataSharePolicyCommand : DataShareCmdlet
{
    /// <summary>Setting names or wildcard patterns; all settings when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PolicyNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        if (Name is null)
        {
            Run(null, () => WriteSettings(null));
            return;
        }

        foreach (var name in Name)
        {
            Run(name, () =>
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                if (!WriteSettings(pattern.IsMatch) && !WildcardPattern.ContainsWildcardCharacters(name))
                {
                    throw new DataShareException("PolicySettingNotFound", DataShareErrorCategory.ObjectNotFound,
                        $"There is no policy setting '{name}'. Get-DataSharePolicy lists them.", name);
                }
            });
        }
    }

    private bool WriteSettings(System.Func<string, bool>? filter)
    {
        var any = false;
        foreach (var setting in Engine.Policy.Get(filter))
        {
            any = true;
            WriteObject(setting);
        }

        return any;
    }
}
