using System;
using System.Management.Automation;
using DataShareAdmin.Core.SafePeople;

namespace DataShareAdmin.Commands;

/// <summary>Corrects a recorded certificate (audited).</summary>
[Cmdlet(VerbsCommon.Set, "DisclosureCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DisclosureCertificate))]
public sealed class SetDisclosureCertificateCommand : DataShareCmdlet
{
    /// <summary>The certificate id (DC-…); certificates piped in bind by their CertificateId.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("CertificateId")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(CertificateIdCompleter))]
    public string Id { get; set; } = string.Empty;

    [Parameter]
    [ArgumentCompleter(typeof(CertificateLevelCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Level { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Number { get; set; }

    [Parameter]
    [DateTransformation]
    public DateTime? IssuedOn { get; set; }

    /// <summary>The name printed on the certificate; an empty string clears it.</summary>
    [Parameter]
    public string? HolderName { get; set; }

    [Parameter]
    [DateTransformation]
    public DateTime? DateOfBirth { get; set; }

    [Parameter]
    [DateTransformation]
    public DateTime? SeenOriginalOn { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SeenOriginalBy { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Run(Id, () =>
    {
        var changed = Engine.Certificates.Update(Id, new CertificateChanges
        {
            Level = Level,
            Number = Number,
            IssuedOn = IssuedOn,
            HolderName = HolderName,
            DateOfBirth = DateOfBirth,
            SeenOriginalOn = SeenOriginalOn,
            SeenOriginalBy = SeenOriginalBy,
        }, this);
        if (changed is not null && PassThru)
        {
            WriteObject(changed);
        }
    });
}
