using System.Management.Automation;

namespace DataShareAdmin.Commands;

[Cmdlet(VerbsCommon.New, "DataShareOrganisation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DataShareOrganisation))]
public sealed class NewDataShareOrganisationCommand : DataShareCmdlet
{
    /// <summary>The organisation's name; unique in the register (compared without regard to case).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Address { get; set; }

    /// <summary>The data protection officer's name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ProtectionOfficerName { get; set; }

    /// <summary>The data protection officer's email address.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ProtectionOfficerEmail { get; set; }

    /// <summary>What sort of organisation it is (University, LocalAuthority, Charity, Commercial, Government, Other), for the public register.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public OrganisationSector? Sector { get; set; }

    protected override void ProcessRecord() => Run(Name, () =>
    {
        var created = Engine.Organisations.Create(Name, Address, ProtectionOfficerName, ProtectionOfficerEmail, this, Sector);
        if (created is not null)
        {
            WriteObject(created);
        }
    });
}
