using System.Management.Automation;

namespace DataShareAdmin.Commands;

/// <summary>Removes a certificate recorded by mistake. The audit log keeps that it existed, who removed it and why.</summary>
[Cmdlet(VerbsCommon.Remove, "DisclosureCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(DisclosureCertificate))]
public sealed class RemoveDisclosureCertificateCommand : DataShareCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("CertificateId")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CertificateIdCompleter))]
    public string Id { get; set; } = string.Empty;

    /// <summary>Why it is removed (recorded in the audit log).</summary>
    [Parameter]
    public string? Reason { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Run(Id, () =>
    {
        var removed = Engine.Certificates.Remove(Id, Reason, this);
        if (removed is not null && PassThru)
        {
            WriteObject(removed);
        }
    });
}
