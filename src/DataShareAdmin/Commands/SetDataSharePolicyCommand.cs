using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Changes one policy setting in the register (audited), or puts it back to its default.</summary>
[Cmdlet(VerbsCommon.Set, "DataSharePolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ValueSet)]
[OutputType(typeof(DataSharePolicySetting))]
public sealed class SetDataSharePolicyCommand : DataShareCmdlet
{
    private const string ValueSet = "Value";
    private const string DefaultSet = "Default";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PolicyNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The new value as text: a number, true/false, a comma-separated list, a time zone id or an address.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = ValueSet)]
    [AllowEmptyString]
    public string Value { get; set; } = string.Empty;

    /// <summary>Puts the setting back to its default.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DefaultSet)]
    public SwitchParameter Default { get; set; }

    /// <summary>Sets the safe-output setting for this agreement only (stricter than the register's); with -Default, removes the override.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgreementIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string? AgreementId { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Run(Name, () =>
    {
        var setting = AgreementId is null
            ? Engine.Policy.Set(Name, Default ? null : Value, this)
            : Engine.Policy.SetOverride(Name, Engine.Agreements.Get(AgreementId).Id, Default ? null : Value, this);

        // Date parameters read the policy's DateOrder: the next one reads it afresh.
        SessionSettings.Current().DateOrderRead = null;
        if (setting is not null && PassThru)
        {
            WriteObject(setting);
        }
    });
}
