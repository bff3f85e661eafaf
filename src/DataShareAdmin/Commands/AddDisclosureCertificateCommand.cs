using System;
using System.Management.Automation;
using DataShareAdmin.Core.SafePeople;

namespace DataShareAdmin.Commands;

/// <summary>Records a person's disclosure certificate (its details, never an image).</summary>
[Cmdlet(VerbsCommon.Add, "DisclosureCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DisclosureCertificate))]
public sealed class AddDisclosureCertificateCommand : DataShareCmdlet
{
    /// <summary>The recipient (RC-…) whose person holds the certificate; a person id or an email also works.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RecipientIdCompleter))]
    public string RecipientId { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CertificateIssuerCompleter))]
    [ValidateNotNullOrEmpty]
    public string Issuer { get; set; } = string.Empty;

    /// <summary>Basic, Standard or Enhanced; Disclosure Scotland's "Level 1" is accepted as Basic.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(CertificateLevelCompleter))]
    [ValidateNotNullOrEmpty]
    public string Level { get; set; } = string.Empty;

    /// <summary>The certificate number as text: a DBS number is 12 digits and may begin with 0.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Number { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [DateTransformation]
    public DateTime IssuedOn { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? HolderName { get; set; }

    /// <summary>Needed only to check a standard or enhanced DBS certificate online.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [DateTransformation]
    public DateTime? DateOfBirth { get; set; }

    /// <summary>The day the original was seen; today by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [DateTransformation]
    public DateTime? SeenOriginalOn { get; set; }

    /// <summary>Who saw the original; you by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? SeenOriginalBy { get; set; }

    protected override void ProcessRecord() => Run(Number, () =>
    {
        var added = Engine.Certificates.Add(RecipientId, new CertificateDraft
        {
            Issuer = Issuer,
            Level = Level,
            Number = Number,
            IssuedOn = IssuedOn,
            HolderName = HolderName,
            DateOfBirth = DateOfBirth,
            SeenOriginalOn = SeenOriginalOn,
            SeenOriginalBy = SeenOriginalBy,
        }, this);
        if (added is not null)
        {
            WriteObject(added);
        }
    });
}
