using System.Management.Automation;
using DataShareAdmin.Core.Organisations;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.Set, "DataShareOrganisation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DataShareOrganisation))]
public sealed class SetDataShareOrganisationCommand : DataShareCmdlet
{
    /// <summary>The organisation's name or id; bound from piped organisations (by OrganisationId) and agreements.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("OrganisationId")]
    [ArgumentCompleter(typeof(OrganisationCompleter))]
    [ValidateNotNullOrEmpty]
    public string Organisation { get; set; } = string.Empty;

    /// <summary>A new name; agreements follow it, since they point at the record.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NewName { get; set; }

    /// <summary>The address; an empty string clears it.</summary>
    [Parameter]
    public string? Address { get; set; }

    /// <summary>The data protection officer's name; an empty string clears it.</summary>
    [Parameter]
    public string? ProtectionOfficerName { get; set; }

    /// <summary>The data protection officer's email address; an empty string clears it.</summary>
    [Parameter]
    public string? ProtectionOfficerEmail { get; set; }

    /// <summary>What sort of organisation it is, for the public register.</summary>
    [Parameter]
    public OrganisationSector? Sector { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Run(Organisation, () =>
    {
        var changed = Engine.Organisations.Update(Organisation, new OrganisationChanges
        {
            Name = NewName,
            Address = Address,
            ProtectionOfficerName = ProtectionOfficerName,
            ProtectionOfficerEmail = ProtectionOfficerEmail,
            Sector = Sector,
        }, this);
        if (changed is not null && PassThru)
        {
            WriteObject(changed);
        }
    });
}
